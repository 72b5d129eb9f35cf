"""Workflow services on the database: definitions by content hash, instances pinning their
definition and state format, the inbox (routing, claim, form validation, return for
correction), state migrations — and bad input leaving nothing behind."""

from __future__ import annotations

import json
import shutil

import pytest

from onewindow.core.errors import DomainError
from onewindow.ledger.models import LedgerEntry
from onewindow.workflow import definitions, selectors, services
from onewindow.workflow.constants import STATE_FORMAT
from onewindow.workflow.engine import serializer
from onewindow.workflow.models import ProcessDefinition, ProcessInstance, TaskItem
from onewindow.workflow.tests.conftest import PACK

pytestmark = pytest.mark.django_db


def start_approval(world, amount: int = 5) -> ProcessInstance:
    return services.start_process(
        process_id="t_approval",
        actor=world.clerk_jianghan,
        reason="测试",
        subject="test:1",
        business_key="B-1",
        data={
            "home_jurisdiction": "420111",
            "intake_centre": "wh-jianghan",
            "applicant_user": world.applicant_user.pk,
            "amount": amount,
        },
    )


def test_import_is_by_content_hash_and_idempotent(imported):
    definition = definitions.current("t_approval")
    before = (ProcessDefinition.objects.count(), LedgerEntry.objects.count())
    again = services.load_pack_processes(pack_dir=PACK, actor="test", reason="again")
    assert definition.content_hash in {d.content_hash for d in again}
    assert (ProcessDefinition.objects.count(), LedgerEntry.objects.count()) == before
    assert sorted(definition.files) == ["processes/approval.bpmn"]
    assert sorted(definition.forms) == ["approve", "fix"]
    decision = definitions.current("t_decision")
    assert sorted(decision.files) == ["decisions/risk.dmn", "processes/decision.bpmn"]


def test_instance_pins_hash_and_keeps_its_definition_after_a_change(imported, tmp_path):
    instance = start_approval(imported)
    pinned = instance.definition.content_hash
    assert (instance.state_format, instance.status, instance.version) == (STATE_FORMAT, "active", 1)
    changed = tmp_path / "t00_engine"
    shutil.copytree(PACK, changed)
    bpmn = changed / "processes" / "approval.bpmn"
    bpmn.write_text(bpmn.read_text().replace("total = amount * 2", "total = amount * 3"))
    services.load_pack_processes(pack_dir=changed, actor="test", reason="new version")
    assert definitions.current("t_approval").content_hash != pinned
    item = TaskItem.objects.get(instance=instance)
    instance = services.complete_task(
        item_id=item.pk,
        actor=imported.approver_hongshan,
        reason="同意",
        data={"action": "approve", "amount": 4},
    )
    assert instance.definition.content_hash == pinned
    assert instance.variables["total"] == 8  # the old rule, as pinned
    newer = start_approval(imported)
    item = TaskItem.objects.get(instance=newer)
    newer = services.complete_task(
        item_id=item.pk,
        actor=imported.approver_hongshan,
        reason="同意",
        data={"action": "approve", "amount": 4},
    )
    assert newer.variables["total"] == 12


def test_user_task_becomes_an_inbox_item_routed_by_lane_and_jurisdiction(imported):
    instance = start_approval(imported)
    item = TaskItem.objects.get(instance=instance)
    assert (item.spec_id, item.role, item.jurisdiction_code, item.centre) == (
        "approve",
        "approver",
        "420111",
        None,
    )
    assert item.actions == ["approve", "return"]
    assert item.form_schema["required"] == ["action"]
    assert item.due_date is not None
    assert [i.pk for i in selectors.inbox(imported.approver_hongshan)] == [item.pk]
    for other in (imported.approver_jianghan, imported.clerk_hongshan, imported.applicant_user):
        assert list(selectors.inbox(other)) == []
    entry = LedgerEntry.objects.filter(subject=f"process:{instance.pk}").get()
    assert (entry.event, entry.actor) == ("process_started", f"user:{imported.clerk_jianghan.pk}")


def test_only_routed_people_may_complete(imported):
    instance = start_approval(imported)
    item = TaskItem.objects.get(instance=instance)
    entries = LedgerEntry.objects.count()
    for stranger in (imported.approver_jianghan, imported.applicant_user):
        with pytest.raises(DomainError) as err:
            services.complete_task(
                item_id=item.pk, actor=stranger, reason="越权", data={"action": "approve"}
            )
        assert err.value.code == "workflow.not_your_task"
    item.refresh_from_db()
    instance.refresh_from_db()
    assert (item.status, instance.version, LedgerEntry.objects.count()) == ("open", 1, entries)


def test_form_data_is_validated_against_the_task_schema(imported):
    instance = start_approval(imported)
    item = TaskItem.objects.get(instance=instance)
    state, entries = instance.state, LedgerEntry.objects.count()
    with pytest.raises(DomainError) as err:
        services.complete_task(
            item_id=item.pk,
            actor=imported.approver_hongshan,
            reason="同意",
            data={"action": "approve", "amount": -1, "extra": 1},
        )
    assert err.value.code == "workflow.form_invalid"
    fields = {e["field"] for e in err.value.details["errors"]}
    assert fields == {"amount", "(form)"}
    instance.refresh_from_db()
    item.refresh_from_db()
    assert (instance.state, item.status, LedgerEntry.objects.count()) == (state, "open", entries)


def test_return_for_correction_goes_to_the_applicant_then_back(imported):
    instance = start_approval(imported)
    item = TaskItem.objects.get(instance=instance)
    with pytest.raises(DomainError) as err:
        services.return_task(
            item_id=item.pk, actor=imported.approver_hongshan, reason="补正", points=[" "]
        )
    assert err.value.code == "workflow.correction_points_required"
    services.return_task(
        item_id=item.pk, actor=imported.approver_hongshan, reason="补正", points=["金额有误"]
    )
    item.refresh_from_db()
    assert (item.status, item.data) == (
        "completed",
        {"action": "return", "correction_points": ["金额有误"]},
    )
    fix = TaskItem.objects.get(instance=instance, status="open")
    assert (fix.spec_id, fix.role, fix.applicant_user, fix.centre.code) == (
        "fix",
        "applicant",
        imported.applicant_user,
        "wh-jianghan",
    )
    assert [i.pk for i in selectors.inbox(imported.applicant_user)] == [fix.pk]
    assert [i.pk for i in selectors.inbox(imported.clerk_jianghan)] == [fix.pk]
    with pytest.raises(DomainError) as err:
        services.return_task(
            item_id=fix.pk, actor=imported.applicant_user, reason="x", points=["y"]
        )
    assert err.value.code == "workflow.return_not_offered"
    services.complete_task(
        item_id=fix.pk, actor=imported.applicant_user, reason="已补正", data={"note": "改"}
    )
    again = TaskItem.objects.get(instance=instance, status="open")
    assert again.spec_id == "approve" and again.pk != item.pk


def test_claim_keeps_others_off_and_release_lets_them_back(imported, django_user_model):
    from onewindow.accounts import services as account_services

    colleague = account_services.create_staff(
        actor="test",
        reason="test",
        username="approver-hongshan-2",
        password="x",
        full_name="第二审批员",
        centre=imported.hongshan,
        roles=["approver"],
    )
    instance = start_approval(imported)
    item = TaskItem.objects.get(instance=instance)
    services.claim_task(item_id=item.pk, actor=imported.approver_hongshan, reason="我来办")
    with pytest.raises(DomainError) as err:
        services.complete_task(
            item_id=item.pk, actor=colleague, reason="抢办", data={"action": "approve"}
        )
    assert err.value.code == "workflow.task_claimed"
    services.release_task(item_id=item.pk, actor=imported.approver_hongshan, reason="转交")
    done = services.complete_task(
        item_id=item.pk, actor=colleague, reason="同意", data={"action": "approve", "amount": 1}
    )
    assert done.status == "completed"
    events = list(
        LedgerEntry.objects.filter(subject=f"process:{instance.pk}").values_list("event", flat=True)
    )
    assert events == [
        "process_started",
        "task_claimed",
        "task_released",
        "task_completed",
    ]


def test_completing_a_completed_task_is_a_conflict(imported):
    instance = start_approval(imported)
    item = TaskItem.objects.get(instance=instance)
    services.complete_task(
        item_id=item.pk,
        actor=imported.approver_hongshan,
        reason="同意",
        data={"action": "approve", "amount": 1},
    )
    with pytest.raises(DomainError) as err:
        services.complete_task(
            item_id=item.pk,
            actor=imported.approver_hongshan,
            reason="再次",
            data={"action": "approve"},
        )
    assert (err.value.code, err.value.status) == ("workflow.task_conflict", 409)


def test_old_state_format_is_upgraded_by_the_numbered_migration(imported):
    instance = start_approval(imported)
    parsed = definitions.parsed(instance.definition)
    workflow = serializer.load(instance.state, STATE_FORMAT, parsed.spec, parsed.subprocess_specs)
    old = serializer.dump_with_spec(workflow)
    assert "spec" in json.loads(old)
    ProcessInstance.objects.filter(pk=instance.pk).update(state=old, state_format=1)
    item = TaskItem.objects.get(instance=instance)
    done = services.complete_task(
        item_id=item.pk,
        actor=imported.approver_hongshan,
        reason="同意",
        data={"action": "approve", "amount": 2},
    )
    assert (done.state_format, done.variables["total"]) == (2, 4)
    assert "spec" not in json.loads(done.state)


def test_unknown_state_format_is_refused(imported):
    instance = start_approval(imported)
    ProcessInstance.objects.filter(pk=instance.pk).update(state_format=99)
    item = TaskItem.objects.get(instance=instance)
    with pytest.raises(DomainError) as err:
        services.complete_task(
            item_id=item.pk,
            actor=imported.approver_hongshan,
            reason="同意",
            data={"action": "approve"},
        )
    assert err.value.code == "workflow.state_format_unknown"


def test_starting_an_unknown_process_is_not_found(imported):
    with pytest.raises(DomainError) as err:
        services.start_process(process_id="nope", actor="test", reason="x")
    assert err.value.code == "workflow.definition_not_found"
    assert ProcessInstance.objects.count() == 0


def test_ledger_verify_finds_every_instance_row_as_recorded(imported):
    from onewindow.ledger.verify import verify_rows

    instance = start_approval(imported)
    item = TaskItem.objects.get(instance=instance)
    services.claim_task(item_id=item.pk, actor=imported.approver_hongshan, reason="认领")
    services.complete_task(
        item_id=item.pk,
        actor=imported.approver_hongshan,
        reason="同意",
        data={"action": "approve", "amount": 1},
    )
    services.start_process(process_id="t_service", actor="test", reason="x", data={"uscc": "9"})
    report = verify_rows()
    assert report.problems == []
    assert report.checked["rows"] >= 2
    ProcessInstance.objects.filter(pk=instance.pk).update(variables={"total": 1_000_000})
    tampered = verify_rows()
    assert [p.location for p in tampered.problems] == [
        f"workflow_processinstance pk={instance.pk} field=variables"
    ]
