"""Stored schedules: the data migration, loading holiday-cn files, the admin, and the cache."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from onewindow.core import selectors
from onewindow.core.calendar import get_calendar, load_holiday_schedules, save_holiday_schedule
from onewindow.core.calendar.holiday_cn import SHIPPED_FILE
from onewindow.core.errors import DomainError
from onewindow.core.models import HolidaySchedule

pytestmark = pytest.mark.django_db
YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    selectors.invalidate_calendar_cache()


@pytest.fixture
def holiday_cn_2026(shared_data: Path) -> Path:
    return shared_data / "holidays" / "holiday-cn_2026.json"


def snapshot() -> list[tuple]:
    return list(
        HolidaySchedule.objects.order_by("year").values_list(
            "year", "off_days", "adjusted_working_days", "notice_url"
        )
    )


def test_data_migration_loaded_the_shipped_years() -> None:
    assert list(HolidaySchedule.objects.values_list("year", flat=True)) == YEARS
    row = HolidaySchedule.objects.get(year=2026)
    assert row.notice_url == "https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm"
    assert len(row.off_days) == 33 and len(row.adjusted_working_days) == 6
    assert get_calendar().known_years == tuple(YEARS)


def test_shipped_file_is_the_conversion_of_the_shared_data(shared_data: Path) -> None:
    from onewindow.core.calendar.holiday_cn import convert

    assert convert(shared_data) == SHIPPED_FILE.read_text(encoding="utf-8")


def test_loading_the_shipped_data_is_idempotent() -> None:
    before = snapshot()
    assert load_holiday_schedules() == YEARS
    assert snapshot() == before


def test_a_year_removed_is_out_of_range_until_loaded_again(
    holiday_cn_2026: Path, django_capture_on_commit_callbacks
) -> None:
    HolidaySchedule.objects.filter(year=2026).delete()
    selectors.invalidate_calendar_cache()
    with pytest.raises(DomainError) as caught:
        get_calendar().add_working_days(date(2026, 9, 25), 20)
    assert caught.value.code == "calendar.out_of_range"
    with django_capture_on_commit_callbacks(execute=True):
        assert load_holiday_schedules(holiday_cn_2026, actor="ops", reason="2026 notice") == [2026]
    assert get_calendar().add_working_days(date(2026, 9, 25), 20) == date(2026, 10, 29)
    row = HolidaySchedule.objects.get(year=2026)
    assert (row.updated_by, row.change_reason) == ("ops", "2026 notice")


def test_save_drops_the_cached_calendar_at_commit(django_capture_on_commit_callbacks) -> None:
    first = get_calendar()
    row = HolidaySchedule.objects.get(year=2025)
    with django_capture_on_commit_callbacks(execute=True):
        save_holiday_schedule(
            year=2025,
            off_days=row.off_days,
            adjusted_working_days=[*row.adjusted_working_days, "2025-03-01"],
            notice_url=row.notice_url,
            actor="admin",
            reason="test",
        )
    second = get_calendar()
    assert second is not first
    assert second.is_working_day(date(2025, 3, 1)) and not first.is_working_day(date(2025, 3, 1))


def test_other_processes_notice_a_change_within_the_check_interval(monkeypatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(selectors, "_clock", lambda: now[0])
    first = get_calendar()
    # Another process changes a row (no invalidation reaches this one).
    HolidaySchedule.objects.filter(year=2025).update(
        adjusted_working_days=[
            "2025-01-26",
            "2025-02-08",
            "2025-03-01",
            "2025-04-27",
            "2025-09-28",
            "2025-10-11",
        ]
    )
    now[0] += selectors.CHECK_SECONDS - 1
    assert get_calendar() is first
    now[0] += 2
    assert get_calendar() is not first
    assert get_calendar().is_working_day(date(2025, 3, 1))


def test_unchanged_data_keeps_the_cached_calendar(monkeypatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(selectors, "_clock", lambda: now[0])
    first = get_calendar()
    now[0] += selectors.CHECK_SECONDS * 3
    assert get_calendar() is first


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", None),
        (
            json.dumps(
                {
                    "year": 2026,
                    "papers": [],
                    "days": [{"name": "元旦", "date": "2026-01-01", "isOffDay": "yes"}],
                }
            ),
            "days/0/isOffDay: 'yes' is not of type 'boolean'",
        ),
        (
            json.dumps(
                {
                    "year": 2026,
                    "papers": [],
                    "days": [{"name": "元旦", "date": "2024-01-01", "isOffDay": True}],
                }
            ),
            "2024-01-01 is outside the 2026 schedule",
        ),
        (json.dumps({"papers": [], "days": []}), "(document): 'year' is a required property"),
    ],
)
def test_a_bad_file_changes_nothing(tmp_path: Path, content: str, problem: str | None) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        load_holiday_schedules(path)
    assert caught.value.code in {"calendar.invalid_schedule", "calendar.unreadable_file"}
    if problem is not None:
        assert problem in caught.value.details["problems"]
    assert snapshot() == before


def test_command_loads_holiday_cn_files(holiday_cn_2026: Path, capsys) -> None:
    HolidaySchedule.objects.filter(year=2026).delete()
    call_command("load_holidays", str(holiday_cn_2026))
    assert "loaded holiday schedules: [2026]" in capsys.readouterr().out
    assert HolidaySchedule.objects.get(year=2026).updated_by == "manage.py"


def test_command_with_one_bad_file_changes_nothing(holiday_cn_2026: Path, tmp_path: Path) -> None:
    HolidaySchedule.objects.filter(year=2026).delete()
    bad = tmp_path / "2027.json"
    bad.write_text(
        json.dumps(
            {
                "year": 2027,
                "papers": ["https://www.gov.cn/x"],
                "days": [{"name": "元旦", "date": "2027-02-30", "isOffDay": True}],
            }
        ),
        encoding="utf-8",
    )
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        call_command("load_holidays", str(holiday_cn_2026), str(bad))
    assert "'2027-02-30' is not an ISO date (YYYY-MM-DD)" in str(caught.value)
    assert "Nothing was changed." in str(caught.value)
    assert snapshot() == before


def test_command_refuses_the_same_year_twice(holiday_cn_2026: Path) -> None:
    with pytest.raises(CommandError, match="2026 appears in more than one file"):
        call_command("load_holidays", str(holiday_cn_2026), str(holiday_cn_2026))


def test_admin_adds_a_year_as_data(
    admin_client, holiday_cn_2026: Path, django_capture_on_commit_callbacks
) -> None:
    document = json.loads(holiday_cn_2026.read_text(encoding="utf-8"))
    off = [d["date"] for d in document["days"] if d["isOffDay"]]
    worked = [d["date"] for d in document["days"] if not d["isOffDay"]]
    HolidaySchedule.objects.filter(year=2026).delete()
    form = {
        "year": "2026",
        "off_days": json.dumps(off),
        "adjusted_working_days": json.dumps(worked),
        "notice_url": document["papers"][0],
        "other_notice_urls": "[]",
        "change_reason": "2026 notice published",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/core/holidayschedule/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = HolidaySchedule.objects.get(year=2026)
    assert row.change_reason == "2026 notice published"
    assert row.updated_by == "admin"
    assert sorted(row.off_days) == sorted(off)
    assert get_calendar().is_working_day(date(2026, 10, 10))


def test_admin_rejects_an_invalid_schedule(admin_client) -> None:
    HolidaySchedule.objects.filter(year=2026).delete()
    form = {
        "year": "2026",
        "off_days": json.dumps(["2026-10-01", "2026-10-32"]),
        "adjusted_working_days": "[]",
        "notice_url": "",
        "other_notice_urls": "[]",
        "change_reason": "",
    }
    response = admin_client.post("/admin/core/holidayschedule/add/", form)
    assert response.status_code == 200
    assert "2026-10-32" in response.content.decode()
    assert not HolidaySchedule.objects.filter(year=2026).exists()


def test_admin_delete_goes_through_the_service(
    admin_client, django_capture_on_commit_callbacks
) -> None:
    row = HolidaySchedule.objects.get(year=2019)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/core/holidayschedule/{row.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert get_calendar().known_years == tuple(YEARS[1:])


def test_deleting_a_missing_year_is_not_found() -> None:
    from onewindow.core.services import delete_holiday_schedule

    with pytest.raises(DomainError) as caught:
        delete_holiday_schedule(year=2030, actor="ops", reason="test")
    assert caught.value.code == "calendar.schedule_not_found"
    assert caught.value.status == 404


def test_model_clean_explains_bad_lists() -> None:
    from django.core.exceptions import ValidationError

    row = HolidaySchedule(year=2030, off_days="2030-01-01", adjusted_working_days=[])
    with pytest.raises(ValidationError) as caught:
        row.clean()
    assert "off_days" in caught.value.message_dict
    row = HolidaySchedule(year=2030, off_days=["2030-01-01"], adjusted_working_days=["2030-01-01"])
    with pytest.raises(ValidationError, match="2030-01-01 is both a day off and a working day"):
        row.clean()
