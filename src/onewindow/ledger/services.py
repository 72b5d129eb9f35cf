"""Ledger write operations. Other apps call `append_entry` inside their own transaction.

- `append_entry`: add one leaf (entry + completed tree nodes + head) in the caller's
  transaction, optionally co-signed by the departments named in `cosigners`.
- `register_witness`, `set_witness_active`: the departments that co-sign (recorded as entries).
- `cosign_entry`: a department co-signs an existing step later.
- `issue_checkpoint`, `cosign_checkpoint`: re-exported from `onewindow.ledger.checkpoints`.

Appends are serialised by locking the single head row (SELECT ... FOR UPDATE on PostgreSQL;
SQLite's BEGIN IMMEDIATE already holds the write lock), so sequences have no gaps: a rolled
back transaction rolls back its head update too.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from onewindow.core.errors import DomainError, NotFound, ValidationFailed
from onewindow.core.middleware import current_request_id
from onewindow.ledger import conf, keys, store
from onewindow.ledger.checkpoints import cosign_checkpoint, issue_checkpoint
from onewindow.ledger.digest import payload_digest, state_digest, state_fields
from onewindow.ledger.leaf import entry_leaf_hash, step_message
from onewindow.ledger.merkle import Frontier
from onewindow.ledger.models import LedgerCosignature, LedgerEntry, Witness
from onewindow.ledger.note import COSIGNATURE_V1, NoteError, Verifier

__all__ = [
    "append_entry",
    "cosign_checkpoint",
    "cosign_entry",
    "issue_checkpoint",
    "register_witness",
    "set_witness_active",
]

_SUBJECT = re.compile(r"^[a-z][a-z0-9_]*:\S{1,180}$")
_EVENT = re.compile(r"^[a-z][a-z0-9_.]{0,99}$")


def _invalid(what: str, zh: str) -> ValidationFailed:
    return ValidationFailed(
        "ledger.invalid_entry",
        zh,
        f"invalid ledger entry: {what}",
        details={"field": what.split(" ")[0]},
    )


def _check_fields(actor: str, event: str, subject: str, reason: str) -> None:
    if not actor or len(actor) > 200:
        raise _invalid("actor must be 1-200 characters", "操作者不能为空")
    if not _EVENT.match(event):
        raise _invalid("event must be snake_case, e.g. case_accepted", "事件名无效")
    if not _SUBJECT.match(subject):
        raise _invalid("subject must be <type>:<id>, e.g. case:WH20261203000001", "对象格式无效")
    if not reason.strip():
        raise _invalid("reason is required", "必须填写理由")


def append_entry(
    *,
    actor: str,
    event: str,
    subject: str,
    reason: str,
    payload: Mapping[str, Any] | bytes,
    request_id: str | None = None,
    state: Mapping[str, Any] | None = None,
    cosigners: Sequence[str] = (),
) -> LedgerEntry:
    """Append one entry to the log inside the caller's `transaction.atomic()` block.

    `payload` is digested (never stored); `state`, the subject row after the change, is
    stored as per-field digests so `ledger verify --rows` can name a changed field later.
    `cosigners` are department codes whose witness keys co-sign the entry's leaf hash.
    """
    if not transaction.get_connection().in_atomic_block:
        raise DomainError(
            "ledger.no_transaction",
            "必须在事务中写入存证",
            "append_entry must be called inside transaction.atomic()",
            status=500,
        )
    _check_fields(actor, event, subject, reason)
    fields = state_fields(state) if state is not None else {}
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        size, frontier_bytes = store.lock_head(connection, cursor)
        entry = LedgerEntry(
            sequence=size,
            recorded_at=timezone.now(),
            actor=actor,
            event=event,
            subject=subject,
            reason=reason,
            payload_digest=payload_digest(payload),
            state_digest=state_digest(fields) if state is not None else "",
            state_fields=fields,
            request_id=(request_id or current_request_id() or "")[:64],
        )
        entry.leaf_hash = entry_leaf_hash(entry.__dict__)
        frontier = Frontier.from_bytes(size, frontier_bytes)
        completed = frontier.append(entry.leaf_hash)
        store.insert_entry(connection, cursor, entry)
        store.insert_nodes(connection, cursor, completed)
        store.save_head(cursor, frontier.size, frontier.to_bytes())
    for code in dict.fromkeys(cosigners):
        _cosign_step(entry, _witness_for(code))
    return entry


def _witness_for(department_code: str) -> Witness:
    witness = (
        Witness.objects.filter(department_code=department_code, is_active=True)
        .order_by("-pk")
        .first()
    )
    if witness is None:
        raise ValidationFailed(
            "ledger.unknown_cosigner",
            f"部门 {department_code} 没有登记共签密钥",
            f"department {department_code} has no active witness key",
            details={"department_code": department_code},
        )
    return witness


def _cosign_step(entry: LedgerEntry, witness: Witness) -> LedgerCosignature:
    signer = keys.load_signer(witness.name)
    if signer.public_key != bytes(witness.public_key):
        raise DomainError(
            "ledger.key_mismatch",
            "密钥与登记的公钥不符",
            f"key file of {witness.name} does not match its registered key",
        )
    timestamp = int(time.time())
    # The department recomputes the leaf from the step's fields before it signs.
    leaf = entry_leaf_hash(entry.__dict__)
    message = step_message(conf.origin(), entry.sequence, leaf, timestamp)
    return LedgerCosignature.objects.create(
        entry=entry, witness=witness, timestamp=timestamp, signature=signer.sign(message)
    )


def cosign_entry(*, sequence: int, department_code: str) -> LedgerCosignature:
    """A department co-signs an already recorded step (idempotent per witness)."""
    with transaction.atomic():
        entry = LedgerEntry.objects.filter(sequence=sequence).first()
        if entry is None:
            raise NotFound(
                "ledger.no_entry", f"没有序号为 {sequence} 的存证", f"no ledger entry {sequence}"
            )
        witness = _witness_for(department_code)
        existing = LedgerCosignature.objects.filter(entry=entry, witness=witness).first()
        if existing is not None:
            return existing
        entry.leaf_hash = bytes(entry.leaf_hash)
        if entry_leaf_hash(entry.__dict__) != entry.leaf_hash:
            raise DomainError(
                "ledger.entry_changed",
                "存证记录已被改动，拒绝共签",
                f"entry {sequence} no longer matches its leaf hash",
                status=409,
            )
        return _cosign_step(entry, witness)


def witness_snapshot(witness: Witness) -> dict[str, Any]:
    return {
        "department_code": witness.department_code,
        "name": witness.name,
        "display_name": witness.display_name,
        "public_key": base64.b64encode(bytes(witness.public_key)).decode(),
        "key_id": witness.key_id,
        "is_active": witness.is_active,
    }


def register_witness(
    *,
    department_code: str,
    name: str,
    display_name: str,
    public_key: bytes | str,
    actor: str,
    reason: str,
) -> Witness:
    """Register a department's co-signing key (raw 32 bytes or a note verifier key)."""
    try:
        if isinstance(public_key, str):
            public_key = Verifier.from_vkey(public_key).public_key
        verifier = Verifier(name, COSIGNATURE_V1, bytes(public_key))
        if len(verifier.public_key) != 32:
            raise NoteError("an Ed25519 public key is 32 bytes")
    except NoteError as exc:
        raise ValidationFailed("ledger.bad_key", "公钥无效", str(exc)) from exc
    if not department_code:
        raise _invalid("department_code is required", "部门代码不能为空")
    with transaction.atomic():
        if Witness.objects.filter(name=name).exists():
            raise DomainError(
                "ledger.witness_exists",
                f"共签方 {name} 已登记",
                f"witness {name} is already registered",
                status=409,
            )
        witness = Witness.objects.create(
            department_code=department_code,
            name=name,
            display_name=display_name or name,
            public_key=verifier.public_key,
            key_id=verifier.key_id.hex(),
        )
        append_entry(
            actor=actor,
            event="witness_registered",
            subject=f"witness:{name}",
            reason=reason,
            payload=witness_snapshot(witness),
            state=witness_snapshot(witness),
        )
    return witness


def set_witness_active(*, name: str, active: bool, actor: str, reason: str) -> Witness:
    with transaction.atomic():
        witness = Witness.objects.select_for_update().filter(name=name).first()
        if witness is None:
            raise NotFound("ledger.no_witness", f"没有共签方 {name}", f"no witness {name}")
        witness.is_active = active
        witness.save(update_fields=["is_active"])
        event = "witness_activated" if active else "witness_deactivated"
        append_entry(
            actor=actor,
            event=event,
            subject=f"witness:{name}",
            reason=reason,
            payload={"name": name, "is_active": active},
            state=witness_snapshot(witness),
        )
    return witness
