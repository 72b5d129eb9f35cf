"""The one way an instance moves: lock it, restore its engine state, let the caller change
something (complete a task, fire a timer, deliver a message), run the engine steps, then
store the new state, the side tables, the decisions and connector calls, and one ledger
entry — all in the caller's transaction. Called by `services` only."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from onewindow.accounts.models import User
from onewindow.core.errors import NotFound
from onewindow.core.middleware import current_request_id
from onewindow.ledger.digest import canonical_digest
from onewindow.ledger.services import append_entry
from onewindow.workflow import definitions, engine, sync
from onewindow.workflow.constants import STATE_FORMAT, InstanceStatus
from onewindow.workflow.engine import serializer, view
from onewindow.workflow.engine.runtime import Run
from onewindow.workflow.models import DecisionRecord, ProcessInstance


def actor_name(actor: User | str) -> str:
    return f"user:{actor.pk}" if isinstance(actor, User) else str(actor)


def instance_snapshot(instance: ProcessInstance) -> dict[str, Any]:
    """What the ledger records of an instance row (verify compares it later)."""
    return {
        "definition": instance.definition.content_hash,
        "status": instance.status,
        "subject": instance.subject,
        "business_key": instance.business_key,
        "state_format": instance.state_format,
        "state_sha256": hashlib.sha256(instance.state.encode("utf-8")).hexdigest(),
        "variables": instance.variables,
        "version": instance.version,
    }


@dataclass
class Loaded:
    instance: ProcessInstance
    workflow: Any
    run: Run


def lock(instance_id: int) -> ProcessInstance:
    instance = (
        ProcessInstance.objects.select_for_update(of=("self",))
        .select_related("definition")
        .defer("definition__files", "definition__forms")
        .filter(pk=instance_id)
        .first()
    )
    if instance is None:
        raise NotFound(
            "workflow.instance_not_found",
            f"未找到流程实例 {instance_id}",
            f"No process instance {instance_id}",
        )
    return instance


def load(instance: ProcessInstance) -> Loaded:
    parsed = definitions.parsed(instance.definition)
    run = Run(decision_lookup=parsed.decision, subject=instance.subject)
    workflow = engine.restore(parsed, instance.state, instance.state_format, run)
    return Loaded(instance, workflow, run)


def begin(
    definition: Any, data: dict[str, Any], *, subject: str, business_key: str, actor: str
) -> Loaded:
    parsed = definitions.parsed(definition)
    run = Run(decision_lookup=parsed.decision, subject=subject)
    workflow = engine.new_workflow(parsed, data, run)
    now = run.now
    instance = ProcessInstance(
        definition=definition,
        state_format=STATE_FORMAT,
        state="",
        status=InstanceStatus.ACTIVE,
        subject=subject,
        business_key=business_key,
        started_at=now,
        started_by=actor,
        updated_at=now,
        version=0,
    )
    return Loaded(instance, workflow, run)


def advance(
    loaded: Loaded,
    *,
    actor: User | str,
    reason: str,
    event: str,
    payload: dict[str, Any] | None = None,
) -> ProcessInstance:
    """Run engine steps and store everything the advance changed, with one ledger entry
    (plus one per decision and per connector call)."""
    instance, workflow, run = loaded.instance, loaded.workflow, loaded.run
    new = instance.pk is None
    engine.run_steps(workflow)
    now = timezone.now()
    instance.state = serializer.dump(workflow)
    instance.state_format = STATE_FORMAT
    instance.variables = sync.json_safe(view.variables(workflow))
    instance.version += 1
    instance.updated_at = now
    if workflow.completed:
        instance.status = InstanceStatus.COMPLETED
        instance.completed_at = now
    instance.save()
    opened: list[Any] = []
    if not (new and workflow.completed):  # a run that started and ended leaves nothing waiting
        sync.items(instance, workflow, now, new=new)
        sync.due_timers(instance, workflow, now, new=new)
        sync.subscriptions(instance, workflow, now, new=new)
        opened = sync.incidents(instance, workflow, now, new=new)
    who = actor_name(actor)
    _record_calls(instance, run, who, reason)
    _record_decisions(instance, run, who, reason)
    append_entry(
        actor=who,
        event=event,
        subject=f"process:{instance.pk}",
        reason=reason,
        payload={
            "process_id": instance.definition.process_id,
            "definition": instance.definition.content_hash,
            "subject": instance.subject,
            "status": instance.status,
            "incidents": [i.pk for i in opened],
            **(payload or {}),
        },
        request_id=current_request_id(),
        state=instance_snapshot(instance),
    )
    return instance


def _record_calls(instance: ProcessInstance, run: Run, actor: str, reason: str) -> None:
    for call in run.calls:
        append_entry(
            actor=actor,
            event="connector_called",
            subject=f"process:{instance.pk}",
            reason=f"{reason} · {call.purpose}"[:500],
            payload={
                "connector": call.connector_id,
                "purpose": call.purpose,
                "step": call.spec_id,
                "attempt": call.attempt,
                "outcome": call.outcome,
                "error_code": call.error_code,
            },
        )


def _record_decisions(instance: ProcessInstance, run: Run, actor: str, reason: str) -> None:
    for decision in run.decisions:
        inputs = sync.json_safe(dict(decision.inputs))
        outputs = sync.json_safe(decision.outputs)
        matched = sync.json_safe(list(decision.matched_rules))
        entry = append_entry(
            actor=actor,
            event="decision_made",
            subject=f"process:{instance.pk}",
            reason=reason,
            payload={
                "decision": decision.decision_id,
                "step": decision.spec_id,
                "inputs_digest": canonical_digest(inputs),
                "outputs_digest": canonical_digest(outputs),
                "matched_rules": matched,
            },
        )
        DecisionRecord.objects.create(
            instance=instance,
            task_id=decision.task_id,
            spec_id=decision.spec_id,
            decision_id=decision.decision_id,
            inputs=inputs,
            matched_rules=matched,
            outputs=outputs if isinstance(outputs, dict) else {"result": outputs},
            created_at=timezone.now(),
            ledger_sequence=entry.sequence,
        )
