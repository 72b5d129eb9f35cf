"""The BPMN conformance page is what the engine does today: regenerate it and compare."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def test_bpmn_conformance_page_matches_the_engine(shared_data):
    out = StringIO()
    call_command("bpmn_conformance", "--check", stdout=out)
    assert out.getvalue().strip() == "bpmn-conformance.md is up to date"
