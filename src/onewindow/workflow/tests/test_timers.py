"""Timers on the working-day calendar, fired by the due-timer scan: on time, once, also after
a restart; boundary (interrupting and cycle) and intermediate timers; event-based gateway
with a message; message correlation by key. The clock is frozen and moved by hand."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from onewindow.core.errors import DomainError
from onewindow.ledger.models import LedgerEntry
from onewindow.workflow import definitions, selectors, services, timers
from onewindow.workflow.models import DueTimer, MessageSubscription, ProcessInstance, TaskItem

pytestmark = pytest.mark.django_db
CHINA = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 9, 30, 10, 0, tzinfo=CHINA)  # a Wednesday before the National Day break


def at(moment: dt.datetime):  # type: ignore[no-untyped-def]
    return time_machine.travel(moment, tick=False)


def events_of(instance: ProcessInstance) -> list[str]:
    return list(
        LedgerEntry.objects.filter(subject=f"process:{instance.pk}")
        .order_by("sequence")
        .values_list("event", flat=True)
    )


def test_working_days_notation_counts_the_state_council_calendar(world):
    with at(T0):
        # 10-01..07 are holidays: the 1st working day after 09-30 is 10-08, its end 10-09 00:00.
        assert timers.working_days(1) == "2026-10-09T00:00:00+08:00"
        assert timers.working_day(1) == "2026-10-08"
        assert timers.working_day(3) == "2026-10-10"  # Saturday 10-10 is an adjusted working day
        assert timers.working_days(0) == "2026-10-01T00:00:00+08:00"
        assert timers.working_days(2, start="2026-10-09") == "2026-10-13T00:00:00+08:00"
    with pytest.raises(ValueError):
        timers.working_days(-1)


def start_event_gateway(world) -> ProcessInstance:
    return services.start_process(
        process_id="t_event_gateway", actor="test", reason="等待回执", data={"case_no": "WH1"}
    )


def test_date_timer_fires_once_when_due_and_not_before(imported):
    with at(T0):
        instance = start_event_gateway(imported)
    (row,) = DueTimer.objects.filter(instance=instance)
    assert (row.purpose, row.spec_id, row.due_at) == (
        "timer",
        "wait",
        dt.datetime(2026, 10, 10, 0, 0, tzinfo=CHINA),  # end of the 2nd working day (10-09)
    )
    with at(row.due_at - dt.timedelta(seconds=1)):
        report = services.fire_due_timers()
    assert (report.instances, report.fired) == (0, 0)
    with at(row.due_at + dt.timedelta(seconds=7)):
        report = services.fire_due_timers()
        again = services.fire_due_timers()
    assert (report.fired, report.lateness_seconds) == (1, [7.0])
    assert (again.instances, again.fired) == (0, 0)
    instance.refresh_from_db()
    assert (instance.status, instance.variables["outcome"]) == ("completed", "timed out")
    assert events_of(instance) == ["process_started", "timer_fired"]
    assert MessageSubscription.objects.filter(instance=instance).count() == 0
    assert selectors.timer_lateness_seconds() == [7.0]


def test_a_restarted_worker_fires_what_is_due_and_nothing_twice(imported):
    with at(T0):
        instance = start_event_gateway(imported)
    due = DueTimer.objects.get(instance=instance).due_at
    definitions._cache.clear()  # a new worker process: nothing in memory
    with at(due + dt.timedelta(minutes=3)):
        first = services.fire_due(instance_id=instance.pk)
        definitions._cache.clear()
        second = services.fire_due(instance_id=instance.pk)
    assert ([r.spec_id for r in first], second) == (["wait"], [])
    assert events_of(instance).count("timer_fired") == 1


def test_message_is_correlated_by_key_and_cancels_the_timer(imported):
    with at(T0):
        instance = start_event_gateway(imported)
        other = services.start_process(
            process_id="t_event_gateway", actor="test", reason="另一件", data={"case_no": "WH2"}
        )
    assert MessageSubscription.objects.get(instance=instance).correlation_key == "WH1"
    with pytest.raises(DomainError) as err:
        services.correlate_message(name="receipt", key="WH9", payload={}, actor="test", reason="x")
    assert err.value.code == "workflow.message_not_correlated"
    with at(T0 + dt.timedelta(hours=3)):
        delivered = services.correlate_message(
            name="receipt", key="WH1", payload={"number": "R-1"}, actor="dept:tax", reason="回执"
        )
    assert [i.pk for i in delivered] == [instance.pk]
    instance.refresh_from_db()
    assert (instance.status, instance.variables["outcome"]) == ("completed", "received:R-1")
    assert DueTimer.objects.filter(instance=instance).count() == 0  # the timer is withdrawn
    assert DueTimer.objects.filter(instance=other).count() == 1
    assert events_of(instance) == ["process_started", "message_correlated"]
    with pytest.raises(DomainError) as err:
        services.correlate_message(name="receipt", key="WH1", payload={}, actor="test", reason="x")
    assert err.value.code == "workflow.message_not_correlated"


def test_cycle_reminders_then_interrupting_boundary_timer(imported):
    with at(T0):
        instance = services.start_process(
            process_id="t_timers", actor="test", reason="x", data={"home_jurisdiction": "420111"}
        )
    work = TaskItem.objects.get(instance=instance)
    dues = sorted(DueTimer.objects.filter(instance=instance).values_list("spec_id", "due_at"))
    assert dues == [
        ("reminder", T0 + dt.timedelta(minutes=10)),
        ("too_late", T0 + dt.timedelta(hours=1)),
    ]
    with at(T0 + dt.timedelta(minutes=10, seconds=2)):
        assert services.fire_due_timers().fired == 1
    with at(T0 + dt.timedelta(minutes=20, seconds=2)):
        assert services.fire_due_timers().fired == 1
    with at(T0 + dt.timedelta(minutes=30, seconds=2)):
        assert services.fire_due_timers().fired == 0  # R2: two reminders only
    work.refresh_from_db()
    assert work.status == "open"
    with at(T0 + dt.timedelta(hours=1, seconds=1)):
        assert services.fire_due_timers().fired == 1
    work.refresh_from_db()
    instance.refresh_from_db()
    assert (work.status, instance.status, instance.variables.get("escalated")) == (
        "cancelled",
        "completed",
        True,
    )
    fired = DueTimer.objects.filter(instance=instance, fired_at__isnull=False)
    assert sorted(fired.values_list("spec_id", flat=True)) == ["reminder", "reminder", "too_late"]


def test_completing_in_time_withdraws_boundary_timers_and_waits_a_working_day(imported):
    with at(T0):
        instance = services.start_process(
            process_id="t_timers", actor="test", reason="x", data={"home_jurisdiction": "420111"}
        )
    work = TaskItem.objects.get(instance=instance)
    with at(T0 + dt.timedelta(minutes=5)):
        services.complete_task(
            item_id=work.pk, actor=imported.approver_hongshan, reason="办结", data={}
        )
    (row,) = DueTimer.objects.filter(instance=instance)
    assert (row.spec_id, row.due_at) == ("cool_off", dt.datetime(2026, 10, 9, 0, 0, tzinfo=CHINA))
    with at(row.due_at + dt.timedelta(seconds=1)):
        assert services.fire_due_timers().fired == 1
    instance.refresh_from_db()
    assert (instance.status, instance.variables["waited"]) == ("completed", True)
