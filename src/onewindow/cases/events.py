"""Writing one timeline event and its ledger entry, in that order, so the ledger's snapshot
of the case (see snapshots.py) already covers the event it records."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from onewindow.accounts.models import User
from onewindow.cases.models import Case, CaseEvent
from onewindow.cases.snapshots import case_snapshot
from onewindow.core.middleware import current_request_id
from onewindow.ledger.services import append_entry


def log_event(
    case: Case,
    *,
    actor: User | None,
    ledger_actor: str,
    actor_label: str,
    name: str,
    reason: str,
    data: dict[str, Any],
) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case,
        name=name,
        actor=actor,
        actor_label=actor_label,
        reason=reason,
        data=data,
        status_after=case.status,
        created_at=timezone.now(),
    )
    entry = append_entry(
        actor=ledger_actor,
        event=name,
        subject=f"case:{case.number}",
        reason=reason,
        payload={"case": case.number, "data": data, "status": case.status},
        request_id=current_request_id(),
        state=case_snapshot(case),
    )
    CaseEvent.objects.filter(pk=event.pk).update(ledger_sequence=entry.sequence)
    event.ledger_sequence = entry.sequence
    return event
