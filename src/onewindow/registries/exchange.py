"""The data-exchange log: every query to a source is recorded with who asked, why, under
which legal basis, about whom, and a SHA-256 digest of the answer — and a ledger entry.

Callers pass a `QueryContext`; `query()` runs the connector call, then records it (also when
the source failed) in one transaction with its ledger entry.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from onewindow.core.errors import ValidationFailed
from onewindow.core.middleware import current_request_id
from onewindow.ledger.services import append_entry
from onewindow.registries.connectors import get_connector
from onewindow.registries.connectors.base import Connector, ConnectorError
from onewindow.registries.constants import ExchangeOutcome
from onewindow.registries.models import ExchangeRecord

T = TypeVar("T")


@dataclass(frozen=True)
class QueryContext:
    """Why a query is made. `requester` names the actor (``user:7``, ``system:r03``)."""

    requester: str
    purpose: str
    legal_basis: str
    requester_department: str = ""
    reference: str = ""  # e.g. the case number the query serves

    def __post_init__(self) -> None:
        for field in ("requester", "purpose", "legal_basis"):
            if not str(getattr(self, field)).strip():
                raise ValidationFailed(
                    "registry.context_incomplete",
                    "数据查询必须说明请求者、用途和法律依据",
                    f"A data query needs a requester, a purpose and a legal basis ({field})",
                    details={"field": field},
                )


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def answer_digest(answer: Any) -> str:
    canonical = json.dumps(
        _plain(answer), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def exchange_snapshot(record: ExchangeRecord) -> dict[str, Any]:
    return {
        "source": record.source,
        "operation": record.operation,
        "requester": record.requester,
        "purpose": record.purpose,
        "legal_basis": record.legal_basis,
        "subject": record.subject,
        "outcome": record.outcome,
        "answer_digest": record.answer_digest,
        "queried_at": record.queried_at.isoformat(),
    }


def _record(
    connector: Connector,
    operation: str,
    context: QueryContext,
    subject: str,
    outcome: str,
    digest: str,
    started: float,
) -> ExchangeRecord:
    with transaction.atomic():
        record = ExchangeRecord.objects.create(
            source=connector.source,
            operation=operation,
            implementation=connector.implementation,
            requester=context.requester[:200],
            requester_department=context.requester_department[:40],
            source_department=connector.department_code,
            purpose=context.purpose[:200],
            legal_basis=context.legal_basis[:300],
            subject=subject[:200],
            reference=context.reference[:60],
            outcome=outcome,
            answer_digest=digest,
            duration_us=int((time.perf_counter() - started) * 1e6),
            queried_at=timezone.now(),
            request_id=(current_request_id() or "")[:64],
        )
        state = exchange_snapshot(record)
        entry = append_entry(
            actor=context.requester,
            event="data_exchanged",
            subject=f"exchange:{record.pk}",
            reason=context.purpose,
            payload=state,
            state=state,
        )
        ExchangeRecord.objects.filter(pk=record.pk).update(ledger_sequence=entry.sequence)
        record.ledger_sequence = entry.sequence
    return record


def query(
    source: str,
    operation: str,
    *,
    context: QueryContext,
    subject: str,
    call: Callable[[Any], T],
    found: Callable[[T], bool] = bool,
) -> T:
    """Run `call(connector)` for `source` and log it; connector errors are logged and
    re-raised (a workflow retries `SourceUnavailable`)."""
    connector = get_connector(source)
    started = time.perf_counter()
    try:
        answer = call(connector)
    except ConnectorError as exc:
        digest = answer_digest({"error": exc.code})
        _record(connector, operation, context, subject, ExchangeOutcome.ERROR, digest, started)
        raise
    outcome = ExchangeOutcome.FOUND if found(answer) else ExchangeOutcome.NOT_FOUND
    _record(connector, operation, context, subject, outcome, answer_digest(answer), started)
    return answer
