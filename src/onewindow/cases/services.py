"""Write operations on cases. Each takes keyword arguments with an explicit actor and reason,
validates everything before it writes, and records the case event and the ledger entry in
the same transaction. Nothing stored before changes when a check fails."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from onewindow.accounts.constants import StaffRole
from onewindow.accounts.models import Applicant, ServiceCentre, User
from onewindow.accounts.selectors import staff_scope
from onewindow.cases import materials as material_files
from onewindow.cases import policies, process
from onewindow.cases.constants import (
    CITY_PREFIX,
    CaseEventName,
    CaseStatus,
    DeliveryMethod,
    IntakeMode,
)
from onewindow.cases.events import log_event
from onewindow.cases.models import Case, CaseCounter, CaseEvent, Material
from onewindow.cases.snapshots import case_snapshot, facts_of
from onewindow.catalog import policies as catalog_policies
from onewindow.catalog.constants import ItemLevel
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.selectors import requirements_of
from onewindow.core.calendar import get_calendar
from onewindow.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from onewindow.core.gazetteer import resolve_address
from onewindow.core.gazetteer.index import get_gazetteer
from onewindow.ledger import selectors as ledger_selectors
from onewindow.workflow.models import TaskItem

INTAKE_ROLES = {StaffRole.WINDOW_CLERK, StaffRole.HELPER}


def actor_label(user: User) -> str:
    return f"{user.get_full_name() or user.username} ({user.username})"


def _check_materials(
    item: ServiceItem,
    form: dict[str, Any],
    incoming: list[material_files.IncomingMaterial],
    *,
    already_supplied: frozenset[str] = frozenset(),
) -> list[material_files.CheckedMaterial]:
    requirements = requirements_of(item)
    accepted = {r.material_code: r.accepted_types for r in requirements}
    unexpected = sorted({m.material_code for m in incoming} - accepted.keys())
    if unexpected:
        raise ValidationFailed(
            "material.not_expected",
            f"该事项不需要这些材料：{unexpected}",
            f"This item does not ask for: {unexpected}",
            details={"materials": unexpected},
        )
    checked = [material_files.check(m, accepted[m.material_code]) for m in incoming]
    supplied = already_supplied | {m.material_code for m in checked}
    missing = [
        c for c in catalog_policies.required_materials(requirements, form) if c not in supplied
    ]
    if missing:
        raise ValidationFailed(
            "material.missing",
            f"缺少必需材料：{', '.join(missing)}",
            f"Required materials missing: {', '.join(missing)}",
            details={"missing": missing},
        )
    return checked


def _store_materials(
    case: Case, actor: User, checked: list[material_files.CheckedMaterial], written: list[str]
) -> list[dict[str, Any]]:
    from onewindow.catalog.models import MaterialType

    types = {
        t.code: t for t in MaterialType.objects.filter(code__in=[m.material_code for m in checked])
    }
    now = timezone.now()
    rows = []
    for m in checked:
        Material.objects.filter(
            case=case, material_type=types[m.material_code], superseded=False
        ).update(superseded=True)
        name = material_files.store(m)
        written.append(name)
        Material.objects.create(
            case=case,
            material_type=types[m.material_code],
            original_name=m.filename,
            storage_name=name,
            content_type=m.content_type,
            size=len(m.content),
            sha256=m.sha256,
            uploaded_by=actor,
            uploaded_at=now,
        )
        rows.append({"type": m.material_code, "sha256": m.sha256, "size": len(m.content)})
    return rows


def _next_number(prefix: str) -> str:
    today = timezone.localdate()
    counter, _ = CaseCounter.objects.select_for_update().get_or_create(prefix=prefix, day=today)
    counter.last += 1
    counter.save(update_fields=["last"])
    return policies.case_number(prefix, today.strftime("%Y%m%d"), counter.last)


def _log(case: Case, actor: User, name: str, reason: str, data: dict[str, Any]) -> CaseEvent:
    return log_event(
        case,
        actor=actor,
        ledger_actor=f"user:{actor.pk}",
        actor_label=actor_label(actor),
        name=name,
        reason=reason,
        data=data,
    )


MAX_REASON = 500
MAX_ADDRESS = 200


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("case.reason_required", "请填写理由", "A reason is required")
    if len(reason) > MAX_REASON:
        raise ValidationFailed(
            "case.reason_too_long",
            f"理由不能超过 {MAX_REASON} 字",
            f"The reason may have at most {MAX_REASON} characters",
        )
    return reason


def _check_intake(actor: User, applicant: Applicant, intake_centre: ServiceCentre | None) -> str:
    if intake_centre is None:
        if applicant.owner_id != actor.pk:
            raise PermissionDenied(
                "case.not_applicant",
                "只能为自己的申请人账户提交",
                "You may only apply for applicants you own",
            )
        return IntakeMode.ONLINE
    if not actor.assignments.filter(centre=intake_centre, role__in=INTAKE_ROLES).exists():
        raise PermissionDenied(
            "case.not_intake_staff",
            "您不是该服务中心的收件人员",
            "You are not intake staff of this service centre",
        )
    return IntakeMode.ASSISTED


def _resolve_home(item: ServiceItem, address: str) -> tuple[Any, str, str]:
    resolution = resolve_address(address)
    if item.regions and resolution.city_code not in item.regions:
        raise ValidationFailed(
            "case.item_not_offered",
            f"该事项不在{resolution.jurisdiction_name}办理",
            f"This item is not offered for {resolution.jurisdiction_name}",
            details={"regions": item.regions},
        )
    if item.level == ItemLevel.CITY:
        city = get_gazetteer().prefectures[resolution.city_code]
        return resolution, city.code, city.name
    return resolution, resolution.jurisdiction_code, resolution.jurisdiction_name


def submit_case(
    *,
    actor: User,
    reason: str,
    item: ServiceItem,
    applicant: Applicant,
    form_data: dict[str, Any],
    registered_address: str,
    materials: list[material_files.IncomingMaterial],
    delivery_method: str,
    delivery_address: str = "",
    intake_centre: ServiceCentre | None = None,
) -> Case:
    """Take in an application online (no intake centre) or at a centre on the applicant's
    behalf; route it to the home jurisdiction resolved from the registered address."""
    reason = _require_reason(reason)
    intake_mode = _check_intake(actor, applicant, intake_centre)
    form_data = catalog_policies.validate_form(item.form_schema, form_data)
    resolution, home_code, home_name = _resolve_home(item, registered_address)
    checked = _check_materials(item, form_data, materials)
    if delivery_method not in DeliveryMethod.values:
        raise ValidationFailed(
            "case.bad_delivery_method", "送达方式无效", "Invalid delivery method"
        )
    if delivery_method == DeliveryMethod.POST and not delivery_address.strip():
        raise ValidationFailed(
            "case.delivery_address_required",
            "邮寄送达须填写邮寄地址",
            "Delivery by post needs a postal address",
        )
    if len(delivery_address.strip()) > MAX_ADDRESS:
        raise ValidationFailed(
            "case.delivery_address_too_long",
            f"邮寄地址不能超过 {MAX_ADDRESS} 字",
            f"The postal address may have at most {MAX_ADDRESS} characters",
        )
    now = timezone.now()
    calendar = get_calendar()
    promised = calendar.add_working_days(timezone.localdate(now), item.promised_days)
    legal = calendar.add_working_days(timezone.localdate(now), item.legal_days)
    written: list[str] = []
    try:
        with transaction.atomic():
            prefix = CITY_PREFIX.get(resolution.city_code, "HB")
            case = Case.objects.create(
                number=_next_number(prefix),
                service_item=item,
                applicant=applicant,
                submitted_by=actor,
                intake_mode=intake_mode,
                intake_centre=intake_centre,
                home_jurisdiction=home_code,
                home_jurisdiction_name=home_name,
                registered_address=resolution.normalized,
                division_code=resolution.division_code or "",
                street_code=resolution.street_code or "",
                form_data=form_data,
                status=CaseStatus.SUBMITTED,
                submitted_at=now,
                promised_date=promised,
                legal_date=legal,
                delivery_method=delivery_method,
                delivery_address=delivery_address.strip(),
            )
            stored = _store_materials(case, actor, checked, written)
            process.start(case, actor, reason)
            _log(
                case,
                actor,
                CaseEventName.SUBMITTED,
                reason,
                {
                    "item": item.code,
                    "intake_mode": intake_mode,
                    "intake_centre": intake_centre.code if intake_centre else None,
                    "home_jurisdiction": home_code,
                    "materials": stored,
                    "promised_date": promised.isoformat(),
                },
            )
            process.decisions_to_timeline(case, actor, actor_label(actor))
    except BaseException:
        material_files.remove(written)
        raise
    return case


def _locked(number: str, expected_version: int | None) -> Case:
    case = Case.objects.select_for_update().filter(number=number).first()
    if case is None:
        raise NotFound("case.not_found", f"未找到办件 {number}", f"No case {number}")
    if expected_version is not None and case.version != expected_version:
        raise Conflict(
            "case.stale",
            "办件已被他人更新，请刷新后重试",
            "The case was changed by someone else; reload and try again",
            details={"current_version": case.version},
        )
    changed = ledger_selectors.changed_fields(f"case:{case.number}", case_snapshot(case))
    if changed:
        # Someone changed the row outside the services: refuse to build on it, so a later
        # legitimate step cannot cover the change up.
        raise Conflict(
            "case.tampered",
            f"办件数据与存证记录不一致（{'、'.join(changed)}），已停止办理，请联系管理员核查",
            f"The case no longer matches its ledger record ({', '.join(changed)}); "
            "handling is stopped until an administrator has checked it",
            details={"fields": changed},
        )
    return case


def _transition(case: Case, actor: User, transition: str) -> TaskItem:
    """Who may act comes from the case policy; what may be done now, from the open steps
    of the case's process. Returns the step that offers `transition`."""
    facts = facts_of(case)
    if not policies.can(actor.pk, staff_scope(actor), facts, policies.ACTION_OF[transition]):
        if transition in {"accept", "return", "approve", "reject"}:
            raise PermissionDenied(
                "case.not_home_approver",
                "只有住所地审批人员可以作出此决定",
                "Only approvers of the home jurisdiction may decide this case",
                details={"home_jurisdiction": case.home_jurisdiction},
            )
        raise PermissionDenied(
            "case.forbidden", "您无权进行此操作", "You are not allowed to do this"
        )
    step = process.open_step(case, transition)
    if step is None:
        raise Conflict(
            "case.bad_state",
            f"办件当前状态为“{case.get_status_display()}”，不能{transition}",
            f"The case is {case.status}; it cannot be {transition}ed now",
            details={"status": case.status, "transition": transition},
        )
    return step


def _step(case: Case, actor: User, transition: str, reason: str, data: dict[str, Any]) -> None:
    step = _transition(case, actor, transition)
    process.complete_step(case, actor, step, reason, {"action": transition, **data})


@transaction.atomic
def accept_case(
    *, actor: User, number: str, reason: str, expected_version: int | None = None
) -> Case:
    reason = _require_reason(reason)
    case = _locked(number, expected_version)
    _step(case, actor, "accept", reason, {})
    case.save(update_fields=["status", "version"])
    _log(case, actor, CaseEventName.ACCEPTED, reason, {})
    return case


@transaction.atomic
def return_case(
    *, actor: User, number: str, reason: str, points: list[str], expected_version: int | None = None
) -> Case:
    """Return for correction (补正), listing every point the applicant must correct."""
    reason = _require_reason(reason)
    points = [p.strip() for p in points if p and p.strip()]
    if not points:
        raise ValidationFailed(
            "case.correction_points_required",
            "请逐条列明需补正的内容",
            "List at least one point to correct",
        )
    case = _locked(number, expected_version)
    _step(case, actor, "return", reason, {"correction_points": points})
    case.save(update_fields=["status", "version"])
    _log(case, actor, CaseEventName.RETURNED, reason, {"points": points})
    return case


def resubmit_case(
    *,
    actor: User,
    number: str,
    reason: str,
    form_data: dict[str, Any] | None = None,
    materials: list[material_files.IncomingMaterial] | None = None,
    expected_version: int | None = None,
) -> Case:
    """The applicant (or intake staff) sends a corrected application; deadlines restart."""
    reason = _require_reason(reason)
    written: list[str] = []
    try:
        with transaction.atomic():
            case = _locked(number, expected_version)
            step = _transition(case, actor, "resubmit")
            form = case.form_data if form_data is None else form_data
            form = catalog_policies.validate_form(case.service_item.form_schema, form)
            supplied = frozenset(
                case.materials.filter(superseded=False).values_list(
                    "material_type__code", flat=True
                )
            )
            checked = _check_materials(
                case.service_item, form, materials or [], already_supplied=supplied
            )
            now = timezone.now()
            calendar = get_calendar()
            process.complete_step(
                case,
                actor,
                step,
                reason,
                {
                    "action": "resubmit",
                    "form_changed": form_data is not None,
                    "materials": [m.material_code for m in checked],
                },
            )
            case.form_data = form
            case.promised_date = calendar.add_working_days(
                timezone.localdate(now), case.service_item.promised_days
            )
            case.legal_date = calendar.add_working_days(
                timezone.localdate(now), case.service_item.legal_days
            )
            case.save()
            stored = _store_materials(case, actor, checked, written)
            _log(
                case,
                actor,
                CaseEventName.RESUBMITTED,
                reason,
                {
                    "materials": stored,
                    "form_changed": form_data is not None,
                    "promised_date": case.promised_date.isoformat(),
                },
            )
    except BaseException:
        material_files.remove(written)
        raise
    return case


@transaction.atomic
def approve_case(
    *, actor: User, number: str, reason: str, expected_version: int | None = None
) -> Case:
    reason = _require_reason(reason)
    case = _locked(number, expected_version)
    _step(case, actor, "approve", reason, {})
    case.decided_at, case.decided_by = timezone.now(), actor
    case.save(update_fields=["status", "version", "decided_at", "decided_by"])
    _log(case, actor, CaseEventName.APPROVED, reason, {})
    return case


@transaction.atomic
def reject_case(
    *, actor: User, number: str, reason: str, expected_version: int | None = None
) -> Case:
    reason = _require_reason(reason)
    case = _locked(number, expected_version)
    _step(case, actor, "reject", reason, {})
    case.decided_at, case.decided_by = timezone.now(), actor
    case.save(update_fields=["status", "version", "decided_at", "decided_by"])
    _log(case, actor, CaseEventName.REJECTED, reason, {})
    return case


@transaction.atomic
def record_delivery(
    *,
    actor: User,
    number: str,
    reason: str,
    tracking_number: str = "",
    expected_version: int | None = None,
) -> Case:
    """Record the result sent by EMS (with its tracking number) or collected at a window."""
    reason = _require_reason(reason)
    case = _locked(number, expected_version)
    tracking = ""
    if case.delivery_method == DeliveryMethod.POST:
        tracking = policies.normalise_tracking_number(tracking_number) or ""
        if not tracking:
            raise ValidationFailed(
                "case.bad_tracking_number",
                "EMS 运单号无效（应为 13 位，如 EA123456785CN）",
                "Invalid EMS tracking number (13 characters, e.g. EA123456785CN)",
                details={"value": tracking_number[:40]},
            )
    _step(case, actor, "deliver", reason, {"tracking_number": tracking})
    case.tracking_number, case.delivered_at = tracking, timezone.now()
    case.save(update_fields=["status", "version", "tracking_number", "delivered_at"])
    _log(
        case,
        actor,
        CaseEventName.DELIVERED,
        reason,
        {"method": case.delivery_method, "tracking_number": tracking},
    )
    return case
