"""Restriction lists: blacklist (严重违法失信名单), dishonest debtors (失信被执行人) and
restricted registration (限制登记). `entries_for` returns every entry ever listed for the
identifiers; the policy decides which are in force today."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from onewindow.registries.connectors.base import Connector


@dataclass(frozen=True)
class ListRecord:
    kind: str
    identifier_kind: str
    identifier: str
    name: str
    reason: str
    authority: str
    document_number: str
    listed_on: str  # ISO date
    expires_on: str = ""
    removed_on: str = ""


class RestrictionSource(Connector):
    source = "restrictions"

    def entries_for(self, identifiers: Sequence[str]) -> list[ListRecord]:
        raise NotImplementedError


from onewindow.registries.connectors.restrictions import http, local  # noqa: E402, F401
