"""`ledger verify --checkpoint` (b): check the log from a trusted checkpoint.

- `proof_bundle(sequence=...)`: what `ledger prove` prints: the entry's fields, its inclusion
  proof, the signed checkpoint at that size, and optionally a consistency proof from an
  older size. Hashes are base64, as in checkpoints.
- `verify_bundle(note, log_key, bundle)`: offline, no database: the trusted checkpoint's
  signature, the bundle checkpoint's signature and consistency with the trusted one, the
  entry's leaf recomputed from its fields, and its inclusion under the signed root.
- `verify_with_checkpoint(note, log_key)`: online: the trusted checkpoint must be
  consistent with the latest stored checkpoint and equal the root recomputed from entries.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from onewindow.core.errors import DomainError
from onewindow.ledger import conf, merkle, selectors
from onewindow.ledger.leaf import LEAF_FIELDS, entry_leaf_hash, format_time
from onewindow.ledger.models import Checkpoint, Witness
from onewindow.ledger.note import (
    COSIGNATURE_V1,
    CheckpointBody,
    NoteError,
    Verifier,
    open_note,
    parse_checkpoint,
    parse_note,
)
from onewindow.ledger.report import Report
from onewindow.ledger.verify import verify_log

BUNDLE_FORMAT = "onewindow-ledger-proof/v1"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def proof_bundle(
    *, sequence: int, tree_size: int | None = None, from_size: int | None = None
) -> dict[str, Any]:
    proof = selectors.inclusion_proof(sequence, tree_size)
    entry = selectors.get_entry(sequence)
    fields = {name: getattr(entry, name) for name in LEAF_FIELDS}
    fields["recorded_at"] = format_time(entry.recorded_at)
    checkpoint = Checkpoint.objects.filter(tree_size=proof.tree_size).first()
    bundle: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "origin": conf.origin(),
        "entry": {**fields, "leaf_hash": _b64(proof.leaf_hash)},
        "inclusion": {
            "sequence": sequence,
            "tree_size": proof.tree_size,
            "root_hash": _b64(proof.root_hash),
            "proof": [_b64(h) for h in proof.hashes],
        },
        "checkpoint": selectors.checkpoint_note(checkpoint) if checkpoint else None,
    }
    if from_size is not None and from_size != proof.tree_size:
        low, high = sorted((from_size, proof.tree_size))
        consistency = selectors.consistency_proof(low, high)
        bundle["consistency"] = {
            "first": low,
            "second": high,
            "proof": [_b64(h) for h in consistency.hashes],
        }
    return bundle


def open_trusted(
    note: str, log_key: Verifier, report: Report, witness_keys: Sequence[Verifier] = ()
) -> CheckpointBody | None:
    """Verify a checkpoint note's platform signature and report who co-signed it."""
    try:
        text, _ = open_note(note, [log_key])
        body = parse_checkpoint(text)
    except NoteError as exc:
        report.add("checkpoint file", f"not a valid checkpoint signed by {log_key.name}: {exc}")
        return None
    report.count("checkpoint signatures")
    _, signatures = parse_note(note)
    known = {(k.name, k.key_id): k for k in witness_keys}
    for signature in signatures:
        key = known.get((signature.name, signature.key_id))
        if key is None:
            continue
        try:
            key.verify(text.encode(), signature.signature)
            report.notes.append(f"co-signed by {key.name}")
            report.count("checkpoint co-signatures")
        except NoteError as exc:
            report.add(f"checkpoint file, signature of {key.name}", str(exc))
    return body


def _decode(values: list[str]) -> list[bytes]:
    return [base64.b64decode(v, validate=True) for v in values]


def verify_bundle(
    note: str, log_key: Verifier, bundle: dict[str, Any], witness_keys: Sequence[Verifier] = ()
) -> Report:
    """(b) offline: trusted checkpoint + proof bundle, no database access."""
    report = Report()
    trusted = open_trusted(note, log_key, report, witness_keys)
    if trusted is None:
        return report
    target = trusted
    if bundle.get("checkpoint"):
        target = open_trusted(bundle["checkpoint"], log_key, report, witness_keys) or trusted
    if target.tree_size != trusted.tree_size:
        _bundle_consistency(report, trusted, target, bundle.get("consistency"))
    fields, inclusion = bundle["entry"], bundle["inclusion"]
    leaf = entry_leaf_hash(fields)
    where = f"entry {fields['sequence']} in bundle"
    if _b64(leaf) != fields["leaf_hash"]:
        report.add(where, "entry fields do not match the leaf hash")
    if inclusion["tree_size"] != target.tree_size:
        report.add(
            where,
            f"inclusion proof is for size {inclusion['tree_size']}, "
            f"checkpoint is {target.tree_size}",
        )
        return report
    try:
        merkle.verify_inclusion(
            fields["sequence"],
            target.tree_size,
            leaf,
            _decode(inclusion["proof"]),
            target.root_hash,
        )
        report.count("inclusion proofs")
    except (merkle.ProofError, ValueError) as exc:
        report.add(where, f"inclusion proof: {exc}")
    return report


def _bundle_consistency(
    report: Report, a: CheckpointBody, b: CheckpointBody, consistency: dict[str, Any] | None
) -> None:
    old, new = sorted((a, b), key=lambda body: body.tree_size)
    if not consistency or (consistency["first"], consistency["second"]) != (
        old.tree_size,
        new.tree_size,
    ):
        report.add("bundle", f"no consistency proof from {old.tree_size} to {new.tree_size}")
        return
    try:
        merkle.verify_consistency(
            old.tree_size,
            new.tree_size,
            old.root_hash,
            new.root_hash,
            _decode(consistency["proof"]),
        )
        report.count("consistency proofs")
    except (merkle.ProofError, ValueError) as exc:
        report.add("bundle", f"consistency proof {old.tree_size}->{new.tree_size}: {exc}")


def verify_with_checkpoint(note: str, log_key: Verifier) -> Report:
    """(b) online: trusted checkpoint vs the latest stored one and the recomputed log."""
    report = Report()
    witnesses = [
        Verifier(w.name, COSIGNATURE_V1, bytes(w.public_key)) for w in Witness.objects.all()
    ]
    trusted = open_trusted(note, log_key, report, witnesses)
    if trusted is None:
        return report
    if trusted.origin != conf.origin():
        report.add("checkpoint file", f"origin {trusted.origin} is not {conf.origin()}")
    latest = selectors.latest_checkpoint()
    if latest is not None and trusted.tree_size:
        low, high = sorted((trusted.tree_size, latest.tree_size))
        roots = {trusted.tree_size: trusted.root_hash, latest.tree_size: bytes(latest.root_hash)}
        try:
            proof = selectors.consistency_proof(low, high)
            merkle.verify_consistency(low, high, roots[low], roots[high], proof.hashes)
            report.count("consistency proofs")
        except (merkle.ProofError, ValueError, DomainError) as exc:
            report.add(
                f"ledger_checkpoint id={latest.pk} tree_size={latest.tree_size}",
                f"not consistent with the trusted checkpoint ({trusted.tree_size}): {exc}",
            )
    extra = [(trusted.tree_size, trusted.root_hash, "trusted checkpoint file")]
    return report.merge(verify_log(log_key=log_key, extra_roots=extra))
