"""Restriction lists from the local table."""

from __future__ import annotations

from collections.abc import Sequence

from onewindow.registries.connectors import register
from onewindow.registries.connectors.restrictions import ListRecord, RestrictionSource
from onewindow.registries.models import ListEntry


def _iso(value: object) -> str:
    return value.isoformat() if value else ""  # type: ignore[attr-defined]


@register
class LocalRestrictions(RestrictionSource):
    implementation = "local"

    def entries_for(self, identifiers: Sequence[str]) -> list[ListRecord]:
        rows = ListEntry.objects.filter(identifier__in=list(identifiers)).order_by(
            "listed_on", "pk"
        )
        return [
            ListRecord(
                kind=r.kind,
                identifier_kind=r.identifier_kind,
                identifier=r.identifier,
                name=r.name,
                reason=r.reason,
                authority=r.authority,
                document_number=r.document_number,
                listed_on=r.listed_on.isoformat(),
                expires_on=_iso(r.expires_on),
                removed_on=_iso(r.removed_on),
            )
            for r in rows
        ]
