"""Reads of the outbox: failures for the administrator, an event with its attempts,
subscriptions, and counts by status."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from onewindow.notifications.constants import DeliveryStatus
from onewindow.notifications.models import Delivery, DeliveryAttempt, OutboxEvent, Subscription


def failed_deliveries() -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(status=DeliveryStatus.FAILED)
        .select_related("event", "subscription__department")
        .order_by("event_id", "pk")
    )


def deliveries(*, status: str | None = None) -> QuerySet[Delivery]:
    rows = Delivery.objects.select_related("event", "subscription__department")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-event_id", "pk")


def event_by_id(event_id: str) -> OutboxEvent | None:
    return OutboxEvent.objects.filter(event_id=event_id).first()


def attempts_of(delivery: Delivery) -> QuerySet[DeliveryAttempt]:
    return DeliveryAttempt.objects.filter(delivery=delivery).order_by("number")


def subscriptions() -> QuerySet[Subscription]:
    return Subscription.objects.select_related("department").order_by("department__code", "name")


def counts_by_status() -> dict[str, int]:
    rows = Delivery.objects.values("status").annotate(n=Count("pk"))
    return {r["status"]: r["n"] for r in rows}
