from __future__ import annotations

from django.db.models import QuerySet

from onewindow.catalog.models import ServiceItem
from onewindow.catalog.policies import Requirement
from onewindow.core.errors import NotFound


def active_items() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(is_active=True).select_related("department").order_by("code")


def item_by_code(code: str) -> ServiceItem:
    item = active_items().filter(code=code).first()
    if item is None:
        raise NotFound("catalog.item_not_found", f"未找到事项：{code}", f"No service item: {code}")
    return item


def requirements_of(item: ServiceItem) -> list[Requirement]:
    return [
        Requirement(
            material_code=r.material_type.code,
            condition=r.condition,
            is_required=r.is_required,
            accepted_types=tuple(r.material_type.accepted_types),
        )
        for r in item.requirements.select_related("material_type").order_by("position")
    ]
