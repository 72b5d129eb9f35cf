"""Bring the side tables of an instance in line with its engine state after an advance:
inbox items for ready user tasks, due rows for timers and connector retries, message
subscriptions, incidents for failed connector calls."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import transaction
from django.db.models import Q

from onewindow.accounts.models import ServiceCentre
from onewindow.core.calendar import get_calendar
from onewindow.workflow import policies, sandbox
from onewindow.workflow.constants import (
    DuePurpose,
    IncidentKind,
    IncidentStatus,
    TaskItemStatus,
)
from onewindow.workflow.engine import view
from onewindow.workflow.engine.runtime import properties_of, step_id
from onewindow.workflow.models import (
    DueTimer,
    Incident,
    MessageSubscription,
    ProcessInstance,
    TaskItem,
)


def json_safe(value: Any) -> Any:
    """Process data as plain JSON (dates become ISO text)."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def _routing(task: Any, centres: dict[str, ServiceCentre | None]) -> dict[str, Any]:
    spec = task.task_spec
    properties = properties_of(spec)
    role = policies.task_role(getattr(spec, "lane", None), properties.get("role"))
    routings = policies.task_routings(properties.get("routing"), role)
    data = task.data
    fields: dict[str, Any] = {"role": role, "jurisdiction_code": "", "centre": None}
    fields["applicant_user_id"] = None
    if "home" in routings:
        fields["jurisdiction_code"] = str(data.get("home_jurisdiction") or "")
    if "intake" in routings and data.get("intake_centre"):
        code = str(data["intake_centre"])
        if code not in centres:
            centres[code] = ServiceCentre.objects.filter(code=code).first()
        fields["centre"] = centres[code]
    if "applicant" in routings and isinstance(data.get("applicant_user"), int):
        fields["applicant_user_id"] = data["applicant_user"]
    return fields


def _item(
    instance: ProcessInstance, task: Any, now: dt.datetime, centres: dict[str, Any]
) -> TaskItem:
    spec = task.task_spec
    properties = properties_of(spec)
    actions = policies.split_list(properties.get("actions"))
    if properties.get("returnable", "").lower() == "true" and "return" not in actions:
        actions.append("return")
    due_date = None
    if properties.get("time_limit_days", "").isdigit():
        due_date = get_calendar().add_working_days(
            now.astimezone(policies.CHINA).date(), int(properties["time_limit_days"])
        )
    return TaskItem(
        instance=instance,
        task_id=task.id,
        spec_id=step_id(task),
        name=(spec.bpmn_name or step_id(task))[:200],
        lane=(getattr(spec, "lane", None) or "")[:120],
        actions=actions,
        form_schema=instance.definition.forms.get(step_id(task), {"type": "object"}),
        due_date=due_date,
        created_at=now,
        **_routing(task, centres),
    )


def items(instance: ProcessInstance, workflow: Any, now: dt.datetime, *, new: bool) -> None:
    ready = {str(t.id): t for t in view.ready_user_tasks(workflow)}
    open_items: dict[str, TaskItem] = {}
    if not new:
        open_items = {str(i.task_id): i for i in instance.items.filter(status=TaskItemStatus.OPEN)}
    gone = [i.pk for key, i in open_items.items() if key not in ready]
    if gone:
        TaskItem.objects.filter(pk__in=gone).update(
            status=TaskItemStatus.CANCELLED, completed_at=now
        )
    centres: dict[str, Any] = {}
    fresh = [_item(instance, t, now, centres) for key, t in ready.items() if key not in open_items]
    if fresh:
        TaskItem.objects.bulk_create(fresh)


def _due_rows(workflow: Any) -> set[tuple[str, str, dt.datetime]]:
    wanted = {
        (str(w.task.id), DuePurpose.TIMER.value, w.due_at) for w in view.waiting_timers(workflow)
    }
    for pending in view.pending_connectors(workflow):
        if pending.retry_at is not None and not pending.incident_open:
            wanted.add((str(pending.task.id), DuePurpose.RETRY.value, pending.retry_at))
    return wanted


def due_timers(instance: ProcessInstance, workflow: Any, now: dt.datetime, *, new: bool) -> None:
    """Rows no longer wanted were fired (if due) or cancelled (if not yet due)."""
    wanted = _due_rows(workflow)
    existing: dict[tuple[str, str, dt.datetime], DueTimer] = {}
    if not new:
        for row in instance.timers.filter(fired_at__isnull=True):
            existing[(str(row.task_id), row.purpose, row.due_at)] = row
    stale = [r for key, r in existing.items() if key not in wanted]
    fired = [r.pk for r in stale if r.due_at <= now]
    if fired:
        DueTimer.objects.filter(pk__in=fired).update(fired_at=now)
    cancelled = [r.pk for r in stale if r.due_at > now]
    if cancelled:
        DueTimer.objects.filter(pk__in=cancelled).delete()
    specs = {str(t.id): step_id(t) for t in _tasks_by_id(workflow, {k[0] for k in wanted})}
    fresh = [
        DueTimer(
            instance=instance,
            task_id=task_id,
            spec_id=specs.get(task_id, ""),
            purpose=purpose,
            due_at=due_at,
            created_at=now,
        )
        for (task_id, purpose, due_at) in wanted - existing.keys()
    ]
    if fresh:
        DueTimer.objects.bulk_create(fresh, ignore_conflicts=True)
        schedule_wakes(instance.pk, sorted({row.due_at for row in fresh}))


def schedule_wakes(instance_id: int, due_times: list[dt.datetime]) -> None:
    """Ask the job worker to wake the instance at each due time (after commit). The periodic
    scan remains the guarantee; this only makes timers fire on time. Not in immediate mode
    (tests), where the scan is called explicitly."""
    from huey.contrib.djhuey import HUEY

    if HUEY.immediate:
        return

    def enqueue() -> None:
        from onewindow.workflow.tasks import wake

        for due in due_times:
            wake.schedule(args=(instance_id,), eta=due)

    transaction.on_commit(enqueue)


def _tasks_by_id(workflow: Any, ids: set[str]) -> list[Any]:
    return [t for t in (view.find_task(workflow, i) for i in ids) if t is not None]


def subscriptions(instance: ProcessInstance, workflow: Any, now: dt.datetime, *, new: bool) -> None:
    waiting = {str(w.task.id): w for w in view.waiting_messages(workflow)}
    existing: set[str] = set()
    if not new:
        rows = instance.subscriptions.all()
        existing = {str(r.task_id) for r in rows}
        gone = [r.pk for r in rows if str(r.task_id) not in waiting]
        if gone:
            MessageSubscription.objects.filter(pk__in=gone).delete()
    fresh = []
    for task_id, wait in waiting.items():
        if task_id in existing:
            continue
        key = instance.business_key
        if wait.correlation_expression:
            key = str(sandbox.evaluate(wait.correlation_expression, dict(wait.task.data)))
        fresh.append(
            MessageSubscription(
                instance=instance,
                task_id=wait.task.id,
                spec_id=step_id(wait.task),
                message_name=wait.message_name[:120],
                correlation_key=key[:200],
                created_at=now,
            )
        )
    if fresh:
        MessageSubscription.objects.bulk_create(fresh)


def incidents(
    instance: ProcessInstance, workflow: Any, now: dt.datetime, *, new: bool
) -> list[Incident]:
    """Open an incident for each connector step that failed for good and has none open."""
    failing = [p for p in view.pending_connectors(workflow) if p.incident_open]
    if not failing:
        return []
    known: set[str] = set()
    if not new:
        known = {
            str(t)
            for t in instance.incidents.filter(
                Q(status=IncidentStatus.OPEN), Q(kind=IncidentKind.CONNECTOR)
            ).values_list("task_id", flat=True)
        }
    opened = [
        Incident(
            instance=instance,
            task_id=p.task.id,
            spec_id=step_id(p.task),
            kind=IncidentKind.CONNECTOR,
            connector_id=p.connector_id[:100],
            error_code=(p.error.get("code") or "connector.failed")[:100],
            message=p.error.get("message") or "",
            attempts=p.attempts,
            created_at=now,
        )
        for p in failing
        if str(p.task.id) not in known
    ]
    for incident in opened:
        incident.save()
    return opened
