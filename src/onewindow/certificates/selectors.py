"""Reads: certificate types, certificates with their permits and history, signing keys,
the trust list document and the revocation entries."""

from __future__ import annotations

import base64
import json
import time
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from onewindow.accounts.models import Department
from onewindow.certificates import conf, policies, signers
from onewindow.certificates.constants import CertificateStatus, KeyPurpose, KeyStatus
from onewindow.certificates.models import (
    Certificate,
    CertificateStatusChange,
    CertificateType,
    SigningKey,
)
from onewindow.certificates.trust import FORMAT


def certificate_types() -> QuerySet[CertificateType]:
    return CertificateType.objects.filter(is_active=True).order_by("kind", "code")


def certificate_type_by_code(code: str) -> CertificateType | None:
    return CertificateType.objects.filter(code=code).first()


def certificate_by_number(number: str) -> Certificate | None:
    return (
        Certificate.objects.select_related(
            "certificate_type", "issuing_department", "licence", "signing_key"
        )
        .filter(number=number)
        .first()
    )


def permits_of(licence: Certificate) -> list[Certificate]:
    return list(
        Certificate.objects.select_related("certificate_type", "issuing_department")
        .filter(licence=licence)
        .order_by("issued_at", "pk")
    )


VERIFICATION_COLUMNS = (
    "number",
    "holder_name",
    "holder_code",
    "authority_name",
    "scope",
    "details",
    "valid_from",
    "valid_until",
    "status",
    "payload_version",
    "certificate_type_id",
    "issuing_department_id",
    "issued_at",
    "id",
)
_NAMES: dict[str, Any] = {"types": {}, "departments": {}, "loaded": 0.0}
_NAMES_TTL_SECONDS = 300


def _verification_sql() -> str:
    # Two index lookups (the number; the permits of that number's row): no scan however many
    # certificates there are. The table name comes from the model, numbers are parameters.
    table = Certificate._meta.db_table
    columns = ", ".join(VERIFICATION_COLUMNS)
    return (
        f"SELECT {columns} FROM {table} WHERE number = %s UNION ALL "  # noqa: S608
        f"SELECT {columns} FROM {table} WHERE licence_id = "
        f"(SELECT id FROM {table} WHERE number = %s) ORDER BY issued_at, id"
    )


def _names(type_id: int, department_id: int) -> tuple[tuple[str, str, str], str]:
    """Type (short code, zh, en) and department name, from a small per-process cache of
    the two reference tables (reloaded every few minutes or on an unknown id)."""
    names = _NAMES
    fresh = time.monotonic() - names["loaded"] < _NAMES_TTL_SECONDS
    if not fresh or type_id not in names["types"] or department_id not in names["departments"]:
        names["types"] = {
            pk: (code, zh, en)
            for pk, code, zh, en in CertificateType.objects.values_list(
                "pk", "short_code", "name_zh", "name_en"
            )
        }
        names["departments"] = dict(Department.objects.values_list("pk", "name_zh"))
        names["loaded"] = time.monotonic()
    return names["types"].get(type_id, ("?", "?", "?")), names["departments"].get(department_id, "")


def forget_reference_names() -> None:
    _NAMES.update(types={}, departments={}, loaded=0.0)


def _plain(row: tuple[Any, ...]) -> dict[str, Any]:
    out = dict(zip(VERIFICATION_COLUMNS, row, strict=True))
    for name in ("valid_from", "valid_until"):  # SQLite gives text, PostgreSQL dates
        if isinstance(out[name], str):
            out[name] = date.fromisoformat(out[name])
    if isinstance(out["details"], str):
        out["details"] = json.loads(out["details"])
    (code, name_zh, name_en), department = _names(
        out["certificate_type_id"], out["issuing_department_id"]
    )
    out.update(
        type_code=code, type_name_zh=name_zh, type_name_en=name_en, department_name_zh=department
    )
    return out


def verification_rows(number: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The certificate `number` and the permits it carries, as plain rows, in one query.

    This is the public verification's hot path (every scan), so it is one hand-written
    SELECT: the ORM spent more time compiling the query than the database answering it.
    """
    with connection.cursor() as cursor:
        cursor.execute(_verification_sql(), [number, number])
        rows = [_plain(row) for row in cursor.fetchall()]
    licence = next((row for row in rows if row["number"] == number), None)
    return licence, [row for row in rows if row["number"] != number]


def certificates_of_holder(holder_code: str) -> QuerySet[Certificate]:
    return Certificate.objects.select_related("certificate_type").filter(holder_code=holder_code)


def status_history(certificate: Certificate) -> QuerySet[CertificateStatusChange]:
    return certificate.status_changes.order_by("changed_at", "pk")


def active_key(department_code: str, purpose: str = KeyPurpose.CERTIFICATE) -> SigningKey | None:
    return (
        SigningKey.objects.select_related("department")
        .filter(department__code=department_code, purpose=purpose, status=KeyStatus.ACTIVE)
        .first()
    )


def signing_keys() -> QuerySet[SigningKey]:
    return SigningKey.objects.select_related("department").order_by("department__code", "pk")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def trust_list_document() -> dict[str, Any]:
    keys = []
    for key in signing_keys():
        algorithm = (
            signers.get_algorithm(key.algorithm) if key.algorithm in signers.available() else None
        )
        keys.append(
            {
                "kid": key.kid,
                "department": key.department.code,
                "department_name_zh": key.department.name_zh,
                "department_name_en": key.department.name_en,
                "algorithm": key.algorithm,
                "cose_alg": algorithm.cose_alg if algorithm else 0,
                "purpose": key.purpose,
                "public_key": base64.b64encode(bytes(key.public_key)).decode("ascii"),
                "status": key.status,
                "valid_from": _iso(key.valid_from),
                "valid_until": _iso(key.valid_until),
                "revoked_at": _iso(key.revoked_at),
            }
        )
    types = {
        t.short_code: {"zh": t.name_zh, "en": t.name_en, "kind": t.kind}
        for t in CertificateType.objects.order_by("short_code")
    }
    return {
        "format": FORMAT,
        "platform": conf.public_base_url(),
        "generated_at": timezone.now().isoformat(),
        "prefix": conf.QR_PREFIX,
        "revocation_namespace": conf.REVOCATION_NAMESPACE,
        "keys": keys,
        "certificate_types": types,
    }


def revocation_entries() -> dict[str, str]:
    """Hash -> status of every revoked or suspended certificate, permits included."""
    rows = Certificate.objects.filter(
        status__in=[CertificateStatus.REVOKED, CertificateStatus.SUSPENDED]
    ).values_list("number", "status")
    return {policies.revocation_hash(number): status for number, status in rows}
