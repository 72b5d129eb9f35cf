"""The signed revocation list: hashed ids of revoked and suspended certificates (permits
included), for verifiers without network.

Format ``onewindow-revocations/1``: ``{"format", "generated_at", "namespace", "entries":
{hash: "revoked" | "suspended"}, "kid", "signature"}``. The hash is
`policies.revocation_hash(number)`: the first 128 bits of SHA-256 over the namespace and the
certificate number, so the list names no holder and no number outright (numbers follow a
pattern and can be guessed: the hash hides, it does not encrypt). The signature (the
department key with purpose ``list``, found in the trust list) covers the canonical JSON of
the document without its ``signature`` member.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from onewindow.certificates import conf, signers
from onewindow.certificates.constants import KeyPurpose, KeyStatus
from onewindow.certificates.trust import TrustList

FORMAT = "onewindow-revocations/1"
STATUSES = ("revoked", "suspended")


class RevocationListError(ValueError):
    pass


def _canonical(document: Mapping[str, Any]) -> bytes:
    body = {k: v for k, v in document.items() if k != "signature"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def build(
    entries: Mapping[str, str], *, kid: str, sign: signers.SignFunction, generated_at: datetime
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": generated_at.isoformat(),
        "namespace": conf.REVOCATION_NAMESPACE,
        "entries": dict(sorted(entries.items())),
        "kid": kid,
    }
    document["signature"] = base64.b64encode(sign(_canonical(document))).decode("ascii")
    return document


def verify(document: Any, trust: TrustList) -> dict[str, str]:
    """The entries of a list whose signature checks against a list key of the trust list."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RevocationListError(f"not a revocation list (format {FORMAT} expected)")
    if document.get("namespace") != conf.REVOCATION_NAMESPACE:
        raise RevocationListError("unknown hash namespace")
    key = trust.key(str(document.get("kid", "")))
    if key is None or key.purpose != KeyPurpose.LIST or key.status == KeyStatus.REVOKED:
        raise RevocationListError("the list is not signed by a list key of the trust list")
    try:
        signature = base64.b64decode(str(document.get("signature", "")), validate=True)
        generated_at = datetime.fromisoformat(str(document["generated_at"]))
    except (KeyError, ValueError, binascii.Error) as exc:
        raise RevocationListError(f"malformed list: {exc}") from exc
    if generated_at.tzinfo is None:
        raise RevocationListError("generated_at must carry a time zone")
    if generated_at < key.valid_from or (key.valid_until and generated_at > key.valid_until):
        raise RevocationListError("the list was made outside its key's validity period")
    verify_signature = trust.verifier(key)
    if verify_signature is None or not verify_signature(_canonical(document), signature):
        raise RevocationListError("the list's signature does not verify")
    entries = document.get("entries")
    if not isinstance(entries, dict) or any(v not in STATUSES for v in entries.values()):
        raise RevocationListError("entries must map hashes to revoked or suspended")
    return {str(k): str(v) for k, v in entries.items()}


def loads(text: str | bytes, trust: TrustList) -> dict[str, str]:
    try:
        return verify(json.loads(text), trust)
    except json.JSONDecodeError as exc:
        raise RevocationListError(f"not JSON: {exc}") from exc
