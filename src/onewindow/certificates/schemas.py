"""API schemas of the certificates router."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class VerifyIn(Schema):
    payload: str = Field(
        description="The scanned text: `OW1:...` or the verification URL. Longer than 4096 "
        "characters gives reason `input.too_large`.",
        max_length=1_000_000,
    )


class IssuerOut(Schema):
    department: str
    name_zh: str
    name_en: str
    algorithm: str


class LicenceOut(Schema):
    number: str
    type: str
    type_name_zh: str
    type_name_en: str
    holder_name: str
    holder_code: str
    valid_from: str
    valid_until: str | None
    issued_at: str
    payload_version: int
    status: str
    authority_name: str = ""
    company_type: str = ""
    legal_representative: str = Field("", description="masked: surname only")
    established_on: str = ""
    scope: str = ""
    current_payload_version: int = 0
    superseded: bool = Field(False, description="a newer QR was issued (permits changed)")


class PermitOut(Schema):
    type: str
    type_name_zh: str
    type_name_en: str
    number: str
    valid_from: str
    valid_until: str | None
    status: str
    issuing_department: str = ""
    authority_name: str = ""
    scope: str = ""
    in_qr: bool = True


class RecordOut(Schema):
    kind: str
    title: str
    authority: str
    decided_on: str | None
    reference: str
    summary: str
    source: str


class VerificationOut(Schema):
    valid: bool
    reason: str = Field(description="stable reason code, `ok` when valid")
    message_zh: str
    message_en: str
    signature_verified: bool
    checked_at: str
    kid: str
    issuer: IssuerOut | None = None
    licence: LicenceOut | None = None
    permits: list[PermitOut] = []
    records: list[RecordOut] = []
    records_available: bool = True
    records_connected: bool = False


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


class HistoryOut(Schema):
    event: str
    from_status: str
    to_status: str
    actor: str
    reason: str
    changed_at: str
    ledger_sequence: int


class CertificateOut(Schema):
    number: str
    type: str
    type_name_zh: str
    holder_name: str
    holder_code: str
    licence: str | None
    issuing_department: str
    authority_name: str
    scope: str
    valid_from: str
    valid_until: str | None
    status: str
    payload_version: int
    certificate_hash: str
    verification_url: str
    permits: list[str]
    history: list[HistoryOut]


TrustListOut = dict[str, Any]
