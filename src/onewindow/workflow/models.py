"""Process definitions (imported from packs by content hash) and their instances, the inbox
items of user tasks, due timers and retries, message subscriptions, incidents and the
record of every decision taken by a DMN table."""

from __future__ import annotations

from django.db import models

from onewindow.accounts.models import ServiceCentre, User
from onewindow.workflow.constants import (
    DuePurpose,
    IncidentKind,
    IncidentStatus,
    InstanceStatus,
    TaskItemStatus,
)


class ProcessDefinition(models.Model):
    """One executable BPMN process with everything it uses (called processes, DMN files, task
    form schemas), frozen as imported. `content_hash` is the SHA-256 of that bundle."""

    process_id = models.CharField("流程标识 Process id", max_length=100, db_index=True)
    name = models.CharField("名称 Name", max_length=200, blank=True)
    pack_code = models.CharField("改革包 Pack", max_length=60, blank=True)
    source_file = models.CharField("来源文件 Source file", max_length=300)
    content_hash = models.CharField("内容摘要 Content hash", max_length=64, unique=True)
    files = models.JSONField("文件 Files (path -> text)", default=dict)
    forms = models.JSONField("表单 Task form schemas (task id -> JSON Schema)", default=dict)
    is_current = models.BooleanField("当前版本 Current", default=True)
    imported_at = models.DateTimeField("导入时间 Imported at")
    imported_by = models.CharField("导入者 Imported by", max_length=200)

    class Meta:
        verbose_name = "流程定义 Process definition"
        verbose_name_plural = "流程定义 Process definitions"
        ordering = ["process_id", "-imported_at"]

    def __str__(self) -> str:
        return f"{self.process_id}@{self.content_hash[:12]}"


class ProcessInstance(models.Model):
    """One run of a definition. The engine state (SpiffWorkflow's serializer output, in the
    format `state_format`) lives here; `variables` is a copy of the current process data for
    reads that need no engine."""

    definition = models.ForeignKey(
        ProcessDefinition, on_delete=models.PROTECT, related_name="instances"
    )
    state_format = models.PositiveSmallIntegerField("状态格式 State format")
    state = models.TextField("引擎状态 Engine state (JSON)")
    status = models.CharField(
        "状态 Status", max_length=12, choices=InstanceStatus.choices, db_index=True
    )
    subject = models.CharField("业务对象 Subject", max_length=120, db_index=True, blank=True)
    business_key = models.CharField("业务键 Business key", max_length=120, blank=True)
    variables = models.JSONField("流程数据 Variables", default=dict)
    version = models.PositiveIntegerField(default=1)
    started_at = models.DateTimeField("开始 Started at")
    started_by = models.CharField("发起者 Started by", max_length=200)
    updated_at = models.DateTimeField("更新 Updated at")
    completed_at = models.DateTimeField("完成 Completed at", null=True, blank=True)

    class Meta:
        verbose_name = "流程实例 Process instance"
        verbose_name_plural = "流程实例 Process instances"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.definition.process_id}#{self.pk}"


class TaskItem(models.Model):
    """A user task waiting in somebody's inbox, routed by role and jurisdiction or centre."""

    instance = models.ForeignKey(ProcessInstance, on_delete=models.PROTECT, related_name="items")
    task_id = models.UUIDField("任务标识 Engine task id")
    spec_id = models.CharField("环节 BPMN element id", max_length=100)
    name = models.CharField("名称 Name", max_length=200)
    lane = models.CharField("泳道 Lane", max_length=120, blank=True)
    role = models.CharField("角色 Role", max_length=20, blank=True)
    jurisdiction_code = models.CharField(
        "住所地 Jurisdiction", max_length=20, blank=True, db_index=True
    )
    centre = models.ForeignKey(
        ServiceCentre, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applicant_user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField("认领时间 Claimed at", null=True, blank=True)
    actions = models.JSONField("可选操作 Actions", default=list)
    form_schema = models.JSONField("表单 Form schema", default=dict)
    status = models.CharField(
        "状态 Status",
        max_length=12,
        choices=TaskItemStatus.choices,
        default=TaskItemStatus.OPEN,
        db_index=True,
    )
    due_date = models.DateField("办理期限 Due date", null=True, blank=True)
    created_at = models.DateTimeField("创建 Created at")
    completed_at = models.DateTimeField("办结 Completed at", null=True, blank=True)
    completed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField("提交数据 Submitted data", default=dict)

    class Meta:
        verbose_name = "待办 Task item"
        verbose_name_plural = "待办 Task items"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "task_id"], name="unique_item_task"),
        ]
        indexes = [models.Index(fields=["status", "jurisdiction_code", "role"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class DueTimer(models.Model):
    """When an instance must be woken: a BPMN timer event, or the next attempt of a connector
    call. The periodic scan fires rows whose `due_at` has passed and stamps `fired_at`."""

    instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="timers")
    task_id = models.UUIDField("任务标识 Engine task id")
    spec_id = models.CharField("环节 BPMN element id", max_length=100)
    purpose = models.CharField("用途 Purpose", max_length=8, choices=DuePurpose.choices)
    due_at = models.DateTimeField("到期 Due at", db_index=True)
    fired_at = models.DateTimeField("触发 Fired at", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "到期任务 Due timer"
        verbose_name_plural = "到期任务 Due timers"
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "task_id", "purpose", "due_at"], name="unique_due_timer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instance_id}:{self.spec_id}@{self.due_at:%Y-%m-%d %H:%M:%S}"


class MessageSubscription(models.Model):
    """A message catch event waiting for `message_name` with `correlation_key`."""

    instance = models.ForeignKey(
        ProcessInstance, on_delete=models.CASCADE, related_name="subscriptions"
    )
    task_id = models.UUIDField("任务标识 Engine task id")
    spec_id = models.CharField("环节 BPMN element id", max_length=100)
    message_name = models.CharField("消息 Message", max_length=120)
    correlation_key = models.CharField("关联键 Correlation key", max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "消息订阅 Message subscription"
        verbose_name_plural = "消息订阅 Message subscriptions"
        constraints = [
            models.UniqueConstraint(fields=["instance", "task_id"], name="unique_subscription"),
        ]
        indexes = [models.Index(fields=["message_name", "correlation_key"])]

    def __str__(self) -> str:
        return f"{self.message_name}[{self.correlation_key}]"


class Incident(models.Model):
    """A step that cannot go on without a person: a connector's terminal error (or retries
    exhausted), or an engine error in a step started by a timer or a retry."""

    instance = models.ForeignKey(
        ProcessInstance, on_delete=models.PROTECT, related_name="incidents"
    )
    task_id = models.UUIDField("任务标识 Engine task id", null=True, blank=True)
    spec_id = models.CharField("环节 BPMN element id", max_length=100, blank=True)
    kind = models.CharField("类别 Kind", max_length=10, choices=IncidentKind.choices)
    connector_id = models.CharField("服务 Connector", max_length=100, blank=True)
    error_code = models.CharField("错误代码 Error code", max_length=100)
    message = models.TextField("错误 Message")
    attempts = models.PositiveIntegerField("尝试次数 Attempts", default=0)
    status = models.CharField(
        "状态 Status",
        max_length=10,
        choices=IncidentStatus.choices,
        default=IncidentStatus.OPEN,
        db_index=True,
    )
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "异常 Incident"
        verbose_name_plural = "异常 Incidents"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind}:{self.error_code} ({self.status})"


class DecisionRecord(models.Model):
    """One evaluation of a DMN decision by a business rule task: what went in, which rules
    matched, what came out. Shown on the timeline of the instance's subject."""

    instance = models.ForeignKey(
        ProcessInstance, on_delete=models.PROTECT, related_name="decisions"
    )
    task_id = models.UUIDField("任务标识 Engine task id")
    spec_id = models.CharField("环节 BPMN element id", max_length=100)
    decision_id = models.CharField("决策 Decision id", max_length=120)
    inputs = models.JSONField("输入 Inputs", default=dict)
    matched_rules = models.JSONField("命中规则 Matched rules", default=list)
    outputs = models.JSONField("输出 Outputs", default=dict)
    created_at = models.DateTimeField()
    ledger_sequence = models.BigIntegerField("存证序号 Ledger sequence", null=True)

    class Meta:
        verbose_name = "决策记录 Decision record"
        verbose_name_plural = "决策记录 Decision records"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.decision_id} @ {self.instance_id}"
