"""core selectors: the working-day calendar built from the stored schedules.

`get_calendar()` is called on every deadline computation, so the calendar is cached in the
process. The process that saves a schedule drops its cache at commit; other processes notice
the change within CHECK_SECONDS by re-reading the schedules' dates (one small query) and
rebuilding only if they differ — no signals, no shared cache needed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from onewindow.core.calendar.policy import WorkingDayCalendar

CHECK_SECONDS = 30.0
_clock = time.monotonic  # replaced in tests
_lock = threading.Lock()


@dataclass
class _Cached:
    calendar: WorkingDayCalendar
    fingerprint: tuple[object, ...]
    checked_at: float


_cached: _Cached | None = None


def _fingerprint() -> tuple[object, ...]:
    """The schedules' content: a few hundred dates, read every CHECK_SECONDS at most. (A
    timestamp would miss changes made with QuerySet.update() or directly in SQL.)"""
    from onewindow.core.models import HolidaySchedule

    rows = HolidaySchedule.objects.order_by("year").values_list(
        "year", "off_days", "adjusted_working_days"
    )
    return tuple((year, tuple(off), tuple(worked)) for year, off, worked in rows)


def _build() -> WorkingDayCalendar:
    from onewindow.core.models import HolidaySchedule

    return WorkingDayCalendar(row.to_schedule() for row in HolidaySchedule.objects.all())


def get_calendar() -> WorkingDayCalendar:
    """The calendar of every stored year (years without a schedule raise
    `calendar.out_of_range` when asked about)."""
    global _cached
    now = _clock()
    with _lock:
        cached = _cached
        if cached is not None and now - cached.checked_at < CHECK_SECONDS:
            return cached.calendar
        fingerprint = _fingerprint()
        if cached is not None and cached.fingerprint == fingerprint:
            cached.checked_at = now
            return cached.calendar
        _cached = _Cached(_build(), fingerprint, now)
        return _cached.calendar


def invalidate_calendar_cache() -> None:
    global _cached
    with _lock:
        _cached = None
