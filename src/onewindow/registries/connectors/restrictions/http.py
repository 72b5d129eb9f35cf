"""Restriction lists of the credit platform's service.

POST {base}/restrictions/query {"identifiers": […]} -> {"items": [ListRecord]}.
"""

from __future__ import annotations

from collections.abc import Sequence

from onewindow.registries.connectors import register
from onewindow.registries.connectors.base import from_mapping
from onewindow.registries.connectors.http import HttpConnector
from onewindow.registries.connectors.restrictions import ListRecord, RestrictionSource


@register
class HttpRestrictions(HttpConnector, RestrictionSource):
    def entries_for(self, identifiers: Sequence[str]) -> list[ListRecord]:
        data = self.request("POST", "/restrictions/query", json={"identifiers": list(identifiers)})
        return [from_mapping(ListRecord, item) for item in (data or {}).get("items", [])]
