"""Write or check the committed OpenAPI document (docs/reference/openapi.json)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

DEFAULT = Path(__file__).resolve().parents[5] / "docs" / "reference" / "openapi.json"


def render() -> str:
    from onewindow.api.urls import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Generate the OpenAPI document; --check fails when the committed one differs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true")
        parser.add_argument("--path", type=Path, default=DEFAULT)

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["path"]  # type: ignore[assignment]
        text = render()
        if options["check"]:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{path} is out of date: run `onewindow openapi`")
            self.stdout.write(f"{path} is up to date")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {path}")
