"""WorkingDayCalendar on the real 2019-2026 schedules, and its properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onewindow.core.calendar import WorkingDayCalendar, make_year_schedule
from onewindow.core.calendar.holiday_cn import read_schedules
from onewindow.core.errors import DomainError

CALENDAR = WorkingDayCalendar(read_schedules())  # the shipped file, no database


def out_of_range(call, *args) -> dict:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        call(*args)
    assert caught.value.code == "calendar.out_of_range"
    return caught.value.details


def test_known_years() -> None:
    assert CALENDAR.known_years == (2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026)


def test_2024_spring_festival() -> None:
    # 2月10日至17日放假调休，共8天；2月4日（星期日）、2月18日（星期日）上班。
    for day in range(10, 18):
        assert not CALENDAR.is_working_day(date(2024, 2, day))
    assert CALENDAR.is_working_day(date(2024, 2, 4))  # Sunday worked
    assert CALENDAR.is_working_day(date(2024, 2, 18))  # Sunday worked
    assert CALENDAR.is_working_day(date(2024, 2, 9))  # Friday before the holiday
    # Friday 9 Feb + 1 working day: the 10th-17th are off, Sunday the 18th is worked.
    assert CALENDAR.add_working_days(date(2024, 2, 9), 1) == date(2024, 2, 18)
    assert CALENDAR.add_working_days(date(2024, 2, 9), 2) == date(2024, 2, 19)


def test_2026_national_day_with_adjusted_saturdays() -> None:
    # 2026: 10月1日至7日放假; 9月20日（星期日）、10月10日（星期六）上班.
    assert [CALENDAR.is_working_day(date(2026, 10, d)) for d in range(1, 11)] == [
        False,
        False,
        False,
        False,
        False,
        False,
        False,
        True,
        True,
        True,
    ]
    assert date(2026, 10, 10).weekday() == 5
    assert CALENDAR.is_working_day(date(2026, 9, 20))
    # 20 working days from Friday 25 September 2026.
    assert CALENDAR.add_working_days(date(2026, 9, 25), 20) == date(2026, 10, 29)


def test_2020_covid_extension() -> None:
    # The Spring Festival holiday was extended to 2 February; 1 February (Saturday) was no
    # longer a working day.
    assert not CALENDAR.is_working_day(date(2020, 1, 31))
    assert not CALENDAR.is_working_day(date(2020, 2, 1))
    assert CALENDAR.is_working_day(date(2020, 2, 3))


def test_start_day_is_not_counted() -> None:
    monday = date(2025, 3, 3)
    assert CALENDAR.add_working_days(monday, 1) == date(2025, 3, 4)
    assert CALENDAR.add_working_days(monday, 5) == date(2025, 3, 10)
    assert CALENDAR.add_working_days(date(2025, 3, 8), 1) == date(2025, 3, 10)  # from Saturday
    assert CALENDAR.add_working_days(date(2025, 3, 8), 0) == date(2025, 3, 8)


def test_working_days_between() -> None:
    assert CALENDAR.working_days_between(date(2024, 2, 9), date(2024, 2, 19)) == 2
    assert CALENDAR.working_days_between(date(2024, 2, 19), date(2024, 2, 9)) == -2
    assert CALENDAR.working_days_between(date(2024, 1, 1), date(2024, 12, 31)) == 251
    assert CALENDAR.working_days_between(date(2025, 5, 5), date(2025, 5, 5)) == 0


def test_working_days_per_year() -> None:
    # Counted independently from the raw holiday-cn files; 2024: 251 and 2025: 248 (two more
    # holidays under the 2024 revision of the national holiday rules) as published.
    totals = [
        CALENDAR.working_days_between(date(y - 1, 12, 31), date(y, 12, 31))
        for y in range(2020, 2027)
    ]
    assert totals == [249, 250, 249, 249, 251, 248, 248]


def test_dates_outside_the_known_years() -> None:
    assert out_of_range(CALENDAR.is_working_day, date(2027, 1, 4)) == {
        "year": 2027,
        "known_years": [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026],
    }
    assert out_of_range(CALENDAR.is_working_day, date(2018, 12, 31))["year"] == 2018
    assert out_of_range(CALENDAR.add_working_days, date(2026, 12, 20), 30)["year"] == 2027
    assert (
        out_of_range(CALENDAR.working_days_between, date(2026, 1, 5), date(2027, 1, 5))["year"]
        == 2027
    )
    assert out_of_range(CALENDAR.add_working_days, date(2018, 12, 28), 0)["year"] == 2018


def test_a_missing_year_in_the_middle() -> None:
    gap = WorkingDayCalendar([s for s in read_schedules() if s.year != 2022])
    assert gap.known_years == (2019, 2020, 2021, 2023, 2024, 2025, 2026)
    assert out_of_range(gap.is_working_day, date(2022, 6, 1)) == {
        "year": 2022,
        "known_years": [2019, 2020, 2021, 2023, 2024, 2025, 2026],
    }
    assert out_of_range(gap.add_working_days, date(2021, 12, 20), 20)["year"] == 2022
    details = out_of_range(gap.working_days_between, date(2021, 6, 1), date(2023, 6, 1))
    assert details["year"] == 2022
    assert gap.add_working_days(date(2021, 12, 1), 3) == date(2021, 12, 6)


def test_empty_calendar_knows_nothing() -> None:
    details = out_of_range(WorkingDayCalendar([]).is_working_day, date(2025, 1, 2))
    assert details == {"year": 2025, "known_years": []}


def test_negative_or_non_integer_n_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        CALENDAR.add_working_days(date(2025, 1, 2), -1)
    with pytest.raises(ValueError, match="non-negative"):
        CALENDAR.add_working_days(date(2025, 1, 2), 1.5)  # type: ignore[arg-type]


def test_schedule_validation_lists_problems() -> None:
    with pytest.raises(DomainError) as caught:
        make_year_schedule(
            2027, ["2027-01-01", "2027-13-01", "2027-01-01", "2025-06-01"], ["2027-01-01"]
        )
    assert caught.value.code == "calendar.invalid_schedule"
    assert caught.value.details["problems"] == [
        "'2027-13-01' is not an ISO date (YYYY-MM-DD)",
        "2027-01-01 is listed twice",
        "2025-06-01 is outside the 2027 schedule",
        "2027-01-01 is both a day off and a working day",
    ]


def test_conflicting_schedules_are_refused() -> None:
    a = make_year_schedule(2030, ["2029-12-31"], [])
    b = make_year_schedule(2029, [], ["2029-12-31"])
    with pytest.raises(DomainError) as caught:
        WorkingDayCalendar([a, b])
    assert caught.value.code == "calendar.invalid_schedule"


# Late enough starts would run past 2026 (out of range), which other tests cover.
KNOWN_DAYS = st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 10, 31))
EARLIER_DAYS = st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 7, 31))


@settings(max_examples=300, deadline=None)
@given(KNOWN_DAYS, st.integers(1, 40))
def test_deadline_is_a_working_day_n_working_days_later(start: date, n: int) -> None:
    deadline = CALENDAR.add_working_days(start, n)
    assert deadline > start
    assert CALENDAR.is_working_day(deadline)
    assert CALENDAR.working_days_between(start, deadline) == n
    # No working day is skipped: the day before the deadline leaves n - 1.
    assert CALENDAR.working_days_between(start, deadline - timedelta(days=1)) == n - 1


@settings(max_examples=300, deadline=None)
@given(EARLIER_DAYS, st.integers(0, 40), st.integers(0, 40))
def test_deadlines_are_monotonic_and_additive(start: date, n: int, m: int) -> None:
    first = CALENDAR.add_working_days(start, n)
    assert CALENDAR.add_working_days(start, n + 1) > first
    assert CALENDAR.add_working_days(first, m) == CALENDAR.add_working_days(start, n + m)


@settings(max_examples=300, deadline=None)
@given(KNOWN_DAYS, KNOWN_DAYS)
def test_between_is_antisymmetric(a: date, b: date) -> None:
    assert CALENDAR.working_days_between(a, b) == -CALENDAR.working_days_between(b, a)
