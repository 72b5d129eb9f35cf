"""Case endpoints: submit (online or assisted), list, read, decide, deliver."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from ninja import Form, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth
from pydantic import ValidationError as PydanticValidationError

from onewindow.accounts.models import Applicant, User
from onewindow.accounts.selectors import centre_by_code, staff_scope
from onewindow.api.schemas import (
    CaseDetailOut,
    CaseOut,
    CaseSubmitIn,
    DecisionIn,
    DeliveryIn,
    ErrorOut,
    ResubmitIn,
    ReturnIn,
)
from onewindow.cases import selectors, services
from onewindow.cases.materials import IncomingMaterial, read_capped
from onewindow.cases.models import Case
from onewindow.catalog.selectors import item_by_code
from onewindow.core.errors import NotFound, ValidationFailed
from onewindow.notifications.idempotency import idempotent

router = Router(tags=["cases"], auth=django_auth)
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    415: ErrorOut,
    422: ErrorOut,
}


def case_out(case: Case) -> dict[str, Any]:
    return CaseOut.from_orm(case).dict()


def case_detail(user: User, case: Case) -> dict[str, Any]:
    return {
        **case_out(case),
        "registered_address": case.registered_address,
        "form_data": case.form_data,
        "allowed_transitions": selectors.allowed_transitions(user, case),
        "timeline": [
            {
                "name": e.name,
                "actor": e.actor_label,
                "reason": e.reason,
                "data": e.data,
                "status_after": e.status_after,
                "created_at": e.created_at,
                "ledger_sequence": e.ledger_sequence,
            }
            for e in selectors.timeline(case)
        ],
        "materials": [
            {
                "material_type": m.material_type.code,
                "original_name": m.original_name,
                "content_type": m.content_type,
                "size": m.size,
                "sha256": m.sha256,
            }
            for m in selectors.current_materials(case)
        ],
    }


def incoming_files(request: HttpRequest) -> list[IncomingMaterial]:
    out = []
    for code in request.FILES:
        files = request.FILES.getlist(code)
        if len(files) > 1:
            raise ValidationFailed(
                "material.duplicate",
                f"材料 {code} 只能上传一个文件",
                f"Upload one file for material {code}",
            )
        upload = files[0]
        name = upload.name or code
        out.append(IncomingMaterial(code, name, read_capped(upload, name)))
    return out


def _parse(schema: type, raw: str) -> Any:
    try:
        return schema.model_validate_json(raw)  # type: ignore[attr-defined]
    except PydanticValidationError as exc:
        errors = [
            {"field": "/".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in exc.errors()
        ]
        raise ValidationFailed(
            "request.invalid", "请求格式有误", "Malformed request", details={"errors": errors}
        ) from exc


@router.post(
    "",
    response={201: CaseDetailOut, **ERRORS},
    summary="Submit a case",
    description="multipart/form-data: `payload` (JSON, CaseSubmitIn) plus one file per "
    "material, the form field named by the material type code. An `Idempotency-Key` header "
    "makes retries safe: the same key with the same request returns the first case; with a "
    "different request it is refused (409 `idempotency.key_reused`).",
)
def submit(request: HttpRequest, payload: Form[str]) -> Status:
    data: CaseSubmitIn = _parse(CaseSubmitIn, payload)
    user: User = request.user  # type: ignore[assignment]
    applicant = Applicant.objects.filter(pk=data.applicant_id).select_related("owner").first()
    centre = None
    if data.intake_centre:
        centre = centre_by_code(data.intake_centre)
        if centre is None:
            raise NotFound("centre.not_found", "未找到服务中心", "No such service centre")
    if applicant is None or (centre is None and applicant.owner_id != user.pk):
        raise NotFound("applicant.not_found", "未找到申请人", "No such applicant")
    materials = incoming_files(request)
    key = request.headers.get("Idempotency-Key", "")
    if not key:
        number = _submit(user, data, applicant, centre, materials)
        return Status(201, case_detail(user, selectors.case_for(user, number)))
    fingerprint = {
        "payload": data.model_dump(),
        "files": sorted(
            (m.material_code, hashlib.sha256(m.content).hexdigest()) for m in materials
        ),
    }
    # A retried or doubled submission with the same key creates one case and answers alike.
    with idempotent(scope=f"cases.submit:user:{user.pk}", key=key, request=fingerprint) as call:
        if call.replayed and call.result:
            number = call.result["case"]
        else:
            number = _submit(user, data, applicant, centre, materials)
            call.result = {"case": number}
    return Status(201, case_detail(user, selectors.case_for(user, number)))


def _submit(
    user: User,
    data: CaseSubmitIn,
    applicant: Applicant,
    centre: Any,
    materials: list[IncomingMaterial],
) -> str:
    return services.submit_case(
        actor=user,
        reason=data.reason,
        item=item_by_code(data.item),
        applicant=applicant,
        form_data=data.form_data,
        registered_address=data.registered_address,
        materials=materials,
        delivery_method=data.delivery_method,
        delivery_address=data.delivery_address,
        intake_centre=centre,
    ).number


@router.get("", response=list[CaseOut], summary="My cases, or a staff member's inbox")
@paginate(LimitOffsetPagination)
def list_cases(request: HttpRequest, status: str | None = None, to_decide: bool = False) -> Any:
    user: User = request.user  # type: ignore[assignment]
    if staff_scope(user).is_staff:
        cases = selectors.staff_inbox(user, status=status, to_decide=to_decide)
    else:
        cases = selectors.applicant_cases(user)
        if status:
            cases = cases.filter(status=status)
    return cases


@router.get("/{number}", response={200: CaseDetailOut, **ERRORS}, summary="One case")
def get_case(request: HttpRequest, number: str) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    return case_detail(user, selectors.case_for(user, number))


def _act(
    request: HttpRequest, number: str, service: Any, body: DecisionIn, **extra: Any
) -> dict[str, Any]:
    """Run one case service for a user who may see the case; return the case as they see it."""
    user: User = request.user  # type: ignore[assignment]
    selectors.case_for(user, number)
    service(
        actor=user,
        number=number,
        reason=body.reason,
        expected_version=body.expected_version,
        **extra,
    )
    return case_detail(user, selectors.case_for(user, number))


DETAIL = {200: CaseDetailOut, **ERRORS}


@router.post("/{number}/accept", response=DETAIL, summary="Accept (受理)")
def accept(request: HttpRequest, number: str, body: DecisionIn) -> dict[str, Any]:
    return _act(request, number, services.accept_case, body)


@router.post("/{number}/return", response=DETAIL, summary="Return for correction (补正)")
def return_for_correction(request: HttpRequest, number: str, body: ReturnIn) -> dict[str, Any]:
    return _act(request, number, services.return_case, body, points=body.points)


@router.post("/{number}/resubmit", response=DETAIL, summary="Resubmit after correction")
def resubmit(request: HttpRequest, number: str, body: ResubmitIn) -> dict[str, Any]:
    return _act(request, number, services.resubmit_case, body, form_data=body.form_data)


@router.post("/{number}/approve", response=DETAIL, summary="Approve")
def approve(request: HttpRequest, number: str, body: DecisionIn) -> dict[str, Any]:
    return _act(request, number, services.approve_case, body)


@router.post("/{number}/reject", response=DETAIL, summary="Reject")
def reject(request: HttpRequest, number: str, body: DecisionIn) -> dict[str, Any]:
    return _act(request, number, services.reject_case, body)


@router.post(
    "/{number}/delivery",
    response=DETAIL,
    summary="Record delivery (EMS number or window collection)",
)
def deliver(request: HttpRequest, number: str, body: DeliveryIn) -> dict[str, Any]:
    return _act(
        request, number, services.record_delivery, body, tracking_number=body.tracking_number
    )
