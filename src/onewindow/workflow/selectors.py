"""Reads of the workflow engine: a person's inbox, the items and instance of a subject, open
incidents, the decisions taken for a subject."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from onewindow.accounts.models import User
from onewindow.accounts.selectors import staff_scope
from onewindow.core.errors import NotFound
from onewindow.workflow import policies
from onewindow.workflow.constants import IncidentStatus, TaskItemStatus
from onewindow.workflow.models import (
    DecisionRecord,
    DueTimer,
    Incident,
    ProcessDefinition,
    ProcessInstance,
    TaskItem,
)

ITEM_RELATED = ("instance", "instance__definition", "centre", "assignee")


def item_facts(item: TaskItem) -> policies.ItemFacts:
    return policies.ItemFacts(
        role=item.role,
        jurisdiction_code=item.jurisdiction_code,
        centre_id=item.centre_id,
        applicant_user_id=item.applicant_user_id,
        assignee_id=item.assignee_id,
    )


def _visible(user: User) -> Q:
    """Items routed to the user: as applicant, as staff of the item's centre, or holding the
    item's role (any role when the item names none) in its jurisdiction."""
    scope = staff_scope(user)
    visible = Q(applicant_user_id=user.pk)
    if scope.centre_ids:
        visible |= Q(centre_id__in=scope.centre_ids)
    anywhere = scope.jurisdictions()
    if anywhere:
        visible |= Q(role="", jurisdiction_code__in=anywhere)
    for role, codes in scope.jurisdictions_by_role.items():
        visible |= Q(role=role, jurisdiction_code__in=codes)
    return visible


def inbox(user: User, *, status: str = TaskItemStatus.OPEN) -> QuerySet[TaskItem]:
    """The user's inbox, oldest first (bounded query count: related rows joined)."""
    if not user.is_authenticated:
        return TaskItem.objects.none()
    return (
        TaskItem.objects.filter(_visible(user), status=status)
        .select_related(*ITEM_RELATED)
        .order_by("due_date", "created_at", "pk")
    )


def item_for(user: User, item_id: int) -> TaskItem:
    """One item the user may see; otherwise not found (no existence leak)."""
    item = TaskItem.objects.select_related(*ITEM_RELATED).filter(pk=item_id).first()
    if item is None or not policies.may_work_on(user.pk, staff_scope(user), item_facts(item)):
        raise NotFound("workflow.item_not_found", "未找到待办", "No such task item")
    return item


def instance_of(subject: str) -> ProcessInstance | None:
    """The most recent instance started for a subject (e.g. `case:WH...`)."""
    return (
        ProcessInstance.objects.filter(subject=subject)
        .select_related("definition")
        .order_by("-started_at", "-pk")
        .first()
    )


def open_items_of(subject: str) -> QuerySet[TaskItem]:
    return TaskItem.objects.filter(instance__subject=subject, status=TaskItemStatus.OPEN).order_by(
        "created_at", "pk"
    )


def open_item_for_action(subject: str, action: str) -> TaskItem | None:
    """The open item of a subject that offers `action` (e.g. "accept")."""
    for item in open_items_of(subject):
        if action in item.actions:
            return item
    return None


def open_actions(subject: str) -> list[str]:
    actions: list[str] = []
    for item in open_items_of(subject):
        actions += [a for a in item.actions if a not in actions]
    return actions


def decisions_of(subject: str) -> QuerySet[DecisionRecord]:
    return DecisionRecord.objects.filter(instance__subject=subject).order_by("created_at", "pk")


def open_incidents() -> QuerySet[Incident]:
    return (
        Incident.objects.filter(status=IncidentStatus.OPEN)
        .select_related("instance", "instance__definition")
        .order_by("-created_at", "-pk")
    )


def current_definitions() -> QuerySet[ProcessDefinition]:
    return ProcessDefinition.objects.filter(is_current=True).order_by("process_id")


def timer_lateness_seconds(since: object = None) -> list[float]:
    """Lateness (fired_at - due_at) of fired timers, for measurement and monitoring."""
    rows = DueTimer.objects.filter(fired_at__isnull=False, purpose="timer")
    if since is not None:
        rows = rows.filter(fired_at__gte=since)
    pairs = rows.values_list("due_at", "fired_at")
    return [(fired - due).total_seconds() for due, fired in pairs if fired is not None]
