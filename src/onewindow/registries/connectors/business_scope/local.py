"""Scope catalogue from the local table; suggestions by fuzzy match (rapidfuzz)."""

from __future__ import annotations

import time

from rapidfuzz import fuzz, process

from onewindow.registries.connectors import register
from onewindow.registries.connectors.business_scope import ScopeRecord, ScopeSource
from onewindow.registries.models import ScopeEntry

CACHE_SECONDS = 60.0


def record_of(entry: ScopeEntry) -> ScopeRecord:
    return ScopeRecord(
        code=entry.code,
        wording=entry.wording,
        kind=entry.kind,
        permit_name=entry.permit_name,
        approving_department=entry.approving_department,
        department_code=entry.department_code,
        industry_code=entry.industry_code,
        legal_basis=entry.legal_basis,
    )


@register
class LocalScope(ScopeSource):
    implementation = "local"
    _cache: tuple[float, dict[str, ScopeRecord]] | None = None

    def _catalogue(self) -> dict[str, ScopeRecord]:
        # The catalogue is small and read on every check: keep it for a minute.
        if self._cache is None or time.monotonic() - self._cache[0] > CACHE_SECONDS:
            entries = ScopeEntry.objects.filter(is_active=True)
            self._cache = (time.monotonic(), {e.wording: record_of(e) for e in entries})
        return self._cache[1]

    def lookup(self, wording: str) -> ScopeRecord | None:
        return self._catalogue().get(wording)

    def suggest(self, wording: str, limit: int = 3) -> list[ScopeRecord]:
        catalogue = self._catalogue()
        matches = process.extract(
            wording, list(catalogue), scorer=fuzz.WRatio, limit=limit, score_cutoff=50
        )
        return [catalogue[m[0]] for m in matches]

    def forget(self) -> None:
        self._cache = None
