"""`ledger verify`: (a) recomputation, (b) trusted checkpoint + proofs, (c) rows vs ledger."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from onewindow.ledger import audit, conf, keys, selectors, services
from onewindow.ledger.models import Witness
from onewindow.ledger.registry import register_subject, unregister_subject
from onewindow.ledger.verify import verify_log, verify_rows

from .conftest import append, tamper

pytestmark = pytest.mark.django_db


def _verify(*args: str) -> tuple[bool, list[str]]:
    out = StringIO()
    try:
        call_command("ledger", "verify", *args, stdout=out)
        ok = True
    except CommandError:
        ok = False
    return ok, out.getvalue().splitlines()


def test_untouched_log_verifies(witnesses: dict[str, Witness]) -> None:
    append(20, cosigners=["HB-POWER"])
    services.issue_checkpoint()
    services.cosign_checkpoint(witness_name="power.yichang.example/witness")
    ok, lines = _verify()
    assert ok
    assert lines == [
        "OK: 22 entries, 20 step co-signatures, 19 tree nodes, "
        "1 checkpoint signatures, 1 checkpoint co-signatures, 2 rows"
    ]


def test_a_changed_entry_is_reported_at_its_row(key_dir: Path) -> None:
    append(10)
    services.issue_checkpoint()
    tamper("UPDATE ledger_ledgerentry SET reason = 'rewritten' WHERE sequence = 6")
    ok, lines = _verify("--entries-only")
    assert not ok
    assert lines[0] == (
        "PROBLEM ledger_ledgerentry sequence=6: recorded fields no longer match "
        "the leaf hash (row changed after it was appended)"
    )
    assert lines[1].startswith("PROBLEM ledger_checkpoint id=")
    assert "tree_size=10: signed root" in lines[1]
    assert lines[-1].startswith("FAILED: 2 problem(s)")


def test_an_entry_changed_with_its_leaf_hash_is_located_by_the_tree(key_dir: Path) -> None:
    entries = append(8)
    services.issue_checkpoint()
    entry = entries[5]
    entry.reason = "rewritten"
    from onewindow.ledger.leaf import entry_leaf_hash

    forged_leaf = entry_leaf_hash(entry.__dict__)
    tamper(
        "UPDATE ledger_ledgerentry SET reason = 'rewritten', leaf_hash = %s WHERE sequence = 5",
        [forged_leaf],
    )
    report = verify_log(log_key=keys.load_verifier(conf.origin()))
    assert next(str(p) for p in report.problems) == (
        "ledger_treenode level=1 index=2 (entries 4..5): stored hash differs from "
        "recomputation: an entry below was changed together with its leaf hash, or the "
        "node was altered"
    )
    assert len(report.problems) == 2  # the node, and the signed checkpoint at size 8


def test_a_forged_checkpoint_signature_is_reported(key_dir: Path) -> None:
    append(3)
    checkpoint = services.issue_checkpoint()
    tamper(
        "UPDATE ledger_checkpoint SET signature_line = %s WHERE id = %s",
        [keys.load_signer(conf.origin()).signature_line(b"other text\n"), checkpoint.pk],
    )
    report = verify_log(log_key=keys.load_verifier(conf.origin()))
    assert [str(p) for p in report.problems] == [
        f"ledger_checkpoint id={checkpoint.pk} tree_size=3: platform signature: signature by "
        "onewindow.local/ledger does not verify"
    ]


def test_a_changed_subject_row_is_reported_with_table_pk_and_field(
    witnesses: dict[str, Witness],
) -> None:
    power = witnesses["HB-POWER"]
    Witness.objects.filter(pk=power.pk).update(display_name="Someone else")
    report = verify_rows()
    assert [str(p) for p in report.problems] == [
        f"ledger_witness pk={power.pk} name=power.yichang.example/witness field=display_name: "
        "changed since ledger entry 1 recorded it"
    ]
    ok, lines = _verify("--rows")
    assert not ok
    assert lines[0].startswith(f"PROBLEM ledger_witness pk={power.pk}")


def test_rows_written_outside_services_or_deleted_are_reported(db: None) -> None:
    rows = {"1": {"status": "open"}}
    register_subject("gadget", rows.get, lambda: list(rows), lambda i: f"test_gadget pk={i}")
    try:
        with transaction.atomic():
            services.append_entry(
                actor="user:1",
                event="gadget_opened",
                subject="gadget:1",
                reason="r",
                payload={},
                state=rows["1"],
            )
            services.append_entry(
                actor="user:1",
                event="gadget_opened",
                subject="gadget:2",
                reason="r",
                payload={},
                state={"status": "open"},
            )
        rows["3"] = {"status": "open"}
        assert [str(p) for p in verify_rows().problems] == [
            "test_gadget pk=3: row has no recorded state in the ledger (written outside the "
            "services)",
            "test_gadget pk=2: row recorded by ledger entry 1 no longer exists",
        ]
        rows.pop("3")
        rows["1"]["owner"] = "x"
        assert next(str(p) for p in verify_rows().problems) == (
            "test_gadget pk=1 field=owner: added since ledger entry 0 recorded it"
        )
    finally:
        unregister_subject("gadget")


def test_trusted_checkpoint_file_online(key_dir: Path, tmp_path: Path) -> None:
    append(6)
    trusted = tmp_path / "trusted.note"
    trusted.write_text(selectors.checkpoint_note(services.issue_checkpoint()))
    append(3)
    services.issue_checkpoint()
    assert _verify("--checkpoint", str(trusted))[0]
    tamper("UPDATE ledger_ledgerentry SET actor = 'user:9' WHERE sequence = 2")
    ok, lines = _verify("--checkpoint", str(trusted))
    assert not ok
    assert "PROBLEM ledger_ledgerentry sequence=2: recorded fields" in lines[0]
    assert any("trusted checkpoint file: signed root" in line for line in lines)


def test_offline_bundle_checks_entry_inclusion_and_consistency(
    witnesses: dict[str, Witness], tmp_path: Path
) -> None:
    append(5)
    old = services.issue_checkpoint()
    services.cosign_checkpoint(witness_name="zrzy.yichang.example/witness")
    append(6)
    services.issue_checkpoint()
    bundle = audit.proof_bundle(sequence=4, from_size=old.tree_size)
    log_key = keys.load_verifier(conf.origin())
    note = selectors.checkpoint_note(old)
    witness_key = keys.load_signer("zrzy.yichang.example/witness").verifier(0x04)
    report = audit.verify_bundle(note, log_key, bundle, [witness_key])
    assert report.ok, report.problems
    assert report.checked == {
        "checkpoint signatures": 2,
        "checkpoint co-signatures": 1,
        "consistency proofs": 1,
        "inclusion proofs": 1,
    }
    assert report.notes == ["co-signed by zrzy.yichang.example/witness"]
    bundle["entry"]["reason"] = "rewritten"
    assert next(str(p) for p in audit.verify_bundle(note, log_key, bundle).problems) == (
        "entry 4 in bundle: entry fields do not match the leaf hash"
    )
    (tmp_path / "b.json").write_text(json.dumps(bundle))
    (tmp_path / "t.note").write_text(note)
    ok, lines = _verify(
        "--checkpoint",
        str(tmp_path / "t.note"),
        "--proofs",
        str(tmp_path / "b.json"),
        "--key",
        log_key.vkey(),
    )
    assert not ok
    assert "inclusion proof: inclusion proof does not lead to the root hash" in lines[1]


def test_a_subject_type_that_cannot_be_read_is_a_problem_not_a_crash(db: None) -> None:
    from django.db import DatabaseError

    def broken() -> list[str]:
        raise DatabaseError("no such table: gadgets")

    register_subject("gadget", lambda i: None, broken, lambda i: f"test_gadget pk={i}")
    try:
        assert [str(p) for p in verify_rows().problems] == [
            "subject type gadget: could not be checked: no such table: gadgets"
        ]
    finally:
        unregister_subject("gadget")
