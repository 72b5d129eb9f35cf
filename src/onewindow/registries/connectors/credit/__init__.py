"""Credit ratings (信用等级) of persons and entities."""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.registries.connectors.base import Connector


@dataclass(frozen=True)
class CreditRecord:
    identifier: str
    identifier_kind: str
    grade: str  # A | B | C | D
    rated_on: str  # ISO date
    authority: str


class CreditSource(Connector):
    source = "credit"

    def rating_of(self, identifier: str) -> CreditRecord | None:
        raise NotImplementedError


from onewindow.registries.connectors.credit import http, local  # noqa: E402, F401
