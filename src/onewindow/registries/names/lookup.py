"""The process-wide names index over the `EnterpriseName` table.

`get_index()` builds it on first use (about 10 s at 1 M names) and then reads only the rows
added since (`refresh`, at most every `REFRESH_SECONDS`, or at once with ``fresh=True`` on
the write path). `conflicts(parsed)` applies the rules in memory; `confirmed_conflicts`
re-reads the status of the few conflicting rows, so a name released or a reservation lapsed
since the build no longer counts.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from onewindow.registries.constants import NameStatus
from onewindow.registries.models import EnterpriseName
from onewindow.registries.names.index import NameIndex, NameRow
from onewindow.registries.names.parse import ParsedName
from onewindow.registries.names.rules import CONFLICT_CODES, Existing, conflict

REFRESH_SECONDS = 1.0
BULK_REFRESH = 10_000  # more new rows than this: merge them into the sorted tables
RELEASED_NAMES_COUNT_FOR = timedelta(days=365)  # 规定 art. 17 (2)(3): one year
_FIELDS = ("pk", "name", "region_code", "industry_key", "trade_name", "trade_pinyin")

_index: NameIndex | None = None
_refreshed_at = 0.0


def _in_use() -> Q:
    cutoff = timezone.now() - RELEASED_NAMES_COUNT_FOR
    return ~Q(status=NameStatus.RELEASED) | Q(released_at__gt=cutoff)


def _rows(after: int) -> Iterator[NameRow]:
    rows = (
        EnterpriseName.objects.filter(_in_use(), pk__gt=after).order_by("pk").values_list(*_FIELDS)
    )
    for pk, name, region, industry, trade, sound in rows.iterator(chunk_size=20_000):
        yield NameRow(pk, name, region, industry, trade, sound)


def get_index(*, fresh: bool = False) -> NameIndex:
    global _index, _refreshed_at
    if _index is None:
        index = NameIndex()
        with index.lock:
            index.build(_rows(0))
        _index, _refreshed_at = index, time.monotonic()
    elif fresh or time.monotonic() - _refreshed_at > REFRESH_SECONDS:
        refresh(_index)
        _refreshed_at = time.monotonic()
    return _index


def refresh(index: NameIndex) -> int:
    """Add rows written since the index last read the table; returns how many."""
    with index.lock:
        rows = list(_rows(index.last_pk))
        if len(rows) > BULK_REFRESH:
            index.build(rows)
        else:
            for row in rows:
                index.add(row)
    return len(rows)


def mark_stale() -> None:
    """This process wrote names: the next lookup reads them first (call after commit)."""
    global _refreshed_at
    _refreshed_at = 0.0


def drop_index() -> None:
    """Forget the index (tests; after a bulk load the next use rebuilds it)."""
    global _index
    _index = None


@dataclass(frozen=True)
class Conflict:
    code: str
    existing: Existing
    status: str = NameStatus.REGISTERED


def conflicts(parsed: ParsedName, index: NameIndex | None = None) -> list[Conflict]:
    """Every conflict with a name in the index, most serious first (no database access)."""
    index = index or get_index()
    found = []
    numbers = index.candidates(
        parsed.name, parsed.region_key, parsed.industry_key, parsed.trade_name
    )
    for number in numbers:
        existing = index.existing(number)
        code = conflict(parsed, existing)
        if code is not None:
            found.append(Conflict(code, existing))
    found.sort(key=lambda c: (CONFLICT_CODES.index(c.code), c.existing.name))
    return found


def confirmed_conflicts(parsed: ParsedName, *, fresh: bool = False) -> list[Conflict]:
    """`conflicts` whose rows are still in use, with their current status."""
    found = conflicts(parsed, get_index(fresh=fresh))
    if not found:
        return []
    now = timezone.now()
    statuses = {
        pk: (status, reserved_until)
        for pk, status, reserved_until in EnterpriseName.objects.filter(
            _in_use(), pk__in=[c.existing.record_id for c in found]
        ).values_list("pk", "status", "reserved_until")
    }
    confirmed = []
    for c in found:
        status, reserved_until = statuses.get(c.existing.record_id, ("", None))
        lapsed = status == NameStatus.RESERVED and reserved_until and reserved_until < now
        if status and not lapsed:
            confirmed.append(Conflict(c.code, c.existing, status))
    return confirmed
