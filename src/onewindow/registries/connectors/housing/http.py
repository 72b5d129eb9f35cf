"""Property records of the housing department's service.

GET {base}/property-records?certificate_number=… -> PropertyRecordData | 404.
"""

from __future__ import annotations

from onewindow.registries.connectors import register
from onewindow.registries.connectors.base import from_mapping
from onewindow.registries.connectors.housing import HousingSource, PropertyRecordData
from onewindow.registries.connectors.http import HttpConnector


@register
class HttpHousing(HttpConnector, HousingSource):
    def lookup(self, certificate_number: str) -> PropertyRecordData | None:
        data = self.request(
            "GET", "/property-records", params={"certificate_number": certificate_number}
        )
        return from_mapping(PropertyRecordData, data) if data else None
