"""Market-entity register (市场主体): look up an entity by USCC, or the entities a person
represents. Implementations: `local` (MarketEntity table), `http`."""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.registries.connectors.base import Connector


@dataclass(frozen=True)
class EntityRecord:
    uscc: str
    name: str
    entity_type: str
    legal_form: str
    registered_address: str
    legal_representative: str
    legal_representative_id: str
    status: str
    industry_code: str
    registration_authority: str
    established_on: str  # ISO date
    status_changed_on: str = ""  # ISO date or ""


class MarketEntitySource(Connector):
    source = "market_entities"

    def get(self, uscc: str) -> EntityRecord | None:
        raise NotImplementedError

    def represented_by(self, resident_id: str) -> list[EntityRecord]:
        raise NotImplementedError


from onewindow.registries.connectors.market_entities import http, local  # noqa: E402, F401
