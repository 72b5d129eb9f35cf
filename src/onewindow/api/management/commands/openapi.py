"""Write or check the committed OpenAPI document (docs/reference/openapi.json)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

DEFAULT = Path(__file__).resolve().parents[5] / "docs" / "reference" / "openapi.json"


# RFC 9110 reason phrases; Python's http.HTTPStatus wording changed in 3.13, and the committed
# document must not depend on the interpreter that generates it.
REASONS = {
    200: "OK",
    201: "Created",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
}


def render() -> str:
    from onewindow.api.urls import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if int(status) in REASONS:
                    response["description"] = REASONS[int(status)]
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
