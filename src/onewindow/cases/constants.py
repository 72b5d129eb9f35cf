from django.db import models


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", "待受理 Submitted"
    RETURNED = "returned", "退回补正 Returned for correction"
    ACCEPTED = "accepted", "审查中 Accepted"
    APPROVED = "approved", "已核准 Approved"
    REJECTED = "rejected", "不予许可 Rejected"
    CLOSED = "closed", "已办结 Closed"


class IntakeMode(models.TextChoices):
    ONLINE = "online", "网上申请 Online by the applicant"
    ASSISTED = "assisted", "窗口帮办 Assisted at a service centre"


class DeliveryMethod(models.TextChoices):
    POST = "post", "邮寄 By post (EMS)"
    WINDOW = "window", "窗口领取 Collect at a window"


class CaseEventName(models.TextChoices):
    SUBMITTED = "case_submitted", "提交 Submitted"
    ACCEPTED = "case_accepted", "受理 Accepted"
    RETURNED = "case_returned_for_correction", "退回补正 Returned for correction"
    RESUBMITTED = "case_resubmitted", "补正后重新提交 Resubmitted"
    APPROVED = "case_approved", "核准 Approved"
    REJECTED = "case_rejected", "不予许可 Rejected"
    DELIVERED = "case_delivered", "送达 Delivered"
    STATUS_CHANGED = "case_status_changed", "流程推进 Moved on by the process"
    DECISION_MADE = "decision_made", "决策表决策 Decision table"


CITY_PREFIX = {"420100": "WH", "420600": "XY", "420500": "YC"}
