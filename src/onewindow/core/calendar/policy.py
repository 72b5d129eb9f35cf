"""Working days on the State Council calendar: pure rules, no ORM.

A day is a working day when it is Monday to Friday and not an official day off, or when it is
a weekend day declared a working day (调休上班). Only the years with a schedule are known; any
other date raises `calendar.out_of_range` — deadlines are never computed on a guessed calendar.

Deadline convention (期间开始之日不计入, as in 民法典 art. 201 and 行政许可法 art. 82): the day
the period starts is not counted; `add_working_days(start, n)` is the n-th working day after
`start`, whatever kind of day `start` itself is. `add_working_days(start, 0)` is `start`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from onewindow.core.errors import ValidationFailed

SATURDAY = 5


@dataclass(frozen=True)
class YearSchedule:
    """One year's notice: the days off and the weekend days worked (dates may spill into the
    neighbouring year, e.g. the 2019 notice covers 2018-12-30 and 2018-12-31)."""

    year: int
    off_days: frozenset[date]
    adjusted_working_days: frozenset[date]
    notice_url: str = ""
    other_notice_urls: tuple[str, ...] = field(default_factory=tuple)


def invalid_schedule(problems: list[str], **details: object) -> ValidationFailed:
    return ValidationFailed(
        "calendar.invalid_schedule",
        "节假日安排有误：" + "；".join(problems),
        "The holiday schedule is invalid: " + "; ".join(problems),
        details={"problems": problems, **details},
    )


def make_year_schedule(
    year: int,
    off_days: Iterable[str],
    adjusted_working_days: Iterable[str],
    notice_url: str = "",
    other_notice_urls: Iterable[str] = (),
) -> YearSchedule:
    """Check one year's lists of ISO dates and build its schedule (or raise
    `calendar.invalid_schedule` listing every problem found).

    Working days are normally weekend days (调休上班); a weekday listed as worked is accepted
    and changes nothing: holiday-cn 2020 lists 2020-02-03, the Monday work resumed after the
    COVID-19 extension of the Spring Festival holiday."""
    problems: list[str] = []
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2100:
        raise invalid_schedule([f"year {year!r} is not a year between 1949 and 2100"])
    off = _dates(off_days, year, problems)
    worked = _dates(adjusted_working_days, year, problems)
    for day in sorted(off & worked):
        problems.append(f"{day} is both a day off and a working day")
    if problems:
        raise invalid_schedule(problems, year=year)
    return YearSchedule(
        year, frozenset(off), frozenset(worked), notice_url, tuple(other_notice_urls)
    )


def _dates(values: Iterable[str], year: int, problems: list[str]) -> set[date]:
    out: set[date] = set()
    # A notice may reach into the neighbouring months (New Year's Day falls across the turn).
    first, last = date(year - 1, 12, 1), date(year + 1, 1, 31)
    for value in values:
        try:
            day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
        except ValueError:
            day = None
        if day is None:
            problems.append(f"{value!r} is not an ISO date (YYYY-MM-DD)")
        elif not first <= day <= last:
            problems.append(f"{value} is outside the {year} schedule")
        elif day in out:
            problems.append(f"{value} is listed twice")
        else:
            out.add(day)
    return out


class WorkingDayCalendar:
    """Working-day arithmetic over the years that have a schedule."""

    def __init__(self, schedules: Iterable[YearSchedule]) -> None:
        schedules = list(schedules)
        self.known_years: tuple[int, ...] = tuple(sorted({s.year for s in schedules}))
        if len(self.known_years) != len(schedules):
            raise invalid_schedule(["a year has more than one schedule"])
        self._off = frozenset(d for s in schedules for d in s.off_days)
        self._worked = frozenset(d for s in schedules for d in s.adjusted_working_days)
        clash = sorted(self._off & self._worked)
        if clash:
            raise invalid_schedule(
                [f"{d} is a day off in one schedule and worked in another" for d in clash]
            )
        # Every working day of every known year, in order: deadlines become a bisection.
        self._working: list[date] = [
            day for year in self.known_years for day in _days_of(year) if self._is_working(day)
        ]

    def _is_working(self, day: date) -> bool:
        if day in self._worked:
            return True
        return day.weekday() < SATURDAY and day not in self._off

    def _check(self, *days: date) -> None:
        """Every year from the first to the last of `days` must have a schedule."""
        years = range(min(d.year for d in days), max(d.year for d in days) + 1)
        for year in years:
            if year not in self.known_years:
                raise self._out_of_range(year)

    def _out_of_range(self, year: int) -> ValidationFailed:
        known = list(self.known_years)
        span = f"{known[0]}–{known[-1]}" if known else "无"
        span_en = f"{known[0]}-{known[-1]}" if known else "none"
        return ValidationFailed(
            "calendar.out_of_range",
            f"没有 {year} 年的节假日安排，无法计算工作日（已有年份：{span}）",
            f"No holiday schedule for {year}; working days cannot be computed "
            f"(years known: {span_en})",
            details={"year": year, "known_years": known},
        )

    def is_working_day(self, day: date) -> bool:
        self._check(day)
        return self._is_working(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start not counted); `start` when n == 0."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"n must be a non-negative integer, not {n!r}")
        self._check(start)
        if n == 0:
            return start
        index = bisect.bisect_right(self._working, start) + n - 1
        if index >= len(self._working):
            raise self._out_of_range(self.known_years[-1] + 1)
        deadline = self._working[index]
        self._check(start, deadline)  # a year missing in between would have been skipped
        return deadline

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end] — so that between(s, add(s, n)) == n; negative when
        end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        self._check(start, end)
        return bisect.bisect_right(self._working, end) - bisect.bisect_right(self._working, start)


def _days_of(year: int) -> Iterable[date]:
    day, last = date(year, 1, 1), date(year, 12, 31)
    while day <= last:
        yield day
        day += timedelta(days=1)
