"""The canonical snapshot of a case row recorded in the ledger (verify checks it later)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from onewindow.cases import materials as material_files
from onewindow.cases.constants import CaseEventName
from onewindow.cases.models import Case
from onewindow.cases.policies import CaseFacts


def _timeline(case: Case) -> list[list[Any]]:
    """The case's own events; decisions shown on the timeline are recorded by the workflow's
    own ledger entries (DecisionRecord) and are not part of the case row."""
    return [
        [e.name, e.actor_id, e.actor_label, e.reason, e.data, e.status_after]
        for e in case.events.exclude(name=CaseEventName.DECISION_MADE).order_by("created_at", "pk")
    ]


def _materials(case: Case, *, from_files: bool) -> list[list[Any]]:
    """Current materials; with `from_files` the digest is recomputed from the stored file,
    so `ledger verify` also notices a file replaced on disk."""
    rows = []
    for m in case.materials.select_related("material_type").order_by("pk"):
        digest = m.sha256
        if from_files:
            try:
                with material_files.open_stored(m.storage_name) as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
            except OSError:
                digest = "missing"
        rows.append([m.material_type.code, m.original_name, m.size, digest, m.superseded])
    return rows


def case_snapshot(case: Case, *, from_files: bool = False) -> dict[str, Any]:
    return {
        "home_jurisdiction_name": case.home_jurisdiction_name,
        "division_code": case.division_code,
        "street_code": case.street_code,
        "submitted_by": case.submitted_by_id,
        "intake_mode": case.intake_mode,
        "submitted_at": case.submitted_at.isoformat(),
        "legal_date": case.legal_date.isoformat(),
        "decided_at": case.decided_at.isoformat() if case.decided_at else None,
        "delivery_address": case.delivery_address,
        "delivered_at": case.delivered_at.isoformat() if case.delivered_at else None,
        "timeline": _timeline(case),
        "materials": _materials(case, from_files=from_files),
        "number": case.number,
        "item": case.service_item_id,
        "applicant": case.applicant_id,
        "intake_centre": case.intake_centre_id,
        "home_jurisdiction": case.home_jurisdiction,
        "registered_address": case.registered_address,
        "form_data": case.form_data,
        "status": case.status,
        "promised_date": case.promised_date.isoformat(),
        "decided_by": case.decided_by_id,
        "delivery_method": case.delivery_method,
        "tracking_number": case.tracking_number,
        "version": case.version,
    }


def facts_of(case: Case) -> CaseFacts:
    return CaseFacts(
        owner_id=case.applicant.owner_id,
        submitted_by_id=case.submitted_by_id,
        intake_centre_id=case.intake_centre_id,
        home_jurisdiction=case.home_jurisdiction,
        status=case.status,
        delivery_method=case.delivery_method,
    )


def snapshot_by_number(number: str) -> dict[str, Any] | None:
    case = Case.objects.filter(number=number).first()
    return case_snapshot(case, from_files=True) if case else None


def all_numbers() -> Iterable[str]:
    return Case.objects.order_by("pk").values_list("number", flat=True).iterator()


def location_of(number: str) -> str:
    case = Case.objects.filter(number=number).only("pk").first()
    return f"cases_case pk={case.pk if case else '?'} number={number}"
