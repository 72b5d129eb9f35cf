"""Ledger snapshots of outbox rows (`onewindow ledger verify --rows` compares them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from onewindow.notifications.models import Delivery, OutboxEvent, Subscription


def event_snapshot(event: OutboxEvent, subscription_ids: list[int]) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "event_type": event.event_type,
        "subject": event.subject,
        "payload": event.payload,
        "actor": event.actor,
        "created_at": event.created_at.isoformat(),
        "subscriptions": sorted(subscription_ids),
    }


def subscription_snapshot(subscription: Subscription) -> dict[str, Any]:
    return {
        "department": subscription.department_id,
        "name": subscription.name,
        "url": subscription.url,
        "event_types": subscription.event_types,
        "is_active": subscription.is_active,
        "timeout_seconds": subscription.timeout_seconds,
    }


def event_by_id(event_id: str) -> dict[str, Any] | None:
    event = OutboxEvent.objects.filter(event_id=event_id).first()
    if event is None:
        return None
    subscriptions = Delivery.objects.filter(event=event).values_list("subscription_id", flat=True)
    return event_snapshot(event, list(subscriptions))


def event_ids() -> Iterable[str]:
    return OutboxEvent.objects.order_by("pk").values_list("event_id", flat=True).iterator()


def event_location(event_id: str) -> str:
    event = OutboxEvent.objects.filter(event_id=event_id).only("pk").first()
    return f"notifications_outboxevent pk={event.pk if event else '?'} event_id={event_id}"


def subscription_by_id(pk: str) -> dict[str, Any] | None:
    row = Subscription.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    return subscription_snapshot(row) if row else None


def subscription_ids() -> Iterable[str]:
    return (str(pk) for pk in Subscription.objects.order_by("pk").values_list("pk", flat=True))


def subscription_location(pk: str) -> str:
    return f"notifications_subscription pk={pk}"
