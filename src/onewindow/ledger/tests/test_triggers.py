"""The database refuses UPDATE and DELETE on ledger tables (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction

from onewindow.ledger import services
from onewindow.ledger.models import (
    Checkpoint,
    LedgerCosignature,
    LedgerEntry,
    LedgerHead,
    TreeNode,
    Witness,
)

from .conftest import append

pytestmark = pytest.mark.django_db


def _refused(sql: str, params: list | None = None) -> str:
    with pytest.raises(IntegrityError) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params or [])
    return str(caught.value)


def test_entries_and_nodes_cannot_be_updated_or_deleted() -> None:
    append(4)
    before = list(LedgerEntry.objects.values_list("sequence", "reason", "leaf_hash"))
    assert "append-only" in _refused(
        "UPDATE ledger_ledgerentry SET reason = 'changed' WHERE sequence = 1"
    )
    assert "append-only" in _refused("DELETE FROM ledger_ledgerentry WHERE sequence = 3")
    assert "append-only" in _refused("UPDATE ledger_treenode SET hash = %s", [bytes(32)])
    assert "append-only" in _refused("DELETE FROM ledger_treenode")
    assert list(LedgerEntry.objects.values_list("sequence", "reason", "leaf_hash")) == before
    assert TreeNode.objects.count() == 3


def test_orm_update_and_delete_are_refused_too() -> None:
    entry = append(1)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(actor="someone else")
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=0).actor == "user:7"


def test_head_may_grow_but_never_shrink() -> None:
    append(3)
    assert "only grow" in _refused("UPDATE ledger_ledgerhead SET size = 1 WHERE id = 1")
    assert LedgerHead.objects.get(pk=1).size == 3


def test_checkpoints_cosignatures_and_witness_identity_are_fixed(
    witnesses: dict, key_dir: Path
) -> None:
    with transaction.atomic():
        services.append_entry(
            actor="user:7",
            event="property_transfer_recorded",
            subject="case:YC1",
            reason="登簿",
            payload={},
            cosigners=["HB-ZRZY"],
        )
    checkpoint = services.issue_checkpoint()
    services.cosign_checkpoint(witness_name="power.yichang.example/witness")
    assert "append-only" in _refused(
        "UPDATE ledger_checkpoint SET tree_size = 99 WHERE id = %s", [checkpoint.pk]
    )
    assert "append-only" in _refused("DELETE FROM ledger_checkpointcosignature")
    assert "append-only" in _refused("UPDATE ledger_ledgercosignature SET timestamp = 0")
    assert "may not be deleted" in _refused("DELETE FROM ledger_witness")
    assert "are fixed" in _refused("UPDATE ledger_witness SET public_key = %s", [bytes(32)])
    assert "are fixed" in _refused("UPDATE ledger_witness SET last_cosigned_size = 0")
    assert Checkpoint.objects.get().tree_size == checkpoint.tree_size
    assert LedgerCosignature.objects.count() == 1
    assert Witness.objects.filter(last_cosigned_size=checkpoint.tree_size).count() == 1
