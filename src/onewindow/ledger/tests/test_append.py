"""append_entry: exact fields, leaf hash, stored tree, transactions and refusals."""

from __future__ import annotations

import hashlib

import pytest
from django.db import transaction

from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.ledger import merkle, selectors, services
from onewindow.ledger.digest import canonical_digest, canonical_json, state_digest, state_fields
from onewindow.ledger.leaf import format_time
from onewindow.ledger.models import LedgerEntry, LedgerHead, TreeNode

from .conftest import append

pytestmark = pytest.mark.django_db


def test_entry_records_digests_and_a_leaf_over_its_fields() -> None:
    state = {"number": "WH20261203000001", "status": "accepted"}
    with transaction.atomic():
        entry = services.append_entry(
            actor="user:7",
            event="case_accepted",
            subject="case:WH20261203000001",
            reason="材料齐全",
            payload={"decision": "accept"},
            request_id="req-00000001",
            state=state,
        )
    stored = LedgerEntry.objects.get(sequence=0)
    assert (stored.actor, stored.event, stored.subject, stored.reason, stored.request_id) == (
        "user:7",
        "case_accepted",
        "case:WH20261203000001",
        "材料齐全",
        "req-00000001",
    )
    assert stored.payload_digest == hashlib.sha256(b'{"decision":"accept"}').hexdigest()
    assert stored.state_fields == state_fields(state)
    assert stored.state_digest == state_digest(state_fields(state))
    leaf = canonical_json(
        {
            "actor": "user:7",
            "event": "case_accepted",
            "payload_digest": stored.payload_digest,
            "reason": "材料齐全",
            "recorded_at": format_time(stored.recorded_at),
            "request_id": "req-00000001",
            "sequence": 0,
            "state_digest": stored.state_digest,
            "subject": "case:WH20261203000001",
            "v": 1,
        }
    )
    assert bytes(stored.leaf_hash) == hashlib.sha256(b"\x00" + leaf).digest()
    assert bytes(entry.leaf_hash) == bytes(stored.leaf_hash)


def test_sequences_have_no_gaps_and_the_stored_tree_gives_the_naive_root() -> None:
    entries = append(37)
    assert [e.sequence for e in entries] == list(range(37))
    leaves = [bytes(h) for h in LedgerEntry.objects.values_list("leaf_hash", flat=True)]
    head = LedgerHead.objects.get(pk=1)
    assert head.size == 37
    assert merkle.Frontier.from_bytes(37, bytes(head.frontier)).root() == merkle.root_from_leaves(
        leaves
    )
    for size in (1, 2, 3, 16, 31, 37):
        assert selectors.root_at(size) == merkle.root_from_leaves(leaves[:size])
    # one node per completed perfect subtree: 18 + 9 + 4 + 2 + 1 for 37 leaves
    assert TreeNode.objects.count() == 34


def test_a_rolled_back_append_leaves_no_gap() -> None:
    append(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.append_entry(
            actor="user:7", event="case_accepted", subject="case:X1", reason="r", payload={}
        )
        raise RuntimeError("caller fails after appending")
    entry = append(1)[0]
    assert entry.sequence == 2
    assert LedgerEntry.objects.count() == 3


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("actor", ""),
        ("event", "Case Accepted"),
        ("subject", "WH2026"),
        ("subject", "case:"),
        ("reason", "  "),
    ],
)
def test_invalid_fields_are_refused_and_nothing_is_written(field: str, value: str) -> None:
    arguments = {
        "actor": "user:7",
        "event": "case_accepted",
        "subject": "case:WH1",
        "reason": "ok",
        "payload": {},
    }
    arguments[field] = value
    with pytest.raises(ValidationFailed) as caught, transaction.atomic():
        services.append_entry(**arguments)
    assert caught.value.code == "ledger.invalid_entry"
    assert LedgerEntry.objects.count() == 0
    assert selectors.current_size() == 0


def test_bytes_payload_digest_and_request_id_default() -> None:
    with transaction.atomic():
        entry = services.append_entry(
            actor="system",
            event="outbox_delivered",
            subject="outbox:17",
            reason="delivered",
            payload=b"%PDF-1.7",
        )
    assert entry.payload_digest == hashlib.sha256(b"%PDF-1.7").hexdigest()
    assert (entry.request_id, entry.state_digest, entry.state_fields) == ("", "", {})


def test_entries_for_subject_lists_only_that_subject_in_order() -> None:
    append(2, subject="case:A")
    append(1, subject="case:B")
    append(1, subject="case:A")
    assert [e.sequence for e in selectors.entries_for_subject("case:A")] == [0, 1, 3]
    assert canonical_digest({"step": 0}) == LedgerEntry.objects.get(sequence=0).payload_digest


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused(without_ledger_triggers: None) -> None:
    with pytest.raises(DomainError) as caught:
        services.append_entry(
            actor="user:7", event="case_accepted", subject="case:X", reason="r", payload={}
        )
    assert caught.value.code == "ledger.no_transaction"
    assert LedgerEntry.objects.count() == 0
