"""Webhook signatures in the Standard Webhooks style (standardwebhooks.com):

    webhook-id: evt_…              the event's idempotency key, the same on every attempt
    webhook-timestamp: 1767225600  seconds since the epoch, of this attempt
    webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>

The secret is ``whsec_`` + base64 of 24 random bytes; the HMAC key is the decoded bytes.
`verify` is what a subscriber runs (tests use it in their receiving server).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping

PREFIX = "whsec_"
TOLERANCE_SECONDS = 5 * 60


class SignatureInvalid(Exception):
    pass


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def sign(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    content = f"{event_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, event_id, timestamp, body),
    }


def verify(
    secret: str, received: Mapping[str, str], body: bytes, *, now: float | None = None
) -> str:
    """The event id if the signature is valid and fresh; raises `SignatureInvalid`."""
    lowered = {k.lower(): v for k, v in received.items()}
    try:
        event_id = lowered["webhook-id"]
        timestamp = int(lowered["webhook-timestamp"])
        signatures = lowered["webhook-signature"].split()
    except (KeyError, ValueError) as exc:
        raise SignatureInvalid("missing or malformed webhook headers") from exc
    if abs((time.time() if now is None else now) - timestamp) > TOLERANCE_SECONDS:
        raise SignatureInvalid("timestamp outside the tolerance")
    expected = sign(secret, event_id, timestamp, body)
    if not any(hmac.compare_digest(expected, s) for s in signatures):
        raise SignatureInvalid("no signature matches")
    return event_id
