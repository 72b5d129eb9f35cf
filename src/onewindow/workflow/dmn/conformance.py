"""Run the DMN conformance models in the shared data and write the conformance page.

Models: the DMN TCK (1.3 state) test folders, each a ``.dmn`` model plus a test-case file with
inputs and expected results; the Camunda ``dinnerDecisions`` DRG (no test file: the cases in
`DINNER_CASES` were worked out by hand from its two tables); SpiffWorkflow's DMN test models
(their expected results live in Python test code that was not copied, so they are only loaded).

``python -m onewindow.workflow.dmn.conformance [--write PATH] [--data DIR]`` prints (or
writes) ``docs/reference/dmn-conformance.md``; a test regenerates it and fails when the
committed page differs, so the page stays true.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lxml import etree

from onewindow.core.errors import DomainError

from . import evaluate_decision, load_decision
from .parser import read

XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
TESTS = "{http://www.omg.org/spec/DMN/20160719/testcase}"
DINNER = (
    "camunda-bpm-examples/"
    "dmn-engine__dmn-engine-drg__org__camunda__bpm__example__drg__dinnerDecisions.dmn"
)

# (decision, inputs, expected value), derived by reading the two tables of dinnerDecisions.dmn
DINNER_CASES: list[tuple[str, dict[str, Any], Any]] = [
    ("dish", {"season": "Fall", "guestCount": 8}, "Spareribs"),
    ("dish", {"season": "Spring", "guestCount": 3}, "Dry Aged Gourmet Steak"),
    ("dish", {"season": "Spring", "guestCount": 6}, "Steak"),
    ("dish", {"season": "Winter", "guestCount": 9}, "Stew"),
    (
        "beverages",
        {"season": "Fall", "guestCount": 8, "guestsWithChildren": True},
        ["Aecht Schlenkerla Rauchbier", "Apple Juice", "Water"],
    ),
    (
        "beverages",
        {"season": "Spring", "guestCount": 7, "guestsWithChildren": False},
        ["Pinot Noir", "Water"],
    ),
    (
        "beverages",
        {"season": "Winter", "guestCount": 9, "guestsWithChildren": False},
        ["Guiness", "Water"],
    ),
    (
        "beverages",
        {"season": "Summer", "guestCount": 20, "guestsWithChildren": True},
        ["Pinot Noir", "Apple Juice", "Water"],
    ),
]


def default_data_root() -> Path:
    configured = os.environ.get("ONEWINDOW_SHARED_DATA")
    if configured:
        return Path(configured) / "bpmn_dmn"
    return Path(__file__).resolve().parents[4].parent / "shared" / "data" / "bpmn_dmn"


@dataclass
class ModelReport:
    path: str
    cases: int = 0
    passed: int = 0
    failed: list[str] = field(default_factory=list)
    not_run: dict[str, str] = field(default_factory=dict)  # decision name → why

    @property
    def status(self) -> str:
        if self.failed:
            return "FAILS"
        if self.passed and self.passed == self.cases:
            return "runs"
        return "partly" if self.passed else "does not run"


# --- test-case values ---------------------------------------------------------------------


def _scalar(element: Any) -> Any:
    if element.get(f"{XSI}nil") == "true":
        return None
    kind = (element.get(f"{XSI}type") or "").split(":")[-1]
    text = element.text or ""
    if kind in ("decimal", "double", "float", "integer", "int", "long", "short"):
        number = Decimal(text.strip())
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "boolean":
        return text.strip() == "true"
    if kind == "date":
        return dt.date.fromisoformat(text.strip())
    if kind == "dateTime":
        return dt.datetime.fromisoformat(text.strip())
    if kind in ("duration", "time"):
        raise ValueError(f"the test inputs include an xsd:{kind} value (no such type here)")
    return text


def value_of(node: Any) -> Any:
    """The value held by an inputNode / expected / item / component element."""
    children = [c for c in node if isinstance(c.tag, str)]
    components = [c for c in children if c.tag == f"{TESTS}component"]
    if components:
        return {c.get("name"): value_of(c) for c in components}
    for child in children:
        if child.tag == f"{TESTS}value":
            return _scalar(child)
        if child.tag == f"{TESTS}list":
            return [value_of(item) for item in child if isinstance(item.tag, str)]
    return None


def same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or expected is None or isinstance(actual, bool):
        return actual is expected or (actual == expected and type(actual) is type(expected))
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float, Decimal)):
        return math.isclose(float(actual), float(expected), rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(actual) == len(expected) and all(map(same, actual, expected))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return actual.keys() == expected.keys() and all(
            same(actual[k], v) for k, v in expected.items()
        )
    return bool(actual == expected)


# --- runners ------------------------------------------------------------------------------


def run_tck_model(folder: Path, root: Path) -> ModelReport:
    model = next(folder.glob("*.dmn"))
    report = ModelReport(str(folder.relative_to(root)))
    xml = model.read_bytes()
    document = read(xml, model.name)
    declared = {
        e.get("name")
        for e in etree.fromstring(xml).iter()
        if isinstance(e.tag, str) and etree.QName(e).localname == "inputData"
    }
    broken_names = {document.elements[d].get("name"): d for d in document.broken}
    for test_file in sorted(folder.glob("*-test-*.xml")):
        for case in etree.parse(str(test_file)).getroot().iter(f"{TESTS}testCase"):
            _run_case(case, xml, document, declared, broken_names, report)
    return report


def _run_case(
    case: Any,
    xml: bytes,
    document: Any,
    declared: set[Any],
    broken: dict[str, str],
    report: ModelReport,
) -> None:
    case_id = case.get("id")
    if case.get("type") not in (None, "decision"):
        report.cases += 1
        report.not_run[f"{case.get('invocableName')} ({case.get('type')})"] = (
            "invokes a BKM or decision service"
        )
        return
    try:
        inputs = {name: None for name in declared}
        inputs |= {n.get("name"): value_of(n) for n in case.findall(f"{TESTS}inputNode")}
    except (ValueError, InvalidOperation) as error:
        for result in case.findall(f"{TESTS}resultNode"):
            report.cases += 1
            report.not_run[result.get("name")] = str(error)
        return
    for result in case.findall(f"{TESTS}resultNode"):
        report.cases += 1
        name = result.get("name")
        if name in broken:
            problems = [p for p in document.problems if p.decision_id == broken[name]]
            report.not_run[name] = (
                problems[0].problem.split(": ", 1)[-1]
                if problems
                else "a required decision does not load"
            )
            continue
        expected_node = result.find(f"{TESTS}expected")
        expects_error = result.get("errorResult") == "true"
        try:
            expected = value_of(expected_node) if expected_node is not None else None
            actual = evaluate_decision(load_decision(xml, name), inputs).value
        except DomainError as error:
            if expects_error:
                report.passed += 1
            else:
                report.failed.append(f"case {case_id} {name}: {error.message_en}")
            continue
        except (ValueError, InvalidOperation) as error:
            report.not_run[name] = str(error)
            continue
        if same(actual, expected):
            report.passed += 1
        else:
            report.failed.append(f"case {case_id} {name}: expected {expected!r}, got {actual!r}")


def run_dinner(root: Path) -> ModelReport:
    report = ModelReport(DINNER)
    xml = (root / DINNER).read_bytes()
    for decision, inputs, expected in DINNER_CASES:
        report.cases += 1
        actual = evaluate_decision(load_decision(xml, decision), inputs).value
        if same(actual, expected):
            report.passed += 1
        else:
            report.failed.append(f"{decision} {inputs}: expected {expected!r}, got {actual!r}")
    return report


def tck_folders(root: Path) -> list[Path]:
    return sorted(
        p for p in (root / "dmn-tck_dmn13" / "TestCases").glob("compliance-level-*/*") if p.is_dir()
    )


def spiff_models(root: Path) -> list[tuple[str, list[str]]]:
    """Each SpiffWorkflow DMN test model with the problems found loading it (empty: loads)."""
    models = sorted((root / "spiffworkflow_tests").rglob("*.dmn"))
    return [
        (
            str(path.relative_to(root)),
            [p.problem for p in read(path.read_bytes(), path.name).problems],
        )
        for path in models
    ]


# --- the page -----------------------------------------------------------------------------


def _why(report: ModelReport) -> str:
    if report.failed:
        return "; ".join(report.failed[:3])
    reasons: dict[str, list[str]] = {}
    for decision, reason in report.not_run.items():
        reasons.setdefault(reason, []).append(decision)
    parts = [
        f"{', '.join(sorted(map(str, names))[:4])}{' …' if len(names) > 4 else ''}: {reason}"
        for reason, names in sorted(reasons.items(), key=lambda item: -len(item[1]))
    ]
    return "; ".join(parts[:4]).replace("|", "\\|").replace("\n", " ")


def render(root: Path) -> str:
    tck = [run_tck_model(folder, root) for folder in tck_folders(root)]
    dinner = run_dinner(root)
    spiff = spiff_models(root)
    lines = [
        "# DMN conformance",
        "",
        "Generated by `python -m onewindow.workflow.dmn.conformance --write "
        "docs/reference/dmn-conformance.md` from the models in `../shared/data/bpmn_dmn/` (see its "
        "PROVENANCE.md); `test_dmn_conformance.py` regenerates it and fails when this page is "
        "out of date. Do not edit by hand.",
        "",
        "The engine (`onewindow.workflow.dmn`) runs **decision tables** (hit policies UNIQUE, "
        "FIRST, PRIORITY, ANY, COLLECT with SUM/MIN/MAX/COUNT, RULE ORDER, OUTPUT ORDER) and "
        "**literal expressions**, with required decisions evaluated first. Cells are a FEEL subset "
        "(unary tests, comparisons, intervals, `not(...)`, `if … then … else`, names with spaces) "
        "or SpiffWorkflow-style Python, always run in the sandbox. It does not run boxed "
        "contexts, invocations, relations, business knowledge models, decision services, or FEEL "
        "built-ins beyond the sandbox functions (no `time`, `duration`, `string`, "
        "`substring before`, FEEL contexts `{a: 1}`, `instance of`, `for`/`some`/`every`). "
        "Input and output value lists (`inputValues`, `outputValues`) are not enforced; "
        "`outputValues` give the PRIORITY and OUTPUT ORDER ranking. A literal expression's "
        "result is checked against its `typeRef` (built-in types and simple item definitions; "
        "singleton lists are unwrapped, a value that does not conform becomes null).",
        "",
        "## DMN TCK (DMN 1.3 state)",
        "",
        "Each test case compares the decision's value with the TCK's expected result "
        "(numbers to 1e-9 relative). *runs*: every case passes; *partly*: the cases of the "
        "decisions that load pass, the others do not run; *does not run*: no case runs; "
        "*FAILS*: a case that runs gives a different result.",
        "",
        "| model | status | cases passed / in file | why not all |",
        "|---|---|---|---|",
    ]
    for report in tck:
        name = report.path.replace("dmn-tck_dmn13/TestCases/", "")
        counts = f"{report.passed} / {report.cases}"
        lines.append(f"| {name} | {report.status} | {counts} | {_why(report) or '—'} |")
    runs = sum(r.status == "runs" for r in tck)
    partly = sum(r.status == "partly" for r in tck)
    cases = sum(r.cases for r in tck)
    passed = sum(r.passed for r in tck)
    lines += [
        "",
        f"Totals: {len(tck)} models; {runs} run fully, {partly} partly, "
        f"{len(tck) - runs - partly} not at all; {passed} of {cases} test cases pass.",
        "",
        "## Camunda `dinnerDecisions` (DRG of two tables)",
        "",
        "No expected results ship with it; the cases below were worked out by hand from its "
        "tables (`DINNER_CASES` in `conformance.py`). `camunda:` attributes are ignored.",
        "",
        f"Status: **{dinner.status}**, {dinner.passed} / {dinner.cases} cases pass.",
        "",
        "| decision | inputs | value |",
        "|---|---|---|",
    ]
    for decision, inputs, expected in DINNER_CASES:
        lines.append(f"| {decision} | {inputs} | {expected} |")
    lines += [
        "",
        "## SpiffWorkflow DMN test models",
        "",
        "Loaded only: their expected results live in SpiffWorkflow's Python tests, which were "
        "not copied. Their cells are Python expressions (`100 < ? <= 110`, "
        '`"PEANUTS" not in ?`, `datetime.datetime(2017,11,3)`); a few are checked by hand in '
        "`test_dmn_models.py`. One difference on purpose: SpiffWorkflow takes the first "
        "matching rule of a UNIQUE table, this engine follows the DMN specification (two "
        "matches raise `dmn.hit_policy_violated`), so the tables below that end in a catch-all "
        "row (`integer_decision_*`, `string_decision.dmn`, …) raise for inputs matching two "
        "rows; declare them FIRST to keep SpiffWorkflow's behaviour.",
        "",
        "| model | loads | problem |",
        "|---|---|---|",
    ]
    for path, problems in spiff:
        problem = problems[0].replace("|", "\\|") if problems else "—"
        loads = "no" if problems else "yes"
        lines.append(f"| {path.replace('spiffworkflow_tests/', '')} | {loads} | {problem} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="write the page here instead of printing it")
    parser.add_argument("--data", type=Path, default=None, help="the bpmn_dmn data folder")
    args = parser.parse_args(argv)
    page = render(args.data or default_data_root())
    if args.write:
        args.write.write_text(page, encoding="utf-8")
    else:
        print(page, end="")


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.conf.settings")
    django.setup()
    main()
