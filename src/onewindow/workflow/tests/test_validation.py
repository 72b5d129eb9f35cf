"""Pack validation names file, line and problem; `onewindow packs list | validate | load |
test`; a broken pack is refused whole and leaves nothing stored."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onewindow.catalog.services import default_packs_root
from onewindow.core.errors import DomainError
from onewindow.ledger.models import LedgerEntry
from onewindow.workflow import services, validation
from onewindow.workflow.models import ProcessDefinition
from onewindow.workflow.tests.conftest import PACK

R01 = default_packs_root() / "r01_company_setup_anywhere"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    copy = tmp_path / "t00_engine"
    shutil.copytree(PACK, copy)
    return copy


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` and return the line it was on."""
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return text[: text.index(old)].count("\n") + 1


def problems(pack_dir: Path) -> list[str]:
    return [str(p) for p in validation.validate_pack(pack_dir)]


def test_the_shipped_packs_are_valid(lookup):
    assert validation.validate_pack(R01) == []
    assert validation.validate_pack(PACK) == []


def test_bad_xml_names_file_and_line(pack, lookup):
    target = pack / "processes" / "gateways.bpmn"
    line = edit(target, '<bpmn:endEvent id="end" />', '<bpmn:endEvent id="end">')
    (found,) = problems(pack)
    assert found.startswith("processes/gateways.bpmn:")
    assert "bad XML" in found
    assert int(found.split(":")[1]) >= line


def test_unknown_connector_id(pack, lookup):
    line = edit(pack / "processes" / "service.bpmn", 'id="test.lookup"', 'id="tax.nowhere"')
    assert problems(pack) == [
        f"processes/service.bpmn:{line}: service task lookup: unknown connector id 'tax.nowhere'"
    ]


def test_missing_form_schema_and_unknown_role(pack, lookup):
    (pack / "processes" / "forms" / "fix.schema.json").unlink()
    found = problems(pack)
    assert any(
        "user task fix: Form schema processes/forms/fix.schema.json not found" in p for p in found
    )
    line = edit(pack / "processes" / "approval.bpmn", "审批人员 (approver)", "审批人员 (wizard)")
    found = problems(pack)
    assert any("user task approve: unknown role 'wizard'" in p for p in found)
    del line


def test_user_task_without_a_form_property(pack, lookup):
    edit(
        pack / "processes" / "timers.bpmn",
        '<spiffworkflow:property name="form" value="forms/fix.schema.json" />',
        "",
    )
    found = problems(pack)
    assert any(
        p.startswith("processes/timers.bpmn:") and "user task work: no form schema" in p
        for p in found
    )


@pytest.mark.parametrize(
    ("expression", "what"),
    [
        ("__import__('os').system('id')", "a"),
        ("().__class__.__bases__[0].__subclasses__()", "a"),
        ("open('/etc/passwd').read()", "a"),
    ],
)
def test_refused_expression_names_file_and_line(pack, lookup, expression, what):
    from xml.sax.saxutils import escape

    line = edit(
        pack / "processes" / "gateways.bpmn",
        f"<bpmn:conditionExpression>{what}</bpmn:conditionExpression>",
        f"<bpmn:conditionExpression>{escape(expression)}</bpmn:conditionExpression>",
    )
    (found,) = problems(pack)
    assert found.startswith(f"processes/gateways.bpmn:{line}: Expression refused")


def test_refused_script_in_a_script_task(pack, lookup):
    line = edit(
        pack / "processes" / "gateways.bpmn",
        "<bpmn:script>z = x + y",
        "<bpmn:script>import os\nz = 1",
    )
    (found,) = problems(pack)
    assert found.startswith(f"processes/gateways.bpmn:{line}: Expression refused")


def test_unknown_decision(pack, lookup):
    line = edit(pack / "processes" / "decision.bpmn", ">risk_level<", ">no_such_table<")
    found = problems(pack)
    assert found == [
        f"processes/decision.bpmn:{line}: business rule task rate: unknown decision 'no_such_table'"
    ]


@pytest.mark.django_db
def test_a_broken_pack_is_refused_whole(pack, lookup):
    edit(pack / "processes" / "service.bpmn", 'id="test.lookup"', 'id="tax.nowhere"')
    entries = LedgerEntry.objects.count()
    with pytest.raises(DomainError) as err:
        services.load_pack_processes(pack_dir=pack, actor="test", reason="x")
    assert err.value.code == "workflow.pack_invalid"
    assert err.value.details["problems"][0]["file"] == "processes/service.bpmn"
    assert (ProcessDefinition.objects.count(), LedgerEntry.objects.count()) == (0, entries)


@pytest.mark.django_db
def test_packs_command(world, lookup, pack):
    out = StringIO()
    call_command("packs", "validate", str(R01), stdout=out)
    assert out.getvalue().strip() == "r01_company_setup_anywhere: ok"
    out = StringIO()
    call_command("packs", "load", str(R01), stdout=out)
    assert out.getvalue().startswith(
        "r01_company_setup_anywhere 1.0.0\tprocesses: r01_case_lifecycle@"
    )
    out = StringIO()
    call_command("packs", "list", str(R01), stdout=out)
    assert "r01_case_lifecycle@" in out.getvalue() and "not loaded" not in out.getvalue()
    edit(pack / "processes" / "service.bpmn", 'id="test.lookup"', 'id="tax.nowhere"')
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("packs", "validate", str(pack), stdout=out)
    assert "t00_engine/processes/service.bpmn:" in out.getvalue()
    assert "unknown connector id 'tax.nowhere'" in out.getvalue()


def test_packs_test_runs_the_diagram_tests(capfd):
    call_command("packs", "test", str(R01))
    assert "passed" in capfd.readouterr().out


RECURSIVE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    id="d" targetNamespace="t">
  <bpmn:process id="again" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:callActivity id="call" calledElement="again" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_a_call_activity_leading_back_to_its_process_is_refused(tmp_path):
    (tmp_path / "processes").mkdir()
    (tmp_path / "processes" / "again.bpmn").write_text(RECURSIVE)
    assert problems(tmp_path) == [
        "processes/again.bpmn:6: call activity in again calls again, which leads back (recursion)"
    ]


def test_xml_that_is_not_bpmn_is_refused_with_its_line(pack, lookup):
    line = edit(
        pack / "processes" / "gateways.bpmn",
        '<bpmn:endEvent id="end" />',
        '<bpmn:endEvent id="end" /><bpmn:gadget id="nope" />',
    )
    found = problems(pack)
    assert found[0].startswith(f"processes/gateways.bpmn:{line}: not valid BPMN 2.0:")
    assert "gadget" in found[0]
