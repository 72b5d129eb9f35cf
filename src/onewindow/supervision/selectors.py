"""Reads of the supervision app."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from onewindow.supervision.constants import CommitmentStatus
from onewindow.supervision.models import CaptureKey, Commitment, LivePhoto


def commitment_of(subject: str) -> Commitment | None:
    return Commitment.objects.filter(subject=subject).first()


def commitments_of_firm(uscc: str) -> QuerySet[Commitment]:
    return Commitment.objects.filter(firm_uscc=uscc).order_by("-committed_on", "-pk")


def broken_commitments(uscc: str, *, since: dt.date) -> int:
    """Commitments of the firm revoked for a missed deadline since `since` (its history)."""
    return Commitment.objects.filter(
        firm_uscc=uscc, status=CommitmentStatus.REVOKED, committed_on__gte=since
    ).count()


def active_key(key_id: str) -> CaptureKey | None:
    return CaptureKey.objects.filter(key_id=key_id, is_active=True).first()


def photos_of(subject: str) -> QuerySet[LivePhoto]:
    return LivePhoto.objects.filter(subject=subject).order_by("stored_at", "pk")
