"""Market entities from the market-supervision department's service.

GET {base}/market-entities/{uscc} -> EntityRecord | 404;
GET {base}/market-entities?legal_representative_id=… -> {"items": [EntityRecord]}.
"""

from __future__ import annotations

from onewindow.registries.connectors import register
from onewindow.registries.connectors.base import from_mapping
from onewindow.registries.connectors.http import HttpConnector, path_part
from onewindow.registries.connectors.market_entities import EntityRecord, MarketEntitySource


@register
class HttpMarketEntities(HttpConnector, MarketEntitySource):
    def get(self, uscc: str) -> EntityRecord | None:
        data = self.request("GET", f"/market-entities/{path_part(uscc)}")
        return from_mapping(EntityRecord, data) if data else None

    def represented_by(self, resident_id: str) -> list[EntityRecord]:
        data = self.request(
            "GET", "/market-entities", params={"legal_representative_id": resident_id}
        )
        return [from_mapping(EntityRecord, item) for item in (data or {}).get("items", [])]
