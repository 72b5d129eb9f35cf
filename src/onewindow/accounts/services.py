"""Write operations on accounts: staff, applicants, login rate limiting, reference data."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onewindow.accounts.constants import ApplicantKind, StaffRole
from onewindow.accounts.models import (
    Applicant,
    Department,
    LoginFailure,
    ServiceCentre,
    StaffAssignment,
    User,
)
from onewindow.core import identifiers
from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.core.gazetteer import get_jurisdiction

DATA_DIR = Path(__file__).resolve().parent / "data"


def _record(actor: str, event: str, subject: str, reason: str, payload: dict[str, Any]) -> None:
    from onewindow.ledger.services import append_entry

    append_entry(actor=actor, event=event, subject=subject, reason=reason, payload=payload)


@transaction.atomic
def load_reference_data(*, actor: str = "system", reason: str = "load reference data") -> dict:
    """Create or update departments and service centres from the shipped YAML."""
    data = yaml.safe_load((DATA_DIR / "centres.yaml").read_text(encoding="utf-8"))
    for row in data["departments"]:
        Department.objects.update_or_create(
            code=row["code"],
            defaults={"name_zh": row["name_zh"], "name_en": row["name_en"], "kind": row["kind"]},
        )
    for position, row in enumerate(data["centres"]):
        get_jurisdiction(row["jurisdiction_code"]) if row["kind"] != "city" else None
        ServiceCentre.objects.update_or_create(
            code=row["code"],
            defaults={
                "position": position,
                **{
                    k: row[k]
                    for k in (
                        "name_zh",
                        "name_en",
                        "kind",
                        "city_code",
                        "jurisdiction_code",
                        "address",
                    )
                },
            },
        )
    counts = {"departments": len(data["departments"]), "centres": len(data["centres"])}
    _record(actor, "reference_data_loaded", "accounts:centres", reason, counts)
    return counts


@transaction.atomic
def create_staff(
    *,
    actor: str,
    reason: str,
    username: str,
    password: str,
    full_name: str,
    centre: ServiceCentre,
    roles: list[str],
    jurisdiction_code: str | None = None,
    department: Department | None = None,
) -> User:
    unknown = [r for r in roles if r not in StaffRole.values]
    if unknown:
        raise ValidationFailed(
            "staff.unknown_role", f"未知角色：{unknown}", f"Unknown roles: {unknown}"
        )
    user = User.objects.create_user(username=username, password=password, first_name=full_name)
    for role in roles:
        StaffAssignment.objects.create(
            user=user,
            centre=centre,
            role=role,
            department=department,
            jurisdiction_code=jurisdiction_code or centre.jurisdiction_code,
        )
    _record(
        actor,
        "staff_created",
        f"user:{user.pk}",
        reason,
        {"username": username, "centre": centre.code, "roles": sorted(roles)},
    )
    return user


def validate_applicant_identity(kind: str, *, resident_id: str, uscc: str) -> tuple[str, str]:
    """Return normalised (resident_id, uscc) or raise with a stable code."""
    if kind == ApplicantKind.PERSON:
        if not resident_id:
            raise ValidationFailed(
                "applicant.resident_id_required",
                "自然人须提供公民身份号码",
                "A natural person needs a resident ID number",
            )
        return identifiers.validate_resident_id(resident_id).number, ""
    if kind == ApplicantKind.COMPANY:
        if not uscc:
            raise ValidationFailed(
                "applicant.uscc_required",
                "企业须提供统一社会信用代码",
                "A company needs a unified social credit code",
            )
        return "", identifiers.validate_uscc(uscc)
    raise ValidationFailed("applicant.unknown_kind", "未知申请人类别", "Unknown applicant kind")


@transaction.atomic
def create_applicant(
    *,
    actor: str,
    reason: str,
    owner: User,
    kind: str,
    name: str,
    resident_id: str = "",
    uscc: str = "",
    phone: str = "",
    email: str = "",
) -> Applicant:
    resident_id, uscc = validate_applicant_identity(kind, resident_id=resident_id, uscc=uscc)
    name = name.strip()
    if not name:
        raise ValidationFailed(
            "applicant.name_required", "请填写申请人名称", "Applicant name is required"
        )
    clash = (
        Applicant.objects.filter(resident_id=resident_id)
        if resident_id
        else Applicant.objects.filter(uscc=uscc)
    )
    if clash.exists():
        raise DomainError(
            "applicant.exists", "该申请人已登记", "This applicant is already registered", status=409
        )
    applicant = Applicant.objects.create(
        owner=owner,
        kind=kind,
        name=name,
        resident_id=resident_id,
        uscc=uscc,
        phone=phone,
        email=email,
    )
    _record(
        actor,
        "applicant_created",
        f"applicant:{applicant.pk}",
        reason,
        {"kind": kind, "owner": owner.pk},
    )
    return applicant


def check_login_allowed(*, username: str, address: str) -> None:
    """Refuse a login attempt after too many recent failures for this user name from this
    address, or from this address at all, or (a distributed attack) for this user name from
    anywhere. The per-pair limit comes first so one attacker cannot lock a user out."""
    limit, window = settings.LOGIN_RATE_LIMIT
    since = timezone.now() - timedelta(seconds=window)
    recent = LoginFailure.objects.filter(created_at__gte=since)
    name = username.lower()
    if (
        recent.filter(username=name, address=address).count() >= limit
        or recent.filter(address=address).count() >= limit * 3
        or recent.filter(username=name).count() >= limit * 10
    ):
        minutes = max(1, window // 60)
        raise DomainError(
            "auth.rate_limited",
            f"登录失败次数过多，请 {minutes} 分钟后再试",
            f"Too many failed logins; please try again in {minutes} minutes",
            status=429,
            details={"retry_after_seconds": window},
        )


def record_login_failure(*, username: str, address: str) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], address=address[:64])
    cutoff = timezone.now() - timedelta(days=1)
    LoginFailure.objects.filter(created_at__lt=cutoff).delete()
