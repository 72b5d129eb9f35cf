"""Each hit policy with exact outputs and matched rules (reform 13's risk table shape)."""

from __future__ import annotations

import json
import statistics
import time
from xml.sax.saxutils import escape

import pytest

from onewindow.core.errors import DomainError
from onewindow.workflow.dmn import evaluate_decision, load_decision

NAMESPACE = "https://www.omg.org/spec/DMN/20191111/MODEL/"


def table_xml(
    *,
    policy: str = "UNIQUE",
    inputs: list[tuple[str, str]],
    outputs: list[str],
    rules: list[tuple[list[str], list[str]]],
    aggregation: str | None = None,
    output_values: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    decision_id: str = "decision",
    name: str = "Decision",
) -> bytes:
    """A DMN file with one decision table; rule ids are r1, r2, …"""
    output_values = output_values or {}
    defaults = defaults or {}
    aggregation_attribute = f' aggregation="{aggregation}"' if aggregation else ""
    parts = [
        f'<definitions xmlns="{NAMESPACE}" id="defs" name="tests" namespace="https://example.org">',
        f'<decision id="{decision_id}" name="{escape(name)}">',
        f'<decisionTable hitPolicy="{policy}"{aggregation_attribute}>',
    ]
    for label, expression in inputs:
        parts.append(
            f'<input label="{escape(label)}"><inputExpression>'
            f"<text>{escape(expression)}</text></inputExpression></input>"
        )
    for output in outputs:
        inner = ""
        if output in output_values:
            inner += f"<outputValues><text>{escape(output_values[output])}</text></outputValues>"
        if output in defaults:
            inner += (
                f"<defaultOutputEntry><text>{escape(defaults[output])}</text></defaultOutputEntry>"
            )
        parts.append(f'<output name="{escape(output)}">{inner}</output>')
    for number, (tests, values) in enumerate(rules, 1):
        cells = "".join(f"<inputEntry><text>{escape(t)}</text></inputEntry>" for t in tests)
        cells += "".join(f"<outputEntry><text>{escape(v)}</text></outputEntry>" for v in values)
        parts.append(f'<rule id="r{number}">{cells}</rule>')
    parts.append("</decisionTable></decision></definitions>")
    return "\n".join(parts).encode()


RISK_INPUTS = [("Violations", "violations"), ("Defects", "defects")]
RISK_RULES = [
    ([">= 3", "-"], ['"high"', '"on-site inspection"']),
    (["[1..2]", ">= 2"], ['"high"', '"on-site inspection"']),
    (["[1..2]", "< 2"], ['"medium"', '"online review"']),
    (["0", "-"], ['"low"', '"direct renewal"']),
]


def risk(policy: str, **extra) -> object:
    return load_decision(
        table_xml(
            policy=policy,
            inputs=RISK_INPUTS,
            outputs=["risk", "route"],
            rules=RISK_RULES + extra.pop("more_rules", []),
            output_values={"risk": '"high","medium","low"'},
            **extra,
        )
    )


def test_unique_single_match():
    result = evaluate_decision(risk("UNIQUE"), {"violations": 1, "defects": 0})
    assert result.decision_id == "decision"
    assert result.hit_policy == "UNIQUE"
    assert result.inputs == {"Violations": 1, "Defects": 0}
    assert result.matched_rules == ["r3"]
    assert result.matched_indexes == [3]
    assert result.outputs == {"risk": "medium", "route": "online review"}
    assert result.value == {"risk": "medium", "route": "online review"}


def test_unique_with_two_matches_is_a_violation():
    definition = risk("UNIQUE", more_rules=[(["-", ">= 5"], ['"high"', '"on-site inspection"'])])
    with pytest.raises(DomainError) as caught:
        evaluate_decision(definition, {"violations": 1, "defects": 6})
    assert caught.value.code == "dmn.hit_policy_violated"
    assert caught.value.details == {
        "decision": "decision",
        "hit_policy": "UNIQUE",
        "matched_rules": ["r2", "r5"],
    }


def test_no_match_without_defaults_gives_none_and_with_defaults_the_defaults():
    result = evaluate_decision(risk("UNIQUE"), {"violations": -1, "defects": 0})
    assert (result.matched_rules, result.outputs, result.value) == ([], None, None)
    defaulted = risk("UNIQUE", defaults={"risk": '"high"', "route": '"on-site inspection"'})
    result = evaluate_decision(defaulted, {"violations": -1, "defects": 0})
    assert result.matched_rules == []
    assert result.outputs == {"risk": "high", "route": "on-site inspection"}


def test_first_takes_the_first_match_in_rule_order():
    definition = risk("FIRST", more_rules=[(["-", "-"], ['"low"', '"fallback"'])])
    result = evaluate_decision(definition, {"violations": 0, "defects": 9})
    assert result.matched_rules == ["r4"]
    assert result.outputs == {"risk": "low", "route": "direct renewal"}


def test_priority_takes_the_highest_output_value_not_the_first_rule():
    definition = risk("PRIORITY", more_rules=[(["-", ">= 5"], ['"high"', '"on-site inspection"'])])
    result = evaluate_decision(definition, {"violations": 0, "defects": 6})
    assert result.matched_rules == ["r4", "r5"]  # every rule that matched, in rule order
    assert result.outputs == {"risk": "high", "route": "on-site inspection"}


def test_any_accepts_equal_outputs_and_refuses_different_ones():
    same = risk("ANY", more_rules=[(["-", ">= 5"], ['"high"', '"on-site inspection"'])])
    result = evaluate_decision(same, {"violations": 4, "defects": 6})
    assert result.matched_rules == ["r1", "r5"]
    assert result.outputs == {"risk": "high", "route": "on-site inspection"}
    different = risk("ANY", more_rules=[(["-", ">= 5"], ['"medium"', '"online review"'])])
    with pytest.raises(DomainError) as caught:
        evaluate_decision(different, {"violations": 4, "defects": 6})
    assert caught.value.code == "dmn.hit_policy_violated"
    assert caught.value.details["matched_rules"] == ["r1", "r5"]


def test_rule_order_and_output_order():
    extra = [(["-", ">= 5"], ['"low"', '"second look"'])]
    rule_order = evaluate_decision(
        risk("RULE ORDER", more_rules=extra), {"violations": 1, "defects": 5}
    )
    assert rule_order.matched_rules == ["r2", "r5"]
    assert rule_order.outputs == [
        {"risk": "high", "route": "on-site inspection"},
        {"risk": "low", "route": "second look"},
    ]
    extra = [(["-", ">= 5"], ['"medium"', '"second look"'])]
    output_order = evaluate_decision(
        risk("OUTPUT ORDER", more_rules=extra), {"violations": 0, "defects": 5}
    )
    assert output_order.matched_rules == ["r4", "r5"]
    assert output_order.outputs == [
        {"risk": "medium", "route": "second look"},
        {"risk": "low", "route": "direct renewal"},
    ]


SCORE_RULES = [([">= 1"], ["10"]), ([">= 2"], ["25"]), ([">= 3"], ["5"]), (["< 0"], ["99"])]


@pytest.mark.parametrize(
    ("aggregation", "years", "expected_outputs", "expected_rules"),
    [
        (None, 3, [{"points": 10}, {"points": 25}, {"points": 5}], ["r1", "r2", "r3"]),
        ("SUM", 3, 40, ["r1", "r2", "r3"]),
        ("MIN", 3, 5, ["r1", "r2", "r3"]),
        ("MAX", 2, 25, ["r1", "r2"]),
        ("COUNT", 3, 3, ["r1", "r2", "r3"]),
        ("COUNT", 0, 0, []),
        ("SUM", 0, None, []),
        (None, 0, [], []),
    ],
)
def test_collect(aggregation, years, expected_outputs, expected_rules):
    definition = load_decision(
        table_xml(
            policy="COLLECT",
            aggregation=aggregation,
            inputs=[("Years", "years")],
            outputs=["points"],
            rules=SCORE_RULES,
        )
    )
    result = evaluate_decision(definition, {"years": years})
    assert result.aggregation == aggregation
    assert result.outputs == expected_outputs
    assert result.matched_rules == expected_rules


def test_aggregation_needs_a_single_output():
    xml = table_xml(
        policy="COLLECT",
        aggregation="SUM",
        inputs=RISK_INPUTS,
        outputs=["risk", "route"],
        rules=RISK_RULES,
    )
    with pytest.raises(DomainError) as caught:
        load_decision(xml)
    assert caught.value.code == "dmn.invalid"
    assert [p["code"] for p in caught.value.details] == ["dmn.aggregation"]


def test_result_as_dict_is_json():
    result = evaluate_decision(risk("UNIQUE"), {"violations": 0, "defects": 0})
    assert json.loads(json.dumps(result.as_dict())) == {
        "decision_id": "decision",
        "decision_name": "Decision",
        "hit_policy": "UNIQUE",
        "aggregation": None,
        "inputs": {"Violations": 0, "Defects": 0},
        "matched_rules": ["r4"],
        "matched_indexes": [4],
        "outputs": {"risk": "low", "route": "direct renewal"},
        "value": {"risk": "low", "route": "direct renewal"},
        "required": [],
    }


def test_a_failing_cell_names_its_rule_and_column():
    definition = load_decision(
        table_xml(inputs=[("Code", "code")], outputs=["number"], rules=[(["-"], ["int(code)"])])
    )
    with pytest.raises(DomainError) as caught:
        evaluate_decision(definition, {"code": "x1"})
    assert caught.value.code == "workflow.expression_failed"
    assert caught.value.details["rule"] == "r1"
    assert caught.value.details["output"] == 1
    assert caught.value.message_en.startswith("decision Decision rule 1 output 1: ")


def test_twenty_rule_unique_table_evaluates_well_under_a_millisecond():
    rules = [
        (
            [f"[{n * 5}..{n * 5 + 5})", '"A","C"' if n % 2 else '"B","C"', "-"],
            [f'"level {n}"', f"{n} * 10"],
        )
        for n in range(20)
    ]
    definition = load_decision(
        table_xml(
            inputs=[("Score", "score"), ("Class", "klass"), ("Flag", "flag")],
            outputs=["level", "points"],
            rules=rules,
        )
    )
    inputs = {"score": 97, "klass": "A", "flag": True}
    assert evaluate_decision(definition, inputs).outputs == {"level": "level 19", "points": 190}
    timings = []
    for _ in range(200):
        started = time.perf_counter()
        evaluate_decision(definition, inputs)
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.001
