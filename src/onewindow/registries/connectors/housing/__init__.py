"""Housing property records (住建/不动产): a record by certificate number."""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.registries.connectors.base import Connector


@dataclass(frozen=True)
class PropertyRecordData:
    certificate_number: str
    address: str
    address_key: str
    owner_name: str
    owner_identifier: str
    use: str
    area_m2: str = ""


class HousingSource(Connector):
    source = "housing"

    def lookup(self, certificate_number: str) -> PropertyRecordData | None:
        raise NotImplementedError


from onewindow.registries.connectors.housing import http, local  # noqa: E402, F401
