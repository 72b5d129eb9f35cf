"""Issuing, status changes, history rows and ledger entries of certificates."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from django.db import connection

from onewindow.certificates import policies, selectors, services
from onewindow.certificates.cose import decode_sign1
from onewindow.certificates.models import Certificate, CertificateStatusChange
from onewindow.certificates.public import current_trust
from onewindow.certificates.qr.payload import claims_from_cbor, unpack
from onewindow.certificates.services import PermitRequest
from onewindow.certificates.verification import verify_text
from onewindow.core.errors import Conflict, DomainError, ValidationFailed
from onewindow.ledger.digest import canonical_digest
from onewindow.ledger.models import LedgerEntry
from onewindow.ledger.verify import verify_rows

from .conftest import USCC, cose_bytes, issue_licence

pytestmark = pytest.mark.django_db


def test_licence_and_five_permits_are_issued_together(licence):
    permits = selectors.permits_of(licence)
    assert [p.certificate_type.code for p in permits] == [
        "food-trading",
        "food-production",
        "industrial-product",
        "special-equipment",
        "metrology",
    ]
    assert licence.number == "BL42060020260000001"
    assert permits[0].number == "JY42060020260000001"
    assert permits[0].valid_until == date(2031, 12, 2)  # 5 years from the issue date
    assert permits[3].valid_until == date(2030, 12, 2)  # special equipment: 4 years
    assert licence.valid_until is None  # long-term
    assert all(p.payload == "" and p.licence_id == licence.pk for p in permits)
    claims = claims_from_cbor(unpack(licence.payload).payload)
    assert [p.number for p in claims.permits] == [p.number for p in permits]
    assert (claims.holder_code, claims.issuer, claims.version) == (USCC, "samr", 1)
    assert decode_sign1(cose_bytes(licence.payload)).kid.hex() == licence.signing_key.kid


def test_every_certificate_has_history_and_a_ledger_entry_with_the_hash(licence):
    numbers = [licence.number] + [p.number for p in selectors.permits_of(licence)]
    entries = LedgerEntry.objects.filter(event="certificate_issued").order_by("sequence")
    assert [e.subject for e in entries] == [f"certificate:{n}" for n in numbers]
    assert {e.actor for e in entries} == {"system:workflow"}
    history = CertificateStatusChange.objects.filter(certificate=licence).get()
    assert (history.event, history.from_status, history.to_status) == (
        "certificate_issued",
        "",
        "valid",
    )
    assert history.ledger_sequence == entries[0].sequence
    # The licence payload digest recorded in the ledger covers the certificate hash.
    assert licence.payload_sha256 == hashlib.sha256(cose_bytes(licence.payload)).hexdigest()
    assert entries[0].payload_digest == canonical_digest(
        {
            "number": licence.number,
            "from_status": "",
            "to_status": "valid",
            "certificate_hash": licence.payload_sha256,
            "permits": numbers[1:],
            "payload_version": 1,
        }
    )
    assert verify_rows().ok


def test_revoking_one_permit_shows_at_the_next_check(licence):
    permit = selectors.permits_of(licence)[2]
    services.revoke_certificate(certificate=permit, actor="user:9", reason="生产条件不再符合")
    permit.refresh_from_db()
    assert permit.status == "revoked"
    change = permit.status_changes.order_by("pk").last()
    assert (change.event, change.from_status, change.to_status, change.actor) == (
        "certificate_revoked",
        "valid",
        "revoked",
        "user:9",
    )
    entry = LedgerEntry.objects.get(sequence=change.ledger_sequence)
    assert (entry.event, entry.subject, entry.reason) == (
        "certificate_revoked",
        f"certificate:{permit.number}",
        "生产条件不再符合",
    )
    assert selectors.revocation_entries() == {policies.revocation_hash(permit.number): "revoked"}
    # Offline with the next revocation list: the licence stays valid, that permit is revoked.
    result = verify_text(licence.payload, current_trust(), selectors.revocation_entries())
    assert result.reason == "ok"
    assert [p.status for p in result.permits] == ["valid", "valid", "revoked", "valid", "valid"]
    assert verify_rows().ok


def test_suspend_and_reinstate_then_refuse_wrong_transitions(licence):
    services.suspend_certificate(certificate=licence, actor="user:9", reason="抽查不合格，暂停")
    with pytest.raises(Conflict) as caught:
        services.suspend_certificate(certificate=licence, actor="user:9", reason="again")
    assert caught.value.code == "certificates.transition_not_allowed"
    services.reinstate_certificate(certificate=licence, actor="user:9", reason="整改完成")
    services.revoke_certificate(certificate=licence, actor="user:9", reason="吊销")
    before = LedgerEntry.objects.count()
    with pytest.raises(Conflict):
        services.reinstate_certificate(certificate=licence, actor="user:9", reason="x")
    assert LedgerEntry.objects.count() == before
    assert [c.to_status for c in selectors.status_history(licence)] == [
        "valid",
        "suspended",
        "valid",
        "revoked",
    ]


def test_nothing_is_stored_when_the_department_has_no_key(departments, key_dir):
    with pytest.raises(DomainError) as caught:
        issue_licence()
    assert caught.value.code == "certificates.no_signing_key"
    assert Certificate.objects.count() == 0
    assert LedgerEntry.objects.filter(event="certificate_issued").count() == 0


@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"holder_code": "91420600MA4K0A0A19"}, "uscc.invalid_checksum"),
        ({"region_code": "4206"}, "certificates.bad_region"),
        ({"permits": (PermitRequest("real-estate-title"),)}, "certificates.not_carried_on_licence"),
        ({"permits": (PermitRequest("no-such-type"),)}, "certificates.unknown_type"),
        ({"licence_type": "food-trading"}, "certificates.wrong_kind"),
        ({"details": {"shareholders": "x"}}, "certificates.unknown_detail"),
        ({"holder_name": " "}, "certificates.missing_field"),
        ({"actor": ""}, "certificates.no_actor"),
        ({"department_code": "nowhere"}, "certificates.unknown_department"),
        (
            {"permits": (PermitRequest("food-trading", valid_until=date(2020, 1, 1)),)},
            "certificates.bad_validity",
        ),
    ],
)
def test_bad_requests_are_refused_and_store_nothing(samr_keys, override, code):
    with pytest.raises(ValidationFailed) as caught:
        issue_licence(**override)
    assert caught.value.code == code
    assert Certificate.objects.count() == 0


def test_permits_added_later_resign_the_licence(licence):
    old_payload = licence.payload
    added = services.add_permits(
        licence=licence,
        permits=[PermitRequest("inspection-testing", scope="食品检验")],
        region_code="420600",
        actor="user:9",
        reason="证随照走：新增检验检测资质",
    )
    licence.refresh_from_db()
    assert licence.payload != old_payload and licence.payload_version == 2
    claims = claims_from_cbor(unpack(licence.payload).payload)
    assert claims.permits[-1].number == added[0].number and len(claims.permits) == 6
    assert (
        LedgerEntry.objects.filter(
            event="certificate_reissued", subject=f"certificate:{licence.number}"
        ).count()
        == 1
    )
    # The old QR still verifies (signature), and online it is flagged as superseded.
    assert verify_text(old_payload, current_trust()).reason == "ok"
    assert verify_rows().ok


def test_expiry_marks_only_certificates_past_their_end(licence):
    permit = selectors.permits_of(licence)[3]  # special equipment, ends 2030-12-02
    assert services.expire_certificates(today=permit.valid_until) == []
    assert services.expire_certificates(today=permit.valid_until + timedelta(days=1)) == [
        permit.number
    ]
    permit.refresh_from_db()
    assert permit.status == "expired"


def test_a_row_changed_outside_the_services_is_detected(licence):
    permit = selectors.permits_of(licence)[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE certificates_certificate SET valid_until = %s WHERE id = %s",
            ["2099-12-31", permit.pk],
        )
    report = verify_rows()
    assert [p.location for p in report.problems] == [
        f"certificates_certificate pk={permit.pk} number={permit.number} field=valid_until"
    ]


def test_explicit_numbers_must_be_unique(samr_keys):
    issue_licence(number="XY-0001", permits=())
    with pytest.raises(Conflict) as caught:
        issue_licence(number="xy-0001", permits=())
    assert caught.value.code == "certificates.number_taken"


def test_standalone_certificate_has_its_own_qr(samr_keys):
    title = services.issue_certificate(
        actor="user:3",
        reason="登簿发证",
        certificate_type="real-estate-title",
        holder_name="襄阳市汉江源食品科技有限公司",
        holder_code=USCC,
        department_code="samr",
        authority_name="襄阳市不动产登记中心",
        region_code="420600",
        scope="樊城区长虹北路8号 工业用地 12000㎡",
    )
    assert title.number.startswith("BDC420600")
    assert verify_text(title.payload, current_trust()).reason == "ok"
