from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message_zh: str
    message_en: str
    details: Any = None


class MaterialRequirementOut(Schema):
    material_type: str
    name_zh: str
    name_en: str
    condition: dict[str, Any]
    is_required: bool


class ServiceItemOut(Schema):
    code: str
    name_zh: str
    name_en: str
    department: str
    level: str
    legal_days: int
    promised_days: int
    fee: str
    regions: list[str]


class ServiceItemDetailOut(ServiceItemOut):
    form_schema: dict[str, Any]
    materials: list[MaterialRequirementOut]


class CentreOut(Schema):
    code: str
    name_zh: str
    name_en: str
    kind: str
    jurisdiction_code: str


class AddressOut(Schema):
    jurisdiction_code: str
    jurisdiction_name: str
    division_code: str | None
    division_name: str | None
    street_code: str | None
    street_name: str | None
    city_code: str
    normalized: str


class DeadlineOut(Schema):
    start: date
    working_days: int
    deadline: date


class CaseSubmitIn(Schema):
    item: str
    applicant_id: int
    registered_address: str
    form_data: dict[str, Any]
    delivery_method: str
    delivery_address: str = ""
    intake_centre: str | None = None
    reason: str = "申请人提交 / submitted by the applicant"


class CaseFields(Schema):
    number: str
    item: str
    item_name_zh: str
    item_name_en: str
    applicant: str
    status: str
    intake_mode: str
    intake_centre: str | None
    home_jurisdiction: str
    home_jurisdiction_name: str
    submitted_at: datetime
    promised_date: date
    legal_date: date
    delivery_method: str
    tracking_number: str
    version: int


class CaseOut(CaseFields):
    @staticmethod
    def resolve_item(obj: Any) -> str:
        return obj.service_item.code

    @staticmethod
    def resolve_item_name_zh(obj: Any) -> str:
        return obj.service_item.name_zh

    @staticmethod
    def resolve_item_name_en(obj: Any) -> str:
        return obj.service_item.name_en

    @staticmethod
    def resolve_applicant(obj: Any) -> str:
        return obj.applicant.name

    @staticmethod
    def resolve_intake_centre(obj: Any) -> str | None:
        return obj.intake_centre.code if obj.intake_centre else None


class EventOut(Schema):
    name: str
    actor: str
    reason: str
    data: dict[str, Any]
    status_after: str
    created_at: datetime
    ledger_sequence: int | None


class MaterialOut(Schema):
    material_type: str
    original_name: str
    content_type: str
    size: int
    sha256: str


class CaseDetailOut(CaseFields):
    registered_address: str
    form_data: dict[str, Any]
    allowed_transitions: list[str]
    timeline: list[EventOut]
    materials: list[MaterialOut]


class DecisionIn(Schema):
    reason: str
    expected_version: int | None = None


class ReturnIn(DecisionIn):
    points: list[str]


class ResubmitIn(DecisionIn):
    form_data: dict[str, Any] | None = None


class DeliveryIn(DecisionIn):
    tracking_number: str = ""
