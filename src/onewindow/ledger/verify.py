"""`ledger verify` (a) and (c): recompute the whole log, and check rows against the ledger.

- `verify_log()`: stream every entry, recompute its leaf from its fields, rebuild the tree
  and compare with the stored leaf hashes and nodes, the head, every checkpoint's root and
  signature, checkpoint cosignatures and step co-signatures. A changed entry is reported at
  its row; an entry changed together with its leaf hash at the lowest tree node that no
  longer matches (which names the entries under it); a forged checkpoint at its row.
- `verify_rows()`: for each registered subject type, compare the current row snapshot with
  the last state recorded in the ledger and name each changed field.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import DatabaseError

from onewindow.ledger import conf, merkle
from onewindow.ledger import leaf as leaf_mod
from onewindow.ledger.checkpoints import witness_verifier
from onewindow.ledger.digest import state_digest, state_fields
from onewindow.ledger.models import (
    Checkpoint,
    CheckpointCosignature,
    LedgerCosignature,
    LedgerEntry,
    LedgerHead,
    TreeNode,
)
from onewindow.ledger.note import (
    NoteError,
    Verifier,
    parse_checkpoint,
    parse_note,
    verify_ed25519,
)
from onewindow.ledger.registry import subject_types
from onewindow.ledger.report import Report

ROW_FIELDS = (*leaf_mod.LEAF_FIELDS, "state_fields", "leaf_hash")
NODE_SHIFT = 48


def _entry_rows(chunk: int) -> Iterator[list[tuple[Any, ...]]]:
    after = -1
    while True:
        rows = list(
            LedgerEntry.objects.filter(sequence__gt=after)
            .order_by("sequence")
            .values_list(*ROW_FIELDS)[:chunk]
        )
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def _where(sequence: int) -> str:
    return f"ledger_ledgerentry sequence={sequence}"


class _LogCheck:
    def __init__(self, report: Report, targets: dict[int, list[tuple[bytes, str]]]) -> None:
        self.report = report
        self.targets = targets
        self.frontier = merkle.Frontier()
        self.bad: set[tuple[int, int]] = set()
        self.pending_roots: list[tuple[bytes, str, bytes]] = []
        self.step_cosignatures: dict[int, list[LedgerCosignature]] = defaultdict(list)
        for cosignature in LedgerCosignature.objects.select_related("witness").order_by("pk"):
            self.step_cosignatures[cosignature.entry_id].append(cosignature)

    def entry(self, row: tuple[Any, ...]) -> list[tuple[int, int, bytes]]:
        fields = dict(zip(ROW_FIELDS, row, strict=True))
        sequence = fields["sequence"]
        if sequence != self.frontier.size:
            self.report.add(_where(sequence), f"sequence gap: expected {self.frontier.size}")
        recorded = state_digest(fields["state_fields"]) if fields["state_fields"] else ""
        if recorded != fields["state_digest"]:
            self.report.add(_where(sequence), "state field digests do not match state_digest")
        leaf = leaf_mod.entry_leaf_hash(fields)
        if leaf != bytes(fields["leaf_hash"]):
            self.report.add(
                _where(sequence),
                "recorded fields no longer match the leaf hash (row changed after it was appended)",
            )
            self.bad.add((0, self.frontier.size))
        for cosignature in self.step_cosignatures.get(sequence, []):
            self._step_cosignature(cosignature, sequence, leaf)
        completed = self.frontier.append(leaf)
        self.report.count("entries")
        for root, where in self.targets.get(self.frontier.size, []):
            self.pending_roots.append((root, where, self.frontier.root()))
        return completed

    def _step_cosignature(self, cosignature: LedgerCosignature, sequence: int, leaf: bytes) -> None:
        message = leaf_mod.step_message(conf.origin(), sequence, leaf, cosignature.timestamp)
        try:
            verify_ed25519(
                bytes(cosignature.witness.public_key), message, bytes(cosignature.signature)
            )
        except NoteError:
            self.report.add(
                f"ledger_ledgercosignature id={cosignature.pk} (entry {sequence}, "
                f"{cosignature.witness.department_code} {cosignature.witness.name})",
                "co-signature does not verify for this step's recorded data",
            )
        self.report.count("step co-signatures")

    def roots(self) -> None:
        """Compare signed roots after the nodes, so the lowest changed node is listed first."""
        for root, where, actual in self.pending_roots:
            self._root(root, where, actual)
        self.pending_roots.clear()

    def _root(self, root: bytes, where: str, actual: bytes) -> None:
        if actual != root:
            self.report.add(
                where,
                f"signed root {base64.b64encode(root).decode()} but the "
                f"entries give {base64.b64encode(actual).decode()}",
            )

    def nodes(self, completed: Sequence[tuple[int, int, bytes]]) -> None:
        by_level: dict[int, list[int]] = defaultdict(list)
        for level, index, _ in completed:
            by_level[level].append(index)
        stored: dict[int, bytes] = {}
        for level, indexes in by_level.items():
            low, high = (level << NODE_SHIFT) | min(indexes), (level << NODE_SHIFT) | max(indexes)
            stored.update(
                (p, bytes(h))
                for p, h in TreeNode.objects.filter(
                    position__gte=low, position__lte=high
                ).values_list("position", "hash")
            )
        for level, index, digest in completed:
            found = stored.get((level << NODE_SHIFT) | index)
            if found == digest:
                continue
            below = {(level - 1, 2 * index), (level - 1, 2 * index + 1)}
            if not below & self.bad:
                first, last = index << level, ((index + 1) << level) - 1
                what = "missing" if found is None else "stored hash differs from recomputation"
                self.report.add(
                    f"ledger_treenode level={level} index={index} (entries {first}..{last})",
                    f"{what}: an entry below was changed together with its leaf "
                    "hash, or the node was altered",
                )
            self.bad.add((level, index))
        self.report.count("tree nodes", len(completed))


def verify_log(
    *,
    log_key: Verifier | None = None,
    extra_roots: Sequence[tuple[int, bytes, str]] = (),
    chunk: int = 5000,
) -> Report:
    """(a) Full recomputation from the entries; see the module docstring."""
    report = Report()
    checkpoints = list(Checkpoint.objects.order_by("tree_size"))
    targets: dict[int, list[tuple[bytes, str]]] = defaultdict(list)
    for cp in checkpoints:
        targets[cp.tree_size].append(
            (bytes(cp.root_hash), f"ledger_checkpoint id={cp.pk} tree_size={cp.tree_size}")
        )
    for size, root, where in extra_roots:
        targets[size].append((root, where))
    check = _LogCheck(report, targets)
    for root, where in targets.get(0, []):
        check._root(root, where, merkle.EMPTY_ROOT)
    for rows in _entry_rows(chunk):
        completed: list[tuple[int, int, bytes]] = []
        for row in rows:
            completed += check.entry(row)
        check.nodes(completed)
        check.roots()
    size = check.frontier.size
    for tree_size in sorted(s for s in targets if s > size):
        for _, where in targets[tree_size]:
            report.add(where, f"tree size {tree_size} is larger than the log ({size} entries)")
    _check_head(report, check.frontier, explained=bool(check.bad))
    _check_checkpoint_signatures(report, checkpoints, log_key)
    return report


def _check_head(report: Report, frontier: merkle.Frontier, *, explained: bool) -> None:
    """Head size and frontier; a root difference already explained by a bad leaf is skipped."""
    head = LedgerHead.objects.filter(pk=1).first()
    size, data = (head.size, bytes(head.frontier)) if head else (0, b"")
    if size != frontier.size:
        report.add("ledger_ledgerhead id=1", f"head size {size} but {frontier.size} entries")
        return
    try:
        stored_root = merkle.Frontier.from_bytes(size, data).root()
    except ValueError:
        stored_root = b""
    if stored_root != frontier.root() and not explained:
        report.add("ledger_ledgerhead id=1", "head frontier does not give the recomputed root")


def _check_checkpoint_signatures(
    report: Report, checkpoints: Sequence[Checkpoint], log_key: Verifier | None
) -> None:
    if log_key is None:
        report.notes.append("no platform verifier key: checkpoint signatures not checked")
    cosignatures: dict[int, list[CheckpointCosignature]] = defaultdict(list)
    for cosig in CheckpointCosignature.objects.select_related("witness").order_by("pk"):
        cosignatures[cosig.checkpoint_id].append(cosig)
    for cp in checkpoints:
        where = f"ledger_checkpoint id={cp.pk} tree_size={cp.tree_size}"
        try:
            body = parse_checkpoint(cp.text)
            if (body.tree_size, body.root_hash) != (cp.tree_size, bytes(cp.root_hash)):
                report.add(where, "checkpoint text differs from its size and root columns")
            if log_key is not None:
                _verify_line(cp.text, cp.signature_line, log_key)
                report.count("checkpoint signatures")
        except NoteError as exc:
            report.add(where, f"platform signature: {exc}")
        for cosig in cosignatures.get(cp.pk, []):
            try:
                _verify_line(cp.text, cosig.signature_line, witness_verifier(cosig.witness))
                report.count("checkpoint co-signatures")
            except NoteError as exc:
                report.add(
                    f"ledger_checkpointcosignature id={cosig.pk} ({cosig.witness.department_code})",
                    str(exc),
                )


def _verify_line(text: str, line: str, verifier: Verifier) -> None:
    _, signatures = parse_note(text + "\n" + line)
    signature = signatures[0]
    if (signature.name, signature.key_id) != (verifier.name, verifier.key_id):
        raise NoteError(f"signature is not by {verifier.name}")
    verifier.verify(text.encode(), signature.signature)


def verify_rows() -> Report:
    """(c) Each registered subject row against the last state its ledger entry recorded."""
    report = Report()
    for subject_type in subject_types():
        try:
            _check_subject_type(report, subject_type)
        except DatabaseError as exc:
            report.add(f"subject type {subject_type.type}", f"could not be checked: {exc}")
    return report


def _check_subject_type(report: Report, subject_type: Any) -> None:
    """Last recorded state per subject id vs the current row; missing rows both ways."""
    prefix = f"{subject_type.type}:"
    recorded: dict[str, tuple[int, str, dict[str, str]]] = {}
    for sequence, subject, digest, fields in (
        LedgerEntry.objects.filter(subject__startswith=prefix)
        .exclude(state_digest="")
        .order_by("sequence")
        .values_list("sequence", "subject", "state_digest", "state_fields")
        .iterator()
    ):
        recorded[subject[len(prefix) :]] = (sequence, digest, fields)
    seen = set()
    for subject_id in subject_type.iter_ids():
        seen.add(subject_id)
        _check_row(report, subject_type, subject_id, recorded.get(subject_id))
    for subject_id in recorded.keys() - seen:
        _check_row(report, subject_type, subject_id, recorded[subject_id])


def _check_row(
    report: Report,
    subject_type: Any,
    subject_id: str,
    recorded: tuple[int, str, dict[str, str]] | None,
) -> None:
    snapshot = subject_type.snapshot(subject_id)
    where = subject_type.location(subject_id)
    report.count("rows")
    if recorded is None:
        if snapshot is not None:
            report.add(
                where, "row has no recorded state in the ledger (written outside the services)"
            )
        return
    sequence, digest, fields = recorded
    if snapshot is None:
        report.add(where, f"row recorded by ledger entry {sequence} no longer exists")
        return
    current = state_fields(snapshot)
    if state_digest(current) == digest:
        return
    for name in sorted(current.keys() | fields.keys()):
        if current.get(name) != fields.get(name):
            change = (
                "added" if name not in fields else "removed" if name not in current else "changed"
            )
            report.add(
                f"{where} field={name}", f"{change} since ledger entry {sequence} recorded it"
            )
    if state_digest(fields) != digest:
        report.add(_where(sequence), "recorded field digests do not match state_digest")
