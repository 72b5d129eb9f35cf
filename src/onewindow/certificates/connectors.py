"""The certificates app's part in a case process (reform 2, 一照通): which permits a business
scope needs, and issuing the licence with its granted permits together (证照同发).

* `scope_permit_mapping(item)` — licensed scope entry code → certificate type, from the
  service item's pack (`reference/scope_permits.csv`).
* `permits_for_scope(*, scope, mapping, context)` — the permits a business scope needs, one
  per certificate type (entries of one type merged), each with its approving department, from
  the registries' scope catalogue (`registries.checks.check_business_scope`, logged with its
  purpose).
* `confirm_permits(*, number, actor, reason)` — complete the case's open `confirm` step with
  those permits (the parallel permit approvals start from them).
* `issue_for_case(*, number, actor, reason)` — approve the case (its `approve` step) and, in
  the same transaction, ONE call to `issue_licence_with_permits` for the company (registered
  in the market-entity registry, which issues its code) and the permits the departments
  granted (`granted_permits` of the process).
* `licence_of_case(number)` — the licence issued for a case, if any.

Why these are functions the steps' actors call and not a workflow service-task connector:
the engine calls connectors on a worker thread (`workflow.connectors.registry.call`), with
its own database connection outside the step's transaction — on SQLite the write fails
("database table is locked"), on PostgreSQL it would commit apart from the step and could
not see the case it belongs to. Issuing must commit or roll back with the decision.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import transaction

from onewindow.accounts.models import User
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.services import default_packs_root, discover_packs
from onewindow.certificates.issuing import PermitRequest, issue_licence_with_permits
from onewindow.certificates.models import Certificate
from onewindow.core.errors import Conflict, NotFound
from onewindow.core.gazetteer import get_gazetteer

SCOPE_PERMITS_FILE = Path("reference") / "scope_permits.csv"
PURPOSE = "一照通核定许可事项 Permits a business scope needs (one licence, many permits)"
LEGAL_BASIS = (
    "《市场主体登记管理条例》；《中华人民共和国行政许可法》第二十六条（联合办理、集中办理）"
)


def _pack_dir(item: ServiceItem) -> Path | None:
    if item.pack is None:
        return None
    root = default_packs_root()
    if (root / item.pack.code / "pack.yaml").is_file():
        return root / item.pack.code
    return next((d for d in discover_packs(root) if d.name == item.pack.code), None)


def read_scope_permits(path: Path) -> dict[str, str]:
    """`scope_code,wording,certificate_type` rows → {scope code: certificate type code}."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["scope_code"]: row["certificate_type"] for row in csv.DictReader(handle)}


def scope_permit_mapping(item: ServiceItem) -> dict[str, str]:
    pack_dir = _pack_dir(item)
    if pack_dir is None or not (pack_dir / SCOPE_PERMITS_FILE).is_file():
        return {}
    return read_scope_permits(pack_dir / SCOPE_PERMITS_FILE)


def permits_for_scope(*, scope: str, mapping: Mapping[str, str], context: Any) -> list[dict]:
    """One permit per certificate type the licensed entries of `scope` need, in the order the
    entries are written; entries of the same type (食品销售, 餐饮服务) share one permit."""
    from onewindow.registries.checks import check_business_scope

    result = check_business_scope(entries=scope, context=context)
    permits: dict[str, dict[str, Any]] = {}
    for entry in result.data.get("permits", []):
        type_code = mapping.get(entry["code"])
        if type_code is None:  # a licensed entry this pack does not carry on the licence
            continue
        if type_code in permits:
            permits[type_code]["wording"] += "；" + entry["wording"]
            continue
        permits[type_code] = {
            "type_code": type_code,
            "scope_code": entry["code"],
            "wording": entry["wording"],
            "permit_name": entry["permit_name"],
            "department_code": entry["department_code"],
            "approving_department": entry["approving_department"],
        }
    return list(permits.values())


def _case(number: str) -> Any:
    from onewindow.cases.models import Case

    case = Case.objects.select_related("service_item__pack", "applicant").filter(number=number)
    found = case.first()
    if found is None:
        raise NotFound("case.not_found", f"未找到办件 {number}", f"No case {number}")
    return found


def confirm_permits(*, number: str, actor: User, reason: str) -> list[dict]:
    """Complete the case's open `confirm` step with the permits its business scope needs."""
    from onewindow.registries.exchange import QueryContext
    from onewindow.workflow import selectors as workflow_selectors
    from onewindow.workflow import services as workflow_services

    case = _case(number)
    step = workflow_selectors.open_item_for_action(f"case:{number}", "confirm")
    if step is None:
        raise Conflict(
            "case.bad_state",
            "办件当前没有待核定的许可事项",
            "The case has no permits waiting to be confirmed",
            details={"case": number},
        )
    workflow_selectors.item_for(actor, step.pk)  # routed to this actor, or not found
    context = QueryContext(
        requester=f"user:{actor.pk}",
        purpose=PURPOSE,
        legal_basis=LEGAL_BASIS,
        requester_department="samr",
        reference=number,
    )
    permits = permits_for_scope(
        scope=case.form_data["business_scope"],
        mapping=scope_permit_mapping(case.service_item),
        context=context,
    )
    workflow_services.complete_task(
        item_id=step.pk, actor=actor, reason=reason, data={"action": "confirm", "permits": permits}
    )
    return permits


def _details(form: Mapping[str, Any], address: str) -> dict[str, Any]:
    capital = form["registered_capital_wan"]
    return {
        "company_type": form["company_type"],
        "legal_representative": form["legal_representative"],
        "registered_capital": f"{capital:g}万元",
        "address": address,
    }


@transaction.atomic
def issue_for_case(*, number: str, actor: User, reason: str) -> Certificate:
    """Approve the case and issue its licence with the granted permits, together."""
    from onewindow.cases import services as case_services
    from onewindow.registries import services as registry_services
    from onewindow.registries.constants import EntityType
    from onewindow.workflow import selectors as workflow_selectors

    case = case_services.approve_case(actor=actor, number=number, reason=reason)
    instance = workflow_selectors.instance_of(f"case:{number}")
    granted = (instance.variables if instance else {}).get("granted_permits") or []
    form, region = case.form_data, case.home_jurisdiction
    entity = registry_services.register_entity(
        name=form["company_name"],
        entity_type=EntityType.ENTERPRISE,
        registered_address=case.registered_address,
        legal_representative=form["legal_representative"],
        legal_representative_id=form["legal_representative_id"],
        industry_code=form.get("industry_code", ""),
        authority_division=region,
        actor=f"user:{actor.pk}",
        reason=reason,
        division_code=case.division_code,
    )
    details = _details(form, case.registered_address)
    details["established_on"] = entity.established_on.isoformat()
    return issue_licence_with_permits(
        actor=actor,
        reason=reason,
        holder_name=entity.name,
        holder_code=entity.uscc,
        department_code="samr",
        authority_name=f"{get_gazetteer().prefectures[region].name}市场监督管理局",
        region_code=region,
        scope=form["business_scope"],
        details=details,
        permits=[PermitRequest(p["type_code"], scope=p["wording"]) for p in granted],
        applicant=case.applicant,
        case_number=case.number,
    )


def licence_of_case(number: str) -> Certificate | None:
    return (
        Certificate.objects.filter(case_number=number, certificate_type__kind="licence")
        .order_by("-pk")
        .first()
    )
