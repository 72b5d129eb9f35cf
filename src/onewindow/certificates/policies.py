"""Pure rules: status transitions, validity, numbering, masking, revocation hashes and who
may manage or read a certificate. No ORM here."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from onewindow.certificates.conf import REVOCATION_NAMESPACE
from onewindow.certificates.constants import CertificateEvent, CertificateStatus
from onewindow.core.errors import Conflict, ValidationFailed

S = CertificateStatus
TRANSITIONS: dict[str, dict[str, str]] = {
    # event -> {from status: to status}
    CertificateEvent.SUSPENDED: {S.VALID: S.SUSPENDED},
    CertificateEvent.REINSTATED: {S.SUSPENDED: S.VALID},
    CertificateEvent.REVOKED: {S.VALID: S.REVOKED, S.SUSPENDED: S.REVOKED},
    CertificateEvent.EXPIRED: {S.VALID: S.EXPIRED, S.SUSPENDED: S.EXPIRED},
}
LICENCE_DETAIL_FIELDS = (
    "company_type",  # 类型
    "legal_representative",  # 法定代表人
    "registered_capital",  # 注册资本 (text as printed, e.g. "壹佰万元整")
    "established_on",  # 成立日期 (ISO date)
    "address",  # 住所
)
_REGION = re.compile(r"^\d{6}$")
_NUMBER = re.compile(r"^[A-Z0-9-]{4,40}$")
MAX_NAME = 150
MAX_SCOPE = 2000


def actor_name(actor: Any) -> str:
    """Ledger actor for a user (``user:<pk>``) or a named system actor (``system:workflow``)."""
    if isinstance(actor, str):
        if not actor.strip():
            raise ValidationFailed(
                "certificates.no_actor", "必须指明操作人", "an actor is required"
            )
        return actor
    return f"user:{actor.pk}"


def next_status(event: str, current: str) -> str:
    target = TRANSITIONS[event].get(current)
    if target is None:
        raise Conflict(
            "certificates.transition_not_allowed",
            f"证照当前状态为 {current}，不能执行该操作",
            f"a {current} certificate cannot be {event.removeprefix('certificate_')}",
            details={"status": current, "event": event},
        )
    return target


def add_years(start: date, years: int) -> date:
    """The day before the same date `years` later (a 5-year permit from 2026-03-01 ends on
    2031-02-28); 29 February maps to 28 February."""
    try:
        end = start.replace(year=start.year + years)
    except ValueError:
        end = start.replace(year=start.year + years, day=28)
    return date.fromordinal(end.toordinal() - 1)


def validity(
    valid_from: date, valid_until: date | None, years: int | None
) -> tuple[date, date | None]:
    until = (
        valid_until
        if valid_until is not None
        else (add_years(valid_from, years) if years else None)
    )
    if until is not None and until < valid_from:
        raise ValidationFailed(
            "certificates.bad_validity",
            "有效期截止日早于起始日",
            "the validity ends before it starts",
            details={"valid_from": valid_from.isoformat(), "valid_until": until.isoformat()},
        )
    return valid_from, until


def effective_status(status: str, valid_until: date | None, today: date) -> str:
    """A valid certificate past its end date is expired even before the daily job marks it."""
    if status in (S.VALID, S.SUSPENDED) and valid_until is not None and today > valid_until:
        return S.EXPIRED
    return status


def certificate_number(prefix: str, region_code: str, year: int, sequence: int) -> str:
    if not _REGION.match(region_code):
        raise ValidationFailed(
            "certificates.bad_region",
            "区划代码应为6位数字",
            "the region code must be 6 digits (GB/T 2260)",
            details={"region_code": region_code},
        )
    return f"{prefix}{region_code}{year:04d}{sequence:07d}"


def check_number(number: str) -> str:
    value = number.strip().upper()
    if not _NUMBER.match(value):
        raise ValidationFailed(
            "certificates.bad_number",
            "证照编号只能包含大写字母、数字和连字符（4-40位）",
            "a certificate number has 4-40 capitals, digits or hyphens",
            details={"number": number[:60]},
        )
    return value


def check_text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    text = " ".join(str(value).split())
    if required and not text:
        raise ValidationFailed(
            "certificates.missing_field",
            f"缺少 {field}",
            f"{field} is required",
            details={"field": field},
        )
    if len(text) > limit:
        raise ValidationFailed(
            "certificates.field_too_long",
            f"{field} 过长（最多 {limit} 字）",
            f"{field} is longer than {limit} characters",
            details={"field": field},
        )
    return text


def licence_details(details: dict[str, Any]) -> dict[str, str]:
    unknown = sorted(set(details) - set(LICENCE_DETAIL_FIELDS))
    if unknown:
        raise ValidationFailed(
            "certificates.unknown_detail",
            f"未知的登记事项：{unknown}",
            f"unknown licence particulars: {unknown}",
            details={"fields": unknown},
        )
    return {k: check_text(str(details[k]), k, 200) for k in LICENCE_DETAIL_FIELDS if k in details}


def mask_person_name(name: str) -> str:
    """'张三' -> '张*', '欧阳小明' -> '欧***': a public page shows the surname only."""
    text = "".join(str(name).split())
    return text[:1] + "*" * (len(text) - 1) if text else ""


def revocation_hash(number: str) -> str:
    """The id of a certificate in the published revocation list (first 128 bits, hex)."""
    data = f"{REVOCATION_NAMESPACE}:{number}".encode()
    return hashlib.sha256(data).hexdigest()[:32]


def may_manage(assignments: Iterable[tuple[str, str | None]], department_code: str) -> bool:
    """Staff may suspend, reinstate or revoke a certificate of their own department as
    approver or supervisor; administrators may for every department."""
    for role, department in assignments:
        if role == "administrator":
            return True
        if role in {"approver", "supervisor"} and department == department_code:
            return True
    return False
