"""Hubei gazetteer and address resolver (pure Python, no ORM).

Owns the shipped data file `data/hubei.json` (built by `python -m onewindow.core.gazetteer.build
--shared ../shared/data` from GB/T 2260, NBS 2023 street codes, code history and jionlp short
names, plus `curated.yaml`), the 17 service jurisdictions, and address resolution.

Public functions:
* `resolve_address(text) -> AddressResolution` — or a `ValidationFailed` with code
  `address.empty`, `address.too_long`, `address.invalid`, `address.unknown`,
  `address.ambiguous` (details["reason"], details["candidates"]; a district with zone streets
  named without a street is ambiguous, see resolver.py) or `address.outside_service_area`.
* `service_jurisdictions() -> tuple[Jurisdiction, ...]` — the deciding jurisdictions: Wuhan's 12
  districts other than 汉南区, its three zones (codes ZONE_*, the platform's own), 襄阳, 宜昌.
* `get_jurisdiction(code) -> Jurisdiction` — or `NotFound` (`jurisdiction.unknown`).

Wuhan's functional zones have no GB/T 2260 code; they are defined by the streets they
administer (docs/adr/0002-zones-defined-by-streets.md, docs/reference/gazetteer.md).
"""

from __future__ import annotations

from onewindow.core.errors import NotFound
from onewindow.core.gazetteer.index import Jurisdiction, get_gazetteer
from onewindow.core.gazetteer.resolver import AddressResolution, resolve_address

__all__ = [
    "AddressResolution",
    "Jurisdiction",
    "get_jurisdiction",
    "resolve_address",
    "service_jurisdictions",
]


def service_jurisdictions() -> tuple[Jurisdiction, ...]:
    """The 17 deciding jurisdictions, Wuhan's first, in the order of curated.yaml."""
    return tuple(get_gazetteer().jurisdictions.values())


def get_jurisdiction(code: str) -> Jurisdiction:
    jurisdiction = get_gazetteer().jurisdictions.get(code)
    if jurisdiction is None:
        raise NotFound(
            "jurisdiction.unknown",
            f"没有编码为 {code} 的辖区",
            f"No jurisdiction has code {code}",
            details={"code": code},
        )
    return jurisdiction
