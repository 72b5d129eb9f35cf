"""Process metrics from a definition: applicant-facing steps, trips to a counter, materials,
critical-path working days over parallel and alternative branches."""

from __future__ import annotations

import pytest

from onewindow.catalog.services import default_packs_root
from onewindow.workflow import definitions, engine
from onewindow.workflow.metrics import process_metrics
from onewindow.workflow.tests.conftest import PACK

BRANCHES = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="branches" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:parallelGateway id="fork" />
    <bpmn:userTask id="a">{a}</bpmn:userTask>
    <bpmn:userTask id="b">{b}</bpmn:userTask>
    <bpmn:parallelGateway id="join" />
    <bpmn:exclusiveGateway id="choose" />
    <bpmn:userTask id="c">{c}</bpmn:userTask>
    <bpmn:userTask id="d">{d}</bpmn:userTask>
    <bpmn:exclusiveGateway id="merge" />
    <bpmn:intermediateCatchEvent id="wait">
      <bpmn:timerEventDefinition><bpmn:timeDate>working_days(4)</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
    <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="a" />
    <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="b" />
    <bpmn:sequenceFlow id="f4" sourceRef="a" targetRef="join" />
    <bpmn:sequenceFlow id="f5" sourceRef="b" targetRef="join" />
    <bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="choose" />
    <bpmn:sequenceFlow id="f7" sourceRef="choose" targetRef="c">
      <bpmn:conditionExpression>x</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f8" sourceRef="choose" targetRef="d">
      <bpmn:conditionExpression>not x</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f9" sourceRef="c" targetRef="merge" />
    <bpmn:sequenceFlow id="f10" sourceRef="d" targetRef="merge" />
    <bpmn:sequenceFlow id="f11" sourceRef="merge" targetRef="wait" />
    <bpmn:sequenceFlow id="f12" sourceRef="wait" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def props(**values: str) -> str:
    rows = "".join(f'<camunda:property name="{k}" value="{v}" />' for k, v in values.items())
    properties = f"<camunda:properties>{rows}</camunda:properties>"
    return f"<bpmn:extensionElements>{properties}</bpmn:extensionElements>"


def test_parallel_branches_add_up_alternatives_take_the_worst():
    xml = BRANCHES.format(
        a=props(role="applicant", time_limit_days="3", materials="m1"),
        b=props(time_limit_days="5", in_person="true", materials="m2, m1"),
        c=props(time_limit_days="2"),
        d=props(time_limit_days="1", applicant_facing="true", in_person="true", materials="m3"),
    )
    metrics = process_metrics(xml)
    assert metrics.applicant_steps == 2  # a, then the worst of c | d
    assert metrics.trips == 2  # b, then d
    assert metrics.materials == ("m1", "m2", "m3")
    assert metrics.material_count == 3
    assert metrics.critical_path_days == 5 + 2 + 4
    assert metrics.critical_path == ("b", "c", "wait")


def test_reform_1_case_lifecycle():
    files = definitions.pack_files(default_packs_root() / "r01_company_setup_anywhere")
    metrics = process_metrics(engine.parse_files(files, "r01_case_lifecycle"))
    assert (metrics.applicant_steps, metrics.trips, metrics.materials) == (1, 1, ())
    assert metrics.critical_path_days == 3  # = the item's legal limit (3 working days)
    assert metrics.critical_path == ("review", "decide", "deliver_post")


def test_a_loop_back_is_counted_once():
    files = definitions.pack_files(PACK)
    metrics = process_metrics(engine.parse_files(files, "t_approval"))
    assert (metrics.applicant_steps, metrics.trips, metrics.critical_path_days) == (1, 1, 2)
    assert metrics.materials == ("application-form", "lease-contract", "representative-id")


@pytest.mark.django_db
def test_metrics_of_a_stored_definition_through_the_api(world):
    from django.test import Client

    from onewindow.cases import services  # noqa: F401 (the pack is imported on first use)
    from onewindow.workflow import services as workflow_services

    workflow_services.load_pack_processes(
        pack_dir=default_packs_root() / "r01_company_setup_anywhere", actor="test", reason="t"
    )
    body = Client().get("/api/v1/workflow/definitions/r01_case_lifecycle/metrics").json()
    assert (body["critical_path_days"], body["trips"], body["applicant_steps"]) == (3, 1, 1)
    missing = Client().get("/api/v1/workflow/definitions/nope/metrics")
    assert (missing.status_code, missing.json()["code"]) == (404, "workflow.definition_not_found")
