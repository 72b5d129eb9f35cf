"""The delivery worker: claim the next due delivery (its subject's earlier deliveries to the
same department all delivered), POST the signed event, record the attempt and the outcome.

At least once: a delivery is leased before it is sent; a worker that dies mid-send leaves
the lease to expire and the delivery is sent again — with the same `webhook-id`, which the
subscriber uses to apply it once. Every attempt is a row with the response or the error.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from django.db import connection, transaction
from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from onewindow.ledger.services import append_entry
from onewindow.notifications import conf, policies, signing
from onewindow.notifications.constants import AttemptOutcome, DeliveryStatus
from onewindow.notifications.models import Delivery, DeliveryAttempt, OutboxEvent

USER_AGENT = "OneWindow-Outbox/1"
ACTOR = "system:outbox"
RESPONSE_KEPT = 2000


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def event_body(event: OutboxEvent) -> bytes:
    """The JSON body, byte-identical on every attempt (Standard Webhooks shape)."""
    document = {
        "type": event.event_type,
        "timestamp": event.created_at.isoformat(),
        "data": {"event_id": event.event_id, "subject": event.subject, "payload": event.payload},
    }
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Claim:
    delivery_id: int
    number: int
    url: str
    secret: str
    timeout: float
    event_id: str
    body: bytes


@dataclass(frozen=True)
class Answer:
    outcome: str
    status_code: int | None = None
    body: str = ""
    error: str = ""
    duration_ms: int = 0


@dataclass
class RunReport:
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    attempts: list[str] = field(default_factory=list)


def _earlier_undelivered() -> Exists:
    return Exists(
        Delivery.objects.filter(
            subscription=OuterRef("subscription"),
            subject=OuterRef("subject"),
            event_id__lt=OuterRef("event_id"),
        ).exclude(status=DeliveryStatus.DELIVERED)
    )


def heads() -> QuerySet[Delivery]:
    """Pending deliveries with nothing of their subject still ahead of them."""
    return (
        Delivery.objects.filter(status=DeliveryStatus.PENDING, subscription__is_active=True)
        .exclude(_earlier_undelivered())
        .order_by("event_id", "pk")
    )


def due(now: datetime) -> QuerySet[Delivery]:
    """Deliveries that may be sent now, oldest event first."""
    return (
        heads()
        .filter(next_attempt_at__lte=now)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
    )


def claim_next(*, worker: str = "") -> Claim | None:
    now = timezone.now()
    with transaction.atomic():
        rows = due(now).select_related("event", "subscription")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        delivery = rows.first()
        if delivery is None:
            return None
        DeliveryAttempt.objects.filter(delivery=delivery, outcome=AttemptOutcome.STARTED).update(
            outcome=AttemptOutcome.INTERRUPTED,
            finished_at=now,
            error="lease expired: the worker stopped before recording an answer",
        )
        subscription = delivery.subscription
        lease = subscription.timeout_seconds + conf.get("LEASE_MARGIN_SECONDS")
        delivery.attempts += 1
        delivery.locked_until = now + timedelta(seconds=lease)
        delivery.first_attempt_at = delivery.first_attempt_at or now
        delivery.save(update_fields=["attempts", "locked_until", "first_attempt_at"])
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            started_at=now,
            outcome=AttemptOutcome.STARTED,
            worker=(worker or worker_name())[:80],
        )
    return Claim(
        delivery_id=delivery.pk,
        number=delivery.attempts,
        url=subscription.url,
        secret=subscription.secret,
        timeout=float(subscription.timeout_seconds),
        event_id=delivery.event.event_id,
        body=event_body(delivery.event),
    )


def send(claim: Claim, client: httpx.Client) -> Answer:
    headers = signing.headers(claim.secret, claim.event_id, int(time.time()), claim.body)
    headers |= {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "idempotency-key": claim.event_id,
    }
    started = time.perf_counter()
    try:
        response = client.post(
            claim.url, content=claim.body, headers=headers, timeout=claim.timeout
        )
    except httpx.TimeoutException:
        return Answer(AttemptOutcome.TIMEOUT, error=f"no answer within {claim.timeout:g} s")
    except httpx.HTTPError as exc:
        return Answer(AttemptOutcome.NETWORK_ERROR, error=f"{type(exc).__name__}: {exc}"[:300])
    elapsed = int((time.perf_counter() - started) * 1000)
    ok = policies.succeeded(response.status_code)
    return Answer(
        AttemptOutcome.SUCCEEDED if ok else AttemptOutcome.HTTP_ERROR,
        response.status_code,
        response.text[:RESPONSE_KEPT],
        "" if ok else f"HTTP {response.status_code}",
        elapsed,
    )


def _ledger(delivery: Delivery, event: str, reason: str) -> None:
    append_entry(
        actor=ACTOR,
        event=event,
        subject=f"outbox_event:{delivery.event.event_id}",
        reason=reason,
        payload={
            "delivery": delivery.pk,
            "department": delivery.subscription.department_id,
            "attempts": delivery.attempts,
            "status": delivery.status,
        },
    )


def record(claim: Claim, answer: Answer) -> str:
    """Store the attempt and move the delivery on; returns the delivery's status."""
    now = timezone.now()
    with transaction.atomic():
        DeliveryAttempt.objects.filter(delivery_id=claim.delivery_id, number=claim.number).update(
            finished_at=now,
            outcome=answer.outcome,
            status_code=answer.status_code,
            response_body=answer.body,
            error=answer.error,
            duration_ms=answer.duration_ms,
        )
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("event", "subscription")
            .get(pk=claim.delivery_id)
        )
        if delivery.status != DeliveryStatus.PENDING or delivery.attempts != claim.number:
            return delivery.status  # delivered already, or re-claimed after our lease ended
        delivery.locked_until = None
        if answer.outcome == AttemptOutcome.SUCCEEDED:
            delivery.status, delivery.delivered_at, delivery.last_error = (
                DeliveryStatus.DELIVERED,
                now,
                "",
            )
            _ledger(delivery, "outbox_delivered", f"accepted with HTTP {answer.status_code}")
        else:
            delivery.last_error = answer.error[:300]
            retry_at = policies.next_attempt_at(
                now=now,
                first_attempt_at=delivery.first_attempt_at or now,
                attempts=delivery.attempts,
                first=conf.get("FIRST_RETRY_SECONDS"),
                cap=conf.get("MAX_RETRY_SECONDS"),
                window=timedelta(hours=conf.get("RETRY_WINDOW_HOURS")),
                jitter=policies.jitter_for(delivery.pk, delivery.attempts),
            )
            if retry_at is None:
                delivery.status = DeliveryStatus.FAILED
                _ledger(delivery, "outbox_delivery_failed", f"retries exhausted: {answer.error}")
            else:
                delivery.next_attempt_at = retry_at
        delivery.save()
    return delivery.status


def deliver_due(*, limit: int | None = None, worker: str = "") -> RunReport:
    """Send due deliveries one by one until none is due (or `limit` attempts were made)."""
    report = RunReport()
    with httpx.Client(follow_redirects=False) as client:
        while limit is None or len(report.attempts) < limit:
            claim = claim_next(worker=worker)
            if claim is None:
                break
            answer = send(claim, client)
            status = record(claim, answer)
            report.attempts.append(answer.outcome)
            if status == DeliveryStatus.DELIVERED:
                report.delivered += 1
            elif status == DeliveryStatus.FAILED:
                report.failed += 1
            else:
                report.retried += 1
    return report


def next_due_at() -> datetime | None:
    """When the next delivery becomes due (its next attempt, or the end of its lease)."""
    leased = heads().filter(locked_until__isnull=False).aggregate(Min("locked_until"))
    free = heads().filter(locked_until__isnull=True).aggregate(Min("next_attempt_at"))
    candidates = [t for t in (leased["locked_until__min"], free["next_attempt_at__min"]) if t]
    return min(candidates) if candidates else None
