"""Names index over the local table (the in-memory index of `registries.names.lookup`)."""

from __future__ import annotations

from onewindow.registries.connectors import register
from onewindow.registries.connectors.enterprise_names import NameCandidate, NameSource
from onewindow.registries.names import lookup
from onewindow.registries.names.parse import ParsedName


@register
class LocalNames(NameSource):
    implementation = "local"

    def candidates(self, parsed: ParsedName) -> list[NameCandidate]:
        return [
            NameCandidate(
                name=c.existing.name,
                trade_name=c.existing.trade_name,
                region_key=c.existing.region_key,
                industry_key=c.existing.industry_key,
                status=c.status,
                record_id=c.existing.record_id,
            )
            for c in lookup.confirmed_conflicts(parsed)
        ]
