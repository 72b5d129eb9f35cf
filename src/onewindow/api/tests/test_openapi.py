import json
from pathlib import Path

from django.test import Client

from onewindow.api.management.commands.openapi import DEFAULT, render


def test_committed_openapi_document_matches_the_code():
    assert Path(DEFAULT).read_text(encoding="utf-8") == render(), (
        "docs/reference/openapi.json is stale: run `onewindow openapi`"
    )


def test_openapi_lists_case_endpoints_with_bilingual_error_schema():
    schema = json.loads(render())
    assert schema["info"]["version"] == "1"
    assert "/api/v1/cases/{number}/accept" in schema["paths"]
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"code", "message_zh", "message_en"}


def test_docs_page_works_offline(db):
    html = Client().get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html
