"""Reform 3 (企业登记智慧办): unattended "second-level" company registration.

`apply_unattended(*, applicant_user, form, identity_document, delivery, idempotency_key)`
takes the short form and a photo of the identity document, fills the registration from
shared data (region and registration authority from the gazetteer, the name from the region
+ trade name + industry wording + form), checks identity, restriction lists, name, business
scope and address through the registries' seam, and lets the pack's BPMN process run the
DMN table `r03_registration_decision` (packs/r03_unattended_approval) — the engine records
the decision (DecisionRecord + `decision_made`). Approved: the company is registered (new
USCC), its electronic business licence issued and `entity.registered` queued for every
subscribed department, all in the one transaction that also holds the idempotency key, so
the same key never makes a second company. Refused or routed: each reason carries its
code, message and remedy, and nothing but the exchange log, the decision and the ledger is
stored. No step waits for a person.

Input that cannot be checked at all (bad form, an address the gazetteer does not know, an
upload that is not an image) is refused with a 422 before anything is written.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from typing import Any

import jsonschema
from django.utils import timezone

from onewindow.accounts.models import Applicant, User
from onewindow.catalog.services import default_packs_root
from onewindow.certificates import services as certificate_services
from onewindow.core.errors import ValidationFailed
from onewindow.core.gazetteer import AddressResolution, resolve_address
from onewindow.core.gazetteer.index import get_gazetteer
from onewindow.core.identifiers import validate_resident_id
from onewindow.ledger.services import append_entry
from onewindow.notifications import services as outbox
from onewindow.notifications.idempotency import idempotent
from onewindow.registries import services
from onewindow.registries.address_checks import check_address
from onewindow.registries.checks import check_business_scope, check_name
from onewindow.registries.constants import EntityType
from onewindow.registries.exchange import QueryContext
from onewindow.registries.person_checks import check_restrictions, verify_identity
from onewindow.registries.results import ERROR, CheckResult
from onewindow.workflow import services as workflow_services

ACTOR = "system:r03"
PROCESS_ID = "r03_unattended_decision"
PACK_CODE = "r03_unattended_approval"
EVENT_TYPE = "entity.registered"
IDEMPOTENCY_SCOPE = "registries.unattended"
REASON = "企业登记无人审批 Unattended company registration"
DELIVERY_METHODS = ("kiosk", "window", "ems")
# Warnings the table sends to a registrar rather than deciding alone.
REVIEW_CODES = frozenset({"restriction.revoked_entity_representative"})
COMPANY_TYPE = "有限责任公司（自然人投资或控股）"

_ID = {"type": "string", "pattern": r"^\d{17}[\dXx]$"}
FORM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "representative_name",
        "representative_id",
        "trade_name",
        "industry_wording",
        "business_scope",
        "address",
        "premises_type",
        "investors",
    ],
    "properties": {
        "representative_name": {"type": "string", "minLength": 2, "maxLength": 30},
        "representative_id": _ID,
        "trade_name": {"type": "string", "minLength": 1, "maxLength": 10},
        "industry_wording": {"type": "string", "minLength": 2, "maxLength": 20},
        "organisational_form": {"enum": ["有限公司", "有限责任公司"]},
        "registered_capital_wan": {"type": "number", "exclusiveMinimum": 0, "maximum": 1e7},
        "business_scope": {
            "type": "array",
            "minItems": 1,
            "maxItems": 30,
            "items": {"type": "string", "minLength": 2, "maxLength": 60},
        },
        "address": {"type": "string", "minLength": 6, "maxLength": 120},
        "premises_type": {"enum": ["owned", "leased", "hosted"]},
        "certificate_number": {"type": "string", "maxLength": 60},
        "investors": {
            "type": "array",
            "minItems": 1,
            "maxItems": 50,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "resident_id"],
                "properties": {
                    "name": {"type": "string", "minLength": 2, "maxLength": 30},
                    "resident_id": _ID,
                },
            },
        },
    },
}


def _invalid(code: str, zh: str, en: str, **details: Any) -> ValidationFailed:
    return ValidationFailed(code, zh, en, details=details)


def validate_form(form: Mapping[str, Any]) -> dict[str, Any]:
    """The form as the schema allows it, resident ID numbers checked (GB 11643)."""
    data = dict(form)
    errors = sorted(jsonschema.Draft202012Validator(FORM_SCHEMA).iter_errors(data), key=str)
    if errors:
        first = errors[0]
        field = "/".join(str(p) for p in first.absolute_path) or "(form)"
        raise _invalid(
            "r03.bad_form", f"表单填写有误：{field}", f"Invalid form: {field}", field=field
        )
    for field, number in [("representative_id", data["representative_id"])] + [
        (f"investors/{i}/resident_id", inv["resident_id"])
        for i, inv in enumerate(data["investors"])
    ]:
        try:
            validate_resident_id(number)
        except ValidationFailed as error:
            raise _invalid(
                "r03.bad_resident_id",
                f"公民身份号码无效：{field}",
                f"Invalid resident ID number: {field}",
                field=field,
                reason=error.code,
            ) from error
    return data


def validate_delivery(delivery: Mapping[str, Any]) -> dict[str, str]:
    method = str(delivery.get("method", ""))
    address = str(delivery.get("address", "")).strip()
    if method not in DELIVERY_METHODS:
        raise _invalid(
            "r03.bad_delivery",
            "领取方式应为自助终端打印、窗口领取或邮政EMS",
            "Delivery must be kiosk print, window pick-up or EMS",
            allowed=list(DELIVERY_METHODS),
        )
    if method == "ems" and not 6 <= len(address) <= 120:
        raise _invalid(
            "r03.delivery_address_required",
            "邮政EMS送达须填写6至120字的邮寄地址",
            "EMS delivery needs a postal address of 6 to 120 characters",
        )
    return {"method": method, "address": address if method == "ems" else ""}


def _region(resolution: AddressResolution) -> tuple[str, str]:
    """(name region word, prefecture name): 襄阳市 → 襄阳."""
    prefecture = get_gazetteer().prefectures[resolution.city_code].name
    return prefecture.removesuffix("市"), prefecture


def _run_checks(
    data: dict[str, Any], name: str, photo: bytes, context: QueryContext
) -> list[CheckResult]:
    investor_ids = [i["resident_id"].upper() for i in data["investors"]]
    return [
        verify_identity(
            name=data["representative_name"],
            resident_id=data["representative_id"].upper(),
            photo=photo,
            context=context,
        ),
        check_restrictions(
            resident_ids=list(dict.fromkeys([data["representative_id"].upper(), *investor_ids])),
            context=context,
        ),
        check_name(name=name, context=context),
        check_business_scope(entries=data["business_scope"], context=context),
        check_address(
            address=data["address"],
            premises_type=data["premises_type"],
            certificate_number=data.get("certificate_number", ""),
            context=context,
        ),
    ]


def decision_facts(results: list[CheckResult]) -> dict[str, bool]:
    """What the DMN table reads: one pass/fail per check and the two reasons to route."""
    by_check = {r.check: r for r in results}
    codes = {code for r in results for code in r.codes}
    return {
        "identity_passed": by_check["identity"].passed,
        "restrictions_passed": by_check["restrictions"].passed,
        "name_passed": by_check["name"].passed,
        "scope_passed": by_check["business_scope"].passed,
        "address_passed": by_check["address"].passed,
        "permit_required": "scope.permit_required" in codes,
        "review_required": bool(codes & REVIEW_CODES),
    }


def _reasons(outcome: str, results: list[CheckResult]) -> list[dict[str, Any]]:
    """Refused: every error of every failed check. Routed: the licensed entries (with the
    way forward) and the warnings a registrar weighs."""
    if outcome == "refused":
        return [i.as_dict() for r in results for i in r.issues if i.severity == ERROR]
    if outcome != "routed":
        return []
    out = []
    for issue in (i for r in results for i in r.issues):
        if issue.code == "scope.permit_required":
            reason = issue.as_dict()
            permit = issue.details.get("permit_name", "")
            reason["remedy_zh"] = (
                f"请通过“一照通”事项申请营业执照并同时申请{permit}，或删除该许可项目后重新申请"
            )
            reason["remedy_en"] = (
                "Apply through 'one licence, many permits' for the licence together with the "
                "permit, or remove the licensed entry and apply again"
            )
            out.append(reason)
        elif issue.code in REVIEW_CODES:
            out.append(issue.as_dict())
    return out


def _decide(reference: str, facts: dict[str, Any], delivery: dict[str, str]) -> dict[str, Any]:
    instance = workflow_services.start_process(
        process_id=PROCESS_ID,
        actor=ACTOR,
        reason=REASON,
        subject=f"registration:{reference}",
        business_key=reference,
        data={**facts, "reference": reference, "delivery_method": delivery["method"]},
        pack_dir=default_packs_root() / PACK_CODE,
    )
    return {
        "outcome": instance.variables["outcome"],
        "basis": instance.variables["basis"],
        "process_instance": instance.pk,
    }


def _register(
    data: dict[str, Any], name: str, resolution: AddressResolution, industry_key: str
) -> Any:
    return services.register_entity(
        name=name,
        entity_type=EntityType.ENTERPRISE,
        registered_address=resolution.normalized,
        legal_representative=data["representative_name"],
        legal_representative_id=data["representative_id"].upper(),
        industry_code=industry_key or "",
        authority_division=resolution.city_code,
        actor=ACTOR,
        reason=REASON,
        legal_form=data.get("organisational_form", "有限公司"),
        division_code=resolution.division_code or "",
    )


def _licence(
    entity: Any, data: dict[str, Any], prefecture: str, applicant: Applicant | None
) -> Any:
    details = {
        "company_type": COMPANY_TYPE,
        "legal_representative": entity.legal_representative,
        "address": entity.registered_address,
        "established_on": entity.established_on.isoformat(),
    }
    if data.get("registered_capital_wan"):
        details["registered_capital"] = f"{data['registered_capital_wan']:g}万元"
    return certificate_services.issue_licence_with_permits(
        actor=ACTOR,
        reason=REASON,
        holder_name=entity.name,
        holder_code=entity.uscc,
        department_code="samr",
        authority_name=f"{prefecture}市场监督管理局",
        region_code=entity.registration_authority,
        scope="；".join(data["business_scope"]),
        details=details,
        applicant=applicant,
    )


def _announce(entity: Any, licence: Any, data: dict[str, Any], reference: str) -> None:
    """`entity.registered` for seal-making, tax, social security and banks (their
    subscriptions decide who gets it), in the caller's transaction."""
    outbox.enqueue_event(
        event_type=EVENT_TYPE,
        subject=f"market_entity:{entity.uscc}",
        payload={
            "uscc": entity.uscc,
            "name": entity.name,
            "entity_type": entity.entity_type,
            "company_type": COMPANY_TYPE,
            "registered_address": entity.registered_address,
            "division_code": entity.division_code,
            "legal_representative": entity.legal_representative,
            "legal_representative_id": entity.legal_representative_id,
            "investors": [
                {"name": i["name"], "resident_id": i["resident_id"].upper()}
                for i in data["investors"]
            ],
            "business_scope": data["business_scope"],
            "industry_code": entity.industry_code,
            "registration_authority": entity.registration_authority,
            "established_on": entity.established_on.isoformat(),
            "licence_number": licence.number,
            "registration_reference": reference,
        },
        actor=ACTOR,
        reason=REASON,
    )


def _applicant_of(user: User) -> Applicant | None:
    return Applicant.objects.filter(owner=user).order_by("pk").first()


def _request(user: User, form: Mapping[str, Any], photo: bytes, delivery: Any) -> dict[str, Any]:
    return {
        "user": user.pk,
        "form": dict(form),
        "identity_document": hashlib.sha256(photo).hexdigest(),
        "delivery": dict(delivery),
    }


def apply_unattended(
    *,
    applicant_user: User,
    form: Mapping[str, Any],
    identity_document: bytes,
    delivery: Mapping[str, Any],
    idempotency_key: str,
) -> dict[str, Any]:
    """Check, decide and (approved) register, license and announce, in one transaction.

    Returns {"reference", "outcome": "approved"|"refused"|"routed", "basis", "reasons",
    "checks", "delivery", "decided_in_ms"} and, approved, "uscc", "name", "licence_number".
    The same key with the same request returns the first answer; with another, 409.
    """
    data = validate_form(form)
    how = validate_delivery(delivery)
    resolution = resolve_address(data["address"])  # 422 address.* when it cannot be placed
    region, prefecture = _region(resolution)
    form_word = data.get("organisational_form", "有限公司")
    name = f"{region}{data['trade_name']}{data['industry_wording']}{form_word}"
    request = _request(applicant_user, form, identity_document, delivery)
    with idempotent(scope=IDEMPOTENCY_SCOPE, key=idempotency_key, request=request) as call:
        if call.replayed:
            return dict(call.result or {}) | {"replayed": True}
        started = timezone.now()
        reference = f"R03{started:%Y%m%d}{uuid.uuid4().hex[:10].upper()}"
        context = QueryContext(
            requester=ACTOR,
            purpose="企业登记无人审批核验 Unattended registration check",
            legal_basis="《市场主体登记管理条例》第十七条、第十九条",
            requester_department="samr",
            reference=reference,
        )
        results = _run_checks(data, name, identity_document, context)
        decided = _decide(reference, decision_facts(results), how)
        answer = _answer(reference, name, decided, results, how)
        if decided["outcome"] == "approved":
            industry = next(r for r in results if r.check == "name").data.get("industry_key", "")
            entity = _register(data, name, resolution, industry)
            licence = _licence(entity, data, prefecture, _applicant_of(applicant_user))
            _announce(entity, licence, data, reference)
            answer |= {"uscc": entity.uscc, "licence_number": licence.number}
        answer["decided_in_ms"] = round((timezone.now() - started).total_seconds() * 1000, 1)
        _record(reference, answer, applicant_user)
        call.result = answer
    return answer


def _answer(
    reference: str,
    name: str,
    decided: dict[str, Any],
    results: list[CheckResult],
    delivery: dict[str, str],
) -> dict[str, Any]:
    return {
        "reference": reference,
        "name": name,
        "outcome": decided["outcome"],
        "basis": decided["basis"],
        "process_instance": decided["process_instance"],
        "reasons": _reasons(decided["outcome"], results),
        "checks": {r.check: {"passed": r.passed, "codes": r.codes} for r in results},
        "delivery": delivery if decided["outcome"] == "approved" else None,
    }


def _record(reference: str, answer: dict[str, Any], user: User) -> None:
    """The decision in the ledger (who asked, what was decided, what was issued)."""
    append_entry(
        actor=ACTOR,
        event="registration_decided",
        subject=f"registration:{reference}",
        reason=REASON,
        payload={
            "applicant_user": user.pk,
            "name": answer["name"],
            "outcome": answer["outcome"],
            "codes": [r["code"] for r in answer["reasons"]],
            "uscc": answer.get("uscc", ""),
            "licence_number": answer.get("licence_number", ""),
            "delivery": answer["delivery"],
            "process_instance": answer["process_instance"],
        },
    )


__all__ = ["apply_unattended", "decision_facts", "validate_delivery", "validate_form"]
