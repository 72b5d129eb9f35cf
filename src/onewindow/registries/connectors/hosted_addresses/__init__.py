"""Hosted-address directory (集群注册托管住所): the address, its host, and the host's
Ed25519 signature confirming it (verified by the address check, not trusted)."""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.registries.connectors.base import Connector


@dataclass(frozen=True)
class HostedAddressRecord:
    address: str
    host_uscc: str
    host_name: str
    host_public_key: str  # base64 of the 32-byte Ed25519 key
    host_active: bool
    capacity: int
    occupied: int
    valid_until: str  # ISO date
    signature: str  # base64 of the 64-byte signature
    confirmed_at: str = ""


class HostedAddressSource(Connector):
    source = "hosted_addresses"

    def lookup(self, address_key: str) -> HostedAddressRecord | None:
        raise NotImplementedError


from onewindow.registries.connectors.hosted_addresses import http, local  # noqa: E402, F401
