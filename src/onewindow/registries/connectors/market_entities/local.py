"""Market entities from the local table."""

from __future__ import annotations

from onewindow.registries.connectors import register
from onewindow.registries.connectors.market_entities import EntityRecord, MarketEntitySource
from onewindow.registries.models import MarketEntity


def record_of(entity: MarketEntity) -> EntityRecord:
    return EntityRecord(
        uscc=entity.uscc,
        name=entity.name,
        entity_type=entity.entity_type,
        legal_form=entity.legal_form,
        registered_address=entity.registered_address,
        legal_representative=entity.legal_representative,
        legal_representative_id=entity.legal_representative_id,
        status=entity.status,
        industry_code=entity.industry_code,
        registration_authority=entity.registration_authority,
        established_on=entity.established_on.isoformat(),
        status_changed_on=entity.status_changed_on.isoformat() if entity.status_changed_on else "",
    )


@register
class LocalMarketEntities(MarketEntitySource):
    implementation = "local"

    def get(self, uscc: str) -> EntityRecord | None:
        entity = MarketEntity.objects.filter(uscc=uscc).first()
        return record_of(entity) if entity else None

    def represented_by(self, resident_id: str) -> list[EntityRecord]:
        rows = MarketEntity.objects.filter(legal_representative_id=resident_id).order_by("uscc")
        return [record_of(e) for e in rows[:100]]
