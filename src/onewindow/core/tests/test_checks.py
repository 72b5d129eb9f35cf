import datetime as dt

import pytest
import time_machine

from onewindow.core.checks import calendar_coverage, days_left

pytestmark = pytest.mark.django_db


def test_days_left_counts_to_the_end_of_the_last_known_year():
    assert days_left(dt.date(2026, 12, 3)) == 28


@time_machine.travel(dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC))
def test_administrators_are_warned_when_the_calendar_is_about_to_end():
    [warning] = calendar_coverage()
    assert warning.id == "onewindow.W001"
    assert "2026-12-31" in warning.msg
    assert "load_holidays" in warning.msg


@time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC))
def test_no_warning_with_months_of_calendar_left():
    assert calendar_coverage() == []
