"""Canonical snapshots of certificate and signing-key rows, recorded in the ledger as
`state=` so that `onewindow ledger verify --rows` detects a row changed behind its back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from onewindow.certificates.models import Certificate, SigningKey


def certificate_snapshot(certificate: Certificate) -> dict[str, Any]:
    return {
        "number": certificate.number,
        "type": certificate.certificate_type.code,
        "licence": certificate.licence.number if certificate.licence else None,
        "holder_name": certificate.holder_name,
        "holder_code": certificate.holder_code,
        "applicant": certificate.applicant_id,
        "case_number": certificate.case_number,
        "issuing_department": certificate.issuing_department.code,
        "authority_name": certificate.authority_name,
        "scope": certificate.scope,
        "details": certificate.details,
        "valid_from": certificate.valid_from.isoformat(),
        "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
        "status": certificate.status,
        "issued_at": certificate.issued_at,
        "kid": certificate.signing_key.kid if certificate.signing_key else "",
        "payload_sha256": certificate.payload_sha256,
        "payload_version": certificate.payload_version,
    }


def snapshot_by_number(number: str) -> dict[str, Any] | None:
    certificate = (
        Certificate.objects.select_related(
            "certificate_type", "licence", "issuing_department", "signing_key"
        )
        .filter(number=number)
        .first()
    )
    return certificate_snapshot(certificate) if certificate else None


def all_numbers() -> Iterable[str]:
    return Certificate.objects.order_by("pk").values_list("number", flat=True).iterator()


def location_of(number: str) -> str:
    pk = Certificate.objects.filter(number=number).values_list("pk", flat=True).first()
    return f"certificates_certificate pk={pk if pk is not None else '?'} number={number}"


def key_snapshot_by_kid(kid: str) -> dict[str, Any] | None:
    from onewindow.certificates.keys import key_snapshot

    key = SigningKey.objects.select_related("department").filter(kid=kid).first()
    return key_snapshot(key) if key else None


def all_kids() -> Iterable[str]:
    return SigningKey.objects.order_by("pk").values_list("kid", flat=True).iterator()


def key_location(kid: str) -> str:
    pk = SigningKey.objects.filter(kid=kid).values_list("pk", flat=True).first()
    return f"certificates_signingkey pk={pk if pk is not None else '?'} kid={kid}"
