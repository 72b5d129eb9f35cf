"""Checks about people and entities: restriction lists, a representative of a revoked
company, credit grade, identity verification with a photo."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils import timezone

from onewindow.core.errors import DomainError
from onewindow.core.identifiers import mask_resident_id, validate_resident_id
from onewindow.registries import policies
from onewindow.registries.connectors import identity
from onewindow.registries.constants import EntityStatus, ListKind, Source
from onewindow.registries.exchange import QueryContext, query
from onewindow.registries.results import WARNING, CheckResult, Issue

_LIST_TEXT = {
    ListKind.BLACKLIST: (
        "restriction.blacklisted",
        "列入严重违法失信名单",
        "is on the blacklist of serious offenders",
        "依法完成信用修复并移出名单后再申请",
        "Apply after credit repair has removed the entry",
    ),
    ListKind.DISHONEST_DEBTOR: (
        "restriction.dishonest_debtor",
        "为失信被执行人",
        "is a dishonest judgment debtor",
        "履行生效法律文书确定的义务、被人民法院移出名单后再申请",
        "Apply after meeting the judgment and being removed from the list by the court",
    ),
    ListKind.RESTRICTED_REGISTRATION: (
        "restriction.registration_restricted",
        "被限制办理市场主体登记",
        "may not register market entities",
        "限制期满或解除后再申请",
        "Apply when the restriction ends or is lifted",
    ),
}


def masked(identifier: str) -> str:
    try:
        return mask_resident_id(validate_resident_id(identifier).number)
    except DomainError:
        return identifier


def _parse(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def check_restrictions(
    *, resident_ids: Sequence[str] = (), usccs: Sequence[str] = (), context: QueryContext
) -> CheckResult:
    """Persons (investors, representative) and entities (corporate investors) against the
    three lists; a representative of a company whose licence was revoked in the last three
    years is flagged for a person to decide (personal liability is not in the data)."""
    identifiers = [i.strip().upper() for i in [*resident_ids, *usccs] if i and i.strip()]
    entries = query(
        Source.RESTRICTIONS,
        "entries_for",
        context=context,
        subject="identifiers:" + ",".join(masked(i) for i in identifiers)[:180],
        call=lambda c: c.entries_for(identifiers),
    )
    today = timezone.localdate()
    issues = []
    for entry in entries:
        if not policies.in_force(
            listed_on=date.fromisoformat(entry.listed_on),
            expires_on=_parse(entry.expires_on),
            removed_on=_parse(entry.removed_on),
            today=today,
        ):
            continue
        code, zh, en, rzh, ren = _LIST_TEXT[ListKind(entry.kind)]
        who = masked(entry.identifier)
        issues.append(
            Issue(
                code,
                f"{entry.name}（{who}）{zh}",
                f"{entry.name} ({who}) {en}",
                rzh,
                ren,
                details={
                    "identifier": who,
                    "list": entry.kind,
                    "authority": entry.authority,
                    "document_number": entry.document_number,
                    "listed_on": entry.listed_on,
                },
            )
        )
    issues += _revoked_representative_issues(resident_ids, context, today)
    return CheckResult("restrictions", tuple(issues), {"checked": len(identifiers)})


def _represented_by(connector: Any, *, resident_id: str) -> Any:
    return connector.represented_by(resident_id)


def _revoked_representative_issues(
    resident_ids: Sequence[str], context: QueryContext, today: date
) -> list[Issue]:
    issues = []
    for resident_id in resident_ids:
        entities = query(
            Source.MARKET_ENTITIES,
            "represented_by",
            context=context,
            subject=f"representative:{masked(resident_id)}",
            call=functools.partial(_represented_by, resident_id=resident_id),
        )
        for entity in entities:
            if entity.status == EntityStatus.REVOKED and policies.revoked_within(
                status_changed_on=_parse(entity.status_changed_on), today=today
            ):
                issues.append(
                    Issue(
                        "restriction.revoked_entity_representative",
                        f"申请人曾任被吊销营业执照的“{entity.name}”法定代表人，未满三年",
                        f"The person represented {entity.name}, revoked less than 3 years ago",
                        "如对吊销不负有个人责任，请提交说明，由登记人员审查",
                        "If not personally liable, explain it for a registrar to review",
                        severity=WARNING,
                        details={"uscc": entity.uscc, "revoked_on": entity.status_changed_on},
                    )
                )
    return issues


def check_credit(*, identifier: str, context: QueryContext) -> CheckResult:
    record = query(
        Source.CREDIT,
        "rating_of",
        context=context,
        subject=f"credit:{masked(identifier)}",
        call=lambda c: c.rating_of(identifier),
    )
    if record is None:
        return CheckResult("credit", (), {"grade": None})
    severity = policies.credit_severity(record.grade)
    issues: tuple[Issue, ...] = ()
    if severity:
        issues = (
            Issue(
                "credit.low_rating",
                f"信用等级为{record.grade}级",
                f"The credit grade is {record.grade}",
                "由登记人员审查，或完成信用修复后再申请",
                "A registrar reviews the application, or apply after credit repair",
                severity=severity,
                details={"grade": record.grade, "authority": record.authority},
            ),
        )
    return CheckResult("credit", issues, {"grade": record.grade, "rated_on": record.rated_on})


_IDENTITY_TEXT = {
    identity.NOT_FOUND: (
        "identity.not_found",
        "未能核验该身份证件",
        "The identity could not be verified",
    ),
    identity.NAME_MISMATCH: (
        "identity.name_mismatch",
        "姓名与公民身份号码不一致",
        "The name does not match the resident ID",
    ),
    identity.PHOTO_MISMATCH: (
        "identity.photo_mismatch",
        "照片与身份信息不一致",
        "The photo does not match the person",
    ),
}


def verify_identity(
    *, name: str, resident_id: str, photo: bytes, context: QueryContext
) -> CheckResult:
    try:
        number = validate_resident_id(resident_id).number
    except DomainError as exc:
        issue = Issue(
            "identity.invalid_resident_id",
            exc.message_zh,
            exc.message_en,
            "核对公民身份号码",
            "Check the resident ID number",
            details={"reason": exc.code},
        )
        return CheckResult("identity", (issue,))
    answer = query(
        Source.IDENTITY,
        "verify",
        context=context,
        subject=f"identity:{mask_resident_id(number)}",
        call=lambda c: c.verify(name=name.strip(), resident_id=number, photo=photo),
        found=lambda a: a.result == identity.MATCH,
    )
    data: dict[str, Any] = {"result": answer.result, "score": answer.score}
    if answer.result == identity.MATCH:
        return CheckResult("identity", (), data)
    code, zh, en = _IDENTITY_TEXT.get(answer.result, _IDENTITY_TEXT[identity.NOT_FOUND])
    issue = Issue(
        code,
        zh,
        en,
        "核对姓名和证件号，重新拍摄本人正面照片后再试，或到窗口核验",
        "Check the name and number, retake a front-facing photo, or verify at a window",
        details=data,
    )
    return CheckResult("identity", (issue,), data)
