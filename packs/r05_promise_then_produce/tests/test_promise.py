"""Reform 5 promise, against the real engine and database: a firm with a good credit record
commits and gets the scope change and the class-I filing at once without the missing
documents; supplying them before the deadline closes the commitment; missing the deadline
(frozen clock + the engine's due-timer scan) revokes the filing automatically, notifies the
firm through the outbox and is recorded in the ledger; a firm without good credit takes the
normal path (documents first, both reviews in parallel)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from onewindow.accounts import services as account_services
from onewindow.accounts.models import ServiceCentre
from onewindow.ledger.models import LedgerEntry
from onewindow.notifications.models import OutboxEvent
from onewindow.registries.models import CreditRating, ExchangeRecord
from onewindow.supervision import selectors, services
from onewindow.workflow import services as workflow_services
from onewindow.workflow.models import DueTimer, ProcessInstance, TaskItem

pytestmark = pytest.mark.django_db
CHINA = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 9, 28, 10, 0, tzinfo=CHINA)  # Monday before the National Day break
GOOD, POOR = "91420500MA4F0K0X1D", "91420500MA4F0K1Y2E"
SUBMITTED = ["scope-change-application", "device-filing-form"]
MISSING = [
    "product-technical-requirements",
    "product-inspection-report",
    "production-site-proof",
    "quality-system-documents",
]


def at(moment: dt.datetime):  # type: ignore[no-untyped-def]
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def yichang(world):
    for uscc, grade in ((GOOD, "A"), (POOR, "C")):
        CreditRating.objects.create(
            identifier_kind="uscc",
            identifier=uscc,
            grade=grade,
            rated_on=dt.date(2026, 4, 1),
            authority="宜昌市市场监督管理局",
        )
    approver = account_services.create_staff(
        actor="test",
        reason="test",
        username="approver-yichang",
        password="pw-approver-yichang",
        full_name="宜昌审批人员",
        centre=ServiceCentre.objects.get(code="yc-city"),
        roles=["approver"],
    )
    return world, approver


def apply(world, uscc: str, reference: str) -> ProcessInstance:  # type: ignore[no-untyped-def]
    return services.start_promise_application(
        reference=reference,
        firm_uscc=uscc,
        firm_name="宜昌安康医疗用品有限公司",
        submitted_documents=SUBMITTED,
        applicant=world.applicant_user,
        home_jurisdiction="420500",
        actor=world.applicant_user,
        reason="申请转产医疗器械 Apply to switch to medical devices",
    )


def open_item(instance: ProcessInstance, step: str) -> TaskItem:
    return TaskItem.objects.get(instance=instance, spec_id=step, status="open")


def commit(world, reference: str = "YC-R05-0001") -> ProcessInstance:  # type: ignore[no-untyped-def]
    with at(T0):
        instance = apply(world, GOOD, reference)
        return workflow_services.complete_task(
            item_id=open_item(instance, "commit").pk,
            actor=world.applicant_user,
            reason="签署告知承诺书 Sign the commitment",
            data={"commit": True, "signatory": "张敏"},
        )


def events(subject_prefix: str) -> list[str]:
    return list(
        LedgerEntry.objects.filter(subject__startswith=subject_prefix)
        .order_by("sequence")
        .values_list("event", flat=True)
    )


def test_good_credit_gets_both_results_at_once_without_the_missing_documents(yichang):
    world, _approver = yichang
    instance = commit(world)
    values = instance.variables
    assert (values["scope_change"], values["filing_status"]) == ("approved", "filed")
    assert values["missing_documents"] == MISSING
    row = selectors.commitment_of("promise:YC-R05-0001")
    assert row is not None
    assert (row.status, row.missing_documents, row.committed_on, row.deadline) == (
        "open",
        MISSING,
        dt.date(2026, 9, 28),
        dt.date(2026, 10, 30),  # 20 working days, the National Day break not counted
    )
    (timer,) = DueTimer.objects.filter(instance=instance, fired_at__isnull=True)
    assert (timer.spec_id, timer.due_at) == (
        "deadline_missed",
        dt.datetime(2026, 10, 31, 0, 0, tzinfo=CHINA),  # the end of the deadline day
    )
    assert events(f"commitment:{row.pk}") == ["commitment_made"]
    assert ExchangeRecord.objects.filter(source="credit", reference="YC-R05-0001").count() == 1
    assert [i.spec_id for i in TaskItem.objects.filter(instance=instance, status="open")] == [
        "supply_documents"
    ]


def test_supplying_before_the_deadline_closes_the_commitment(yichang):
    world, _approver = yichang
    instance = commit(world)
    with at(dt.datetime(2026, 10, 30, 16, 0, tzinfo=CHINA)):  # the last day
        instance = workflow_services.complete_task(
            item_id=open_item(instance, "supply_documents").pk,
            actor=world.applicant_user,
            reason="补交承诺材料 Supply the promised documents",
            data={"documents": MISSING},
        )
    row = selectors.commitment_of("promise:YC-R05-0001")
    assert (instance.status, row.status, instance.variables["filing_status"]) == (
        "completed",
        "fulfilled",
        "filed",
    )
    assert events(f"commitment:{row.pk}") == ["commitment_made", "commitment_fulfilled"]
    with at(dt.datetime(2026, 11, 2, 9, 0, tzinfo=CHINA)):
        report = workflow_services.fire_due_timers()
    assert report.fired == 0  # the deadline timer went with the task
    assert selectors.commitment_of("promise:YC-R05-0001").status == "fulfilled"
    assert not OutboxEvent.objects.filter(event_type="filing.revoked").exists()


def test_missed_deadline_revokes_the_filing_automatically_once(yichang):
    world, _approver = yichang
    instance = commit(world)
    with at(dt.datetime(2026, 10, 30, 23, 59, tzinfo=CHINA)):
        assert workflow_services.fire_due_timers().fired == 0
    row = selectors.commitment_of("promise:YC-R05-0001")
    assert row.status == "open"
    with at(dt.datetime(2026, 10, 31, 0, 0, 30, tzinfo=CHINA)):
        report = workflow_services.fire_due_timers()
        again = workflow_services.fire_due_timers()
    assert (report.fired, again.fired) == (1, 0)
    assert report.lateness_seconds == [30.0]
    row.refresh_from_db()
    instance.refresh_from_db()
    assert (row.status, row.closed_by) == ("revoked", "system:timer")
    assert (instance.status, instance.variables["filing_status"]) == ("completed", "revoked")
    assert events(f"commitment:{row.pk}") == ["commitment_made", "filing_revoked"]
    revoked = LedgerEntry.objects.get(subject=f"commitment:{row.pk}", event="filing_revoked")
    assert revoked.actor == "system:timer"
    assert revoked.reason.startswith("逾期未补交承诺材料，撤销第一类医疗器械备案")
    (notice,) = OutboxEvent.objects.filter(event_type="filing.revoked")
    assert (notice.subject, notice.payload["firm_uscc"], notice.payload["deadline"]) == (
        f"commitment:{row.pk}",
        GOOD,
        "2026-10-30",
    )
    assert not TaskItem.objects.filter(instance=instance, status="open").exists()


def test_bad_credit_takes_the_normal_path(yichang):
    world, approver = yichang
    with at(T0):
        instance = apply(world, POOR, "YC-R05-0002")
    assert (instance.variables["eligible"], instance.variables["credit_grade"]) == (False, "C")
    assert [i.spec_id for i in TaskItem.objects.filter(instance=instance, status="open")] == [
        "supply_all"
    ]
    assert selectors.commitment_of("promise:YC-R05-0002") is None
    instance = workflow_services.complete_task(
        item_id=open_item(instance, "supply_all").pk,
        actor=world.applicant_user,
        reason="补齐材料 Supply the documents",
        data={"documents": MISSING},
    )
    assert sorted(
        TaskItem.objects.filter(instance=instance, status="open").values_list("spec_id", flat=True)
    ) == ["review_filing", "review_scope"]
    for step, data in (
        ("review_scope", {"scope_decision": "approve"}),
        ("review_filing", {"filing_decision": "approve"}),
    ):
        instance = workflow_services.complete_task(
            item_id=open_item(instance, step).pk,
            actor=approver,
            reason="审查通过 Approved",
            data=data,
        )
    assert (instance.status, instance.variables["scope_change"]) == ("completed", "approved")
    assert instance.variables["filing_status"] == "filed"
    assert selectors.commitment_of("promise:YC-R05-0002") is None
    assert not LedgerEntry.objects.filter(event="commitment_made").exists()
