"""Ledger API under /api/v1/ledger/: checkpoint, entries of a subject, proofs.

Checkpoints and proofs carry only hashes and are public (anyone holding a checkpoint can
check the log without trusting the platform); entries name actors and reasons, so listing
them is for staff. Hashes of the tree are base64 (as in checkpoints); content digests hex.
Errors are DomainError JSON, e.g. ``ledger.bad_tree_size`` (422), ``ledger.no_checkpoint``.
"""

from __future__ import annotations

import base64

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from onewindow.accounts.selectors import staff_scope
from onewindow.core.errors import NotFound, PermissionDenied
from onewindow.ledger import selectors
from onewindow.ledger.models import Checkpoint, LedgerEntry

router = Router(tags=["ledger"])


def _b64(data: bytes | memoryview) -> str:
    return base64.b64encode(bytes(data)).decode()


class ErrorOut(Schema):
    code: str
    message_zh: str
    message_en: str


class CosignerOut(Schema):
    department_code: str
    name: str
    display_name: str
    timestamp: int


class CheckpointOut(Schema):
    origin: str
    tree_size: int
    root_hash: str
    issued_at: str
    note: str
    cosigned_by: list[CosignerOut]


class EntryOut(Schema):
    sequence: int
    recorded_at: str
    actor: str
    event: str
    subject: str
    reason: str
    payload_digest: str
    state_digest: str
    request_id: str
    leaf_hash: str
    cosigned_by: list[CosignerOut]
    inclusion_proof_url: str


class InclusionOut(Schema):
    sequence: int
    tree_size: int
    leaf_hash: str
    root_hash: str
    proof: list[str]
    checkpoint: str | None


class ConsistencyOut(Schema):
    first: int
    second: int
    first_root: str
    second_root: str
    proof: list[str]


def _latest() -> Checkpoint:
    checkpoint = selectors.latest_checkpoint()
    if checkpoint is None:
        raise NotFound("ledger.no_checkpoint", "尚无检查点", "no checkpoint issued yet")
    return checkpoint


def _checkpoint_out(checkpoint: Checkpoint) -> CheckpointOut:
    cosigners = [
        CosignerOut(
            department_code=c.witness.department_code,
            name=c.witness.name,
            display_name=c.witness.display_name,
            timestamp=c.timestamp,
        )
        for c in selectors.checkpoint_cosignatures(checkpoint)
    ]
    return CheckpointOut(
        origin=checkpoint.origin,
        tree_size=checkpoint.tree_size,
        root_hash=_b64(checkpoint.root_hash),
        issued_at=checkpoint.issued_at.isoformat(),
        note=selectors.checkpoint_note(checkpoint),
        cosigned_by=cosigners,
    )


@router.get(
    "/checkpoint",
    response={200: CheckpointOut, 404: ErrorOut},
    url_name="ledger_checkpoint",
    auth=None,
)
def checkpoint(request: HttpRequest) -> CheckpointOut | HttpResponse:
    """Latest checkpoint as JSON, or as the signed note when `Accept: text/plain`."""
    latest = _latest()
    if "text/plain" in request.headers.get("Accept", ""):
        return checkpoint_note(request)
    return _checkpoint_out(latest)


@router.get(
    "/checkpoint/note",
    response={200: str, 404: ErrorOut},
    url_name="ledger_checkpoint_note",
    auth=None,
)
def checkpoint_note(request: HttpRequest) -> HttpResponse:
    """Latest checkpoint as a C2SP signed note (text/plain), with every co-signature."""
    note = selectors.checkpoint_note(_latest())
    return HttpResponse(note, content_type="text/plain; charset=utf-8")


def _entry_out(entry: LedgerEntry) -> EntryOut:
    cosigners = [
        CosignerOut(
            department_code=c.witness.department_code,
            name=c.witness.name,
            display_name=c.witness.display_name,
            timestamp=c.timestamp,
        )
        for c in entry.cosignatures.all()
    ]
    return EntryOut(
        sequence=entry.sequence,
        recorded_at=entry.recorded_at.isoformat(),
        actor=entry.actor,
        event=entry.event,
        subject=entry.subject,
        reason=entry.reason,
        payload_digest=entry.payload_digest,
        state_digest=entry.state_digest,
        request_id=entry.request_id,
        leaf_hash=_b64(entry.leaf_hash),
        cosigned_by=cosigners,
        inclusion_proof_url=selectors.inclusion_proof_url(entry.sequence),
    )


@router.get(
    "/entries",
    response={200: list[EntryOut], 401: ErrorOut, 403: ErrorOut},
    url_name="ledger_entries",
    auth=django_auth,
)
def entries(request: HttpRequest, subject: str) -> list[EntryOut]:
    """Entries of one subject (``case:WH...``), oldest first, with their co-signatures."""
    user = request.user
    if not (user.is_superuser or staff_scope(user).is_staff):  # type: ignore[arg-type]
        raise PermissionDenied(
            "ledger.staff_only", "仅工作人员可查看存证记录", "Only staff may list ledger entries"
        )
    return [_entry_out(entry) for entry in selectors.entries_for_subject(subject)[:500]]


# Sizes beyond this cannot exist and would overflow a 64-bit database integer.
MAX_SIZE = 2**62


class InclusionQuery(Schema):
    sequence: int = Field(..., ge=0, le=MAX_SIZE)
    tree_size: int | None = Field(None, ge=0, le=MAX_SIZE)


@router.get(
    "/proof/inclusion",
    response={200: InclusionOut, 422: ErrorOut},
    url_name="ledger_inclusion_proof",
    auth=None,
)
def inclusion(request: HttpRequest, query: Query[InclusionQuery]) -> InclusionOut:
    """Inclusion proof of an entry; `tree_size` defaults to the latest checkpoint covering it."""
    proof = selectors.inclusion_proof(query.sequence, query.tree_size)
    signed = Checkpoint.objects.filter(tree_size=proof.tree_size).first()
    return InclusionOut(
        sequence=proof.sequence,
        tree_size=proof.tree_size,
        leaf_hash=_b64(proof.leaf_hash),
        root_hash=_b64(proof.root_hash),
        proof=[_b64(h) for h in proof.hashes],
        checkpoint=selectors.checkpoint_note(signed) if signed else None,
    )


@router.get(
    "/proof/consistency",
    response={200: ConsistencyOut, 422: ErrorOut},
    url_name="ledger_consistency_proof",
    auth=None,
)
def consistency(
    request: HttpRequest,
    first: int = Query(..., ge=0, le=MAX_SIZE),
    second: int = Query(..., ge=0, le=MAX_SIZE),
) -> ConsistencyOut:
    """Consistency proof between two tree sizes (0 < first <= second <= current size)."""
    proof = selectors.consistency_proof(first, second)
    return ConsistencyOut(
        first=proof.first,
        second=proof.second,
        first_root=_b64(proof.first_root),
        second_root=_b64(proof.second_root),
        proof=[_b64(h) for h in proof.hashes],
    )
