"""Firing due timers and connector retries.

`fire_due_timers()` is the periodic scan (huey, every 15 s; see `tasks`): it takes the
instances with unfired `DueTimer` rows whose time has passed and calls `fire_due` for each.
`fire_due(instance_id=)` locks the subject and the instance, re-reads the due rows under the
lock (so two workers, or a worker restarted mid-scan, never fire a timer twice — the second
finds nothing due), lets SpiffWorkflow fire the timers (`refresh_timers`) and re-runs the
connector steps whose retry time has come, then advances the instance.

An error in such an advance is not anybody's request to answer: the advance is rolled back
and an engine incident is opened; the scan skips that instance until a supervisor retries.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from onewindow.core.errors import DomainError
from onewindow.ledger.services import append_entry
from onewindow.workflow import hooks, runner
from onewindow.workflow.constants import DuePurpose, IncidentKind, IncidentStatus
from onewindow.workflow.engine import view
from onewindow.workflow.models import DueTimer, Incident, ProcessInstance

logger = logging.getLogger(__name__)
SYSTEM_ACTOR = "system:timer"


@dataclass
class FireReport:
    instances: int = 0
    fired: int = 0
    failed: int = 0
    lateness_seconds: list[float] = field(default_factory=list)


def _run_due(instance_id: int) -> list[DueTimer]:
    head = ProcessInstance.objects.only("subject").filter(pk=instance_id).first()
    if head is None:
        return []
    handler = hooks.handler_for(head.subject)
    if handler is not None:
        handler[0].lock(handler[1])
    instance = runner.lock(instance_id)
    now = timezone.now()
    due = list(instance.timers.filter(fired_at__isnull=True, due_at__lte=now))
    if not due:
        return []
    loaded = runner.load(instance)
    for row in due:
        if row.purpose != DuePurpose.RETRY:
            continue
        task = view.find_task(loaded.workflow, str(row.task_id))
        if task is not None and task.has_state(view.TaskState.STARTED):
            task.run()
    loaded.workflow.refresh_timers()
    advanced = runner.advance(
        loaded,
        actor=SYSTEM_ACTOR,
        reason="定时事件到期 Timer or retry due",
        event="timer_fired",
        payload={"steps": sorted({r.spec_id for r in due})},
    )
    if handler is not None:
        handler[0].after_advance(
            handler[1], advanced, actor=SYSTEM_ACTOR, reason="定时事件到期 Timer due", cause="timer"
        )
    return list(DueTimer.objects.filter(pk__in=[r.pk for r in due], fired_at__isnull=False))


def _open_engine_incident(instance_id: int, error: Exception) -> None:
    code = error.code if isinstance(error, DomainError) else "workflow.engine_error"
    message = (
        error.message_en if isinstance(error, DomainError) else f"{type(error).__name__}: {error}"
    )
    with transaction.atomic():
        incident = Incident.objects.create(
            instance_id=instance_id,
            kind=IncidentKind.ENGINE,
            error_code=code[:100],
            message=message[:2000],
            created_at=timezone.now(),
        )
        append_entry(
            actor=SYSTEM_ACTOR,
            event="incident_opened",
            subject=f"process:{instance_id}",
            reason="定时推进失败 Advance on a timer failed",
            payload={"incident": incident.pk, "error_code": code},
        )


def fire_due(*, instance_id: int) -> list[DueTimer]:
    """Fire what is due for one instance; returns the rows it fired (empty if none was due,
    e.g. because another worker fired them first)."""
    try:
        with transaction.atomic():
            return _run_due(instance_id)
    except Exception as error:
        logger.exception("advancing process instance %s on a timer failed", instance_id)
        _open_engine_incident(instance_id, error)
        return []


def _due_instances(now: dt.datetime, limit: int) -> list[int]:
    blocked = Incident.objects.filter(kind=IncidentKind.ENGINE, status=IncidentStatus.OPEN).values(
        "instance_id"
    )
    rows = (
        DueTimer.objects.filter(fired_at__isnull=True, due_at__lte=now)
        .exclude(instance_id__in=blocked)
        .order_by("due_at")
        .values_list("instance_id", flat=True)[: limit * 4]
    )
    return list(dict.fromkeys(rows))[:limit]


def fire_due_timers(*, now: dt.datetime | None = None, limit: int = 500) -> FireReport:
    """The periodic scan: fire everything due at `now` (default: the clock)."""
    report = FireReport()
    for instance_id in _due_instances(now or timezone.now(), limit):
        report.instances += 1
        fired = fire_due(instance_id=instance_id)
        if (
            not fired
            and Incident.objects.filter(
                instance_id=instance_id, kind=IncidentKind.ENGINE, status=IncidentStatus.OPEN
            ).exists()
        ):
            report.failed += 1
        report.fired += len(fired)
        report.lateness_seconds += [
            (r.fired_at - r.due_at).total_seconds() for r in fired if r.fired_at
        ]
    return report
