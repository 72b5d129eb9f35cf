"""Write operations on certificates. Keyword arguments, an explicit actor (a user or a named
system actor such as ``"system:workflow"``) and reason; one transaction per call holding the
rows, the status history and one ledger entry per certificate whose payload digest includes
the certificate hash (SHA-256 of the signed COSE_Sign1).

- `issue_licence_with_permits(...)`: a licence and its permits together (证照同发), one signed
  QR listing every permit — what a reform pack calls once its approvals are done.
- `issue_certificate(...)`: a stand-alone certificate (a title, a filing ...) with its own QR.
- `add_permits(...)`: permits granted later join the licence; its QR is signed again.
- `suspend_certificate`, `reinstate_certificate`, `revoke_certificate`: any certificate, one
  permit of a licence included; the next scan and the next revocation list show it.
- `expire_certificates`: the daily job marking certificates past their end date.
- `define_certificate_type`; `create_signing_key`, `rotate_signing_key`,
  `revoke_signing_key` (from `keys`); `verify_public` (from `public`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from onewindow.certificates import policies
from onewindow.certificates.constants import CertificateEvent, CertificateKind, CertificateStatus
from onewindow.certificates.history import record
from onewindow.certificates.issuing import (
    PermitRequest,
    add_permits,
    issue_certificate,
    issue_licence_with_permits,
)
from onewindow.certificates.keys import create_signing_key, revoke_signing_key, rotate_signing_key
from onewindow.certificates.models import Certificate, CertificateType
from onewindow.certificates.public import verify_public
from onewindow.core.errors import Conflict, NotFound, ValidationFailed
from onewindow.ledger.services import append_entry

__all__ = [
    "PermitRequest",
    "add_permits",
    "create_signing_key",
    "define_certificate_type",
    "expire_certificates",
    "issue_certificate",
    "issue_licence_with_permits",
    "reinstate_certificate",
    "revoke_certificate",
    "revoke_signing_key",
    "rotate_signing_key",
    "suspend_certificate",
    "verify_public",
]


def _change_status(certificate: Certificate, event: str, actor: Any, reason: str) -> Certificate:
    who = policies.actor_name(actor)
    policies.check_text(reason, "reason", 2000)
    with transaction.atomic():
        current = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("certificate_type", "licence", "issuing_department", "signing_key")
            .filter(pk=certificate.pk)
            .first()
        )
        if current is None:
            raise NotFound("certificates.not_found", "没有该证照", "no such certificate")
        before = current.status
        current.status = policies.next_status(event, before)
        current.save(update_fields=["status", "updated_at"])
        record(current, event, who, reason, before)
    certificate.refresh_from_db()
    return current


def suspend_certificate(*, certificate: Certificate, actor: Any, reason: str) -> Certificate:
    return _change_status(certificate, CertificateEvent.SUSPENDED, actor, reason)


def reinstate_certificate(*, certificate: Certificate, actor: Any, reason: str) -> Certificate:
    return _change_status(certificate, CertificateEvent.REINSTATED, actor, reason)


def revoke_certificate(*, certificate: Certificate, actor: Any, reason: str) -> Certificate:
    """Revoke a licence, a stand-alone certificate or one permit of a licence. The printed QR
    keeps its signature; the public page and the next revocation list show the revocation."""
    return _change_status(certificate, CertificateEvent.REVOKED, actor, reason)


def expire_certificates(
    *,
    actor: Any = "system:scheduler",
    reason: str = "有效期届满 validity ended",
    today: date | None = None,
) -> list[str]:
    """Mark every valid or suspended certificate past its end date as expired."""
    day = today or timezone.localdate()
    due = Certificate.objects.filter(
        status__in=[CertificateStatus.VALID, CertificateStatus.SUSPENDED], valid_until__lt=day
    ).order_by("pk")
    expired = []
    for certificate in due.iterator():
        _change_status(certificate, CertificateEvent.EXPIRED, actor, reason)
        expired.append(certificate.number)
    return expired


def define_certificate_type(
    *,
    actor: Any,
    reason: str,
    code: str,
    short_code: str,
    kind: str,
    name_zh: str,
    name_en: str,
    number_prefix: str = "",
    validity_years: int | None = None,
    default_department_code: str = "",
    carried_on_licence: bool = False,
) -> CertificateType:
    """Create or update a certificate type (packs add the types they issue)."""
    who = policies.actor_name(actor)
    if kind not in CertificateKind.values or not short_code.isalnum() or len(short_code) > 4:
        raise ValidationFailed(
            "certificates.bad_type",
            "证照类型定义无效（类别或二维码代码）",
            "invalid certificate type (kind, or a short code of 1-4 letters/digits)",
        )
    values = {
        "short_code": short_code.upper(),
        "kind": kind,
        "name_zh": policies.check_text(name_zh, "name_zh", 60),
        "name_en": policies.check_text(name_en, "name_en", 120),
        "number_prefix": number_prefix.upper(),
        "validity_years": validity_years,
        "default_department_code": default_department_code,
        "carried_on_licence": carried_on_licence,
        "is_active": True,
    }
    with transaction.atomic():
        clash = CertificateType.objects.filter(short_code=values["short_code"]).exclude(code=code)
        if clash.exists():
            raise Conflict(
                "certificates.short_code_taken",
                f"二维码代码 {short_code} 已被使用",
                f"short code {short_code} is taken",
            )
        certificate_type, _ = CertificateType.objects.update_or_create(code=code, defaults=values)
        append_entry(
            actor=who,
            event="certificate_type_defined",
            subject=f"certificate_type:{code}",
            reason=reason,
            payload={"code": code, **values},
        )
    return certificate_type
