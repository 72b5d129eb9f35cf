"""How the reform 5 process (`promise:<reference>` subjects) reaches the database.

The diagram decides; this handler records. After every advance of a `promise:` instance
(task completed, timer fired, message, retry) the engine calls `after_advance` in the same
transaction, and the handler brings the `Commitment` row in line with the process data:

* `commitment_status == "open"` and no row yet → the commitment is recorded, its deadline
  computed on the working-day calendar (`commitment_made`);
* `commitment_status == "fulfilled"` → the row is closed as fulfilled (`commitment_fulfilled`);
* `filing_status == "revoked"` (the deadline timer fired) → the row is closed as revoked
  (`filing_revoked`) and the firm is notified through the outbox (`filing.revoked`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from onewindow.core.calendar import get_calendar
from onewindow.core.middleware import current_request_id
from onewindow.ledger.services import append_entry
from onewindow.notifications.services import enqueue_event
from onewindow.supervision import policies
from onewindow.supervision.constants import CommitmentStatus
from onewindow.supervision.models import Commitment
from onewindow.supervision.snapshots import commitment_snapshot
from onewindow.workflow.models import ProcessInstance, TaskItem

PROMISE_SUBJECT = "promise"


def _log(row: Commitment, *, actor: str, event: str, reason: str, data: dict[str, Any]) -> None:
    state = commitment_snapshot(row)
    append_entry(
        actor=actor,
        event=event,
        subject=f"commitment:{row.pk}",
        reason=reason,
        payload={**state, **data},
        request_id=current_request_id(),
        state=state,
    )


def _open(subject: str, instance: ProcessInstance, actor: str, reason: str) -> Commitment:
    values = instance.variables
    committed_on = dt.date.fromisoformat(str(values["committed_on"]))
    days = int(values["commit_days"])
    row = Commitment.objects.create(
        subject=subject,
        process_instance=instance.pk,
        firm_uscc=str(values.get("firm_uscc", "")),
        firm_name=str(values.get("firm_name", "")),
        missing_documents=list(values.get("missing_documents") or []),
        committed_on=committed_on,
        working_days=days,
        deadline=policies.deadline_of(get_calendar(), committed_on, days),
        created_at=timezone.now(),
    )
    _log(row, actor=actor, event="commitment_made", reason=reason, data={})
    return row


def _close(row: Commitment, status: str, *, actor: str, reason: str) -> None:
    row.status = status
    row.closed_at, row.closed_by, row.close_reason = timezone.now(), actor, reason[:500]
    row.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])


def _revoke(row: Commitment, *, actor: str, reason: str) -> None:
    why = (
        f"逾期未补交承诺材料，撤销第一类医疗器械备案 Deadline {row.deadline} missed: filing revoked"
    )
    _close(row, CommitmentStatus.REVOKED, actor=actor, reason=why)
    _log(row, actor=actor, event="filing_revoked", reason=why, data={"cause": reason})
    enqueue_event(
        event_type="filing.revoked",
        subject=f"commitment:{row.pk}",
        payload={
            "firm_uscc": row.firm_uscc,
            "firm_name": row.firm_name,
            "deadline": row.deadline.isoformat(),
            "missing_documents": list(row.missing_documents),
            "notice_zh": (
                f"{row.firm_name}：您承诺于 {row.deadline} 前补交的材料未按期提交，"
                "第一类医疗器械备案已依法撤销。"
            ),
            "notice_en": (
                f"{row.firm_name}: the documents promised by {row.deadline} were not "
                "supplied; the class-I medical device filing has been revoked."
            ),
        },
        actor=actor,
        reason=why,
    )


def sync_commitment(subject: str, instance: ProcessInstance, *, actor: str, reason: str) -> None:
    values = instance.variables
    row = Commitment.objects.select_for_update().filter(subject=subject).first()
    if row is None:
        if values.get("commitment_status") != CommitmentStatus.OPEN:
            return
        row = _open(subject, instance, actor, reason)
    if row.status != CommitmentStatus.OPEN:
        return
    if values.get("filing_status") == "revoked":
        _revoke(row, actor=actor, reason=reason)
    elif values.get("commitment_status") == CommitmentStatus.FULFILLED:
        _close(row, CommitmentStatus.FULFILLED, actor=actor, reason=reason)
        _log(row, actor=actor, event="commitment_fulfilled", reason=reason, data={})


class PromiseHandler:
    """The supervision app's part when a `promise:` process advances."""

    def lock(self, subject_id: str) -> None:
        Commitment.objects.select_for_update().filter(
            subject=f"{PROMISE_SUBJECT}:{subject_id}"
        ).first()

    def check_item(self, subject_id: str, item: TaskItem, actor: Any) -> None:
        return None

    def after_advance(
        self, subject_id: str, instance: ProcessInstance, *, actor: str, reason: str, cause: str
    ) -> None:
        sync_commitment(f"{PROMISE_SUBJECT}:{subject_id}", instance, actor=actor, reason=reason)
