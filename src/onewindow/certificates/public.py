"""Online (public) verification: the offline checks against the platform's trust list, then
the current status from the database, the holder's public records, a log row and the rate
limit. No login; nothing about the verifier is kept.

`verify_public(scanned=..., channel=..., client_address=...)` -> `PublicVerification`;
raises `DomainError` ``certificates.rate_limited`` (429) when the client is over its limit.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from onewindow.certificates import (
    conf,
    policies,
    ratelimit,
    records,
    revocations,
    selectors,
    trust,
    verification_log,
)
from onewindow.certificates.constants import KeyPurpose, KeyStatus
from onewindow.certificates.keys import signer_for
from onewindow.certificates.models import SigningKey, VerificationLog
from onewindow.certificates.verification import Result, status_reason, verify_text
from onewindow.core.errors import DomainError

_cache_lock = threading.Lock()
_cached: dict[str, Any] = {"trust": None, "loaded": 0.0}


def current_trust(*, refresh: bool = False) -> trust.TrustList:
    """The platform's trust list, rebuilt at most every TRUST_LIST_TTL_SECONDS per process."""
    now = time.monotonic()
    with _cache_lock:
        cached = _cached["trust"]
        if refresh or cached is None or now - _cached["loaded"] > conf.TRUST_LIST_TTL_SECONDS:
            cached = trust.from_document(selectors.trust_list_document())
            _cached.update(trust=cached, loaded=now)
        return cached


def forget_trust() -> None:
    """Drop this process's copies of the trust list and of the reference names."""
    with _cache_lock:
        _cached.update(trust=None, loaded=0.0)
    selectors.forget_reference_names()


@dataclass
class PublicVerification:
    result: Result
    trust: trust.TrustList
    licence: dict[str, Any] | None = None  # the row from selectors.verification_rows
    permits: list[dict[str, Any]] = field(default_factory=list)
    records: list[records.PublicRecord] = field(default_factory=list)
    records_available: bool = True
    superseded: bool = False

    @property
    def is_valid(self) -> bool:
        return self.result.is_valid

    def to_dict(self) -> dict[str, Any]:
        out = self.result.to_dict(self.trust)
        out["permits"] = self.permits  # current rows from the database, never the QR's copy
        licence = self.licence
        if licence is not None:
            details = licence["details"] or {}
            out["licence"].update(
                status=self.result.licence_status,
                holder_name=licence["holder_name"],
                authority_name=licence["authority_name"],
                company_type=details.get("company_type", ""),
                legal_representative=policies.mask_person_name(
                    details.get("legal_representative", "")
                ),
                established_on=details.get("established_on", ""),
                scope=licence["scope"],
                current_payload_version=licence["payload_version"],
                superseded=self.superseded,
            )
            out["records"] = [r.as_dict() for r in self.records]
            out["records_available"] = self.records_available
            out["records_connected"] = records.is_connected()
        return out


def _permit_rows(permits: list[dict[str, Any]], listed: set[str]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {
            "type": p["type_code"],
            "type_name_zh": p["type_name_zh"],
            "type_name_en": p["type_name_en"],
            "number": p["number"],
            "issuing_department": p["department_name_zh"],
            "authority_name": p["authority_name"],
            "scope": p["scope"],
            "valid_from": p["valid_from"].isoformat(),
            "valid_until": p["valid_until"].isoformat() if p["valid_until"] else None,
            "status": policies.effective_status(p["status"], p["valid_until"], today),
            "in_qr": p["number"] in listed,
        }
        for p in permits
    ]


def _with_database(outcome: PublicVerification) -> None:
    claims = outcome.result.claims
    assert claims is not None
    licence, permits = selectors.verification_rows(claims.number)
    if licence is None or licence["holder_code"] != claims.holder_code:
        outcome.result.reason = "certificate.unknown"
        outcome.result.licence_status = "unknown"
        return
    outcome.licence = licence
    status = policies.effective_status(
        licence["status"], licence["valid_until"], timezone.localdate()
    )
    outcome.result.licence_status = status
    if outcome.result.reason != "certificate.not_yet_valid":
        outcome.result.reason = status_reason(status)
    outcome.superseded = claims.version < licence["payload_version"]
    outcome.permits = _permit_rows(permits, {p.number for p in claims.permits})
    outcome.records, outcome.records_available = records.public_records(licence["holder_code"])


def verify_public(*, scanned: str, channel: str, client_address: str) -> PublicVerification:
    _check_rate(client_address)
    trust_list = current_trust()
    result = verify_text(scanned, trust_list)
    if result.reason == "key.unknown" and time.monotonic() - _cached["loaded"] > 2:
        # A key created in another process since our copy: reload (at most every 2 s, so
        # forged key ids cannot make every request rebuild the list) and check again.
        trust_list = current_trust(refresh=True)
        result = verify_text(scanned, trust_list)
    outcome = PublicVerification(result, trust_list)
    if result.signature_verified:
        _with_database(outcome)
    verification_log.record(
        VerificationLog(
            checked_at=result.checked_at,
            channel=channel,
            is_valid=result.is_valid,
            reason=result.reason,
            kid=result.kid,
            certificate_number=result.claims.number if result.claims else "",
            input_length=min(len(scanned) if isinstance(scanned, str) else 0, 2**31 - 1),
        )
    )
    return outcome


def _check_rate(client_address: str) -> None:
    if not ratelimit.allow(client_address):
        raise DomainError(
            "certificates.rate_limited",
            "查询过于频繁，请稍后再试",
            "Too many requests from this address; try again shortly",
            status=429,
        )


def signed_revocation_list() -> dict[str, Any]:
    """The current revocation list signed with the platform's active list key."""
    key = (
        SigningKey.objects.select_related("department")
        .filter(purpose=KeyPurpose.LIST, status=KeyStatus.ACTIVE)
        .order_by("pk")
        .first()
    )
    if key is None:
        raise DomainError(
            "certificates.no_list_key",
            "尚未配置撤销清单签名密钥",
            "no revocation list key yet (onewindow certificates keygen --purpose list)",
            status=503,
        )
    return revocations.build(
        selectors.revocation_entries(),
        kid=key.kid,
        sign=signer_for(key),
        generated_at=timezone.now(),
    )


def revocation_list_document(*, client_address: str) -> dict[str, Any]:
    """`signed_revocation_list` for a public client (rate limited)."""
    _check_rate(client_address)
    return signed_revocation_list()
