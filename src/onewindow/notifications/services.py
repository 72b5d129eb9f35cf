"""Write operations of the outbox. Keyword-only, explicit actor and reason, ledger entry.

- `enqueue_event`: call inside the caller's transaction, beside the change it reports: one
  event row and one delivery per matching active subscription, committed or rolled back
  together with the change. A worker is woken after the commit.
- `create_subscription`, `set_subscription_active`: departments' endpoints.
- `resend_delivery`: an administrator sends a failed delivery again (new retry window).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from onewindow.accounts.models import Department
from onewindow.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from onewindow.core.middleware import current_request_id
from onewindow.ledger.services import append_entry
from onewindow.notifications import signing
from onewindow.notifications.constants import DeliveryStatus
from onewindow.notifications.models import Delivery, OutboxEvent, Subscription
from onewindow.notifications.snapshots import event_snapshot, subscription_snapshot


def _reason(reason: str) -> str:
    if not (reason or "").strip():
        raise ValidationFailed("outbox.reason_required", "请填写理由", "A reason is required")
    return reason.strip()


def matches(patterns: Sequence[str], event_type: str) -> bool:
    """`case.approved` matches "case.approved", "case.*" and "*"."""
    for pattern in patterns:
        if pattern in ("*", event_type):
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


WAKE_WINDOW_SECONDS = 0.5
_last_wake = 0.0


def _wake_worker() -> None:
    """Schedule one drain per half second at most: a commit inside the window is before the
    drain already scheduled (huey never runs a scheduled job early), so that drain sends it.
    Saves a queue write per case at peak (P5)."""
    global _last_wake
    from django.conf import settings

    if settings.HUEY.get("immediate"):
        return  # in-process jobs: `onewindow outbox deliver` or the tests deliver explicitly
    now = time.monotonic()
    if now - _last_wake < WAKE_WINDOW_SECONDS:
        return
    _last_wake = now
    from onewindow.notifications.tasks import deliver_outbox

    deliver_outbox.schedule(delay=WAKE_WINDOW_SECONDS)


def _wake_after_commit() -> None:
    connection = transaction.get_connection()
    pending = getattr(connection, "run_on_commit", [])
    if not any(entry[1] is _wake_worker for entry in pending):
        transaction.on_commit(_wake_worker, robust=True)


def enqueue_event(
    *, event_type: str, subject: str, payload: Mapping[str, Any], actor: str, reason: str
) -> OutboxEvent:
    """Record an event for the departments subscribed to `event_type`; must run inside the
    caller's `transaction.atomic()` (callers hold the subject's row lock, so events of one
    subject get increasing ids in commit order)."""
    if not transaction.get_connection().in_atomic_block:
        raise DomainError(
            "outbox.no_transaction",
            "推送事件必须与业务变更在同一事务中写入",
            "enqueue_event must be called inside the caller's transaction.atomic()",
            status=500,
        )
    reason = _reason(reason)
    event = OutboxEvent.objects.create(
        event_id=f"evt_{uuid.uuid4().hex}",
        event_type=event_type,
        subject=subject,
        payload=dict(payload),
        actor=actor,
        reason=reason,
        created_at=timezone.now(),
        request_id=(current_request_id() or "")[:64],
    )
    subscriptions = [
        s
        for s in Subscription.objects.filter(is_active=True).only("pk", "event_types")
        if matches(s.event_types, event_type)
    ]
    Delivery.objects.bulk_create(
        Delivery(event=event, subscription=s, subject=subject, next_attempt_at=event.created_at)
        for s in subscriptions
    )
    state = event_snapshot(event, [s.pk for s in subscriptions])
    append_entry(
        actor=actor,
        event="outbox_event_queued",
        subject=f"outbox_event:{event.event_id}",
        reason=reason,
        payload=state,
        state=state,
    )
    if subscriptions:
        _wake_after_commit()
    return event


def create_subscription(
    *,
    department_code: str,
    name: str,
    url: str,
    event_types: Sequence[str],
    actor: str,
    reason: str,
    timeout_seconds: int = 10,
) -> tuple[Subscription, str]:
    """A new endpoint; returns it with its signing secret (shown once, give it to the
    department)."""
    reason = _reason(reason)
    department = Department.objects.filter(code=department_code).first()
    if department is None:
        raise NotFound("department.not_found", "未找到部门", f"No department {department_code}")
    if not url.startswith(("https://", "http://")) or not event_types:
        raise ValidationFailed(
            "outbox.bad_subscription",
            "推送地址须为 http(s) 地址，且至少订阅一种事件",
            "The endpoint must be an http(s) URL and at least one event type is needed",
        )
    secret = signing.new_secret()
    with transaction.atomic():
        subscription = Subscription.objects.create(
            department=department,
            name=name,
            url=url,
            secret=secret,
            event_types=list(event_types),
            timeout_seconds=timeout_seconds,
            created_at=timezone.now(),
        )
        state = subscription_snapshot(subscription)
        append_entry(
            actor=actor,
            event="subscription_created",
            subject=f"subscription:{subscription.pk}",
            reason=reason,
            payload=state,
            state=state,
        )
    return subscription, secret


def set_subscription_active(
    *, subscription_id: int, active: bool, actor: str, reason: str
) -> Subscription:
    reason = _reason(reason)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
        if subscription is None:
            raise NotFound("outbox.no_subscription", "未找到订阅", "No such subscription")
        subscription.is_active = active
        subscription.save(update_fields=["is_active"])
        state = subscription_snapshot(subscription)
        append_entry(
            actor=actor,
            event="subscription_activated" if active else "subscription_deactivated",
            subject=f"subscription:{subscription.pk}",
            reason=reason,
            payload=state,
            state=state,
        )
    if active:
        transaction.on_commit(_wake_worker, robust=True)
    return subscription


def resend_delivery(*, delivery_id: int, actor: str, reason: str) -> Delivery:
    """Send a failed delivery again, with a fresh retry window; later deliveries of the same
    subject to the same department, held back behind it, follow in order."""
    reason = _reason(reason)
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("event")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            raise NotFound("outbox.no_delivery", "未找到推送记录", "No such delivery")
        if delivery.status != DeliveryStatus.FAILED:
            raise Conflict(
                "outbox.not_failed",
                "只能重新推送失败的记录",
                "Only failed deliveries can be sent again",
                details={"status": delivery.status},
            )
        now = timezone.now()
        delivery.status, delivery.next_attempt_at = DeliveryStatus.PENDING, now
        delivery.first_attempt_at, delivery.locked_until = None, None
        delivery.save(
            update_fields=["status", "next_attempt_at", "first_attempt_at", "locked_until"]
        )
        append_entry(
            actor=actor,
            event="outbox_delivery_resent",
            subject=f"outbox_event:{delivery.event.event_id}",
            reason=reason,
            payload={"delivery": delivery.pk, "subscription": delivery.subscription_id},
        )
    transaction.on_commit(_wake_worker, robust=True)
    return delivery
