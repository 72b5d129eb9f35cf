"""The canonical snapshot of a case row recorded in the ledger (verify checks it later)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from onewindow.cases.models import Case
from onewindow.cases.policies import CaseFacts


def case_snapshot(case: Case) -> dict[str, Any]:
    return {
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
    return case_snapshot(case) if case else None


def all_numbers() -> Iterable[str]:
    return Case.objects.order_by("pk").values_list("number", flat=True).iterator()


def location_of(number: str) -> str:
    case = Case.objects.filter(number=number).only("pk").first()
    return f"cases_case pk={case.pk if case else '?'} number={number}"
