"""The case lifecycle runs as a BPMN process: submission starts it (pinning the definition
hash), decisions complete its user tasks, DMN decisions show on the case timeline, and a
process that moves on by itself (a deadline) brings the case along."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from onewindow.cases import services
from onewindow.cases.models import Case
from onewindow.catalog.models import ServiceItem
from onewindow.core.errors import DomainError
from onewindow.ledger.models import LedgerEntry
from onewindow.testing import HONGSHAN_ADDRESS, VALID_FORM, establishment_materials
from onewindow.workflow import selectors as workflow_selectors
from onewindow.workflow import services as workflow_services
from onewindow.workflow.connectors import registry
from onewindow.workflow.models import ProcessInstance, TaskItem
from onewindow.workflow.tests.conftest import PACK, RegisterLookup

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 9, 29, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def submit(world) -> Case:
    return services.submit_case(
        actor=world.clerk_jianghan,
        reason="窗口帮办收件",
        item=ServiceItem.objects.get(code="company-establishment"),
        applicant=world.applicant,
        form_data=dict(VALID_FORM),
        registered_address=HONGSHAN_ADDRESS,
        materials=establishment_materials(),
        delivery_method="post",
        delivery_address="武汉市江汉区新华路1号",
        intake_centre=world.jianghan,
    )


def test_submission_starts_the_reform_1_process_pinned_by_hash(world):
    case = submit(world)
    instance = workflow_selectors.instance_of(f"case:{case.number}")
    assert instance.definition.process_id == "r01_case_lifecycle"
    assert instance.definition.pack_code == "r01_company_setup_anywhere"
    assert len(instance.definition.content_hash) == 64
    assert instance.variables["case_status"] == "submitted"
    (item,) = TaskItem.objects.filter(instance=instance, status="open")
    assert (item.spec_id, item.role, item.jurisdiction_code) == ("review", "approver", "420111")
    services.accept_case(actor=world.approver_hongshan, number=case.number, reason="受理")
    instance.refresh_from_db()
    assert instance.variables["case_status"] == "accepted"
    assert [i.spec_id for i in TaskItem.objects.filter(instance=instance, status="open")] == [
        "decide"
    ]
    events = LedgerEntry.objects.filter(subject=f"process:{instance.pk}").values_list(
        "event", flat=True
    )
    assert list(events) == ["process_started", "task_completed"]


def test_a_step_the_process_does_not_offer_is_a_bad_state(world):
    case = submit(world)
    with pytest.raises(DomainError) as err:
        services.approve_case(actor=world.approver_hongshan, number=case.number, reason="核准")
    assert err.value.code == "case.bad_state"
    case.refresh_from_db()
    assert (case.status, case.version) == ("submitted", 1)


def test_case_steps_are_refused_in_the_generic_inbox(world):
    case = submit(world)
    item = TaskItem.objects.get(instance__subject=f"case:{case.number}", status="open")
    client = Client()
    client.force_login(world.approver_hongshan)
    response = client.post(
        f"/api/v1/workflow/items/{item.pk}/complete",
        json.dumps({"reason": "受理", "data": {"action": "accept"}}),
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (403, "case.use_case_service")
    case.refresh_from_db()
    assert case.status == "submitted"


@pytest.fixture
def decided_item(world):
    """Company establishment switched to the engine test pack's `t_case` process."""
    with registry.using([RegisterLookup()]):
        workflow_services.load_pack_processes(pack_dir=PACK, actor="test", reason="test pack")
    ServiceItem.objects.filter(code="company-establishment").update(process_id="t_case")
    return world


def test_dmn_decision_is_on_the_case_timeline(decided_item):
    world = decided_item
    case = submit(world)
    names = list(case.events.values_list("name", flat=True))
    assert names == ["case_submitted", "decision_made"]
    decision = case.events.get(name="decision_made")
    assert decision.data["decision"] == "risk_level"
    assert decision.data["matched_rules"] == ["rule_low"]
    assert decision.data["outputs"] == {"risk": "low"}
    assert decision.data["inputs"] == {"Violations": 0, "Capital": 100}
    entry = LedgerEntry.objects.get(sequence=decision.ledger_sequence)
    assert entry.event == "decision_made"
    detail = Client()
    detail.force_login(world.approver_hongshan)
    timeline = detail.get(f"/api/v1/cases/{case.number}").json()["timeline"]
    assert [t["name"] for t in timeline] == ["case_submitted", "decision_made"]


def test_generic_inbox_step_of_a_case_moves_the_case_along(decided_item):
    world = decided_item
    case = submit(world)
    services.accept_case(actor=world.approver_hongshan, number=case.number, reason="受理")
    inspect = TaskItem.objects.get(instance__subject=f"case:{case.number}", status="open")
    assert inspect.spec_id == "inspect"
    workflow_services.complete_task(
        item_id=inspect.pk, actor=world.approver_hongshan, reason="核查无误", data={}
    )
    case.refresh_from_db()
    assert case.status == "approved"
    last = case.events.last()
    assert (last.name, last.data["cause"], last.data["to"]) == (
        "case_status_changed",
        "task",
        "approved",
    )


def test_a_deadline_moves_the_case_on_its_own(decided_item):
    world = decided_item
    with time_machine.travel(T0, tick=False):
        case = submit(world)
    instance = ProcessInstance.objects.get(subject=f"case:{case.number}")
    due = instance.timers.get().due_at
    with time_machine.travel(due + dt.timedelta(seconds=5), tick=False):
        assert workflow_services.fire_due_timers().fired == 1
    case.refresh_from_db()
    assert (case.status, case.version) == ("closed", 2)
    last = case.events.last()
    assert (last.name, last.actor, last.data["cause"]) == ("case_status_changed", None, "timer")
    assert LedgerEntry.objects.filter(subject=f"case:{case.number}").last().event == (
        "case_status_changed"
    )
    assert TaskItem.objects.get(instance=instance).status == "cancelled"
