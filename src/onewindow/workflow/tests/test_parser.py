"""The BPMN reader: timer literals, the simple JUEL subset of Camunda conditions, properties
and references from both modeller dialects."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onewindow.workflow import engine
from onewindow.workflow.engine.parser import juel_to_python, literal_timer
from onewindow.workflow.engine.specs import ConnectorTask, DecisionTask


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT2H", "'PT2H'"),
        (" P14D ", "'P14D'"),
        ("R2/PT0.1S", "'R2/PT0.1S'"),
        ("R/PT1H", "'R/PT1H'"),
        ("P1Y2M3DT4H5M6S", "'P1Y2M3DT4H5M6S'"),
        ("2026-10-09T00:00:00+08:00", "'2026-10-09T00:00:00+08:00'"),
        ("2026-10-09", "'2026-10-09'"),
        ('"PT0.25S"', '"PT0.25S"'),
        ("working_days(3)", "working_days(3)"),
        ("futuredate", "futuredate"),
    ],
)
def test_timer_literals_are_quoted_expressions_are_kept(text, expected):
    assert literal_timer(text) == expected


@given(
    st.integers(0, 999),
    st.sampled_from(["Y", "M", "W", "D"]),
    st.integers(0, 99),
    st.sampled_from(["H", "M", "S"]),
)
def test_every_iso_duration_is_a_literal(a, unit, b, time_unit):
    text = f"P{a}{unit}T{b}{time_unit}"
    assert literal_timer(text) == repr(text)


@pytest.mark.parametrize(
    ("condition", "python"),
    [
        ("${approved}", "approved"),
        ("#{!approved}", "not approved"),
        ("${not approved}", "not approved"),
        ("${clarified == 'yes'}", "clarified == 'yes'"),
        ("${score <= 5 && ok || done}", "score <= 5 and ok or done"),
        ("${amount gt 1000}", "amount > 1000"),
        ("${flag == true}", "flag == True"),
        ("${x != 2.5}", "x != 2.5"),
        (
            '${customer.prop("age").numberValue() < 21}',
            '${customer.prop("age").numberValue() < 21}',
        ),
        ("amount > 3", "amount > 3"),
        ("", None),
    ],
)
def test_simple_juel_becomes_python_and_the_rest_is_kept(condition, python):
    assert juel_to_python(condition) == python


CAMUNDA = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="camunda_style" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="score" camunda:type="external" camunda:topic="creditScoreChecker" />
    <bpmn:serviceTask id="java" camunda:class="org.example.Delegate" />
    <bpmn:businessRuleTask id="rate" camunda:decisionRef="risk_level"
        camunda:resultVariable="risk" />
    <bpmn:userTask id="approve" camunda:formKey="embedded:app:forms/a.html" camunda:assignee="demo">
      <bpmn:extensionElements>
        <camunda:properties><camunda:property name="role" value="approver" /></camunda:properties>
        <camunda:taskListener class="org.example.Listener" event="create" />
      </bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics camunda:collection="${parts}"
          camunda:elementVariable="part" />
    </bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="score" />
    <bpmn:sequenceFlow id="f2" sourceRef="score" targetRef="java" />
    <bpmn:sequenceFlow id="f3" sourceRef="java" targetRef="rate" />
    <bpmn:sequenceFlow id="f4" sourceRef="rate" targetRef="approve" />
    <bpmn:sequenceFlow id="f5" sourceRef="approve" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_camunda_dialect_parses_and_maps_to_platform_specs():
    parsed = engine.parse_files({"p.bpmn": CAMUNDA}, "camunda_style")
    specs = parsed.spec.task_specs
    assert isinstance(specs["score"], ConnectorTask)
    assert specs["score"].connector_id == "creditScoreChecker"
    assert specs["java"].connector_id == "camunda:class:org.example.Delegate"
    assert isinstance(specs["rate"], DecisionTask)
    assert (specs["rate"].decision_ref, specs["rate"].result_variable) == ("risk_level", "risk")
    child = next(s for s in specs.values() if getattr(s, "bpmn_id", None) == "approve" and s.manual)
    assert child.extensions["properties"] == {"role": "approver"}
    loop = specs["approve"]
    assert (loop.data_input.bpmn_id, loop.input_item.bpmn_id) == ("parts", "part")


def test_bpmn_errors_name_file_and_line():
    broken = CAMUNDA.replace('<bpmn:endEvent id="end" />', "")
    with pytest.raises(Exception) as err:
        engine.parse_files({"processes/p.bpmn": broken}, "camunda_style")
    assert err.value.code == "workflow.bpmn_invalid"  # type: ignore[attr-defined]
    assert err.value.details["file"] == "processes/p.bpmn"  # type: ignore[attr-defined]
