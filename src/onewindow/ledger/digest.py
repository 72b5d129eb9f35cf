"""Canonical JSON and SHA-256 digests of payloads and subject snapshots.

`canonical_json(obj)` is JSON with sorted keys, no spaces, UTF-8 (not ASCII-escaped) and no
NaN. Values JSON lacks are mapped deterministically: aware datetimes to UTC ISO 8601, dates
and times to ISO 8601, Decimal and UUID to `str`, bytes to base64, sets and tuples to sorted
lists / lists. Key order is Python's code-point order, which equals RFC 8785 (JCS) ordering
for keys in the Basic Multilingual Plane; numbers are Python's `repr`, not JCS's ECMAScript
form, so floats should be avoided in recorded data (use Decimal or integers).

`state_fields(snapshot)` maps each top-level field to the digest of its value and
`state_digest(snapshot)` is the digest of that map: the ledger stores the map, so a later
check can name the field that changed without the ledger keeping personal data itself.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"value of type {type(value).__name__} has no canonical JSON form")


def canonical_json(obj: Any) -> bytes:
    """Return the canonical JSON encoding of `obj` as UTF-8 bytes."""
    return json.dumps(
        obj,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_default,
    ).encode("utf-8")


def canonical_digest(obj: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of `obj`."""
    return hashlib.sha256(canonical_json(obj)).hexdigest()


def payload_digest(payload: Mapping[str, Any] | bytes) -> str:
    """Digest of an entry payload: canonical JSON for mappings, raw SHA-256 for bytes."""
    if isinstance(payload, bytes | bytearray | memoryview):
        return hashlib.sha256(bytes(payload)).hexdigest()
    if isinstance(payload, Mapping):
        return canonical_digest(dict(payload))
    raise TypeError("payload must be a mapping or bytes")


def state_fields(snapshot: Mapping[str, Any]) -> dict[str, str]:
    """Digest of each top-level field of a subject snapshot."""
    return {str(name): canonical_digest(value) for name, value in snapshot.items()}


def state_digest(fields: Mapping[str, str]) -> str:
    """Digest recorded for a snapshot: the canonical digest of its field-digest map."""
    return canonical_digest(dict(fields))
