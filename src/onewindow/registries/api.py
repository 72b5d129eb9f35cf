"""Registries endpoints (mount at ``/registries``): name and scope checks for any signed-in
user, entity lookup for staff, the exchange log for administrators and the data-owning
department, file loads for administrators. Every lookup is recorded in the exchange log."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from onewindow.accounts.models import User
from onewindow.accounts.selectors import staff_scope
from onewindow.core.errors import NotFound, PermissionDenied, ValidationFailed
from onewindow.core.identifiers import mask_resident_id
from onewindow.registries import selectors
from onewindow.registries.checks import check_business_scope, check_name
from onewindow.registries.connectors.market_entities import EntityRecord
from onewindow.registries.constants import Source
from onewindow.registries.exchange import QueryContext, query
from onewindow.registries.loaders import KINDS, create_job
from onewindow.registries.results import CheckResult

router = Router(tags=["registries"], auth=django_auth)
NAME_BASIS = "《企业名称登记管理规定》（国务院令第734号）"
SCOPE_BASIS = "《市场主体登记管理条例》及经营范围登记规范表述目录"
MAX_UPLOAD = 200 * 1024 * 1024


class ErrorOut(Schema):
    code: str
    message_zh: str
    message_en: str
    details: Any = None


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class NameIn(Schema):
    name: str


class ScopeIn(Schema):
    entries: str


class IssueOut(Schema):
    code: str
    severity: str
    message_zh: str
    message_en: str
    remedy_zh: str
    remedy_en: str
    details: dict[str, Any]


class CheckOut(Schema):
    check: str
    passed: bool
    issues: list[IssueOut]
    data: dict[str, Any]


class EntityOut(Schema):
    uscc: str
    name: str
    entity_type: str
    registered_address: str
    legal_representative: str
    legal_representative_id: str  # masked
    status: str
    industry_code: str
    registration_authority: str
    established_on: str


class ExchangeOut(Schema):
    id: int
    source: str
    operation: str
    implementation: str
    requester: str
    requester_department: str
    source_department: str
    purpose: str
    legal_basis: str
    subject: str
    reference: str
    outcome: str
    answer_digest: str
    duration_us: int
    queried_at: datetime
    ledger_sequence: int | None


class ScopeEntryOut(Schema):
    code: str
    wording: str
    kind: str
    permit_name: str
    approving_department: str


class LoadOut(Schema):
    id: int
    source: str
    filename: str
    status: str
    total_rows: int
    processed_rows: int
    loaded_rows: int
    error_count: int
    percent: int
    errors: list[dict[str, Any]]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _context(request: HttpRequest, purpose: str, basis: str) -> QueryContext:
    user = _user(request)
    departments = sorted(selectors.departments_of(user))
    return QueryContext(
        requester=f"user:{user.pk}",
        purpose=purpose,
        legal_basis=basis,
        requester_department=departments[0] if departments else "",
    )


def _checked(result: CheckResult) -> dict[str, Any]:
    return result.as_dict()


@router.post("/names/check", response={200: CheckOut, **ERRORS}, summary="Check a name")
def names_check(request: HttpRequest, payload: NameIn) -> dict[str, Any]:
    context = _context(request, "企业名称自主申报查重 name self-check", NAME_BASIS)
    return _checked(check_name(name=payload.name[:150], context=context))


@router.post("/scope/check", response={200: CheckOut, **ERRORS}, summary="Check scope")
def scope_check(request: HttpRequest, payload: ScopeIn) -> dict[str, Any]:
    context = _context(request, "经营范围规范表述核对 business-scope check", SCOPE_BASIS)
    return _checked(check_business_scope(entries=payload.entries[:4000], context=context))


@router.get("/scope/entries", response=list[ScopeEntryOut], summary="Scope catalogue")
@paginate(LimitOffsetPagination)
def scope_entries(request: HttpRequest, q: str = "") -> Any:
    return selectors.scope_entries(q[:60])


@router.get("/entities/{uscc}", response={200: EntityOut, **ERRORS}, summary="Look up an entity")
def entity(request: HttpRequest, uscc: str, purpose: str) -> dict[str, Any]:
    """Staff only; `purpose` (why you look) is required and recorded."""
    if not staff_scope(_user(request)).is_staff:
        raise PermissionDenied("registry.staff_only", "仅限工作人员查询", "Staff only")
    if len(purpose.strip()) < 4:
        raise ValidationFailed(
            "registry.purpose_required", "请说明查询用途", "State the purpose of the query"
        )
    context = _context(request, purpose[:200], "《市场主体登记管理条例》")
    record: EntityRecord | None = query(
        Source.MARKET_ENTITIES,
        "get",
        context=context,
        subject=f"uscc:{uscc[:18]}",
        call=lambda c: c.get(uscc.strip().upper()[:18]),
    )
    if record is None:
        raise NotFound("registry.entity_not_found", "未找到该市场主体", "No such market entity")
    data = record.__dict__ | {
        "legal_representative_id": mask_resident_id(record.legal_representative_id)
    }
    return data


@router.get("/exchanges", response={200: list[ExchangeOut], **ERRORS}, summary="Exchange log")
@paginate(LimitOffsetPagination)
def exchanges(
    request: HttpRequest, source: str = "", subject: str = "", reference: str = ""
) -> Any:
    """Administrators see every record; staff of a department, the records of its sources."""
    user = _user(request)
    if not (selectors.is_administrator(user) or selectors.departments_of(user)):
        raise PermissionDenied(
            "registry.exchange_log_forbidden",
            "仅管理员和数据所属部门可查看交换日志",
            "Only administrators and the data-owning department see the exchange log",
        )
    return selectors.exchanges_for(user, source=source, subject=subject, reference=reference)


def _administrator(request: HttpRequest) -> User:
    user = _user(request)
    if not selectors.is_administrator(user):
        raise PermissionDenied("registry.administrator_only", "仅限管理员", "Administrators only")
    return user


@router.post("/loads", response={202: LoadOut, **ERRORS}, summary="Load a CSV or Excel file")
def load(
    request: HttpRequest, kind: Form[str], reason: Form[str], file: File[UploadedFile]
) -> Status:
    user = _administrator(request)
    if kind not in KINDS:
        raise ValidationFailed("load.unknown_kind", "不能导入该类数据", f"Unknown kind {kind}")
    if (file.size or 0) > MAX_UPLOAD:
        raise ValidationFailed("load.too_large", "文件过大", "The file is too large")
    suffix = Path(file.name or "upload.csv").suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise ValidationFailed("load.bad_type", "仅支持 CSV 或 xlsx 文件", "CSV or xlsx files only")
    folder = Path(settings.STORAGE_PATH) / "registry-loads"
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{uuid.uuid4().hex}{suffix}"
    with stored.open("wb") as handle:
        for chunk in file.chunks():
            handle.write(chunk)
    job = create_job(
        kind=kind,
        filename=file.name or stored.name,
        stored_path=str(stored),
        actor=f"user:{user.pk}",
        reason=reason.strip() or "管理员导入数据",
    )
    from onewindow.registries.tasks import run_load

    run_load(job.pk)
    job.refresh_from_db()
    return Status(202, _load_out(job))


def _load_out(job: Any) -> dict[str, Any]:
    return {
        "id": job.pk,
        "source": job.source,
        "filename": job.filename,
        "status": job.status,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "loaded_rows": job.loaded_rows,
        "error_count": job.error_count,
        "percent": job.percent,
        "errors": job.errors,
    }


@router.get("/loads/{job_id}", response={200: LoadOut, **ERRORS}, summary="Load progress")
def load_status(request: HttpRequest, job_id: int) -> dict[str, Any]:
    _administrator(request)
    job = selectors.load_job(job_id)
    if job is None:
        raise NotFound("load.not_found", "未找到导入任务", "No such load")
    return _load_out(job)
