"""Credit ratings of the credit platform's service.

GET {base}/credit-ratings/{identifier} -> CreditRecord | 404.
"""

from __future__ import annotations

from onewindow.registries.connectors import register
from onewindow.registries.connectors.base import from_mapping
from onewindow.registries.connectors.credit import CreditRecord, CreditSource
from onewindow.registries.connectors.http import HttpConnector, path_part


@register
class HttpCredit(HttpConnector, CreditSource):
    def rating_of(self, identifier: str) -> CreditRecord | None:
        data = self.request("GET", f"/credit-ratings/{path_part(identifier)}")
        return from_mapping(CreditRecord, data) if data else None
