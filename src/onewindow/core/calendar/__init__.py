"""Working-day calendar on the State Council holiday schedules (工作日, 调休).

Owns `WorkingDayCalendar` (pure arithmetic, policy.py), the holiday-cn reader and the shipped
2019-2026 data (holiday_cn.py, data/holidays.json), and thin entry points to the stored
schedules (`HolidaySchedule` in core.models, edited in the admin):

* `get_calendar() -> WorkingDayCalendar` — cached; rebuilt when a schedule changes.
* `load_holiday_schedules(path=None) -> list[int]` — shipped data, or a holiday-cn file.
* `save_holiday_schedule(*, year, off_days, adjusted_working_days, ..., actor, reason)`.

Convention: the start day is not counted (期间开始之日不计入); see policy.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from onewindow.core.calendar.policy import WorkingDayCalendar, YearSchedule, make_year_schedule

if TYPE_CHECKING:
    from onewindow.core.models import HolidaySchedule

__all__ = [
    "WorkingDayCalendar",
    "YearSchedule",
    "get_calendar",
    "invalidate_calendar_cache",
    "load_holiday_schedules",
    "make_year_schedule",
    "save_holiday_schedule",
]


# The ORM-backed functions are imported when called, so that the pure parts of this package
# can be used (and imported by models.py) before Django's app registry is ready.
def get_calendar() -> WorkingDayCalendar:
    from onewindow.core.selectors import get_calendar as _get_calendar

    return _get_calendar()


def invalidate_calendar_cache() -> None:
    from onewindow.core.selectors import invalidate_calendar_cache as _invalidate

    _invalidate()


def load_holiday_schedules(
    path: str | Path | None = None,
    *,
    paths: Iterable[str | Path] = (),
    actor: str = "system",
    reason: str = "load holiday schedules",
) -> list[int]:
    from onewindow.core.services import load_holiday_schedules as _load

    return _load(path, paths=paths, actor=actor, reason=reason)


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
    from onewindow.core.services import save_holiday_schedule as _save

    return _save(
        year=year,
        off_days=off_days,
        adjusted_working_days=adjusted_working_days,
        notice_url=notice_url,
        other_notice_urls=other_notice_urls,
        actor=actor,
        reason=reason,
    )
