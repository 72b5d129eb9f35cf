"""The record every certificate change leaves: a ledger entry (payload digest including the
certificate hash, row snapshot as state) and a status-history row, in the caller's
transaction."""

from __future__ import annotations

from typing import Any

from onewindow.certificates.models import Certificate, CertificateStatusChange
from onewindow.certificates.snapshots import certificate_snapshot
from onewindow.ledger.services import append_entry


def record(
    certificate: Certificate, event: str, actor: str, reason: str, from_status: str, **extra: Any
) -> None:
    snapshot = certificate_snapshot(certificate)
    entry = append_entry(
        actor=actor,
        event=event,
        subject=f"certificate:{certificate.number}",
        reason=reason,
        payload={
            "number": certificate.number,
            "from_status": from_status,
            "to_status": certificate.status,
            "certificate_hash": certificate.payload_sha256
            or (certificate.licence.payload_sha256 if certificate.licence else ""),
            **extra,
        },
        state=snapshot,
    )
    CertificateStatusChange.objects.create(
        certificate=certificate,
        event=event,
        from_status=from_status,
        to_status=certificate.status,
        actor=actor,
        reason=reason,
        changed_at=entry.recorded_at,
        ledger_sequence=entry.sequence,
    )
