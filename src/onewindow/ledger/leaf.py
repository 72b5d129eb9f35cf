"""The bytes hashed into a leaf: canonical JSON of an entry's recorded fields.

The leaf binds the sequence, the time (UTC, microseconds), actor, event, subject, reason,
payload digest, state digest and request id; `merkle.leaf_hash` adds the 0x00 prefix.
Changing any of these fields after the fact changes the leaf hash, hence the root.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping
from typing import Any

from onewindow.ledger.digest import canonical_json
from onewindow.ledger.merkle import leaf_hash

LEAF_VERSION = 1
LEAF_FIELDS = (
    "sequence",
    "recorded_at",
    "actor",
    "event",
    "subject",
    "reason",
    "payload_digest",
    "state_digest",
    "request_id",
)


def format_time(value: dt.datetime) -> str:
    """UTC with microseconds and a Z suffix; the form hashed into the leaf."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def leaf_bytes(fields: Mapping[str, Any]) -> bytes:
    data = {name: fields[name] for name in LEAF_FIELDS}
    if isinstance(data["recorded_at"], dt.datetime):
        data["recorded_at"] = format_time(data["recorded_at"])
    data["v"] = LEAF_VERSION
    return canonical_json(data)


def entry_leaf_hash(fields: Mapping[str, Any]) -> bytes:
    return leaf_hash(leaf_bytes(fields))


def step_message(origin: str, sequence: int, leaf: bytes, timestamp: int) -> bytes:
    """What a department signs to co-sign one step: domain-separated like cosignature/v1."""
    root = base64.b64encode(leaf).decode()
    header = f"onewindow-step-cosignature/v1\ntime {timestamp}\n"
    return f"{header}{origin}\n{sequence}\n{root}\n".encode()
