"""Read holiday schedules: the holiday-cn JSON format and the shipped data file.

holiday-cn (github.com/NateScarlet/holiday-cn, MIT) publishes one file per year:
``{"year": 2026, "papers": [notice URLs], "days": [{"name", "date", "isOffDay"}]}`` where
``isOffDay: false`` marks a weekend day worked (调休上班). The shipped file `data/holidays.json`
holds 2019-2026 converted from it; rebuild with

    python -m onewindow.core.calendar.holiday_cn --shared ../shared/data
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator

from onewindow.core.calendar.policy import YearSchedule, invalid_schedule, make_year_schedule
from onewindow.core.errors import ValidationFailed

SHIPPED_FILE = Path(__file__).resolve().parent / "data" / "holidays.json"
SHIPPED_YEARS = range(2019, 2027)
SOURCE = (
    "NateScarlet/holiday-cn commit d4e53bf2143de9a85bbd0a916c6c4adac32b075f (MIT), "
    "copied to shared/data/holidays"
)

# The holiday-cn schema, made strict where the upstream one is loose (date format, year).
HOLIDAY_CN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["year", "papers", "days"],
    "properties": {
        "year": {"type": "integer", "minimum": 1949, "maximum": 2100},
        "papers": {"type": "array", "items": {"type": "string", "pattern": "^https?://"}},
        "days": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "date", "isOffDay"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                    "isOffDay": {"type": "boolean"},
                },
            },
        },
    },
}
SHIPPED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["schedules"],
    "properties": {
        "schedules": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["year", "off_days", "adjusted_working_days"],
                "properties": {
                    "year": {"type": "integer"},
                    "off_days": {"type": "array", "items": {"type": "string"}},
                    "adjusted_working_days": {"type": "array", "items": {"type": "string"}},
                    "notice_url": {"type": "string"},
                    "other_notice_urls": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


def _schema_problems(document: object, schema: dict[str, Any]) -> list[str]:
    errors = sorted(Draft7Validator(schema).iter_errors(document), key=lambda e: list(e.path))
    return [f"{'/'.join(str(p) for p in e.path) or '(document)'}: {e.message}" for e in errors]


def parse_holiday_cn(document: object) -> YearSchedule:
    """One holiday-cn year file -> its schedule, or `calendar.invalid_schedule`."""
    problems = _schema_problems(document, HOLIDAY_CN_SCHEMA)
    if problems:
        raise invalid_schedule(problems[:20])
    assert isinstance(document, dict)
    days = document["days"]
    papers = document["papers"]
    return make_year_schedule(
        document["year"],
        [d["date"] for d in days if d["isOffDay"]],
        [d["date"] for d in days if not d["isOffDay"]],
        papers[0] if papers else "",
        papers[1:],
    )


def parse_shipped(document: object) -> list[YearSchedule]:
    problems = _schema_problems(document, SHIPPED_SCHEMA)
    if problems:
        raise invalid_schedule(problems[:20])
    assert isinstance(document, dict)
    return [
        make_year_schedule(
            s["year"],
            s["off_days"],
            s["adjusted_working_days"],
            s.get("notice_url", ""),
            s.get("other_notice_urls", []),
        )
        for s in document["schedules"]
    ]


def read_schedules(path: Path | None = None) -> list[YearSchedule]:
    """Schedules in a file: the shipped format (several years) or one holiday-cn year."""
    path = SHIPPED_FILE if path is None else Path(path)
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValidationFailed(
            "calendar.unreadable_file",
            f"无法读取节假日文件 {path}：{error}",
            f"Cannot read holiday file {path}: {error}",
            details={"path": str(path)},
        ) from error
    if isinstance(document, dict) and "schedules" in document:
        return parse_shipped(document)
    return [parse_holiday_cn(document)]


def schedule_to_json(schedule: YearSchedule) -> dict[str, Any]:
    return {
        "year": schedule.year,
        "off_days": sorted(d.isoformat() for d in schedule.off_days),
        "adjusted_working_days": sorted(d.isoformat() for d in schedule.adjusted_working_days),
        "notice_url": schedule.notice_url,
        "other_notice_urls": list(schedule.other_notice_urls),
    }


def convert(shared: Path) -> str:
    """The shipped file's text, from shared/data/holidays/holiday-cn_<year>.json."""
    schedules = [
        read_schedules(shared / "holidays" / f"holiday-cn_{year}.json")[0] for year in SHIPPED_YEARS
    ]
    document = {"source": SOURCE, "schedules": [schedule_to_json(s) for s in schedules]}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Convert holiday-cn files to holidays.json")
    parser.add_argument("--shared", type=Path, required=True, help="path to shared/data")
    parser.add_argument("--output", type=Path, default=SHIPPED_FILE)
    args = parser.parse_args(argv)
    args.output.write_text(convert(args.shared), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
