"""The outbox end to end in one process: events written with the change, signed deliveries
to a real local HTTP server, retries on a fake clock, an outage of hours, resend."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.db import transaction

from onewindow.core.errors import Conflict, DomainError
from onewindow.ledger.models import LedgerEntry
from onewindow.notifications import delivery, selectors, services
from onewindow.notifications.constants import AttemptOutcome, DeliveryStatus
from onewindow.notifications.models import Delivery, DeliveryAttempt, OutboxEvent
from onewindow.notifications.tests.conftest import subscribe

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def enqueue(subject: str = "case:WH20261203000001", event_type: str = "case.approved", **payload):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        return services.enqueue_event(
            event_type=event_type,
            subject=subject,
            payload=payload or {"uscc": "91420100MA4K0001X1"},
            actor="user:7",
            reason="核准登记 registration approved",
        )


def test_event_and_deliveries_are_written_for_matching_active_subscriptions(departments, receiver):
    tax = subscribe(receiver, "tax", ("case.*",))
    bank = subscribe(receiver, "bank", ("case.approved",))
    subscribe(receiver, "police", ("certificate.issued",))
    hrss = subscribe(receiver, "hrss", ("*",))
    services.set_subscription_active(
        subscription_id=hrss.pk, active=False, actor="user:admin", reason="部门系统停用"
    )
    event = enqueue()
    rows = Delivery.objects.filter(event=event).order_by("subscription_id")
    assert [d.subscription_id for d in rows] == [tax.pk, bank.pk]
    assert {d.status for d in rows} == {DeliveryStatus.PENDING}
    assert event.event_id.startswith("evt_") and len(event.event_id) == 36
    entry = LedgerEntry.objects.get(subject=f"outbox_event:{event.event_id}")
    assert (entry.event, entry.actor) == ("outbox_event_queued", "user:7")


@pytest.mark.django_db(transaction=True)
def test_enqueue_outside_a_transaction_is_refused(without_ledger_triggers):
    with pytest.raises(DomainError) as error:
        services.enqueue_event(
            event_type="case.approved", subject="case:X", payload={}, actor="user:7", reason="r"
        )
    assert error.value.code == "outbox.no_transaction"
    assert OutboxEvent.objects.count() == 0


def test_a_rolled_back_change_leaves_no_event(departments, receiver):
    subscribe(receiver)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.enqueue_event(
            event_type="case.approved", subject="case:X", payload={}, actor="user:7", reason="r"
        )
        raise RuntimeError("the case change failed after the event was written")
    assert OutboxEvent.objects.count() == 0
    assert Delivery.objects.count() == 0


def test_delivery_is_signed_recorded_and_ledgered(departments, receiver):
    subscription = subscribe(receiver)
    event = enqueue(uscc="91420100MA4K0001X1")
    report = delivery.deliver_due()
    assert (report.delivered, report.retried, report.failed) == (1, 0, 0)
    assert receiver.bad_signatures == 0
    document = receiver.applied[event.event_id]
    assert document["type"] == "case.approved"
    assert document["data"]["payload"] == {"uscc": "91420100MA4K0001X1"}
    row = Delivery.objects.get(event=event, subscription=subscription)
    assert (row.status, row.attempts, row.locked_until) == (DeliveryStatus.DELIVERED, 1, None)
    attempt = DeliveryAttempt.objects.get(delivery=row)
    assert (attempt.outcome, attempt.status_code) == (AttemptOutcome.SUCCEEDED, 200)
    assert json.loads(attempt.response_body) == {"status": 200}
    assert (
        LedgerEntry.objects.filter(
            subject=f"outbox_event:{event.event_id}", event="outbox_delivered"
        ).count()
        == 1
    )
    assert delivery.deliver_due().attempts == []  # nothing left


def test_subscriber_failing_with_500_then_recovering(departments, receiver):
    """Five answers of 500, then 200: retried on the backoff schedule, delivered once."""
    receiver.status_for = lambda n: 500 if n <= 5 else 200
    subscribe(receiver)
    with time_machine.travel(START, tick=False) as clock:
        event = enqueue()
        row = Delivery.objects.get(event=event)
        expected = [5, 10, 20, 40, 80]
        for delay in expected:
            assert delivery.deliver_due().retried == 1
            row.refresh_from_db()
            waited = (row.next_attempt_at - dt.datetime.now(dt.UTC)).total_seconds()
            assert delay <= waited < delay * 1.1
            assert delivery.deliver_due().attempts == []  # not due yet
            clock.move_to(row.next_attempt_at)
        assert delivery.deliver_due().delivered == 1
    attempts = list(
        DeliveryAttempt.objects.filter(delivery=row).values_list("status_code", flat=True)
    )
    assert attempts == [500, 500, 500, 500, 500, 200]
    assert list(receiver.applied) == [event.event_id]
    assert receiver.duplicates == 0


def run_until(clock, when: dt.datetime | None = None) -> None:  # type: ignore[no-untyped-def]
    """The worker runs at every moment a delivery becomes due, until `when` (or until
    nothing is pending)."""
    while when is None or dt.datetime.now(dt.UTC) < when:
        delivery.deliver_due()
        upcoming = delivery.next_due_at()
        if upcoming is None and when is None:
            return
        target = min(upcoming or when, when or upcoming)  # type: ignore[type-var]
        clock.move_to(max(target, dt.datetime.now(dt.UTC)))


drain_with_clock = run_until


def test_department_offline_for_25_hours_receives_everything_in_order(departments, receiver):
    """The endpoint answers nothing (connection refused) for 25 h 30 min while 12 events of
    three subjects pile up; once it is back every event arrives once, each subject in order."""
    offline_url = "http://127.0.0.1:9/unreachable"  # the discard port: connection refused
    subscription = subscribe(receiver)
    type(subscription).objects.filter(pk=subscription.pk).update(url=offline_url)
    with time_machine.travel(START, tick=False) as clock:
        events = []
        for hour in range(12):
            events.append(enqueue(subject=f"case:WH2026120300000{hour % 3}", step=hour))
            run_until(clock, dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))
        run_until(clock, START + dt.timedelta(hours=25, minutes=30))
        assert not receiver.applied
        assert Delivery.objects.filter(status=DeliveryStatus.FAILED).count() == 0
        type(subscription).objects.filter(pk=subscription.pk).update(url=receiver.url)
        run_until(clock)
    assert set(receiver.applied) == {e.event_id for e in events}
    for subject in {e.subject for e in events}:
        sent = [e.event_id for e in events if e.subject == subject]
        assert [eid for s, eid in receiver.order if s == subject] == sent
    first = Delivery.objects.get(event=events[0])
    assert first.status == DeliveryStatus.DELIVERED
    assert first.delivered_at - events[0].created_at > dt.timedelta(hours=25, minutes=30)
    assert first.attempts == DeliveryAttempt.objects.filter(delivery=first).count() >= 20


def test_after_the_retry_window_the_delivery_fails_and_an_administrator_resends(
    departments, receiver
):
    receiver.status_for = lambda n: 503
    subscription = subscribe(receiver)
    with time_machine.travel(START, tick=False) as clock:
        first = enqueue(subject="case:A", step=1)
        second = enqueue(subject="case:A", step=2)
        other = enqueue(subject="case:B", step=1)
        drain_with_clock(clock)
        failed = list(selectors.failed_deliveries())
        assert [d.event_id for d in failed] == [first.pk, other.pk]
        assert Delivery.objects.get(event=second).attempts == 0  # held behind the failed one
        assert LedgerEntry.objects.filter(event="outbox_delivery_failed").count() == 2
        receiver.status_for = lambda n: 200
        for row in failed:
            services.resend_delivery(
                delivery_id=row.pk, actor="user:admin", reason="部门系统已恢复"
            )
        drain_with_clock(clock)
    assert [eid for s, eid in receiver.order if s == "case:A"] == [first.event_id, second.event_id]
    assert Delivery.objects.filter(subscription=subscription, status="delivered").count() == 3
    assert LedgerEntry.objects.filter(event="outbox_delivery_resent").count() == 2
    with pytest.raises(Conflict) as refused:
        services.resend_delivery(delivery_id=failed[0].pk, actor="user:admin", reason="again")
    assert refused.value.code == "outbox.not_failed"
