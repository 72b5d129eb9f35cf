"""Choices of the notifications app (stored values never change once published)."""

from django.db import models


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待推送 Pending"
    DELIVERED = "delivered", "已送达 Delivered"
    FAILED = "failed", "推送失败 Failed (retries exhausted)"


class AttemptOutcome(models.TextChoices):
    STARTED = "started", "进行中 Started"
    SUCCEEDED = "succeeded", "成功 Succeeded"
    HTTP_ERROR = "http_error", "对方返回错误 HTTP error"
    NETWORK_ERROR = "network_error", "网络错误 Network error"
    TIMEOUT = "timeout", "超时 Timeout"
    INTERRUPTED = "interrupted", "中断 Interrupted (worker stopped)"
