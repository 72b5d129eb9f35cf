"""Write operations of the workflow engine. Keyword-only arguments, an explicit actor and
reason, one transaction each; every change leaves a ledger entry (see `runner.advance`).

* `load_pack_processes(pack_dir=, actor=, reason=)` — import a pack's diagrams.
* `start_process(process_id=, actor=, reason=, subject=, business_key=, data=)`.
* `claim_task`, `release_task`, `complete_task`, `return_task` — the inbox.
* `correlate_message(name=, key=, payload=, actor=, reason=)` — deliver a message.
* `fire_due(instance_id=)`, `fire_due_timers()` — timers and connector retries.
* `retry_incident(incident=, actor=, reason=)` — a supervisor retries a failed step.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from jsonschema import Draft202012Validator

from onewindow.accounts.models import User
from onewindow.accounts.selectors import staff_scope
from onewindow.catalog.policies import FORMATS
from onewindow.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from onewindow.ledger.services import append_entry
from onewindow.workflow import definitions, hooks, policies, runner, validation
from onewindow.workflow.constants import IncidentStatus, TaskItemStatus
from onewindow.workflow.engine import view
from onewindow.workflow.models import Incident, MessageSubscription, ProcessInstance, TaskItem
from onewindow.workflow.selectors import item_facts
from onewindow.workflow.timing import fire_due, fire_due_timers

__all__ = [
    "claim_task",
    "complete_task",
    "correlate_message",
    "fire_due",
    "fire_due_timers",
    "load_pack_processes",
    "release_task",
    "retry_incident",
    "return_task",
    "start_process",
]


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("workflow.reason_required", "请填写理由", "A reason is required")
    return reason


@transaction.atomic
def load_pack_processes(
    *, pack_dir: Path, actor: str = "system", reason: str = "load pack processes"
) -> list[Any]:
    """Validate a pack's diagrams and import each executable process (once per content
    hash). Any problem refuses the whole pack, naming file, line and problem."""
    problems = validation.validate_pack(pack_dir)
    if problems:
        raise validation.as_error(problems)
    files = definitions.pack_files(pack_dir)
    pack_code = validation.pack_code(pack_dir)
    return [
        definitions.store_bundle(
            definitions.bundle_of(pack_dir, files, process_id),
            pack_code=pack_code,
            actor=actor,
            reason=reason,
        )
        for process_id in definitions.executable_process_ids(files)
    ]


@transaction.atomic
def start_process(
    *,
    process_id: str,
    actor: User | str,
    reason: str,
    subject: str = "",
    business_key: str = "",
    data: Mapping[str, Any] | None = None,
    pack_dir: Path | None = None,
) -> ProcessInstance:
    """Start the current definition of `process_id`, pinning its content hash and the
    engine-state format, and run it until it waits or ends. With `pack_dir`, a process not
    imported yet is imported from that pack first (validated, recorded in the ledger)."""
    reason = _reason(reason)
    try:
        definition = definitions.current(process_id)
    except NotFound:
        if pack_dir is None:
            raise
        load_pack_processes(pack_dir=pack_dir, actor=runner.actor_name(actor), reason=reason)
        definition = definitions.current(process_id)
    loaded = runner.begin(
        definition,
        dict(data or {}),
        subject=subject,
        business_key=business_key,
        actor=runner.actor_name(actor),
    )
    return runner.advance(loaded, actor=actor, reason=reason, event="process_started")


def _task_conflict(item: TaskItem) -> Conflict:
    return Conflict(
        "workflow.task_conflict",
        f"待办“{item.name}”已被办理或撤销",
        f"Task '{item.name}' has already been completed or withdrawn",
        details={"item": item.pk, "status": item.status},
    )


def _locked_item(item_id: int, actor: User, *, lock_subject: bool) -> tuple[TaskItem, Any]:
    """Lock the subject (when asked), then the instance; re-read the item under the lock."""
    head = TaskItem.objects.select_related("instance").filter(pk=item_id).first()
    if head is None:
        raise NotFound("workflow.item_not_found", "未找到待办", "No such task item")
    handler = hooks.handler_for(head.instance.subject)
    if lock_subject and handler is not None:
        handler[0].lock(handler[1])
    instance = runner.lock(head.instance_id)
    item = TaskItem.objects.get(pk=item_id)
    item.instance = instance
    if item.status != TaskItemStatus.OPEN:
        raise _task_conflict(item)
    facts = item_facts(item)
    if not policies.may_work_on(actor.pk, staff_scope(actor), facts):
        raise PermissionDenied(
            "workflow.not_your_task",
            "此待办不属于您的岗位或辖区",
            "This task is not routed to your role, centre or jurisdiction",
            details={"item": item.pk},
        )
    if policies.claimed_by_other(actor.pk, facts):
        raise PermissionDenied(
            "workflow.task_claimed",
            "此待办已由他人认领",
            "Somebody else has claimed this task",
            details={"item": item.pk, "assignee": item.assignee_id},
        )
    return item, handler


def _validate(schema: Mapping[str, Any], data: Any) -> None:
    validator = Draft202012Validator(schema, format_checker=FORMATS)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        problems = [
            {"field": "/".join(str(p) for p in e.absolute_path) or "(form)", "problem": e.message}
            for e in errors[:50]
        ]
        fields = ", ".join(p["field"] for p in problems)
        raise ValidationFailed(
            "workflow.form_invalid",
            f"表单填写有误：{fields}",
            f"The form has errors: {fields}",
            details={"errors": problems},
        )


@transaction.atomic
def claim_task(*, item_id: int, actor: User, reason: str) -> TaskItem:
    reason = _reason(reason)
    item, _handler = _locked_item(item_id, actor, lock_subject=False)
    item.assignee, item.claimed_at = actor, timezone.now()
    item.save(update_fields=["assignee", "claimed_at"])
    append_entry(
        actor=runner.actor_name(actor),
        event="task_claimed",
        subject=f"process:{item.instance_id}",
        reason=reason,
        payload={"item": item.pk, "step": item.spec_id},
    )
    return item


@transaction.atomic
def release_task(*, item_id: int, actor: User, reason: str) -> TaskItem:
    reason = _reason(reason)
    item, _handler = _locked_item(item_id, actor, lock_subject=False)
    item.assignee, item.claimed_at = None, None
    item.save(update_fields=["assignee", "claimed_at"])
    append_entry(
        actor=runner.actor_name(actor),
        event="task_released",
        subject=f"process:{item.instance_id}",
        reason=reason,
        payload={"item": item.pk, "step": item.spec_id},
    )
    return item


@transaction.atomic
def complete_task(
    *,
    item_id: int,
    actor: User,
    reason: str,
    data: Mapping[str, Any] | None = None,
    via_subject: bool = False,
) -> ProcessInstance:
    """Complete a user task with form data validated against its JSON Schema, then run the
    process on. Two people completing the same task: one succeeds, the other gets
    `workflow.task_conflict`. `via_subject=True` is for the subject's own services (e.g. the
    case services), which hold the subject lock and bring the subject up to date."""
    reason = _reason(reason)
    data = dict(data or {})
    item, handler = _locked_item(item_id, actor, lock_subject=not via_subject)
    if handler is not None and not via_subject:
        handler[0].check_item(handler[1], item, actor)
    _validate(item.form_schema, data)
    loaded = runner.load(item.instance)
    task = view.find_task(loaded.workflow, str(item.task_id))
    if task is None or not task.has_state(view.TaskState.READY):
        raise _task_conflict(item)
    task.data.update(data)
    task.run()
    now = timezone.now()
    item.status, item.completed_at, item.completed_by = TaskItemStatus.COMPLETED, now, actor
    item.data = data
    item.save(update_fields=["status", "completed_at", "completed_by", "data"])
    instance = runner.advance(
        loaded,
        actor=actor,
        reason=reason,
        event="task_completed",
        payload={"item": item.pk, "step": item.spec_id, "data": sorted(data)},
    )
    if handler is not None and not via_subject:
        handler[0].after_advance(
            handler[1], instance, actor=runner.actor_name(actor), reason=reason, cause="task"
        )
    return instance


def return_task(*, item_id: int, actor: User, reason: str, points: list[str]) -> ProcessInstance:
    """Return for correction (补正): complete the task with `action = "return"` and the
    points to correct; the diagram routes it back to whoever must correct."""
    points = [p.strip() for p in points if p and p.strip()]
    item = TaskItem.objects.filter(pk=item_id).first()
    if item is None:
        raise NotFound("workflow.item_not_found", "未找到待办", "No such task item")
    if "return" not in item.actions:
        raise ValidationFailed(
            "workflow.return_not_offered",
            "此环节不能退回补正",
            "This step cannot be returned for correction",
        )
    if not points:
        raise ValidationFailed(
            "workflow.correction_points_required",
            "请逐条列明需补正的内容",
            "List at least one point to correct",
        )
    return complete_task(
        item_id=item_id,
        actor=actor,
        reason=reason,
        data={"action": "return", "correction_points": points},
    )


@transaction.atomic
def correlate_message(
    *, name: str, key: str, payload: Mapping[str, Any], actor: User | str, reason: str
) -> list[ProcessInstance]:
    """Deliver message `name` to every instance waiting for it with correlation key `key`
    (e.g. a receipt from another department). Nothing waiting: `workflow.message_not_correlated`."""
    reason = _reason(reason)
    waiting = list(
        MessageSubscription.objects.filter(message_name=name, correlation_key=key)
        .order_by("instance_id")
        .values_list("instance_id", flat=True)
        .distinct()
    )
    if not waiting:
        raise NotFound(
            "workflow.message_not_correlated",
            f"没有流程在等待消息 {name}（{key}）",
            f"No process is waiting for message '{name}' with key '{key}'",
            details={"message": name, "key": key},
        )
    delivered = []
    for instance_id in waiting:
        instance = ProcessInstance.objects.only("subject").get(pk=instance_id)
        handler = hooks.handler_for(instance.subject)
        if handler is not None:
            handler[0].lock(handler[1])
        loaded = runner.load(runner.lock(instance_id))
        rows = loaded.instance.subscriptions.filter(message_name=name, correlation_key=key)
        subscribed = {str(r.task_id) for r in rows}
        for wait in view.waiting_messages(loaded.workflow):
            if str(wait.task.id) in subscribed and wait.message_name == name:
                event = view.BpmnEvent(wait.definition, payload=dict(payload))
                wait.task.task_spec.catch(wait.task, event)
                wait.task.task_spec._update(wait.task)
        advanced = runner.advance(
            loaded,
            actor=actor,
            reason=reason,
            event="message_correlated",
            payload={"message": name, "key": key, "payload_keys": sorted(payload)},
        )
        if handler is not None:
            handler[0].after_advance(
                handler[1], advanced, actor=runner.actor_name(actor), reason=reason, cause="message"
            )
        delivered.append(advanced)
    return delivered


@transaction.atomic
def retry_incident(*, incident_id: int, actor: User, reason: str) -> ProcessInstance:
    """A supervisor retries the failed step of an open incident (after fixing the cause)."""
    reason = _reason(reason)
    scope = staff_scope(actor)
    if not (scope.is_supervisor or scope.is_administrator):
        raise PermissionDenied(
            "workflow.not_supervisor",
            "只有督查人员或管理员可以重试",
            "Only supervisors or administrators may retry a failed step",
        )
    head = Incident.objects.filter(pk=incident_id).select_related("instance").first()
    if head is None:
        raise NotFound("workflow.incident_not_found", "未找到异常", "No such incident")
    handler = hooks.handler_for(head.instance.subject)
    if handler is not None:
        handler[0].lock(handler[1])
    loaded = runner.load(runner.lock(head.instance_id))
    incident = Incident.objects.get(pk=incident_id)
    if incident.status != IncidentStatus.OPEN:
        raise Conflict(
            "workflow.incident_resolved",
            "该异常已处理",
            "This incident has already been resolved",
            details={"incident": incident.pk},
        )
    now = timezone.now()
    incident.status, incident.resolved_at = IncidentStatus.RESOLVED, now
    incident.resolved_by = runner.actor_name(actor)
    incident.save(update_fields=["status", "resolved_at", "resolved_by"])
    task = view.find_task(loaded.workflow, str(incident.task_id)) if incident.task_id else None
    if task is not None and task.has_state(view.TaskState.STARTED):
        for key in ("incident_open", "attempts", "error", "retry_at"):
            task.internal_data.pop(key, None)
        task.run()
    elif incident.task_id is None:
        loaded.workflow.refresh_timers()
    advanced = runner.advance(
        loaded,
        actor=actor,
        reason=reason,
        event="incident_retried",
        payload={"incident": incident.pk, "step": incident.spec_id},
    )
    if handler is not None:
        handler[0].after_advance(
            handler[1], advanced, actor=runner.actor_name(actor), reason=reason, cause="retry"
        )
    return advanced
