"""`onewindow registries …` and `onewindow outbox …`: what an operator runs."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from onewindow.registries.models import ScopeEntry

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_catalogue_demo_index_and_name_check():
    assert run("registries", "load_catalogue").startswith("finished: 67 rows loaded, 0 with errors")
    assert ScopeEntry.objects.filter(kind="licensed").count() == 32
    assert "40 market entities" in run("registries", "generate_demo", "--entities", "40")
    assert "names indexed" in run("registries", "index")
    result = json.loads(run("registries", "check_name", "武汉鑫华信息技术"))
    assert result["passed"] is False
    assert [i["code"] for i in result["issues"]] == ["name.form_missing"]


def test_outbox_schedule_and_status():
    lines = run("outbox", "schedule").splitlines()
    assert lines[0] == "attempt  1 at +0:00:00" and lines[-1] == "attempt 24 at +1 day, 2:00:00"
    assert run("outbox", "status") == ""
    assert run("outbox", "deliver") == "0 attempts: 0 delivered, 0 to retry, 0 failed\n"
