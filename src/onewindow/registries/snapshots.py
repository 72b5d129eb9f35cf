"""Ledger snapshots of registries rows (`onewindow ledger verify --rows` compares them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from onewindow.registries.constants import EntityOrigin
from onewindow.registries.models import ExchangeRecord, MarketEntity


def entity_snapshot(entity: MarketEntity) -> dict[str, Any]:
    return {
        "uscc": entity.uscc,
        "name": entity.name,
        "entity_type": entity.entity_type,
        "registered_address": entity.registered_address,
        "legal_representative": entity.legal_representative,
        "status": entity.status,
        "industry_code": entity.industry_code,
        "registration_authority": entity.registration_authority,
    }


def entity_by_uscc(code: str) -> dict[str, Any] | None:
    entity = MarketEntity.objects.filter(uscc=code).first()
    return entity_snapshot(entity) if entity else None


def issued_usccs() -> Iterable[str]:
    # Rows loaded from another register carry no ledger state of their own (their load does).
    return (
        MarketEntity.objects.filter(origin=EntityOrigin.ISSUED)
        .order_by("pk")
        .values_list("uscc", flat=True)
        .iterator()
    )


def entity_location(code: str) -> str:
    entity = MarketEntity.objects.filter(uscc=code).only("pk").first()
    return f"registries_marketentity pk={entity.pk if entity else '?'} uscc={code}"


def exchange_by_id(pk: str) -> dict[str, Any] | None:
    from onewindow.registries.exchange import exchange_snapshot

    record = ExchangeRecord.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
    return exchange_snapshot(record) if record else None


def exchange_ids() -> Iterable[str]:
    return (
        str(pk)
        for pk in ExchangeRecord.objects.order_by("pk").values_list("pk", flat=True).iterator()
    )


def exchange_location(pk: str) -> str:
    return f"registries_exchangerecord pk={pk}"
