"""Enterprise-names index (企业名称库): the names in use that may conflict with a name.

`candidates(parsed)` may return more than the conflicts (the rules decide); the local
implementation already filters with the rules and confirms each status in the table."""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.registries.connectors.base import Connector
from onewindow.registries.names.parse import ParsedName


@dataclass(frozen=True)
class NameCandidate:
    name: str
    trade_name: str
    region_key: str
    industry_key: str
    status: str
    record_id: int = 0


class NameSource(Connector):
    source = "enterprise_names"

    def candidates(self, parsed: ParsedName) -> list[NameCandidate]:
        raise NotImplementedError


from onewindow.registries.connectors.enterprise_names import http, local  # noqa: E402, F401
