"""Outbox endpoints for administrators (mount at ``/notifications``): subscriptions,
failed deliveries and resend, an event with every attempt and its response."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from onewindow.accounts.models import User
from onewindow.accounts.selectors import staff_scope
from onewindow.core.errors import NotFound, PermissionDenied
from onewindow.notifications import selectors, services

router = Router(tags=["notifications"], auth=django_auth)


class ErrorOut(Schema):
    code: str
    message_zh: str
    message_en: str
    details: Any = None


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class SubscriptionIn(Schema):
    department: str
    name: str
    url: str
    event_types: list[str]
    timeout_seconds: int = 10
    reason: str


class SubscriptionOut(Schema):
    id: int
    department: str
    name: str
    url: str
    event_types: list[str]
    is_active: bool
    timeout_seconds: int


class CreatedSubscriptionOut(SubscriptionOut):
    secret: str  # shown once: the department verifies signatures with it


class DeliveryOut(Schema):
    id: int
    event_id: str
    event_type: str
    subject: str
    department: str
    status: str
    attempts: int
    next_attempt_at: datetime
    delivered_at: datetime | None
    last_error: str


class AttemptOut(Schema):
    number: int
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    status_code: int | None
    response_body: str
    error: str
    duration_ms: int | None


class EventDeliveryOut(DeliveryOut):
    attempt_log: list[AttemptOut]


class EventOut(Schema):
    event_id: str
    event_type: str
    subject: str
    payload: dict[str, Any]
    actor: str
    reason: str
    created_at: datetime
    deliveries: list[EventDeliveryOut]


class ReasonIn(Schema):
    reason: str


def _administrator(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not (user.is_superuser or staff_scope(user).is_administrator):
        raise PermissionDenied("outbox.administrator_only", "仅限管理员", "Administrators only")
    return user


def _subscription(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "department": s.department.code,
        "name": s.name,
        "url": s.url,
        "event_types": s.event_types,
        "is_active": s.is_active,
        "timeout_seconds": s.timeout_seconds,
    }


def _delivery(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "event_id": d.event.event_id,
        "event_type": d.event.event_type,
        "subject": d.subject,
        "department": d.subscription.department.code,
        "status": d.status,
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at,
        "delivered_at": d.delivered_at,
        "last_error": d.last_error,
    }


@router.get("/subscriptions", response={200: list[SubscriptionOut], **ERRORS})
def subscriptions(request: HttpRequest) -> list[dict[str, Any]]:
    _administrator(request)
    return [_subscription(s) for s in selectors.subscriptions()]


@router.post("/subscriptions", response={201: CreatedSubscriptionOut, **ERRORS})
def create_subscription(request: HttpRequest, payload: SubscriptionIn) -> Status:
    user = _administrator(request)
    subscription, secret = services.create_subscription(
        department_code=payload.department,
        name=payload.name,
        url=payload.url,
        event_types=payload.event_types,
        timeout_seconds=payload.timeout_seconds,
        actor=f"user:{user.pk}",
        reason=payload.reason,
    )
    return Status(201, _subscription(subscription) | {"secret": secret})


@router.get("/deliveries", response={200: list[DeliveryOut], **ERRORS})
@paginate(LimitOffsetPagination)
def deliveries(request: HttpRequest, status: str = "failed") -> Any:
    """Failed deliveries by default: what an administrator has to look at."""
    _administrator(request)
    return [_delivery(d) for d in selectors.deliveries(status=status)]


@router.post("/deliveries/{delivery_id}/resend", response={200: DeliveryOut, **ERRORS})
def resend(request: HttpRequest, delivery_id: int, payload: ReasonIn) -> dict[str, Any]:
    user = _administrator(request)
    services.resend_delivery(
        delivery_id=delivery_id, actor=f"user:{user.pk}", reason=payload.reason
    )
    row = selectors.deliveries().get(pk=delivery_id)
    return _delivery(row)


@router.get("/events/{event_id}", response={200: EventOut, **ERRORS})
def event(request: HttpRequest, event_id: str) -> dict[str, Any]:
    _administrator(request)
    found = selectors.event_by_id(event_id)
    if found is None:
        raise NotFound("outbox.no_event", "未找到推送事件", "No such event")
    rows = selectors.deliveries().filter(event=found)
    return {
        "event_id": found.event_id,
        "event_type": found.event_type,
        "subject": found.subject,
        "payload": found.payload,
        "actor": found.actor,
        "reason": found.reason,
        "created_at": found.created_at,
        "deliveries": [
            _delivery(d) | {"attempt_log": list(selectors.attempts_of(d).values())} for d in rows
        ],
    }
