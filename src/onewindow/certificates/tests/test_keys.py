"""Department keys: files 0600 outside the database, rotation, revocation, trust list."""

from __future__ import annotations

import os
import stat

import pytest
import time_machine

from onewindow.certificates import keys, selectors, services, signers, trust
from onewindow.certificates.models import SigningKey
from onewindow.certificates.public import current_trust
from onewindow.certificates.verification import verify_text
from onewindow.core.errors import Conflict, DomainError
from onewindow.ledger.models import LedgerEntry
from onewindow.ledger.verify import verify_rows

from .conftest import ISSUED_AT, claims, forge, issue_licence

pytestmark = pytest.mark.django_db


def test_private_key_is_a_0600_file_and_never_in_the_database(samr_keys, key_dir):
    key = samr_keys["certificate"]
    path = key_dir / "certificates" / f"samr-{key.kid}.ed25519"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    private = keys.read_private_key(key)
    columns = [f.name for f in SigningKey._meta.get_fields()]
    assert not any("private" in c for c in columns)
    assert signers.get_algorithm("ed25519").public_key(private) == bytes(key.public_key)
    assert key.kid == signers.key_id("ed25519", bytes(key.public_key)).hex()
    assert sorted(p.name for p in key_dir.rglob("*") if p.is_file()) == sorted(
        f"samr-{k.kid}.ed25519" for k in samr_keys.values()
    )


def test_a_key_file_readable_by_others_is_refused(samr_keys, key_dir):
    key = samr_keys["certificate"]
    os.chmod(key_dir / "certificates" / f"samr-{key.kid}.ed25519", 0o644)
    with pytest.raises(DomainError) as caught:
        keys.read_private_key(key)
    assert caught.value.code == "certificates.key_file_exposed"


def test_a_second_first_key_is_refused(samr_keys):
    with pytest.raises(Conflict) as caught:
        services.create_signing_key(department_code="samr", actor="user:1", reason="again")
    assert caught.value.code == "certificates.key_exists"


def test_rotation_keeps_old_certificates_verifying(samr_keys):
    old_licence = issue_licence(permits=())
    old_key = samr_keys["certificate"]
    with time_machine.travel(ISSUED_AT.replace(hour=12), tick=True):
        new_key = services.rotate_signing_key(
            department_code="samr", actor="user:1", reason="年度密钥轮换", algorithm="sm2"
        )
    new_licence = issue_licence(
        at=ISSUED_AT.replace(hour=13), permits=(), holder_code="91420500MA4K0B0B2E"
    )
    old_key.refresh_from_db()
    assert (old_key.status, new_key.status, new_key.algorithm) == ("retired", "active", "sm2")
    assert old_key.valid_until is not None and old_key.valid_until <= new_key.valid_from
    trusted = trust.from_document(selectors.trust_list_document())
    assert {k.kid: k.status for k in trusted.keys.values()} == {
        old_key.kid: "retired",
        new_key.kid: "active",
        samr_keys["list"].kid: "active",
    }
    assert verify_text(old_licence.payload, trusted).reason == "ok"
    assert verify_text(new_licence.payload, trusted).reason == "ok"
    assert verify_text(new_licence.payload, trusted).key.algorithm == "sm2"
    events = list(
        LedgerEntry.objects.filter(subject__startswith="signing_key:")
        .order_by("sequence")
        .values_list("event", "subject")
    )
    assert events[-2:] == [
        ("signing_key_retired", f"signing_key:{old_key.kid}"),
        ("signing_key_created", f"signing_key:{new_key.kid}"),
    ]
    assert verify_rows().ok


def test_a_retired_key_cannot_have_signed_after_its_period(samr_keys):
    """A thief of a retired key file cannot date a new payload after the key's retirement."""
    old_key = samr_keys["certificate"]
    with time_machine.travel(ISSUED_AT.replace(hour=9), tick=True):
        services.rotate_signing_key(department_code="samr", actor="user:1", reason="轮换")
    stolen = keys.read_private_key(old_key)
    trusted = current_trust(refresh=True)
    kid = bytes.fromhex(old_key.kid)
    before = claims(issued_at=int(ISSUED_AT.replace(hour=8).timestamp()))
    after = claims(issued_at=int(ISSUED_AT.replace(hour=11).timestamp()))
    assert verify_text(forge(stolen, kid, before), trusted).signature_verified
    assert verify_text(forge(stolen, kid, after), trusted).reason == "key.not_valid_at_issue"


def test_a_revoked_key_verifies_nothing(licence, samr_keys):
    services.revoke_signing_key(kid=samr_keys["certificate"].kid, actor="user:1", reason="私钥泄露")
    assert verify_text(licence.payload, current_trust(refresh=True)).reason == "key.revoked"
    with pytest.raises(DomainError) as caught:
        issue_licence(holder_code="91420500MA4K0B0B2E")
    assert caught.value.code == "certificates.no_signing_key"
