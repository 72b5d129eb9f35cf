from django.db import models


class StaffRole(models.TextChoices):
    WINDOW_CLERK = "window_clerk", "窗口收件人员 Window clerk"
    HELPER = "helper", "帮办人员 Helper"
    APPROVER = "approver", "审批人员 Approver"
    SUPERVISOR = "supervisor", "督查人员 Supervisor"
    ADMINISTRATOR = "administrator", "系统管理员 Administrator"


class ApplicantKind(models.TextChoices):
    PERSON = "person", "自然人 Natural person"
    COMPANY = "company", "企业 Company"


class CentreKind(models.TextChoices):
    CITY = "city", "市级 City"
    DISTRICT = "district", "区级 District"
    ZONE = "zone", "功能区 Functional zone"


class DepartmentKind(models.TextChoices):
    GOVERNMENT = "government", "政府部门 Government"
    UTILITY = "utility", "公共服务企业 Utility"
    BANK = "bank", "银行 Bank"
