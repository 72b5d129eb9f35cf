"""Public verification: API and page, every bad input a clear reason, never a 500; rate
limit; a log without personal data of the verifier; current statuses; public records."""

from __future__ import annotations

import json
import os
import zlib
from datetime import date

import cbor2
import pytest
from django.test import Client

from onewindow.certificates import conf, keys, records, selectors, services, signers
from onewindow.certificates.cose import encode_sign1
from onewindow.certificates.models import Certificate, VerificationLog
from onewindow.certificates.qr import base45
from onewindow.certificates.qr.payload import pack, verification_url
from onewindow.certificates.records import PublicRecord
from onewindow.certificates.schemas import VerificationOut

from .conftest import OTHER_USCC, claims, cose_bytes, forge, issue_licence

pytestmark = pytest.mark.django_db
URL = "/api/v1/certificates/verify"


def check(client: Client, payload: str) -> dict:
    response = client.post(URL, json.dumps({"payload": payload}), content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    # The endpoint sends its document without a second validation: it must fit the schema.
    assert VerificationOut.model_validate(data).model_dump(mode="json", exclude_unset=True) == data
    return data


def test_a_valid_licence_shows_every_permit_and_masks_people(client, licence):
    data = check(client, verification_url(licence.payload))
    assert (data["valid"], data["reason"], data["signature_verified"]) == (True, "ok", True)
    assert data["message_zh"] == "证照有效，签名核验通过"
    assert data["issuer"] == {
        "department": "samr",
        "name_zh": "市场监督管理局",
        "name_en": "Market Supervision Administration",
        "algorithm": "ed25519",
    }
    assert data["licence"]["holder_code"] == "91420600MA4K0A0A18"
    assert data["licence"]["legal_representative"] == "王**"
    assert data["licence"]["status"] == "valid"
    assert [(p["type"], p["status"], p["in_qr"]) for p in data["permits"]] == [
        ("FT", "valid", True),
        ("FP", "valid", True),
        ("IP", "valid", True),
        ("SE", "valid", True),
        ("MT", "valid", True),
    ]
    assert (data["records"], data["records_connected"]) == ([], False)
    assert "address" not in json.dumps(data)


def _altered(text: str) -> str:
    """Change one character of the holder name inside the signed payload, keep the signature."""
    signed = cose_bytes(text)
    name = "汉江源".encode()
    assert name in signed
    return pack(signed.replace(name, "汉江湖".encode(), 1))


def _unsigned_garbage(samr_key) -> str:
    sign = signers.get_algorithm("ed25519").signer(keys.read_private_key(samr_key))
    return pack(encode_sign1({1: -8, 4: bytes.fromhex(samr_key.kid)}, cbor2.dumps([1, 2]), sign))


def _bad_length(text: str) -> str:
    """Cut the Base45 part to a length of 3k+1, which no Base45 text has."""
    body = text[len(conf.QR_PREFIX) :]
    keep = (len(body) - 2) // 3 * 3 + 1
    return conf.QR_PREFIX + body[:keep]


def _truncated(text: str) -> str:
    """Drop the last 12 bytes of the zlib stream, keeping whole Base45 triplets."""
    body = text[len(conf.QR_PREFIX) :]
    return conf.QR_PREFIX + body[: (len(body) // 3 - 4) * 3]


def _bomb() -> str:
    return conf.QR_PREFIX + base45.encode(zlib.compress(b"\0" * 1_000_000, 9))


CASES = {
    "altered": (lambda lic, k: _altered(lic.payload), "signature.invalid"),
    "truncated_base45": (lambda lic, k: _bad_length(lic.payload), "payload.base45_invalid"),
    "truncated_zlib": (lambda lic, k: _truncated(lic.payload), "payload.zlib_invalid"),
    "not_cbor": (
        lambda lic, k: conf.QR_PREFIX + base45.encode(zlib.compress(b"\xff\x00\x13")),
        "payload.cose_invalid",
    ),
    "cbor_not_cose": (
        lambda lic, k: conf.QR_PREFIX + base45.encode(zlib.compress(cbor2.dumps({"a": 1}))),
        "payload.cose_invalid",
    ),
    "zlib_bomb": (lambda lic, k: _bomb(), "payload.zlib_invalid"),
    "lower_case": (lambda lic, k: lic.payload.lower(), "payload.prefix_unknown"),
    "eu_dcc": (lambda lic, k: "HC1:NCFOXN%TSMAHN-H", "payload.prefix_unknown"),
    "unknown_kid": (
        lambda lic, k: forge(
            signers.get_algorithm("ed25519").generate_private_key(), os.urandom(8), claims()
        ),
        "key.unknown",
    ),
    "other_issuer_same_kid": (
        lambda lic, k: forge(
            signers.get_algorithm("ed25519").generate_private_key(),
            bytes.fromhex(k["certificate"].kid),
            claims(),
        ),
        "signature.invalid",
    ),
    "list_key": (
        lambda lic, k: forge(
            keys.read_private_key(k["list"]), bytes.fromhex(k["list"].kid), claims()
        ),
        "key.wrong_purpose",
    ),
    "issuer_mismatch": (
        lambda lic, k: forge(
            keys.read_private_key(k["certificate"]),
            bytes.fromhex(k["certificate"].kid),
            claims(issuer="tax"),
        ),
        "issuer.mismatch",
    ),
    "claims_invalid": (
        lambda lic, k: _unsigned_garbage(k["certificate"]),
        "payload.claims_invalid",
    ),
    "not_issued_here": (
        lambda lic, k: forge(
            keys.read_private_key(k["certificate"]),
            bytes.fromhex(k["certificate"].kid),
            claims(number="BL42060020269999999"),
        ),
        "certificate.unknown",
    ),
    "oversized": (lambda lic, k: "OW1:" + "A" * 5000, "input.too_large"),
    "empty": (lambda lic, k: "   ", "input.empty"),
    "url_without_payload": (lambda lic, k: "https://example.org/v/?x=1", "payload.prefix_unknown"),
    "binary": (lambda lic, k: "OW1:\x00é€", "payload.base45_invalid"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gets_a_reason_never_a_crash(client, licence, samr_keys, case):
    make, reason = CASES[case]
    data = check(client, make(licence, samr_keys))
    assert (data["valid"], data["reason"]) == (False, reason)
    assert data["message_en"] and data["message_zh"]
    log = VerificationLog.objects.get()
    assert (log.is_valid, log.reason, log.channel) == (False, reason, "api")


def test_huge_and_malformed_bodies_are_refused_cleanly(client, licence):
    big = client.post(
        URL, json.dumps({"payload": "A" * 1_000_001}), content_type="application/json"
    )
    assert (big.status_code, big.json()["code"]) == (422, "request.invalid")
    broken = client.post(URL, "{not json", content_type="application/json")
    assert broken.status_code in (400, 422)
    surrogate = client.post(URL, '{"payload": "OW1:\\udc80"}', content_type="application/json")
    assert (surrogate.status_code, surrogate.json()["code"]) == (422, "request.invalid")
    assert VerificationLog.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "reason", "status"),
    [
        (services.revoke_certificate, "certificate.revoked", "revoked"),
        (services.suspend_certificate, "certificate.suspended", "suspended"),
    ],
)
def test_status_changes_show_at_the_next_scan(client, licence, change, reason, status):
    assert check(client, licence.payload)["valid"] is True
    change(certificate=licence, actor="user:9", reason="监管处置")
    data = check(client, licence.payload)
    assert (data["valid"], data["reason"], data["licence"]["status"]) == (False, reason, status)


def test_a_revoked_permit_shows_at_the_next_scan(client, licence):
    permit = selectors.permits_of(licence)[1]
    services.revoke_certificate(certificate=permit, actor="user:9", reason="食品生产条件不符")
    data = check(client, licence.payload)
    assert data["valid"] is True
    assert {p["number"]: p["status"] for p in data["permits"]}[permit.number] == "revoked"


def test_an_expired_licence_is_not_valid(client, samr_keys):
    expired = issue_licence(valid_from=date(2020, 1, 1), valid_until=date(2025, 12, 31), permits=())
    data = check(client, expired.payload)
    assert (data["valid"], data["reason"], data["licence"]["status"]) == (
        False,
        "certificate.expired",
        "expired",
    )


def test_rate_limit_per_client_and_the_log_keeps_no_address(client, licence, settings):
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = "3/60"
    for _ in range(3):
        assert check(client, licence.payload)["valid"] is True
    response = client.post(URL, {"payload": licence.payload}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (429, "certificates.rate_limited")
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert check(other, licence.payload)["valid"] is True
    assert VerificationLog.objects.count() == 4
    fields = {f.name for f in VerificationLog._meta.get_fields()}
    assert fields == {
        "id",
        "checked_at",
        "channel",
        "is_valid",
        "reason",
        "kid",
        "certificate_number",
        "input_length",
    }
    stored = json.dumps(list(VerificationLog.objects.values()), default=str)
    assert "127.0.0.1" not in stored and "10.1.2.3" not in stored


def test_public_records_come_through_the_provider_seam(client, licence):
    def provider(uscc: str) -> list[PublicRecord]:
        assert uscc == licence.holder_code
        return [
            PublicRecord(
                kind="penalty",
                title="未按规定公示年度报告",
                authority="襄阳市市场监督管理局",
                decided_on=date(2026, 6, 1),
                reference="襄市监罚〔2026〕12号",
                source="registries:penalties",
            )
        ]

    records.register_public_records_provider(provider)
    data = check(client, licence.payload)
    assert data["records_connected"] is True
    assert [(r["kind"], r["reference"], r["decided_on"]) for r in data["records"]] == [
        ("penalty", "襄市监罚〔2026〕12号", "2026-06-01")
    ]

    def broken(uscc: str) -> list[PublicRecord]:
        raise TimeoutError("registry down")

    records.register_public_records_provider(broken)
    data = check(client, licence.payload)
    assert (data["valid"], data["records_available"], data["records"]) == (True, False, [])


def test_the_page_a_phone_opens(client, licence):
    url = verification_url(licence.payload, base_url="")
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "证照有效，签名核验通过" in page and "王**" in page and "王建国" not in page
    for permit in selectors.permits_of(licence):
        assert permit.number in page
    assert response["Cache-Control"] == "no-store"
    bad = client.get("/v/", {"c": _truncated(licence.payload)})
    assert bad.status_code == 200 and "payload.zlib_invalid" in bad.content.decode()
    assert client.get("/v/").status_code == 200
    assert VerificationLog.objects.filter(channel="page").count() == 2


def test_trust_list_and_signed_revocation_list_are_public(client, licence, samr_keys):
    from onewindow.certificates import revocations, trust

    document = client.get("/api/v1/certificates/trust-list").json()
    trusted = trust.from_document(document)
    assert set(trusted.keys) == {samr_keys["certificate"].kid, samr_keys["list"].kid}
    assert "private" not in json.dumps(document)
    permit = selectors.permits_of(licence)[0]
    services.revoke_certificate(certificate=permit, actor="user:9", reason="撤销")
    listed = revocations.verify(client.get("/api/v1/certificates/revocations").json(), trusted)
    from onewindow.certificates.policies import revocation_hash

    assert listed == {revocation_hash(permit.number): "revoked"}


def test_revocation_list_without_a_list_key_is_a_clear_503(client, departments, key_dir):
    response = client.get("/api/v1/certificates/revocations")
    assert (response.status_code, response.json()["code"]) == (503, "certificates.no_list_key")


def test_another_holders_certificate_is_not_confused(client, licence, samr_keys):
    """The same number signed for another holder code is refused."""
    other = forge(
        keys.read_private_key(samr_keys["certificate"]),
        bytes.fromhex(samr_keys["certificate"].kid),
        claims(number=licence.number, holder_code=OTHER_USCC),
    )
    data = check(client, other)
    assert (data["reason"], data["licence"]["status"], data["permits"]) == (
        "certificate.unknown",
        "unknown",
        [],
    )
    assert Certificate.objects.filter(holder_code=OTHER_USCC).count() == 0


def test_log_rows_are_written_in_batches_when_configured(client, licence, settings):
    from onewindow.certificates import verification_log

    settings.CERTIFICATE_VERIFICATION_LOG_BATCH = 3
    settings.CERTIFICATE_VERIFICATION_LOG_SECONDS = 600  # no timer flush inside the test
    check(client, licence.payload)
    check(client, "OW1:%%")
    assert (VerificationLog.objects.count(), verification_log.pending()) == (0, 2)
    check(client, licence.payload)
    assert (VerificationLog.objects.count(), verification_log.pending()) == (3, 0)
    check(client, licence.payload)
    assert verification_log.flush() == 1
    assert sorted(VerificationLog.objects.values_list("reason", flat=True)) == [
        "ok",
        "ok",
        "ok",
        "payload.base45_invalid",
    ]
