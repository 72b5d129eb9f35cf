"""Ledger reads: entries of a subject, tree roots, inclusion and consistency proofs.

- `entries_for_subject(subject)`: the entries of ``"<type>:<id>"`` in order, with their
  co-signatures prefetched (two queries).
- `inclusion_proof(sequence, tree_size=None)`, `consistency_proof(old_size, new_size)`:
  RFC 9162 proofs read from O(log n) stored perfect-subtree hashes in one query.
- `root_at(size)`, `current_size()`, `latest_checkpoint()`, `checkpoint_note(checkpoint)`.
"""

# ruff: noqa: S608 -- SQL text holds only model table names; values are parameters.

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet

from onewindow.core.errors import NotFound, ValidationFailed
from onewindow.ledger import merkle
from onewindow.ledger.models import (
    Checkpoint,
    CheckpointCosignature,
    LedgerCosignature,
    LedgerEntry,
    LedgerHead,
    TreeNode,
)

NODE_SHIFT = 48


@dataclass(frozen=True)
class InclusionProof:
    sequence: int
    tree_size: int
    leaf_hash: bytes
    root_hash: bytes
    hashes: list[bytes]


@dataclass(frozen=True)
class ConsistencyProof:
    first: int
    second: int
    first_root: bytes
    second_root: bytes
    hashes: list[bytes]


def _bad_size(message: str, **details: int) -> ValidationFailed:
    return ValidationFailed("ledger.bad_tree_size", "树大小或序号无效", message, details=details)


def _fetch_sql(leaves: int, nodes: int) -> str:
    """One statement for both tables. PostgreSQL gets one constant text (arrays), which
    psycopg prepares once; SQLite gets IN lists (its statement cache keys on the text)."""
    entry, node = LedgerEntry._meta.db_table, TreeNode._meta.db_table
    if connection.vendor == "postgresql":
        return (
            f"SELECT sequence, leaf_hash FROM {entry} WHERE sequence = ANY(%s) UNION ALL "
            f"SELECT position, hash FROM {node} WHERE position = ANY(%s)"
        )
    return (
        f"SELECT sequence, leaf_hash FROM {entry} WHERE sequence IN "
        f"({','.join(['%s'] * leaves)}) UNION ALL SELECT position, hash FROM {node} "
        f"WHERE position IN ({','.join(['%s'] * nodes)})"
    )


def _query(sql: str, params: list[Any]) -> list[tuple[int, bytes]]:
    """Run a read. On SQLite the driver is called directly: Django's cursor wrapper (error
    mapping, %s to ? rewriting) costs as much as the query itself on this hot path."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        assert raw is not None
        return raw.execute(sql.replace("%s", "?"), params).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def fetch_hashes(addresses: Collection[merkle.Address]) -> dict[merkle.Address, bytes]:
    """Hashes of perfect subtrees: level 0 from entries, higher levels from tree nodes.

    Raises `ledger.bad_tree_size` if one is missing, i.e. the tree is not that big yet.
    """
    wanted = set(addresses)
    leaves = [index for level, index in wanted if level == 0]
    nodes = [(level << NODE_SHIFT) | index for level, index in wanted if level > 0]
    sql = _fetch_sql(len(leaves), len(nodes))
    params: list[Any] = [leaves, nodes]
    if connection.vendor != "postgresql":
        params = [*leaves, *nodes]
    found: dict[merkle.Address, bytes] = {}
    for key, digest in _query(sql, params) if wanted else ():
        found[(key >> NODE_SHIFT, key & ((1 << NODE_SHIFT) - 1))] = bytes(digest)
    if len(found) != len(wanted):
        raise _bad_size("the tree does not have that many entries yet")
    return found


def current_size() -> int:
    size = LedgerHead.objects.filter(pk=1).values_list("size", flat=True).first()
    return int(size or 0)


def root_at(size: int) -> bytes:
    """Root hash of the tree when it had `size` entries (any size up to the current one)."""
    if size < 0:
        raise _bad_size("tree size must not be negative", tree_size=size)
    subtrees = merkle.perfect_subtrees(0, size)
    hashes = fetch_hashes(subtrees)
    return merkle.fold([hashes[address] for address in subtrees])


def _with_root(
    ranges: list[tuple[int, int]], size: int, extra: Collection[merkle.Address] = ()
) -> tuple[list[bytes], bytes, dict[merkle.Address, bytes]]:
    """Proof hashes plus the root of `size` (and `extra` addresses) from one query."""
    root_plan = merkle.perfect_subtrees(0, size)
    wanted: set[merkle.Address] = set(root_plan) | set(extra)
    plans = [merkle.perfect_subtrees(start, end) for start, end in ranges]
    for plan in plans:
        wanted.update(plan)
    hashes = fetch_hashes(wanted)
    proof = [merkle.fold([hashes[a] for a in plan]) for plan in plans]
    return proof, merkle.fold([hashes[a] for a in root_plan]), hashes


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size").first()


def inclusion_proof(sequence: int, tree_size: int | None = None) -> InclusionProof:
    """Audit path of entry `sequence` in the tree of `tree_size` entries.

    Without `tree_size`, the latest checkpoint's size is used if it covers the entry
    (so the proof checks against a signed root), else the current size.
    """
    if tree_size is None:
        checkpoint = latest_checkpoint()
        covered = checkpoint is not None and checkpoint.tree_size > sequence
        tree_size = checkpoint.tree_size if covered and checkpoint else current_size()
    if not 0 <= sequence < tree_size:
        raise _bad_size(
            f"sequence {sequence} is not in a tree of size {tree_size}",
            sequence=sequence,
            tree_size=tree_size,
        )
    ranges = merkle.inclusion_ranges(sequence, tree_size)
    proof, root, hashes = _with_root(ranges, tree_size, extra=[(0, sequence)])
    return InclusionProof(sequence, tree_size, hashes[(0, sequence)], root, proof)


def consistency_proof(old_size: int, new_size: int) -> ConsistencyProof:
    """Proof that the tree of `new_size` entries extends the tree of `old_size` entries."""
    if not 0 < old_size <= new_size:
        raise _bad_size(
            f"no consistency proof from size {old_size} to size {new_size}",
            first=old_size,
            second=new_size,
        )
    ranges = merkle.consistency_ranges(old_size, new_size)
    old_plan = merkle.perfect_subtrees(0, old_size)
    proof, root, hashes = _with_root(ranges, new_size, extra=old_plan)
    old_root = merkle.fold([hashes[a] for a in old_plan])
    return ConsistencyProof(old_size, new_size, old_root, root, proof)


def entries_for_subject(subject: str) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(subject=subject)
        .order_by("sequence")
        .prefetch_related(
            Prefetch(
                "cosignatures",
                queryset=LedgerCosignature.objects.select_related("witness").order_by("pk"),
            )
        )
    )


def get_entry(sequence: int) -> LedgerEntry:
    entry = LedgerEntry.objects.filter(sequence=sequence).first()
    if entry is None:
        raise NotFound(
            "ledger.no_entry", f"没有序号为 {sequence} 的存证", f"no ledger entry {sequence}"
        )
    return entry


def checkpoint_cosignatures(checkpoint: Checkpoint) -> list[CheckpointCosignature]:
    return list(checkpoint.cosignatures.select_related("witness").order_by("pk"))


def checkpoint_note(checkpoint: Checkpoint) -> str:
    """The signed note: checkpoint text, the platform signature, then each cosignature."""
    lines = [c.signature_line for c in checkpoint_cosignatures(checkpoint)]
    return checkpoint.text + "\n" + checkpoint.signature_line + "".join(lines)


def inclusion_proof_url(sequence: int) -> str:
    """API address of an entry's inclusion proof, for a case page to link to."""
    from django.urls import reverse

    return f"{reverse('api:ledger_inclusion_proof')}?sequence={sequence}"


def subject_trail(subject: str) -> list[tuple[LedgerEntry, str]]:
    """Entries of a subject with the address of each one's inclusion proof."""
    return [(entry, inclusion_proof_url(entry.sequence)) for entry in entries_for_subject(subject)]


def changed_fields(subject: str, snapshot: Mapping[str, Any]) -> list[str]:
    """Fields of a subject's current snapshot whose digest differs from the last state the
    ledger recorded for it (only fields present in both: snapshots may grow over releases).
    Empty when nothing was recorded or nothing changed."""
    from onewindow.ledger.digest import state_fields

    recorded = (
        LedgerEntry.objects.filter(subject=subject)
        .exclude(state_digest="")
        .order_by("-sequence")
        .values_list("state_fields", flat=True)
        .first()
    )
    if not recorded:
        return []
    current = state_fields(snapshot)
    return sorted(
        name for name in current.keys() & recorded.keys() if current[name] != recorded[name]
    )
