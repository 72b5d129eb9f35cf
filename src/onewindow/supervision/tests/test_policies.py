"""Pure rules: the signed live-capture record (real Ed25519), distances, time window."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import given
from hypothesis import strategies as st

from onewindow.supervision import policies

KEY = Ed25519PrivateKey.generate()
PUBLIC = KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
CHINA = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 3, 10, 0, tzinfo=CHINA)
RECORD: dict[str, Any] = {
    "v": 1,
    "key_id": "k1",
    "sha256": "ab" * 32,
    "uploader": "user:7",
    "latitude": 30.5801,
    "longitude": 114.2712,
    "captured_at": "2026-11-03T09:58:00+08:00",
}


def sign(record: dict[str, Any]) -> dict[str, Any]:
    signature = KEY.sign(policies.signed_message(record))
    return {**record, "signature": base64.b64encode(signature).decode()}


def problem(record: dict[str, Any], **overrides: Any) -> str | None:
    args: dict[str, Any] = {
        "digest": "ab" * 32,
        "uploader": "user:7",
        "site": (30.5801, 114.2712),
        "now": NOW,
        "max_age_seconds": 1800,
        "skew_seconds": 120,
        "max_distance_metres": 300.0,
        **overrides,
    }
    refusal = policies.capture_problem(record, **args)
    return refusal.code if refusal else None


def test_signed_message_is_canonical_and_tagged():
    assert policies.signed_message(RECORD) == (
        b"onewindow live-capture v1\n"
        b'{"captured_at":"2026-11-03T09:58:00+08:00","key_id":"k1","latitude":30.5801,'
        b'"longitude":114.2712,"sha256":"' + b"ab" * 32 + b'","uploader":"user:7","v":1}'
    )


def test_a_signed_record_verifies_and_passes_the_checks():
    record = sign(RECORD)
    assert policies.record_shape_problem(record) is None
    assert policies.signature_valid(PUBLIC, record)
    assert problem(record) is None


@given(
    field=st.sampled_from(["key_id", "sha256", "uploader", "latitude", "longitude", "captured_at"]),
    value=st.one_of(st.text(max_size=20), st.floats(allow_nan=False), st.integers()),
)
def test_changing_any_signed_field_breaks_the_signature(field, value):
    record = sign(RECORD)
    if record[field] == value:
        return
    assert not policies.signature_valid(PUBLIC, {**record, field: value})


def test_garbage_signatures_are_invalid_not_errors():
    for signature in ("", "not base64!", base64.b64encode(b"x" * 64).decode()):
        assert not policies.signature_valid(PUBLIC, {**RECORD, "signature": signature})


def test_time_window_and_place():
    record = sign(RECORD)
    assert problem(record, now=NOW + dt.timedelta(minutes=27)) is None  # 29 minutes old
    assert (
        problem(record, now=NOW + dt.timedelta(minutes=29)) == "supervision.watermark_time_invalid"
    )
    assert (
        problem(record, now=NOW - dt.timedelta(minutes=5)) == "supervision.watermark_time_invalid"
    )  # future
    assert problem(record, site=(30.5801 + 0.0026, 114.2712)) is None  # 289 m
    assert problem(record, site=(30.5801 + 0.0028, 114.2712)) == (
        "supervision.watermark_place_mismatch"
    )
    assert problem(record, digest="cd" * 32) == "supervision.watermark_digest_mismatch"
    assert problem(record, uploader="user:8") == "supervision.watermark_uploader_mismatch"


def test_distance_is_haversine():
    # One degree of latitude is ~111.2 km on the mean sphere.
    assert round(policies.distance_metres(30.0, 114.0, 31.0, 114.0)) == 111195
    assert policies.distance_metres(30.5, 114.3, 30.5, 114.3) == 0.0


def test_shape_problems():
    assert policies.record_shape_problem(None).code == "supervision.watermark_missing"  # type: ignore[union-attr]
    assert policies.record_shape_problem({"v": 2}).code == "supervision.watermark_malformed"  # type: ignore[union-attr]
    naive = sign({**RECORD, "captured_at": "2026-11-03T09:58:00"})
    assert policies.record_shape_problem(naive).code == "supervision.watermark_malformed"  # type: ignore[union-attr]
