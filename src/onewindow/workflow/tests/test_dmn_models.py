"""Real models from the shared data (Camunda, SpiffWorkflow) and what pack validation reports."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from onewindow.core.errors import DomainError
from onewindow.workflow.dmn import check_decision, decisions_in, evaluate_decision, load_decision

DINNER = (
    "bpmn_dmn/camunda-bpm-examples/"
    "dmn-engine__dmn-engine-drg__org__camunda__bpm__example__drg__dinnerDecisions.dmn"
)
SPIFF = "bpmn_dmn/spiffworkflow_tests/dmn"


@pytest.fixture(scope="module")
def dinner(shared_data) -> bytes:
    return (shared_data / DINNER).read_bytes()


def test_dinner_drg_evaluates_the_required_decision_first(dinner):
    assert decisions_in(dinner) == ["beverages", "dish"]
    assert check_decision(dinner) == []
    definition = load_decision(dinner)  # the top-level decision: beverages
    result = evaluate_decision(
        definition, {"season": "Spring", "guestCount": 7, "guestsWithChildren": False}
    )
    assert result.decision_id == "beverages"
    assert result.hit_policy == "COLLECT"
    assert result.inputs == {"Dish": "Steak", "Guests with children": False}
    assert result.matched_rules == ["row-506282952-10", "row-506282952-12"]
    assert result.outputs == [{"beverages": "Pinot Noir"}, {"beverages": "Water"}]
    [dish] = result.required
    assert (dish.decision_id, dish.matched_rules, dish.outputs) == (
        "dish",
        ["row-506282952-4"],
        {"desiredDish": "Steak"},
    )


def test_dinner_decision_by_name_and_unknown_decision(dinner):
    assert load_decision(dinner, "Dish").id == "dish"
    with pytest.raises(DomainError) as caught:
        load_decision(dinner, "dessert")
    assert caught.value.code == "dmn.unknown_decision"


def spiff(shared_data, name: str) -> bytes:
    return (shared_data / SPIFF / name).read_bytes()


def test_spiff_python_cells_run_in_the_sandbox(shared_data):
    dict_table = load_decision(spiff(shared_data, "python_engine/data/dict_decision.dmn"))
    assert evaluate_decision(dict_table, {"allergies": {"PEANUTS": 1}}).value == "isPeanuts"
    assert evaluate_decision(dict_table, {"allergies": {"MILK": 1}}).value == "IsNotPeanuts"
    dates = load_decision(spiff(shared_data, "python_engine/data/date_decision.dmn"))
    assert evaluate_decision(dates, {"input": dt.datetime(2017, 11, 3)}).value == "03.11"
    assert evaluate_decision(dates, {"input": dt.datetime(2017, 10, 1)}).value == "before 03.11"
    exclusive = load_decision(spiff(shared_data, "python_engine/data/exclusive.dmn"))
    spaces = [{"ExclusiveSpaceAMComputingID": None}, {"ExclusiveSpaceAMComputingID": 3}]
    assert evaluate_decision(exclusive, {"exclusive": spaces}).outputs == {
        "all_exclusive_area_monitor": False
    }
    collect = load_decision(spiff(shared_data, "data/collect_hit.dmn"))
    assert evaluate_decision(collect, {"type": "farmer"}).outputs == [
        {"result": 5, "name": "Elmer Fudd"}
    ]


def test_spiff_unique_tables_with_a_catch_all_row_follow_the_dmn_spec(shared_data):
    # SpiffWorkflow takes the first match of a UNIQUE table; DMN calls two matches a violation.
    table = load_decision(
        spiff(shared_data, "python_engine/data/integer_decision_range_inclusive.dmn")
    )
    assert evaluate_decision(table, {"Age": 99}).value == "ELSE"
    with pytest.raises(DomainError) as caught:
        evaluate_decision(table, {"Age": 100})
    assert caught.value.code == "dmn.hit_policy_violated"


def test_check_decision_names_file_line_and_problem():
    xml = b"""<?xml version="1.0"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="x">
  <decision id="risk" name="Risk">
    <decisionTable hitPolicy="SOMETIMES">
      <input label="A"><inputExpression><text>a</text></inputExpression></input>
      <output name="r"/>
      <rule id="r1">
        <inputEntry><text>().__class__</text></inputEntry>
        <outputEntry><text>"x"</text></outputEntry>
      </rule>
      <rule id="r2">
        <outputEntry><text>"y"</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>
  <decision id="needs" name="Needs">
    <informationRequirement><requiredDecision href="#nowhere"/></informationRequirement>
    <literalExpression><text>1</text></literalExpression>
  </decision>
</definitions>"""
    problems = check_decision(xml, "packs/r13/decisions/risk.dmn")
    assert [(p.line, p.code) for p in problems] == [
        (4, "dmn.hit_policy"),
        (8, "workflow.expression_refused"),
        (11, "dmn.rule_shape"),
        (17, "dmn.missing_decision"),
    ]
    assert str(problems[1]) == (
        "packs/r13/decisions/risk.dmn:8: decision 'Risk': rule 1 input 1 '().__class__': "
        "Expression refused: access to the attribute '__class__' is not allowed"
    )
    assert problems[1].problem_zh.startswith("决策 Risk：rule 1 input 1")
    with pytest.raises(DomainError) as caught:
        load_decision(xml, "risk")
    assert caught.value.code == "dmn.invalid"
    assert len(caught.value.details) == 3


@pytest.mark.parametrize(
    ("xml", "code", "line"),
    [
        (b"<definitions", "dmn.bad_xml", 1),
        (
            b'<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/"/>',
            "dmn.unsupported_version",
            1,
        ),
        (
            b'<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"/>',
            "dmn.no_decision",
            1,
        ),
    ],
)
def test_files_that_are_not_usable_dmn(xml, code, line):
    [problem] = check_decision(xml, "x.dmn")
    assert (problem.code, problem.line, problem.file) == (code, line, "x.dmn")
    assert decisions_in(xml) == []


def test_entity_expansion_bomb_is_not_expanded():
    entities = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10 if n else "lol"}">' for n in range(10))
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE d [{entities}]>'
        '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" namespace="x">'
        '<decision id="d" name="D"><literalExpression><text>"&e9;"</text></literalExpression>'
        "</decision></definitions>"
    ).encode()
    started = time.perf_counter()
    [problem] = check_decision(xml)
    assert time.perf_counter() - started < 1.0
    assert problem.code == "dmn.bad_xml"  # libxml2 stops the amplification; nothing expands
    with pytest.raises(DomainError) as caught:
        load_decision(xml)
    assert caught.value.code == "dmn.invalid"
