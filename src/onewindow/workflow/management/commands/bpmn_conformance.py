"""`onewindow bpmn_conformance [--write | --check]` — run the BPMN conformance models and
print (or write, or check) docs/reference/bpmn-conformance.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onewindow.workflow import conformance

DOC = Path(__file__).resolve().parents[5] / "docs" / "reference" / "bpmn-conformance.md"


def shared_data() -> Path:
    import os

    configured = os.environ.get("ONEWINDOW_SHARED_DATA")
    return Path(configured) if configured else DOC.parents[3] / "shared" / "data"


class Command(BaseCommand):
    help = "Run the BPMN conformance models; print, --write or --check the reference page."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", action="store_true")
        parser.add_argument("--check", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        text = conformance.render(conformance.run(shared_data())) + "\n"
        if options["write"]:
            DOC.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {DOC}")
        elif options["check"]:
            if not DOC.is_file() or DOC.read_text(encoding="utf-8") != text:
                raise CommandError(f"{DOC} is out of date: run onewindow bpmn_conformance --write")
            self.stdout.write("bpmn-conformance.md is up to date")
        else:
            self.stdout.write(text)
