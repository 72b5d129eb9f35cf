"""manage.py load_holidays [file ...]: load holiday schedules into the working-day calendar."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from onewindow.core.calendar import load_holiday_schedules
from onewindow.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Load holiday schedules: without files, the shipped 2019-2026 data; otherwise "
        "holiday-cn JSON files (one year each, github.com/NateScarlet/holiday-cn). Every file "
        "is checked first; if one is invalid nothing is changed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("files", nargs="*", help="holiday-cn JSON files, e.g. 2027.json")
        parser.add_argument(
            "--reason",
            default="load_holidays command",
            help="why the schedules are loaded (recorded with each year)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            years = load_holiday_schedules(
                paths=options["files"], actor="manage.py", reason=options["reason"]
            )
        except DomainError as error:
            problems = (error.details or {}).get("problems", [])
            lines = [f"{error.code}: {error.message_en}", *[f"  - {p}" for p in problems]]
            raise CommandError("\n".join(lines) + "\nNothing was changed.") from error
        self.stdout.write(self.style.SUCCESS(f"loaded holiday schedules: {years}"))
