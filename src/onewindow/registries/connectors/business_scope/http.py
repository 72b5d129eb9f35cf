"""Scope catalogue of the market-supervision department's service.

GET {base}/scope-entries/lookup?wording=… -> ScopeRecord | 404;
GET {base}/scope-entries/suggest?wording=…&limit=3 -> {"items": [ScopeRecord]}.
"""

from __future__ import annotations

from onewindow.registries.connectors import register
from onewindow.registries.connectors.base import from_mapping
from onewindow.registries.connectors.business_scope import ScopeRecord, ScopeSource
from onewindow.registries.connectors.http import HttpConnector


@register
class HttpScope(HttpConnector, ScopeSource):
    def lookup(self, wording: str) -> ScopeRecord | None:
        data = self.request("GET", "/scope-entries/lookup", params={"wording": wording})
        return from_mapping(ScopeRecord, data) if data else None

    def suggest(self, wording: str, limit: int = 3) -> list[ScopeRecord]:
        data = self.request(
            "GET", "/scope-entries/suggest", params={"wording": wording, "limit": limit}
        )
        return [from_mapping(ScopeRecord, item) for item in (data or {}).get("items", [])]
