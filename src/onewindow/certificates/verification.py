"""Offline verification of a scanned licence QR: no database, no network.

`verify_text(scanned, trust, revocations=None, now=None)` returns a `Result` for anything it
is given (bare ``OW1:`` text or the verification URL, any length, any bytes): never an
exception. Checks, in order: input size, prefix, Base45, zlib (capped), COSE_Sign1 structure,
key id in the trust list, key status and purpose, algorithm, signature, claims, issuer =
key's department, issue time within the key's validity, the licence's own dates, and, when a
revocation list is given, the licence and every permit against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from onewindow.certificates import conf, policies
from onewindow.certificates.constants import CertificateStatus, KeyPurpose, KeyStatus
from onewindow.certificates.qr.payload import (
    LicenceClaims,
    PayloadError,
    claims_from_cbor,
    extract_text,
    unpack,
)
from onewindow.certificates.reasons import message
from onewindow.certificates.trust import TrustedKey, TrustList

CHINA = ZoneInfo("Asia/Shanghai")


@dataclass
class PermitResult:
    type_code: str
    number: str
    valid_from: date
    valid_until: date | None
    status: str


@dataclass
class Result:
    reason: str
    claims: LicenceClaims | None = None
    key: TrustedKey | None = None
    licence_status: str = ""
    permits: list[PermitResult] = field(default_factory=list)
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    input_length: int = 0

    @property
    def is_valid(self) -> bool:
        return self.reason == "ok"

    @property
    def signature_verified(self) -> bool:
        return self.claims is not None

    @property
    def kid(self) -> str:
        return self.key.kid if self.key else ""

    def to_dict(self, trust: TrustList | None = None) -> dict[str, Any]:
        claims = self.claims
        names = trust.type_name if trust else (lambda code, language="zh": code)
        out: dict[str, Any] = {
            "valid": self.is_valid,
            "reason": self.reason,
            "message_zh": message(self.reason, "zh"),
            "message_en": message(self.reason, "en"),
            "signature_verified": self.signature_verified,
            "checked_at": self.checked_at.isoformat(),
            "kid": self.kid,
        }
        if self.key is not None:
            out["issuer"] = {
                "department": self.key.department,
                "name_zh": self.key.department_name_zh,
                "name_en": self.key.department_name_en,
                "algorithm": self.key.algorithm,
            }
        if claims is not None:
            out["licence"] = {
                "number": claims.number,
                "type": claims.type_code,
                "type_name_zh": names(claims.type_code, "zh"),
                "type_name_en": names(claims.type_code, "en"),
                "holder_name": claims.holder_name,
                "holder_code": claims.holder_code,
                "valid_from": claims.valid_from.isoformat(),
                "valid_until": claims.valid_until.isoformat() if claims.valid_until else None,
                "issued_at": datetime.fromtimestamp(claims.issued_at, UTC).isoformat(),
                "payload_version": claims.version,
                "status": self.licence_status,
            }
            out["permits"] = [
                {
                    "type": p.type_code,
                    "type_name_zh": names(p.type_code, "zh"),
                    "type_name_en": names(p.type_code, "en"),
                    "number": p.number,
                    "valid_from": p.valid_from.isoformat(),
                    "valid_until": p.valid_until.isoformat() if p.valid_until else None,
                    "status": p.status,
                }
                for p in self.permits
            ]
        return out


def _key_problem(key: TrustedKey, issued_at: int) -> str | None:
    skew = timedelta(seconds=conf.CLOCK_SKEW_SECONDS)
    moment = datetime.fromtimestamp(issued_at, UTC)
    if moment < key.valid_from - skew:
        return "key.not_valid_at_issue"
    if key.valid_until is not None and moment > key.valid_until + skew:
        return "key.not_valid_at_issue"
    return None


def _status(
    number: str, valid_from: date, valid_until: date | None, today: date, revoked: dict[str, str]
) -> str:
    listed = revoked.get(policies.revocation_hash(number)) if revoked else None
    if listed:
        return listed
    if today < valid_from:
        return "not_yet_valid"
    return policies.effective_status(CertificateStatus.VALID, valid_until, today)


def _signed_claims(text: str, trust: TrustList, result: Result) -> LicenceClaims | str:
    """The verified claims, or the reason why not."""
    try:
        sign1 = unpack(text)
    except PayloadError as exc:
        return exc.reason
    key = trust.key(sign1.kid or b"")
    if key is None:
        return "key.unknown"
    result.key = key
    if key.status == KeyStatus.REVOKED:
        return "key.revoked"
    if key.purpose != KeyPurpose.CERTIFICATE:
        return "key.wrong_purpose"
    verify = trust.verifier(key)
    if verify is None or sign1.alg != key.cose_alg:
        return "algorithm.unsupported"
    if not verify(sign1.to_be_signed(), sign1.signature):
        return "signature.invalid"
    try:
        claims = claims_from_cbor(sign1.payload)
    except PayloadError as exc:
        return exc.reason
    if claims.issuer != key.department:
        return "issuer.mismatch"
    return _key_problem(key, claims.issued_at) or claims


def verify_text(
    scanned: object,
    trust: TrustList,
    revocations: dict[str, str] | None = None,
    now: datetime | None = None,
) -> Result:
    moment = now or datetime.now(UTC)
    if not isinstance(scanned, str) or not scanned.strip():
        return Result("input.empty", checked_at=moment)
    result = Result("ok", checked_at=moment, input_length=len(scanned))
    if len(scanned) > conf.MAX_INPUT_CHARS:
        result.reason = "input.too_large"
        return result
    outcome = _signed_claims(extract_text(scanned), trust, result)
    if isinstance(outcome, str):
        result.reason = outcome
        return result
    result.claims = outcome
    today = moment.astimezone(CHINA).date()
    listed = revocations or {}
    result.licence_status = _status(
        outcome.number, outcome.valid_from, outcome.valid_until, today, listed
    )
    result.permits = [
        PermitResult(
            p.type_code,
            p.number,
            p.valid_from,
            p.valid_until,
            _status(p.number, p.valid_from, p.valid_until, today, listed),
        )
        for p in outcome.permits
    ]
    result.reason = status_reason(result.licence_status)
    return result


def status_reason(status: str) -> str:
    return {
        CertificateStatus.VALID: "ok",
        CertificateStatus.SUSPENDED: "certificate.suspended",
        CertificateStatus.REVOKED: "certificate.revoked",
        CertificateStatus.EXPIRED: "certificate.expired",
        "not_yet_valid": "certificate.not_yet_valid",
    }.get(status, "certificate.unknown")
