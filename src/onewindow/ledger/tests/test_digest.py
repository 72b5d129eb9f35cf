"""Canonical JSON and digests: exact bytes for the forms other apps rely on."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest

from onewindow.ledger.digest import canonical_digest, canonical_json, payload_digest, state_fields


def test_canonical_json_sorts_keys_has_no_spaces_and_keeps_utf8() -> None:
    value = {"b": [1, 2], "a": "不动产", "c": {"y": None, "x": True}}
    assert canonical_json(value) == '{"a":"不动产","b":[1,2],"c":{"x":true,"y":null}}'.encode()
    assert canonical_digest(value) == hashlib.sha256(canonical_json(value)).hexdigest()


def test_non_json_values_have_one_form() -> None:
    moment = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert canonical_json(
        {"t": moment, "d": Decimal("12.50"), "b": b"\x00\x01", "day": dt.date(2026, 12, 3)}
    ) == (b'{"b":"AAE=","d":"12.50","day":"2026-12-03","t":"2026-12-03T01:30:00Z"}')


def test_bytes_payload_is_hashed_raw_and_nan_is_refused() -> None:
    assert payload_digest(b"abc") == hashlib.sha256(b"abc").hexdigest()
    with pytest.raises(ValueError):
        canonical_digest({"x": float("nan")})
    with pytest.raises(TypeError):
        payload_digest("a string")  # type: ignore[arg-type]


def test_state_fields_digest_each_top_level_field() -> None:
    assert state_fields({"status": "accepted", "n": 1}) == {
        "status": canonical_digest("accepted"),
        "n": canonical_digest(1),
    }
