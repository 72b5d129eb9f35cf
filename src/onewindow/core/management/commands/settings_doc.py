"""Write (or --check) docs/reference/settings.md from onewindow.conf.env.VARIABLES."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onewindow.conf.env import markdown_reference

DEFAULT = Path(__file__).resolve().parents[5] / "docs" / "reference" / "settings.md"


class Command(BaseCommand):
    help = "Generate the settings reference page from the environment variable registry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        text = markdown_reference()
        if options["check"]:
            if not DEFAULT.exists() or DEFAULT.read_text(encoding="utf-8") != text:
                raise CommandError(f"{DEFAULT} is out of date: run `onewindow settings_doc`")
            return
        DEFAULT.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {DEFAULT}")
