"""Workflow API, mounted under /api/v1/workflow: the inbox (list, read, claim, release,
complete, return for correction), incidents for supervisors (list, retry), message delivery
for supervisors and administrators, and the definitions with their metrics (public)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from onewindow.accounts.models import User
from onewindow.accounts.selectors import staff_scope
from onewindow.core.errors import NotFound, PermissionDenied
from onewindow.workflow import metrics, selectors, services
from onewindow.workflow.models import Incident, ProcessDefinition, TaskItem

router = Router(tags=["workflow"])


class ErrorOut(Schema):
    code: str
    message_zh: str
    message_en: str
    details: Any = None


ERRORS = {s: ErrorOut for s in (401, 403, 404, 409, 422)}


class ItemOut(Schema):
    id: int
    name: str
    step: str
    subject: str
    process_id: str
    lane: str
    role: str
    jurisdiction_code: str
    centre: str | None
    actions: list[str]
    status: str
    assignee: str | None
    claimed_at: datetime | None
    due_date: date | None
    created_at: datetime

    @staticmethod
    def resolve_id(obj: TaskItem) -> int:
        return int(obj.pk)

    @staticmethod
    def resolve_step(obj: TaskItem) -> str:
        return obj.spec_id

    @staticmethod
    def resolve_subject(obj: TaskItem) -> str:
        return obj.instance.subject

    @staticmethod
    def resolve_process_id(obj: TaskItem) -> str:
        return obj.instance.definition.process_id

    @staticmethod
    def resolve_centre(obj: TaskItem) -> str | None:
        return obj.centre.code if obj.centre else None

    @staticmethod
    def resolve_assignee(obj: TaskItem) -> str | None:
        return obj.assignee.username if obj.assignee else None


class ItemDetailOut(ItemOut):
    form_schema: dict[str, Any]
    variables: dict[str, Any]


class ReasonIn(Schema):
    reason: str


class CompleteIn(Schema):
    reason: str
    data: dict[str, Any] = {}


class ReturnIn(Schema):
    reason: str
    points: list[str]


class InstanceOut(Schema):
    id: int
    process_id: str
    definition: str
    subject: str
    status: str
    version: int


class IncidentOut(Schema):
    id: int
    instance: int
    subject: str
    process_id: str
    step: str
    kind: str
    connector_id: str
    error_code: str
    message: str
    attempts: int
    status: str
    created_at: datetime


class MessageIn(Schema):
    name: str
    key: str
    payload: dict[str, Any] = {}
    reason: str


class DefinitionOut(Schema):
    process_id: str
    name: str
    pack: str
    content_hash: str
    imported_at: datetime


class MetricsOut(Schema):
    process_id: str
    content_hash: str
    applicant_steps: int
    trips: int
    materials: list[str]
    critical_path_days: int
    critical_path: list[str]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _instance(instance: Any) -> dict[str, Any]:
    return {
        "id": instance.pk,
        "process_id": instance.definition.process_id,
        "definition": instance.definition.content_hash,
        "subject": instance.subject,
        "status": instance.status,
        "version": instance.version,
    }


@router.get("/items", response=list[ItemOut], auth=django_auth, summary="My inbox")
@paginate(LimitOffsetPagination)
def inbox(request: HttpRequest) -> Any:
    return selectors.inbox(_user(request))


@router.get("/items/{item_id}", response={200: ItemDetailOut, **ERRORS}, auth=django_auth)
def item_detail(request: HttpRequest, item_id: int) -> Any:
    item = selectors.item_for(_user(request), item_id)
    item.variables = item.instance.variables  # type: ignore[attr-defined]
    return item


def _visible(request: HttpRequest, item_id: int) -> User:
    user = _user(request)
    selectors.item_for(user, item_id)
    return user


@router.post("/items/{item_id}/claim", response={200: ItemOut, **ERRORS}, auth=django_auth)
def claim(request: HttpRequest, item_id: int, body: ReasonIn) -> Any:
    user = _visible(request, item_id)
    services.claim_task(item_id=item_id, actor=user, reason=body.reason)
    return selectors.item_for(user, item_id)


@router.post("/items/{item_id}/release", response={200: ItemOut, **ERRORS}, auth=django_auth)
def release(request: HttpRequest, item_id: int, body: ReasonIn) -> Any:
    user = _visible(request, item_id)
    services.release_task(item_id=item_id, actor=user, reason=body.reason)
    return selectors.item_for(user, item_id)


@router.post("/items/{item_id}/complete", response={200: InstanceOut, **ERRORS}, auth=django_auth)
def complete(request: HttpRequest, item_id: int, body: CompleteIn) -> dict[str, Any]:
    user = _visible(request, item_id)
    instance = services.complete_task(
        item_id=item_id, actor=user, reason=body.reason, data=body.data
    )
    return _instance(instance)


@router.post("/items/{item_id}/return", response={200: InstanceOut, **ERRORS}, auth=django_auth)
def return_for_correction(request: HttpRequest, item_id: int, body: ReturnIn) -> dict[str, Any]:
    user = _visible(request, item_id)
    instance = services.return_task(
        item_id=item_id, actor=user, reason=body.reason, points=body.points
    )
    return _instance(instance)


def _supervisor(request: HttpRequest) -> User:
    user = _user(request)
    scope = staff_scope(user)
    if not (scope.is_supervisor or scope.is_administrator):
        raise PermissionDenied(
            "workflow.not_supervisor",
            "只有督查人员或管理员可以查看",
            "Only supervisors or administrators may see this",
        )
    return user


def _incident(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.pk,
        "instance": incident.instance_id,
        "subject": incident.instance.subject,
        "process_id": incident.instance.definition.process_id,
        "step": incident.spec_id,
        "kind": incident.kind,
        "connector_id": incident.connector_id,
        "error_code": incident.error_code,
        "message": incident.message,
        "attempts": incident.attempts,
        "status": incident.status,
        "created_at": incident.created_at,
    }


@router.get("/incidents", response={200: list[IncidentOut], **ERRORS}, auth=django_auth)
def incidents(request: HttpRequest) -> list[dict[str, Any]]:
    _supervisor(request)
    return [_incident(i) for i in selectors.open_incidents()[:200]]


@router.post(
    "/incidents/{incident_id}/retry", response={200: InstanceOut, **ERRORS}, auth=django_auth
)
def retry(request: HttpRequest, incident_id: int, body: ReasonIn) -> dict[str, Any]:
    user = _supervisor(request)
    instance = services.retry_incident(incident_id=incident_id, actor=user, reason=body.reason)
    return _instance(instance)


@router.post("/messages", response={200: list[InstanceOut], **ERRORS}, auth=django_auth)
def message(request: HttpRequest, body: MessageIn) -> list[dict[str, Any]]:
    user = _supervisor(request)
    delivered = services.correlate_message(
        name=body.name, key=body.key, payload=body.payload, actor=user, reason=body.reason
    )
    return [_instance(i) for i in delivered]


@router.get("/definitions", response=list[DefinitionOut], summary="Current process definitions")
def definitions_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "process_id": d.process_id,
            "name": d.name,
            "pack": d.pack_code,
            "content_hash": d.content_hash,
            "imported_at": d.imported_at,
        }
        for d in selectors.current_definitions()
    ]


@router.get("/definitions/{process_id}/metrics", response={200: MetricsOut, **ERRORS})
def definition_metrics(request: HttpRequest, process_id: str) -> dict[str, Any]:
    definition = ProcessDefinition.objects.filter(process_id=process_id, is_current=True).first()
    if definition is None:
        raise NotFound(
            "workflow.definition_not_found",
            f"流程 {process_id} 尚未导入",
            f"Process {process_id} has not been imported",
        )
    found = metrics.process_metrics(definition)
    return {
        "process_id": found.process_id,
        "content_hash": definition.content_hash,
        "applicant_steps": found.applicant_steps,
        "trips": found.trips,
        "materials": list(found.materials),
        "critical_path_days": found.critical_path_days,
        "critical_path": list(found.critical_path),
    }
