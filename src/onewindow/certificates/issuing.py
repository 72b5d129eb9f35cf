"""Issuing certificates: numbers, rows, the signed QR payload and their ledger entries.

`issue_licence_with_permits`, `issue_certificate` and `add_permits` are re-exported by
`services`; call them from there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from onewindow.accounts.models import Applicant, Department
from onewindow.certificates import policies, selectors, signers
from onewindow.certificates.constants import CertificateEvent, CertificateKind, CertificateStatus
from onewindow.certificates.cose import encode_sign1
from onewindow.certificates.history import record
from onewindow.certificates.keys import signer_for
from onewindow.certificates.models import Certificate, CertificateCounter, CertificateType
from onewindow.certificates.qr.payload import LicenceClaims, PermitClaim, claims_to_cbor, pack
from onewindow.core.errors import Conflict, DomainError, ValidationFailed
from onewindow.core.identifiers import validate_uscc

IN_PAYLOAD = (CertificateStatus.VALID, CertificateStatus.SUSPENDED)


@dataclass(frozen=True)
class PermitRequest:
    """One permit to issue with (or onto) a licence. Empty fields take the type's defaults
    (department, validity) or the licence's (authority, start date)."""

    type_code: str
    scope: str = ""
    department_code: str = ""
    authority_name: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    number: str = ""


def _type(code: str, *, kind: str | None = None) -> CertificateType:
    certificate_type = selectors.certificate_type_by_code(code)
    if certificate_type is None or not certificate_type.is_active:
        raise ValidationFailed(
            "certificates.unknown_type",
            f"未知的证照类型 {code}",
            f"unknown certificate type {code}",
        )
    if kind is not None and certificate_type.kind != kind:
        raise ValidationFailed(
            "certificates.wrong_kind",
            f"{certificate_type.name_zh} 不是{CertificateKind(kind).label.split()[0]}",
            f"{code} is not a {kind}",
            details={"type": code, "kind": certificate_type.kind},
        )
    return certificate_type


def _department(code: str) -> Department:
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise ValidationFailed(
            "certificates.unknown_department", f"没有部门 {code}", f"no department {code}"
        )
    return department


def _number(certificate_type: CertificateType, region_code: str, given: str) -> str:
    if given:
        number = policies.check_number(given)
        if Certificate.objects.filter(number=number).exists():
            raise Conflict(
                "certificates.number_taken", f"证照编号 {number} 已存在", f"number {number} exists"
            )
        return number
    year = timezone.localdate().year
    prefix = certificate_type.number_prefix or certificate_type.short_code
    counter, _ = CertificateCounter.objects.select_for_update().get_or_create(
        prefix=prefix, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return policies.certificate_number(prefix, region_code, year, counter.last)


def _sign(certificate: Certificate, permits: Sequence[Certificate], moment: datetime) -> None:
    """Sign the certificate's QR payload listing its current permits (not revoked/expired)."""
    key = selectors.active_key(certificate.issuing_department.code)
    if key is None:
        raise DomainError(
            "certificates.no_signing_key",
            f"部门 {certificate.issuing_department.code} 没有在用的签名密钥",
            f"department {certificate.issuing_department.code} has no active signing key "
            "(run: onewindow certificates keygen --department CODE)",
            status=409,
        )
    claims = LicenceClaims(
        number=certificate.number,
        type_code=certificate.certificate_type.short_code,
        holder_name=certificate.holder_name,
        holder_code=certificate.holder_code,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        permits=tuple(
            PermitClaim(p.certificate_type.short_code, p.number, p.valid_from, p.valid_until)
            for p in permits
            if p.status in IN_PAYLOAD
        ),
        issuer=key.department.code,
        issued_at=int(moment.timestamp()),
        version=certificate.payload_version + 1,
    )
    protected = {1: signers.get_algorithm(key.algorithm).cose_alg, 4: bytes.fromhex(key.kid)}
    signed = encode_sign1(protected, claims_to_cbor(claims), signer_for(key))
    certificate.payload = pack(signed)
    certificate.payload_sha256 = hashlib.sha256(signed).hexdigest()
    certificate.payload_version = claims.version
    certificate.signing_key = key


@dataclass(frozen=True)
class _Holder:
    name: str
    code: str


def _holder(name: str, code: str) -> _Holder:
    return _Holder(policies.check_text(name, "holder_name", policies.MAX_NAME), validate_uscc(code))


def _create(
    certificate_type: CertificateType,
    *,
    holder: _Holder,
    department: Department,
    authority_name: str,
    region_code: str,
    number: str,
    scope: str,
    valid_from: date,
    valid_until: date | None,
    moment: datetime,
    actor: str,
    details: Mapping[str, Any] | None = None,
    licence: Certificate | None = None,
    applicant: Applicant | None = None,
    case_number: str = "",
) -> Certificate:
    start, end = policies.validity(valid_from, valid_until, certificate_type.validity_years)
    return Certificate.objects.create(
        number=_number(certificate_type, region_code, number),
        certificate_type=certificate_type,
        licence=licence,
        holder_name=holder.name,
        holder_code=holder.code,
        applicant=applicant,
        case_number=case_number[:32],
        issuing_department=department,
        authority_name=policies.check_text(authority_name, "authority_name", 100),
        scope=policies.check_text(scope, "scope", policies.MAX_SCOPE, required=False),
        details=dict(details or {}),
        valid_from=start,
        valid_until=end,
        status=CertificateStatus.VALID,
        issued_at=moment,
        issued_by=actor,
    )


def _permit_type(request: PermitRequest) -> CertificateType:
    certificate_type = _type(request.type_code)
    if not certificate_type.carried_on_licence:
        raise ValidationFailed(
            "certificates.not_carried_on_licence",
            f"{certificate_type.name_zh} 不能载入营业执照二维码",
            f"{request.type_code} is not carried on a licence",
            details={"type": request.type_code},
        )
    return certificate_type


def _issue_permits(
    licence: Certificate,
    permits: Sequence[PermitRequest],
    *,
    region_code: str,
    moment: datetime,
    actor: str,
) -> list[Certificate]:
    holder = _Holder(licence.holder_name, licence.holder_code)
    issued = []
    for request in permits:
        department_code = (
            request.department_code
            or _permit_type(request).default_department_code
            or licence.issuing_department.code
        )
        issued.append(
            _create(
                _permit_type(request),
                holder=holder,
                department=_department(department_code),
                authority_name=request.authority_name or licence.authority_name,
                region_code=region_code,
                number=request.number,
                scope=request.scope,
                valid_from=request.valid_from or timezone.localdate(moment),
                valid_until=request.valid_until,
                moment=moment,
                actor=actor,
                licence=licence,
                applicant=licence.applicant,
                case_number=licence.case_number,
            )
        )
    return issued


def issue_licence_with_permits(
    *,
    actor: Any,
    reason: str,
    holder_name: str,
    holder_code: str,
    department_code: str,
    authority_name: str,
    region_code: str,
    scope: str = "",
    details: Mapping[str, Any] | None = None,
    permits: Sequence[PermitRequest] = (),
    licence_type: str = "business-licence",
    valid_from: date | None = None,
    valid_until: date | None = None,
    number: str = "",
    applicant: Applicant | None = None,
    case_number: str = "",
) -> Certificate:
    """Issue a licence and its permits together; the licence's QR lists every permit.

    Returns the licence; its permits are `selectors.permits_of(licence)`.
    """
    who = policies.actor_name(actor)
    holder = _holder(holder_name, holder_code)
    licence_details = policies.licence_details(dict(details or {}))
    certificate_type = _type(licence_type, kind=CertificateKind.LICENCE)
    for request in permits:
        _permit_type(request)
    with transaction.atomic():
        moment = timezone.now()
        licence = _create(
            certificate_type,
            holder=holder,
            department=_department(department_code),
            authority_name=authority_name,
            region_code=region_code,
            number=number,
            scope=scope,
            valid_from=valid_from or timezone.localdate(),
            valid_until=valid_until,
            moment=moment,
            actor=who,
            details=licence_details,
            applicant=applicant,
            case_number=case_number,
        )
        issued = _issue_permits(licence, permits, region_code=region_code, moment=moment, actor=who)
        _sign(licence, issued, moment)
        licence.save()
        record(
            licence,
            CertificateEvent.ISSUED,
            who,
            reason,
            "",
            permits=[p.number for p in issued],
            payload_version=licence.payload_version,
        )
        for permit in issued:
            record(permit, CertificateEvent.ISSUED, who, reason, "", licence=licence.number)
    return licence


def issue_certificate(
    *,
    actor: Any,
    reason: str,
    certificate_type: str,
    holder_name: str,
    holder_code: str,
    department_code: str,
    authority_name: str,
    region_code: str,
    scope: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
    number: str = "",
    applicant: Applicant | None = None,
    case_number: str = "",
) -> Certificate:
    """A stand-alone certificate with its own signed QR (no permits)."""
    who = policies.actor_name(actor)
    holder = _holder(holder_name, holder_code)
    kind_type = _type(certificate_type)
    with transaction.atomic():
        moment = timezone.now()
        certificate = _create(
            kind_type,
            holder=holder,
            department=_department(department_code),
            authority_name=authority_name,
            region_code=region_code,
            number=number,
            scope=scope,
            valid_from=valid_from or timezone.localdate(),
            valid_until=valid_until,
            moment=moment,
            actor=who,
            applicant=applicant,
            case_number=case_number,
        )
        _sign(certificate, (), moment)
        certificate.save()
        record(
            certificate,
            CertificateEvent.ISSUED,
            who,
            reason,
            "",
            payload_version=certificate.payload_version,
        )
    return certificate


def add_permits(
    *,
    licence: Certificate,
    permits: Sequence[PermitRequest],
    region_code: str,
    actor: Any,
    reason: str,
) -> list[Certificate]:
    """Permits granted after the licence join it (证随照走); its QR is signed again."""
    who = policies.actor_name(actor)
    for request in permits:
        _permit_type(request)
    with transaction.atomic():
        current = Certificate.objects.select_for_update().get(pk=licence.pk)
        if (
            current.licence_id is not None
            or current.certificate_type.kind != CertificateKind.LICENCE
        ):
            raise ValidationFailed(
                "certificates.not_a_licence", "只能向执照添加许可", "permits join a licence only"
            )
        if current.status != CertificateStatus.VALID:
            raise Conflict(
                "certificates.licence_not_valid",
                "执照不在有效状态，不能添加许可",
                f"the licence is {current.status}",
            )
        moment = timezone.now()
        issued = _issue_permits(current, permits, region_code=region_code, moment=moment, actor=who)
        _sign(current, selectors.permits_of(current), moment)
        current.save()
        record(
            current,
            CertificateEvent.REISSUED,
            who,
            reason,
            current.status,
            added_permits=[p.number for p in issued],
            payload_version=current.payload_version,
        )
        for permit in issued:
            record(permit, CertificateEvent.ISSUED, who, reason, "", licence=current.number)
    licence.refresh_from_db()
    return issued
