"""Public reference endpoints: catalogue, service centres, address resolution, deadlines."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router

from onewindow.accounts.selectors import centres
from onewindow.api.schemas import (
    AddressOut,
    CentreOut,
    DeadlineOut,
    ErrorOut,
    MaterialRequirementOut,
    ServiceItemDetailOut,
    ServiceItemOut,
)
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.selectors import active_items, item_by_code
from onewindow.core.calendar import get_calendar
from onewindow.core.errors import ValidationFailed
from onewindow.core.gazetteer import resolve_address

router = Router(tags=["reference"])
ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def item_out(item: ServiceItem) -> dict:
    return {
        "code": item.code,
        "name_zh": item.name_zh,
        "name_en": item.name_en,
        "department": item.department.code,
        "level": item.level,
        "legal_days": item.legal_days,
        "promised_days": item.promised_days,
        "fee": str(item.fee),
        "regions": item.regions,
    }


@router.get("/catalog/items", response=list[ServiceItemOut], summary="List service items")
def list_items(request: HttpRequest) -> list[dict]:
    return [item_out(i) for i in active_items()]


@router.get(
    "/catalog/items/{code}",
    response={200: ServiceItemDetailOut, **ERRORS},
    summary="One service item with its form schema and materials",
)
def get_item(request: HttpRequest, code: str) -> dict:
    item = item_by_code(code)
    materials = [
        MaterialRequirementOut(
            material_type=r.material_type.code,
            name_zh=r.material_type.name_zh,
            name_en=r.material_type.name_en,
            condition=r.condition,
            is_required=r.is_required,
        )
        for r in item.requirements.select_related("material_type")
    ]
    return {**item_out(item), "form_schema": item.form_schema, "materials": materials}


@router.get("/centres", response=list[CentreOut], summary="Service centres")
def list_centres(request: HttpRequest) -> list:
    return list(centres())


@router.get(
    "/addresses/resolve",
    response={200: AddressOut, **ERRORS},
    summary="Resolve an address to its home jurisdiction",
)
def resolve(request: HttpRequest, address: str) -> dict:
    if len(address) > 200:
        raise ValidationFailed("address.too_long", "地址过长", "Address too long")
    r = resolve_address(address)
    return {
        "jurisdiction_code": r.jurisdiction_code,
        "jurisdiction_name": r.jurisdiction_name,
        "division_code": r.division_code,
        "division_name": r.division_name,
        "street_code": r.street_code,
        "street_name": r.street_name,
        "city_code": r.city_code,
        "normalized": r.normalized,
    }


@router.get(
    "/calendar/deadline",
    response={200: DeadlineOut, **ERRORS},
    summary="The date N working days after a start date",
)
def deadline(
    request: HttpRequest, start: date, working_days: int = Query(..., ge=0, le=3650)
) -> dict:
    return {
        "start": start,
        "working_days": working_days,
        "deadline": get_calendar().add_working_days(start, working_days),
    }
