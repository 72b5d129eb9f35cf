"""Hosted addresses from the local directory tables."""

from __future__ import annotations

import base64

from onewindow.registries.connectors import register
from onewindow.registries.connectors.hosted_addresses import (
    HostedAddressRecord,
    HostedAddressSource,
)
from onewindow.registries.models import HostedAddress


def _b64(value: bytes | memoryview) -> str:
    return base64.b64encode(bytes(value)).decode()


@register
class LocalHostedAddresses(HostedAddressSource):
    implementation = "local"

    def lookup(self, address_key: str) -> HostedAddressRecord | None:
        row = HostedAddress.objects.select_related("host").filter(address_key=address_key).first()
        if row is None:
            return None
        return HostedAddressRecord(
            address=row.address,
            host_uscc=row.host.uscc,
            host_name=row.host.name,
            host_public_key=_b64(row.host.public_key),
            host_active=row.host.is_active,
            capacity=row.capacity,
            occupied=row.occupied,
            valid_until=row.valid_until.isoformat(),
            signature=_b64(row.signature),
            confirmed_at=row.confirmed_at.isoformat(),
        )
