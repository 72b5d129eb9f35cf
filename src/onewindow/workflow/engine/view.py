"""Read what a workflow is waiting for: user tasks, timers, messages, connector retries and
incidents, and its current data. Pure functions over a SpiffWorkflow `BpmnWorkflow`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from onewindow.workflow.engine.runtime import properties_of, step_id
from onewindow.workflow.engine.specs import ConnectorTask


@dataclass(frozen=True)
class WaitingTimer:
    task: Any
    due_at: dt.datetime


@dataclass(frozen=True)
class WaitingMessage:
    task: Any
    message_name: str
    correlation_expression: str
    definition: Any


@dataclass(frozen=True)
class PendingConnector:
    task: Any
    connector_id: str
    retry_at: dt.datetime | None
    incident_open: bool
    error: dict[str, str]
    attempts: int


def ready_user_tasks(workflow: BpmnWorkflow) -> list[Any]:
    return [t for t in workflow.get_tasks(state=TaskState.READY) if t.task_spec.manual]


def _definitions(task: Any) -> list[Any]:
    """The event definitions a waiting task listens for (an event-based gateway or a multiple
    event listens for several)."""
    definition = getattr(task.task_spec, "event_definition", None)
    if isinstance(definition, MultipleEventDefinition):
        return list(definition.event_definitions)
    return [definition] if definition is not None else []


def _due(task: Any, definition: Any) -> dt.datetime | None:
    value = task.internal_data.get("event_value")
    if isinstance(definition, CycleTimerEventDefinition):
        if not isinstance(value, dict) or value.get("cycles") == 0:
            return None
        value = value.get("next")
    if not isinstance(value, str):
        return None
    try:
        due = TimerEventDefinition.get_datetime(value)
    except ValueError:
        return None
    return due if isinstance(due, dt.datetime) else None


def waiting_timers(workflow: BpmnWorkflow) -> list[WaitingTimer]:
    found = []
    for task in workflow.event_manager.tasks.values():
        if not task.has_state(TaskState.WAITING):
            continue
        for definition in _definitions(task):
            if isinstance(definition, TimerEventDefinition):
                due = _due(task, definition)
                if due is not None:
                    found.append(WaitingTimer(task, due))
    return found


def waiting_messages(workflow: BpmnWorkflow) -> list[WaitingMessage]:
    found = []
    for task in workflow.event_manager.tasks.values():
        if not task.has_state(TaskState.WAITING):
            continue
        for definition in _definitions(task):
            if isinstance(definition, MessageEventDefinition):
                expression = _correlation_key(workflow, task)
                found.append(WaitingMessage(task, definition.name, expression, definition))
    return found


def _correlation_key(workflow: BpmnWorkflow, task: Any) -> str:
    """The `correlation_key` property of the catch event — or, for an event-based gateway,
    of the message catch event that follows it."""
    key = properties_of(task.task_spec).get("correlation_key", "")
    if key:
        return key
    for output in task.task_spec.outputs:
        key = properties_of(output).get("correlation_key", "")
        if key:
            return key
    return ""


def pending_connectors(workflow: BpmnWorkflow) -> list[PendingConnector]:
    found = []
    for task in workflow.get_tasks(state=TaskState.STARTED):
        if not isinstance(task.task_spec, ConnectorTask):
            continue
        internal = task.internal_data
        retry_at = internal.get("retry_at")
        found.append(
            PendingConnector(
                task=task,
                connector_id=task.task_spec.connector_id,
                retry_at=dt.datetime.fromisoformat(retry_at) if retry_at else None,
                incident_open=bool(internal.get("incident_open")),
                error=dict(internal.get("error") or {}),
                attempts=int(internal.get("attempts", 0)),
            )
        )
    return found


def variables(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The process data now: the end data when complete, else the data of the most recently
    completed task merged with that of every waiting or ready task (parallel branches)."""
    if workflow.completed:
        return dict(workflow.data)
    merged: dict[str, Any] = {}
    last = workflow.last_task
    if last is not None:
        merged.update(last.data)
    for task in workflow.get_tasks(state=TaskState.READY | TaskState.WAITING | TaskState.STARTED):
        merged.update(task.data)
    return merged


def find_task(workflow: BpmnWorkflow, task_id: str) -> Any | None:
    from uuid import UUID

    try:
        return workflow.get_task_from_id(UUID(str(task_id)))
    except Exception:
        return None


__all__ = [
    "BpmnEvent",
    "PendingConnector",
    "TaskState",
    "WaitingMessage",
    "WaitingTimer",
    "find_task",
    "pending_connectors",
    "ready_user_tasks",
    "step_id",
    "variables",
    "waiting_messages",
    "waiting_timers",
]
