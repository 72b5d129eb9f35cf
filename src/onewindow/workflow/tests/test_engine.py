"""The engine on its own (no database): gateways, multi-instance, decisions, messages,
connectors; the state is saved to JSON and restored between every step."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from onewindow.core.errors import DomainError
from onewindow.workflow.testing import DiagramRun


def test_inclusive_gateway_takes_every_true_branch_then_parallel_joins(engine_pack):
    run = DiagramRun(engine_pack, "t_gateways", {"a": True, "b": True})
    assert run.completed
    data = run.variables
    assert (data.get("got_a"), data.get("got_b"), "got_c" in data) == (True, True, False)
    assert data["z"] == 3
    assert {"do_x", "do_y"} <= set(run.path)


def test_inclusive_gateway_falls_back_to_its_default(engine_pack):
    run = DiagramRun(engine_pack, "t_gateways", {"a": False, "b": False})
    assert run.completed
    assert run.variables["got_c"] is True
    assert "do_a" not in run.path and "do_b" not in run.path


def test_exclusive_gateway_loops_back_for_correction(engine_pack):
    run = DiagramRun(engine_pack, "t_approval", {"amount": 5})
    run.complete("approve", {"action": "return", "correction_points": ["金额有误"]})
    assert run.ready == ["fix"]
    run.complete("fix", {"note": "已更正"})
    run.complete("approve", {"action": "approve", "amount": 7})
    assert run.completed
    assert run.variables["total"] == 14
    assert run.path == ["start", "approve", "outcome", "fix", "approve", "outcome", "total", "end"]


def test_parallel_multi_instance_user_task_and_sequential_script(engine_pack):
    run = DiagramRun(engine_pack, "t_multi", {"parts": ["章程", "租赁合同", "身份证"], "copies": 2})
    assert run.ready == ["review_part", "review_part", "review_part"]
    run.complete("review_part", {"opinion": "ok"})
    run.complete("review_part", {"opinion": "not ok"})
    run.complete("review_part", {"opinion": "ok"})
    assert run.completed
    assert run.variables["opinions"] == ["ok", "not ok", "ok"]
    assert run.variables["stamps"] == ["S-0", "S-1"]
    assert run.variables["agreed"] == 2


def test_business_rule_task_evaluates_the_dmn_table(engine_pack):
    run = DiagramRun(engine_pack, "t_decision", {"violations": 2, "capital": 50})
    assert run.variables["risk"] == "high"
    assert run.ready == ["inspect"]
    (decision,) = run.decisions
    assert decision.decision_id == "risk_level"
    assert decision.matched_rules == ["rule_high"]
    assert decision.outputs == {"risk": "high"}
    assert decision.inputs == {"Violations": 2, "Capital": 50}
    low = DiagramRun(engine_pack, "t_decision", {"violations": 0, "capital": 50})
    assert (low.completed, low.variables["risk"], low.path[-1]) == (True, "low", "end_direct")


@time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_message_catch_event_receives_its_payload(engine_pack, db):
    run = DiagramRun(engine_pack, "t_event_gateway", {"case_no": "WH1"})
    assert not run.completed
    run.deliver("receipt", {"number": "R-9"})
    assert run.completed
    assert run.variables["outcome"] == "received:R-9"
    assert run.variables["receipt"] == {"number": "R-9"}


def test_service_task_calls_the_registered_connector(engine_pack, lookup):
    run = DiagramRun(engine_pack, "t_service", {"uscc": "91420100MA4KXXXX0A"})
    assert run.completed
    assert run.variables["registered"] is True
    (request,) = lookup.requests
    assert request.parameters == {"uscc": "91420100MA4KXXXX0A"}
    assert request.purpose == "核验企业登记状态 Check the company is registered"
    assert [c.outcome for c in run.calls] == ["ok"]


HOSTILE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    id="d" targetNamespace="t">
  <bpmn:process id="hostile" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:exclusiveGateway id="choose" default="other" />
    <bpmn:endEvent id="end_a" />
    <bpmn:endEvent id="end_b" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="choose" />
    <bpmn:sequenceFlow id="escape" sourceRef="choose" targetRef="end_a">
      <bpmn:conditionExpression>{condition}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="other" sourceRef="choose" targetRef="end_b" />
  </bpmn:process>
</bpmn:definitions>
"""


@pytest.mark.parametrize(
    "condition",
    [
        "().__class__.__base__.__subclasses__()",
        "__import__(&apos;os&apos;).system(&apos;id&apos;)",
        "open(&apos;/etc/passwd&apos;).read()",
        "[c for c in ().__class__.__mro__]",
    ],
)
def test_hostile_condition_is_refused_when_the_gateway_runs(tmp_path, condition):
    (tmp_path / "processes").mkdir()
    (tmp_path / "processes" / "hostile.bpmn").write_text(HOSTILE.format(condition=condition))
    with pytest.raises(DomainError) as err:
        DiagramRun(tmp_path, "hostile", {})
    assert err.value.code == "workflow.expression_refused"
    assert err.value.details["step"] == "choose"


def test_spiffworkflow_default_eval_never_runs(engine_pack, lookup, monkeypatch, db):
    """Every expression and script goes through the sandbox: SpiffWorkflow's own
    eval/exec environment is booby-trapped while diagrams of every kind run."""
    from SpiffWorkflow.bpmn.script_engine.python_environment import TaskDataEnvironment

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("SpiffWorkflow's default eval/exec ran")

    monkeypatch.setattr(TaskDataEnvironment, "evaluate", refuse)
    monkeypatch.setattr(TaskDataEnvironment, "execute", refuse)
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        for process_id, data in [
            ("t_gateways", {"a": True, "b": False}),
            ("t_decision", {"violations": 1, "capital": 5}),
            ("t_service", {"uscc": "914201"}),
            ("t_event_gateway", {"case_no": "WH1"}),
            ("t_timers", {}),
        ]:
            DiagramRun(engine_pack, process_id, data)
        run = DiagramRun(engine_pack, "t_multi", {"parts": ["a"], "copies": 1})
        run.complete("review_part", {"opinion": "ok"})
        assert run.completed
