"""core services: write operations on the working-day calendar's schedules.

Each call is one transaction and drops the cached calendar once it commits (no signals).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.db import transaction

from onewindow.core.calendar.holiday_cn import read_schedules
from onewindow.core.calendar.policy import YearSchedule, invalid_schedule, make_year_schedule
from onewindow.core.errors import NotFound
from onewindow.core.models import HolidaySchedule
from onewindow.core.selectors import invalidate_calendar_cache


def _store(schedule: YearSchedule, *, actor: str, reason: str) -> HolidaySchedule:
    row, _ = HolidaySchedule.objects.update_or_create(
        year=schedule.year,
        defaults={
            "off_days": sorted(d.isoformat() for d in schedule.off_days),
            "adjusted_working_days": sorted(d.isoformat() for d in schedule.adjusted_working_days),
            "notice_url": schedule.notice_url,
            "other_notice_urls": list(schedule.other_notice_urls),
            "updated_by": actor,
            "change_reason": reason,
        },
    )
    return row


@transaction.atomic
def save_holiday_schedule(
    *,
    year: int,
    off_days: Iterable[str],
    adjusted_working_days: Iterable[str],
    notice_url: str = "",
    other_notice_urls: Iterable[str] = (),
    actor: str,
    reason: str,
) -> HolidaySchedule:
    """Create or replace one year's schedule (raises `calendar.invalid_schedule`)."""
    schedule = make_year_schedule(
        year, list(off_days), list(adjusted_working_days), notice_url, list(other_notice_urls)
    )
    row = _store(schedule, actor=actor, reason=reason)
    transaction.on_commit(invalidate_calendar_cache)
    return row


@transaction.atomic
def delete_holiday_schedule(*, year: int, actor: str, reason: str) -> None:
    deleted, _ = HolidaySchedule.objects.filter(year=year).delete()
    if not deleted:
        raise NotFound(
            "calendar.schedule_not_found",
            f"没有 {year} 年的节假日安排",
            f"No holiday schedule for {year}",
            details={"year": year},
        )
    transaction.on_commit(invalidate_calendar_cache)


def load_holiday_schedules(
    path: str | Path | None = None,
    *,
    paths: Iterable[str | Path] = (),
    actor: str = "system",
    reason: str = "load holiday schedules",
) -> list[int]:
    """Load the shipped 2019-2026 schedules (no path) or the given files (shipped format or
    holiday-cn). Every file is checked before anything is written: a bad file changes
    nothing. Returns the years loaded. Idempotent."""
    files: list[Path | None] = [Path(p) for p in [*([path] if path is not None else []), *paths]]
    schedules = [s for f in files or [None] for s in read_schedules(f)]
    years = [s.year for s in schedules]
    repeated = sorted({y for y in years if years.count(y) > 1})
    if repeated:
        raise invalid_schedule([f"{y} appears in more than one file" for y in repeated])
    with transaction.atomic():
        for schedule in schedules:
            _store(schedule, actor=actor, reason=reason)
        transaction.on_commit(invalidate_calendar_cache)
    return sorted(years)
