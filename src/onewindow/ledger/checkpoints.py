"""Checkpoints (signed tree heads) and department co-signing, witness style.

- `issue_checkpoint()`: sign the current tree head as a C2SP tlog-checkpoint with the
  platform key (key name = origin), after checking the head against the stored tree and its
  consistency with the previous checkpoint. Idempotent while the tree does not grow.
- `cosign_checkpoint(witness_name=...)`: a department key co-signs a checkpoint
  (tlog-cosignature/v1) only after verifying the platform's signature and a consistency
  proof from the last checkpoint it co-signed, whose own cosignature it re-verifies first.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

from onewindow.core.errors import Conflict, DomainError, NotFound
from onewindow.ledger import conf, keys, merkle, selectors
from onewindow.ledger.models import Checkpoint, CheckpointCosignature, LedgerHead, Witness
from onewindow.ledger.note import (
    COSIGNATURE_V1,
    CheckpointBody,
    NoteError,
    Signature,
    Verifier,
    open_note,
    parse_checkpoint,
    parse_note,
)


def _refuse(code: str, zh: str, en: str) -> Conflict:
    return Conflict(code, zh, en)


def issue_checkpoint() -> Checkpoint:
    """Sign and store a checkpoint of the current tree (or return the latest if unchanged)."""
    signer = keys.load_signer(conf.origin())
    with transaction.atomic():
        head = LedgerHead.objects.select_for_update().filter(pk=1).first()
        size = head.size if head else 0
        latest = selectors.latest_checkpoint()
        if latest is not None and latest.tree_size == size:
            return latest
        frontier = merkle.Frontier.from_bytes(size, bytes(head.frontier) if head else b"")
        root = frontier.root()
        if root != selectors.root_at(size):
            raise _refuse(
                "ledger.tree_corrupt",
                "账本头与树节点不一致，拒绝签发",
                "the head does not match the stored tree; run ledger verify",
            )
        if latest is not None:
            _check_extends(latest, size, root)
        body = CheckpointBody(conf.origin(), size, root).text()
        return Checkpoint.objects.create(
            tree_size=size,
            root_hash=root,
            origin=conf.origin(),
            text=body,
            signature_line=signer.signature_line(body.encode()),
            issued_at=timezone.now(),
        )


def _check_extends(previous: Checkpoint, size: int, root: bytes) -> None:
    proof = selectors.consistency_proof(previous.tree_size, size) if previous.tree_size else None
    try:
        if proof is not None:
            merkle.verify_consistency(
                previous.tree_size, size, bytes(previous.root_hash), root, proof.hashes
            )
    except merkle.ProofError as exc:
        raise _refuse(
            "ledger.inconsistent",
            "新树与上一检查点不一致，拒绝签发",
            f"tree is not consistent with checkpoint {previous.tree_size}: {exc}",
        ) from exc


def _witness_state(witness: Witness) -> tuple[int, bytes]:
    """The last (size, root) this witness co-signed, re-verified from its own cosignature."""
    last = (
        CheckpointCosignature.objects.filter(witness=witness)
        .select_related("checkpoint")
        .order_by("-checkpoint__tree_size")
        .first()
    )
    recorded = (witness.last_cosigned_size, bytes(witness.last_cosigned_root))
    if last is None:
        if recorded[0]:
            raise _refuse(
                "ledger.witness_state",
                "共签方状态无签名依据",
                f"{witness.name} records size {recorded[0]} without a cosignature",
            )
        return 0, b""
    verifier = witness_verifier(witness)
    text = last.checkpoint.text
    try:
        _, signatures = parse_note(text + "\n" + last.signature_line)
        verifier.verify(text.encode(), _only(signatures).signature)
        body = parse_checkpoint(text)
    except NoteError as exc:
        raise _refuse(
            "ledger.witness_state",
            "共签方上次签名无法验证",
            f"last cosignature of {witness.name} does not verify: {exc}",
        ) from exc
    if (body.tree_size, body.root_hash) != recorded:
        raise _refuse(
            "ledger.witness_state",
            "共签方状态被改动",
            f"{witness.name} state differs from its last cosigned checkpoint",
        )
    return recorded


def _only(signatures: list[Signature]) -> Signature:
    if len(signatures) != 1:
        raise NoteError("expected exactly one signature line")
    return signatures[0]


def witness_verifier(witness: Witness) -> Verifier:
    """The witness's tlog-cosignature/v1 (0x04) verifier key."""
    return Verifier(witness.name, COSIGNATURE_V1, bytes(witness.public_key))


def cosign_checkpoint(
    *, witness_name: str, checkpoint: Checkpoint | None = None
) -> CheckpointCosignature:
    """Co-sign `checkpoint` (default: latest) with a department's key, witness style."""
    with transaction.atomic():
        witness = Witness.objects.select_for_update().filter(name=witness_name).first()
        if witness is None or not witness.is_active:
            raise NotFound(
                "ledger.no_witness",
                f"没有启用的共签方 {witness_name}",
                f"no active witness {witness_name}",
            )
        checkpoint = checkpoint or selectors.latest_checkpoint()
        if checkpoint is None:
            raise NotFound("ledger.no_checkpoint", "尚无检查点", "no checkpoint issued yet")
        existing = checkpoint.cosignatures.filter(witness=witness).first()
        if existing is not None:
            return existing
        signer = keys.load_signer(witness.name)
        if signer.public_key != bytes(witness.public_key):
            raise DomainError(
                "ledger.key_mismatch",
                "密钥与登记的公钥不符",
                f"key file of {witness.name} does not match its registered key",
            )
        _verify_platform_signature(checkpoint)
        last_size, last_root = _witness_state(witness)
        _check_witness_consistency(witness, checkpoint, last_size, last_root)
        timestamp = int(time.time())
        cosignature = CheckpointCosignature.objects.create(
            checkpoint=checkpoint,
            witness=witness,
            timestamp=timestamp,
            signature_line=signer.cosignature_line(checkpoint.text.encode(), timestamp),
        )
        witness.last_cosigned_size = checkpoint.tree_size
        witness.last_cosigned_root = bytes(checkpoint.root_hash)
        witness.save(update_fields=["last_cosigned_size", "last_cosigned_root"])
        return cosignature


def _verify_platform_signature(checkpoint: Checkpoint) -> None:
    try:
        open_note(
            checkpoint.text + "\n" + checkpoint.signature_line,
            [keys.load_verifier(checkpoint.origin)],
        )
        body = parse_checkpoint(checkpoint.text)
    except NoteError as exc:
        raise _refuse(
            "ledger.bad_signature",
            "检查点平台签名无效",
            f"checkpoint {checkpoint.tree_size} signature: {exc}",
        ) from exc
    if (body.tree_size, body.root_hash) != (checkpoint.tree_size, bytes(checkpoint.root_hash)):
        raise _refuse(
            "ledger.bad_signature",
            "检查点正文与记录不符",
            "checkpoint text differs from its recorded size and root",
        )


def _check_witness_consistency(
    witness: Witness, checkpoint: Checkpoint, last_size: int, last_root: bytes
) -> None:
    size, root = checkpoint.tree_size, bytes(checkpoint.root_hash)
    if size < last_size:
        raise _refuse(
            "ledger.witness_rollback",
            "共签方不为更小的树签名",
            f"{witness.name} already co-signed size {last_size} > {size}",
        )
    if last_size == 0:
        return
    proof = selectors.consistency_proof(last_size, size)
    try:
        merkle.verify_consistency(last_size, size, last_root, root, proof.hashes)
    except merkle.ProofError as exc:
        raise _refuse(
            "ledger.inconsistent",
            "与共签方上次签名的检查点不一致",
            f"checkpoint {size} is not consistent with {last_size}: {exc}",
        ) from exc
