"""Hosted-address directory of the market-supervision department's service.

GET {base}/hosted-addresses?address_key=… -> HostedAddressRecord | 404.
"""

from __future__ import annotations

from onewindow.registries.connectors import register
from onewindow.registries.connectors.base import from_mapping
from onewindow.registries.connectors.hosted_addresses import (
    HostedAddressRecord,
    HostedAddressSource,
)
from onewindow.registries.connectors.http import HttpConnector


@register
class HttpHostedAddresses(HttpConnector, HostedAddressSource):
    def lookup(self, address_key: str) -> HostedAddressRecord | None:
        data = self.request("GET", "/hosted-addresses", params={"address_key": address_key})
        return from_mapping(HostedAddressRecord, data) if data else None
