"""The outbox to departments: subscriptions, events, one delivery per event and subscriber,
every attempt with the response; and idempotency keys of incoming requests."""

from __future__ import annotations

from django.db import models

from onewindow.accounts.models import Department
from onewindow.notifications.constants import AttemptOutcome, DeliveryStatus


class Subscription(models.Model):
    """A department's endpoint and the event types it receives (推送订阅)."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="subscriptions"
    )
    name = models.CharField("名称 Name", max_length=100)
    url = models.URLField("推送地址 Endpoint URL", max_length=400)
    secret = models.CharField("签名密钥 Signing secret (whsec_…)", max_length=100)
    event_types = models.JSONField("事件类型 Event types", default=list)
    is_active = models.BooleanField("启用 Active", default=True)
    timeout_seconds = models.PositiveSmallIntegerField("超时秒数 Timeout (s)", default=10)
    created_at = models.DateTimeField("创建时间 Created at")

    class Meta:
        verbose_name = "推送订阅 Subscription"
        verbose_name_plural = "推送订阅 Subscriptions"
        ordering = ["department__code", "name"]

    def __str__(self) -> str:
        return f"{self.department_id}: {self.name}"


class OutboxEvent(models.Model):
    """An event written in the same transaction as the change it reports. `event_id` is the
    idempotency key subscribers see (`webhook-id`), the same on every attempt."""

    event_id = models.CharField("事件编号 Event id", max_length=40, unique=True)
    event_type = models.CharField("事件类型 Event type", max_length=80, db_index=True)
    subject = models.CharField("对象 Subject", max_length=200, db_index=True)
    payload = models.JSONField("内容 Payload")
    actor = models.CharField("操作者 Actor", max_length=200)
    reason = models.CharField("理由 Reason", max_length=300)
    created_at = models.DateTimeField("创建时间 Created at")
    request_id = models.CharField("请求编号 Request id", max_length=64, blank=True)

    class Meta:
        verbose_name = "推送事件 Outbox event"
        verbose_name_plural = "推送事件 Outbox events"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.subject}"


class Delivery(models.Model):
    """One event to one subscription. Deliveries of one subject to one subscription go out
    in event order: a delivery waits while an earlier one of its subject is undelivered."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.PROTECT, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="deliveries"
    )
    subject = models.CharField("对象 Subject", max_length=200)
    status = models.CharField(
        "状态 Status", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField("尝试次数 Attempts", default=0)
    next_attempt_at = models.DateTimeField("下次尝试 Next attempt at")
    locked_until = models.DateTimeField("占用至 Leased until", null=True, blank=True)
    first_attempt_at = models.DateTimeField("首次尝试 First attempt at", null=True, blank=True)
    delivered_at = models.DateTimeField("送达时间 Delivered at", null=True, blank=True)
    last_error = models.CharField("最近错误 Last error", max_length=300, blank=True)

    class Meta:
        verbose_name = "推送 Delivery"
        verbose_name_plural = "推送 Deliveries"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "subscription"], name="unique_delivery")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
            models.Index(fields=["subscription", "subject", "status"], name="delivery_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscription_id} ({self.status})"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="attempt_log")
    number = models.PositiveIntegerField("序号 Number")
    started_at = models.DateTimeField("开始 Started at")
    finished_at = models.DateTimeField("结束 Finished at", null=True, blank=True)
    outcome = models.CharField("结果 Outcome", max_length=14, choices=AttemptOutcome.choices)
    status_code = models.PositiveSmallIntegerField("HTTP 状态 Status code", null=True, blank=True)
    response_body = models.TextField("响应 Response (first 2,000 characters)", blank=True)
    error = models.CharField("错误 Error", max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField("耗时 Duration (ms)", null=True, blank=True)
    worker = models.CharField("执行者 Worker", max_length=80, blank=True)

    class Meta:
        verbose_name = "推送尝试 Delivery attempt"
        verbose_name_plural = "推送尝试 Delivery attempts"
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="unique_attempt_number")
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number} {self.outcome}"


class IdempotencyKey(models.Model):
    """An incoming request's idempotency key: the first request's digest and result, so a
    repeat returns the same result instead of acting twice."""

    scope = models.CharField("范围 Scope", max_length=60)
    key = models.CharField("幂等键 Key", max_length=200)
    request_digest = models.CharField("请求摘要 Request SHA-256", max_length=64)
    result = models.JSONField("结果 Result", default=dict)
    created_at = models.DateTimeField("创建时间 Created at")

    class Meta:
        verbose_name = "幂等键 Idempotency key"
        verbose_name_plural = "幂等键 Idempotency keys"
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="unique_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
