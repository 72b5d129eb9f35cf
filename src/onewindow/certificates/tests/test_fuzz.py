"""Fuzzing the offline decoder with Hypothesis: arbitrary text, Base45 noise, mutated real
payloads, random zlib streams and arbitrary CBOR signed with a trusted key. The verifier must
never raise, must answer with a known reason code, and must never call a changed payload
valid. `FUZZ_EXAMPLES=20000` runs a longer campaign (the CI default is bounded)."""

from __future__ import annotations

import os
import zlib
from datetime import UTC, date, datetime

import cbor2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onewindow.certificates import conf, signers
from onewindow.certificates.cose import encode_sign1
from onewindow.certificates.qr import base45
from onewindow.certificates.qr.payload import (
    LicenceClaims,
    PermitClaim,
    claims_from_cbor,
    claims_to_cbor,
    pack,
    verification_url,
)
from onewindow.certificates.reasons import MESSAGES
from onewindow.certificates.trust import TrustedKey, TrustList
from onewindow.certificates.verification import verify_text

from .conftest import claims

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ALGORITHM = signers.get_algorithm("ed25519")
PRIVATE = ALGORITHM.generate_private_key()
PUBLIC = ALGORITHM.public_key(PRIVATE)
KID = signers.key_id("ed25519", PUBLIC)
TRUST = TrustList(
    keys={
        KID.hex(): TrustedKey(
            kid=KID.hex(),
            department="samr",
            department_name_zh="市场监督管理局",
            department_name_en="Market Supervision Administration",
            algorithm="ed25519",
            cose_alg=-8,
            purpose="certificate",
            public_key=PUBLIC,
            status="active",
            valid_from=datetime(2020, 1, 1, tzinfo=UTC),
            valid_until=None,
            revoked_at=None,
        )
    },
    certificate_types={},
)
ORIGINAL_CLAIMS = claims()
SIGNED = encode_sign1({1: -8, 4: KID}, claims_to_cbor(ORIGINAL_CLAIMS), ALGORITHM.signer(PRIVATE))
VALID = pack(SIGNED)
NOW = datetime(2027, 1, 1, tzinfo=UTC)


def checked(text: str):
    result = verify_text(text, TRUST, now=NOW)
    assert result.reason in MESSAGES
    result.to_dict(TRUST)  # serialising never fails either
    return result


def test_the_unmodified_payload_is_valid():
    assert checked(VALID).reason == "ok"
    assert checked(verification_url(VALID, "https://v.example")).reason == "ok"


@FUZZ
@given(st.text(max_size=700))
def test_any_text(text):
    checked(text)
    checked(conf.QR_PREFIX + text)


@FUZZ
@given(st.text(alphabet=base45.ALPHABET, max_size=900))
def test_base45_noise(text):
    checked(conf.QR_PREFIX + text)


@st.composite
def mutations(draw):
    data = bytearray(SIGNED)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "set", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete" and data:
            del data[at : at + draw(st.integers(1, 8))]
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


@FUZZ
@given(mutations())
def test_mutated_signed_payloads_are_never_valid(data):
    result = checked(pack(data))
    if data != SIGNED:
        # Only an encoding-equivalent change (none is expected) may still verify, and then
        # it must carry exactly the signed claims.
        assert result.reason != "ok" or result.claims == ORIGINAL_CLAIMS


@FUZZ
@given(st.binary(max_size=600), st.integers(0, 9))
def test_random_zlib_streams(data, level):
    checked(conf.QR_PREFIX + base45.encode(zlib.compress(data, level)))
    checked(conf.QR_PREFIX + base45.encode(data))


CBOR_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**64), 2**64)
    | st.text(max_size=40)
    | st.binary(max_size=40)
    | st.floats(allow_nan=True),
    lambda children: (
        st.lists(children, max_size=6)
        | st.dictionaries(st.integers(-70002, 10) | st.text(max_size=4), children, max_size=6)
    ),
    max_leaves=30,
)


@FUZZ
@given(CBOR_VALUES)
def test_arbitrary_signed_cbor_claims(value):
    try:
        payload = cbor2.dumps(value)
    except Exception:
        return
    text = pack(encode_sign1({1: -8, 4: KID}, payload, ALGORITHM.signer(PRIVATE)))
    assert checked(text).reason in {"payload.claims_invalid", "ok", "issuer.mismatch"}
    licence = {1: 1, 2: "N1", 3: "BL", 4: "x", 5: "y", 6: 1, 8: [value], 9: 1}
    nested = cbor2.dumps({1: "samr", 6: 1_700_000_000, -70001: licence})
    checked(pack(encode_sign1({1: -8, 4: KID}, nested, ALGORITHM.signer(PRIVATE))))


DAYS = st.dates(min_value=date(1970, 1, 1), max_value=date(2500, 12, 31))
TEXT = st.text(min_size=1, max_size=40)
PERMIT_CLAIMS = st.builds(
    PermitClaim,
    st.text(min_size=1, max_size=8),
    TEXT,
    DAYS,
    st.none() | DAYS,
)


@FUZZ
@given(
    st.builds(
        LicenceClaims,
        number=TEXT,
        type_code=st.text(min_size=1, max_size=8),
        holder_name=st.text(min_size=1, max_size=150),
        holder_code=st.text(min_size=1, max_size=18),
        valid_from=DAYS,
        valid_until=st.none() | DAYS,
        permits=st.lists(PERMIT_CLAIMS, max_size=40).map(tuple),
        issuer=TEXT,
        issued_at=st.integers(0, 2**37 - 1),
        version=st.integers(0, 2**37 - 1),
    )
)
def test_claims_round_trip(value):
    assert claims_from_cbor(claims_to_cbor(value)) == value
