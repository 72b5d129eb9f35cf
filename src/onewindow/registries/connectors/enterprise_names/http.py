"""Names index of the market-supervision department's service.

POST {base}/names/candidates {"name", "region_key", "industry_key", "trade_name"}
-> {"items": [NameCandidate]}.
"""

from __future__ import annotations

from onewindow.registries.connectors import register
from onewindow.registries.connectors.base import from_mapping
from onewindow.registries.connectors.enterprise_names import NameCandidate, NameSource
from onewindow.registries.connectors.http import HttpConnector
from onewindow.registries.names.parse import ParsedName


@register
class HttpNames(HttpConnector, NameSource):
    def candidates(self, parsed: ParsedName) -> list[NameCandidate]:
        data = self.request(
            "POST",
            "/names/candidates",
            json={
                "name": parsed.name,
                "region_key": parsed.region_key,
                "industry_key": parsed.industry_key,
                "trade_name": parsed.trade_name,
            },
        )
        return [from_mapping(NameCandidate, item) for item in (data or {}).get("items", [])]
