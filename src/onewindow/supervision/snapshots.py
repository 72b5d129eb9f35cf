"""Canonical snapshots of commitments and live photos recorded in the ledger (verify checks
them later)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from onewindow.supervision.models import Commitment, LivePhoto


def commitment_snapshot(row: Commitment) -> dict[str, Any]:
    return {
        "subject": row.subject,
        "firm_uscc": row.firm_uscc,
        "missing_documents": list(row.missing_documents),
        "committed_on": row.committed_on.isoformat(),
        "working_days": row.working_days,
        "deadline": row.deadline.isoformat(),
        "status": row.status,
        "closed_by": row.closed_by,
    }


def photo_snapshot(row: LivePhoto) -> dict[str, Any]:
    return {
        "subject": row.subject,
        "sha256": row.sha256,
        "uploader": row.uploader,
        "captured_at": row.captured_at.isoformat(),
        "latitude": row.latitude,
        "longitude": row.longitude,
        "key": row.key.key_id,
    }


def commitment_by_id(pk: str) -> dict[str, Any] | None:
    row = Commitment.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    return commitment_snapshot(row) if row else None


def commitment_ids() -> Iterable[str]:
    return (str(pk) for pk in Commitment.objects.order_by("pk").values_list("pk", flat=True))


def commitment_location(pk: str) -> str:
    return f"supervision_commitment pk={pk}"


def photo_by_id(pk: str) -> dict[str, Any] | None:
    row = (
        LivePhoto.objects.select_related("key").filter(pk=int(pk)).first() if pk.isdigit() else None
    )
    return photo_snapshot(row) if row else None


def photo_ids() -> Iterable[str]:
    return (str(pk) for pk in LivePhoto.objects.order_by("pk").values_list("pk", flat=True))


def photo_location(pk: str) -> str:
    return f"supervision_livephoto pk={pk}"
