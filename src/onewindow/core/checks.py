"""System checks: warn administrators before the working-day calendar runs out.

Deadlines are counted on the State Council schedules an administrator loads each year; with
no schedule for the coming year, every deadline that reaches it fails with
`calendar.out_of_range`. The warning shows at every start (`onewindow check`, serve, worker).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.checks import Warning as CheckWarning
from django.db.utils import DatabaseError
from django.utils import timezone

# Long enough for the longest legal time limit of a loaded item to stay inside the calendar.
WARN_DAYS = 60


def coverage_end() -> date | None:
    """The last day the working-day calendar knows, or None without any schedule."""
    from onewindow.core.calendar import get_calendar

    years = get_calendar().known_years
    return date(years[-1], 12, 31) if years else None


def days_left(today: date | None = None) -> int | None:
    end = coverage_end()
    if end is None:
        return None
    return (end - (today or timezone.localdate())).days


def calendar_coverage(app_configs: Any = None, **kwargs: Any) -> list[CheckWarning]:
    try:
        left = days_left()
    except DatabaseError:  # not migrated yet
        return []
    if left is not None and left >= WARN_DAYS:
        return []
    end = coverage_end()
    return [
        CheckWarning(
            f"工作日历仅覆盖到 {end}，请尽快录入下一年度国务院节假日安排 / "
            f"the working-day calendar ends on {end}: load next year's State Council "
            f"holiday schedule (admin, or "
            f"`onewindow load_holidays FILE`) before deadlines reach it",
            id="onewindow.W001",
        )
    ]
