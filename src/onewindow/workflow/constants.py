"""Choices and fixed numbers of the workflow engine."""

from django.db import models

STATE_FORMAT = 2
"""Engine-state format written today. 1 = SpiffWorkflow's serializer output with the process
spec inlined; 2 = the same without the spec (it is rebuilt from the pinned definition). Older
states are upgraded by the numbered steps in `state_migrations`."""

APPLICANT_ROLE = "applicant"
"""Lane/role of tasks done by the applicant (or intake staff on the applicant's behalf)."""

ROUTINGS = ("home", "intake", "applicant")
"""Where a user task is routed: staff of the case's home jurisdiction holding the task's role,
any staff of the intake centre, the applicant's own account. A task names one or more."""


class InstanceStatus(models.TextChoices):
    ACTIVE = "active", "运行中 Active"
    COMPLETED = "completed", "已完成 Completed"
    CANCELLED = "cancelled", "已取消 Cancelled"


class TaskItemStatus(models.TextChoices):
    OPEN = "open", "待办 Open"
    COMPLETED = "completed", "已办 Completed"
    CANCELLED = "cancelled", "已撤销 Cancelled"


class DuePurpose(models.TextChoices):
    TIMER = "timer", "定时事件 Timer event"
    RETRY = "retry", "重试服务调用 Connector retry"


class IncidentStatus(models.TextChoices):
    OPEN = "open", "待处理 Open"
    RESOLVED = "resolved", "已处理 Resolved"


class IncidentKind(models.TextChoices):
    CONNECTOR = "connector", "服务调用失败 Connector failed"
    ENGINE = "engine", "流程执行错误 Engine error"
