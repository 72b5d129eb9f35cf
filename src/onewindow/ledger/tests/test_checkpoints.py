"""Signed checkpoints and witness-style co-signing by departments."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from onewindow.core.errors import Conflict, DomainError
from onewindow.ledger import conf, keys, selectors, services, tasks
from onewindow.ledger.models import Checkpoint, CheckpointCosignature, Witness
from onewindow.ledger.note import (
    COSIGNATURE_V1,
    CheckpointBody,
    Verifier,
    open_note,
    parse_checkpoint,
)

from .conftest import append, tamper

pytestmark = pytest.mark.django_db
POWER = "power.yichang.example/witness"
ZRZY = "zrzy.yichang.example/witness"


def test_checkpoint_is_a_signed_tlog_checkpoint_of_the_current_tree(key_dir: Path) -> None:
    append(5)
    checkpoint = services.issue_checkpoint()
    note = selectors.checkpoint_note(checkpoint)
    text, verified = open_note(note, [keys.load_verifier(conf.origin())])
    body = parse_checkpoint(text)
    assert (body.origin, body.tree_size) == ("onewindow.local/ledger", 5)
    assert body.root_hash == selectors.root_at(5) == bytes(checkpoint.root_hash)
    assert text == f"onewindow.local/ledger\n5\n{base64.b64encode(body.root_hash).decode()}\n"
    assert [v.name for v in verified] == ["onewindow.local/ledger"]


def test_checkpoint_is_reused_until_the_tree_grows(key_dir: Path) -> None:
    append(2)
    first = services.issue_checkpoint()
    assert services.issue_checkpoint().pk == first.pk
    append(1)
    assert services.issue_checkpoint().tree_size == 3
    assert Checkpoint.objects.count() == 2


def test_no_checkpoint_without_the_platform_key(tmp_path: Path, settings, db: None) -> None:
    settings.KEY_DIR = str(tmp_path)
    append(1)
    with pytest.raises(DomainError) as caught:
        services.issue_checkpoint()
    assert caught.value.code == "ledger.key_missing"
    assert Checkpoint.objects.count() == 0


def test_platform_refuses_to_sign_a_tree_inconsistent_with_its_last_checkpoint(
    key_dir: Path,
) -> None:
    append(4)
    services.issue_checkpoint()
    append(1)
    tamper('UPDATE ledger_treenode SET hash = %s WHERE level = 2 AND "index" = 0', [bytes(32)])
    tamper("UPDATE ledger_ledgerhead SET frontier = %s", [bytes(32) * 2])
    with pytest.raises(Conflict) as caught:
        services.issue_checkpoint()
    assert caught.value.code in {"ledger.inconsistent", "ledger.tree_corrupt"}
    assert Checkpoint.objects.count() == 1


def test_departments_cosign_after_checking_consistency(witnesses: dict[str, Witness]) -> None:
    append(3)
    first = services.issue_checkpoint()
    services.cosign_checkpoint(witness_name=POWER)
    append(4)
    second = services.issue_checkpoint()
    services.cosign_checkpoint(witness_name=POWER)
    services.cosign_checkpoint(witness_name=ZRZY)
    note = selectors.checkpoint_note(second)
    power = Verifier(POWER, COSIGNATURE_V1, keys.load_signer(POWER).public_key)
    zrzy = Verifier(ZRZY, COSIGNATURE_V1, keys.load_signer(ZRZY).public_key)
    _, verified = open_note(note, [power, zrzy])
    assert [v.name for v in verified] == [POWER, ZRZY]
    assert note.count("\u2014 ") == 3
    assert Witness.objects.get(name=POWER).last_cosigned_size == second.tree_size == 9
    assert first.cosignatures.count() == 1


def test_witness_refuses_a_checkpoint_that_rewrites_history(witnesses: dict[str, Witness]) -> None:
    append(4)
    services.issue_checkpoint()
    services.cosign_checkpoint(witness_name=POWER)
    append(2)
    # A forged checkpoint: right size, signed by the platform key, but a different history.
    signer = keys.load_signer(conf.origin())
    forged_root = bytes(range(32))
    size = selectors.current_size()
    text = CheckpointBody(conf.origin(), size, forged_root).text()
    forged = Checkpoint.objects.create(
        tree_size=size,
        root_hash=forged_root,
        origin=conf.origin(),
        text=text,
        signature_line=signer.signature_line(text.encode()),
        issued_at=timezone.now(),
    )
    with pytest.raises(Conflict) as caught:
        services.cosign_checkpoint(witness_name=POWER, checkpoint=forged)
    assert caught.value.code == "ledger.inconsistent"
    assert not CheckpointCosignature.objects.filter(checkpoint=forged).exists()
    assert Witness.objects.get(name=POWER).last_cosigned_size == size - 2 == 6


def test_witness_detects_its_own_state_was_reset(witnesses: dict[str, Witness]) -> None:
    append(2)
    services.issue_checkpoint()
    services.cosign_checkpoint(witness_name=POWER)
    tamper("UPDATE ledger_witness SET last_cosigned_size = 1 WHERE name = %s", [POWER])
    append(1)
    services.issue_checkpoint()
    with pytest.raises(Conflict) as caught:
        services.cosign_checkpoint(witness_name=POWER)
    assert caught.value.code == "ledger.witness_state"
    assert CheckpointCosignature.objects.count() == 1


def test_periodic_job_issues_and_cosigns_with_local_witness_keys(
    witnesses: dict[str, Witness],
) -> None:
    append(3)
    assert tasks.checkpoint_and_cosign() == 5  # 2 witness registrations + 3 steps
    checkpoint = selectors.latest_checkpoint()
    assert checkpoint is not None
    assert sorted(c.witness.department_code for c in checkpoint.cosignatures.all()) == [
        "HB-POWER",
        "HB-ZRZY",
    ]


def test_a_step_can_be_cosigned_later_once(witnesses: dict[str, Witness]) -> None:
    entry = append(1)[0]
    with transaction.atomic():
        first = services.cosign_entry(sequence=entry.sequence, department_code="HB-POWER")
    assert services.cosign_entry(sequence=entry.sequence, department_code="HB-POWER") == first
    with pytest.raises(DomainError) as caught:
        services.cosign_entry(sequence=entry.sequence, department_code="HB-WATER")
    assert caught.value.code == "ledger.unknown_cosigner"
