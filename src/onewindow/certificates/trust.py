"""The trust list: every issuer public key with its department, purpose and validity period,
plus the names of certificate types, as one JSON document that offline verifiers load.

Format ``onewindow-trust-list/1``::

    {"format": ..., "platform": PUBLIC_BASE_URL, "generated_at": ISO-8601, "prefix": "OW1:",
     "revocation_namespace": ..., "keys": [{"kid", "department", "department_name_zh",
     "department_name_en", "algorithm", "cose_alg", "purpose", "public_key" (base64),
     "status", "valid_from", "valid_until", "revoked_at"}], "certificate_types":
     {short code: {"zh", "en", "kind"}}}

Verifiers obtain it over HTTPS from the platform (or from the authority on paper/USB) and may
compare `fingerprint(document)` out of band. Building it from the database is a selector
(`selectors.trust_list_document`); this module only parses and queries it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from onewindow.certificates import signers

FORMAT = "onewindow-trust-list/1"


class TrustListError(ValueError):
    pass


@dataclass(frozen=True)
class TrustedKey:
    kid: str
    department: str
    department_name_zh: str
    department_name_en: str
    algorithm: str
    cose_alg: int
    purpose: str
    public_key: bytes
    status: str
    valid_from: datetime
    valid_until: datetime | None
    revoked_at: datetime | None


@dataclass
class TrustList:
    keys: dict[str, TrustedKey]
    certificate_types: dict[str, dict[str, str]]
    platform: str = ""
    generated_at: str = ""
    _verifiers: dict[str, signers.VerifyFunction | None] = field(default_factory=dict)

    def key(self, kid: bytes | str) -> TrustedKey | None:
        return self.keys.get(kid.hex() if isinstance(kid, bytes) else kid)

    def verifier(self, key: TrustedKey) -> signers.VerifyFunction | None:
        """The verify function of a key, built once; None if its algorithm is unavailable
        here (e.g. SM2 without the extra) or the stored key is malformed."""
        if key.kid not in self._verifiers:
            try:
                verify = signers.get_algorithm(key.algorithm).verifier(key.public_key)
            except Exception:  # unavailable algorithm or a malformed key in the list
                verify = None
            self._verifiers[key.kid] = verify
        return self._verifiers[key.kid]

    def type_name(self, short_code: str, language: str = "zh") -> str:
        names = self.certificate_types.get(short_code)
        if not names:
            return short_code
        return names["en"] if language.startswith("en") else names["zh"]


def _when(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise TrustListError("dates must be ISO 8601 text")
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise TrustListError("dates must carry a time zone")
    return moment


def _key(row: dict[str, Any]) -> TrustedKey:
    try:
        public_key = base64.b64decode(row["public_key"], validate=True)
        valid_from = _when(row["valid_from"])
        if valid_from is None:
            raise TrustListError("valid_from is required")
        return TrustedKey(
            kid=str(row["kid"]),
            department=str(row["department"]),
            department_name_zh=str(row.get("department_name_zh", "")),
            department_name_en=str(row.get("department_name_en", "")),
            algorithm=str(row["algorithm"]),
            cose_alg=int(row["cose_alg"]),
            purpose=str(row["purpose"]),
            public_key=public_key,
            status=str(row["status"]),
            valid_from=valid_from,
            valid_until=_when(row.get("valid_until")),
            revoked_at=_when(row.get("revoked_at")),
        )
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise TrustListError(f"malformed key entry: {exc}") from exc


def from_document(document: Any) -> TrustList:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TrustListError(f"not a trust list (format {FORMAT} expected)")
    rows = document.get("keys")
    if not isinstance(rows, list):
        raise TrustListError("the trust list has no keys")
    keys = {}
    for row in rows:
        if not isinstance(row, dict):
            raise TrustListError("a key entry must be an object")
        key = _key(row)
        keys[key.kid] = key
    types = document.get("certificate_types") or {}
    if not isinstance(types, dict):
        raise TrustListError("certificate_types must be an object")
    return TrustList(
        keys=keys,
        certificate_types={str(k): dict(v) for k, v in types.items() if isinstance(v, dict)},
        platform=str(document.get("platform", "")),
        generated_at=str(document.get("generated_at", "")),
    )


def loads(text: str | bytes) -> TrustList:
    try:
        return from_document(json.loads(text))
    except json.JSONDecodeError as exc:
        raise TrustListError(f"not JSON: {exc}") from exc


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def fingerprint(document: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON, to compare a downloaded list out of band."""
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
