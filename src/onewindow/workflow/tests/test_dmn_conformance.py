"""The DMN TCK models and the Camunda dinner DRG, against their expected results.

Also keeps docs/reference/dmn-conformance.md true: it is regenerated and compared.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from onewindow.workflow.dmn.conformance import (
    default_data_root,
    render,
    run_dinner,
    run_tck_model,
    tck_folders,
)

PAGE = Path(__file__).resolve().parents[4] / "docs" / "reference" / "dmn-conformance.md"

# what runs today; a change here must come with a change of the page (test below)
EXPECTED = {
    "compliance-level-2/0009-invocation-arithmetic": "does not run",
    "compliance-level-3/0004-lending": "partly",
    "compliance-level-3/0007-date-time": "does not run",
    "compliance-level-3/0014-loan-comparison": "does not run",
    "compliance-level-3/0032-conditionals": "partly",
    "compliance-level-3/0034-drg-scopes": "does not run",
    "compliance-level-3/0057-feel-context": "partly",
    "compliance-level-3/0082-feel-coercion": "partly",
    "compliance-level-3/0085-decision-services": "does not run",
    "compliance-level-3/1115-feel-date-function": "partly",
    "compliance-level-3/1120-feel-duration-function": "does not run",
}  # every other model: "runs"

DECISION_TABLE_MODELS = [
    "0004-simpletable-U", "0005-simpletable-A", "0007-simpletable-P2", "0010-multi-output-U",
    "0108-first-hitpolicy", "0109-ruleOrder-hitpolicy", "0110-outputOrder-hitpolicy",
    "0112-ruleOrder-hitpolicy-singleinoutcol", "0113-outputOrder-hitpolicy-singleinoutcol",
    "0114-min-collect-hitpolicy", "0116-count-collect-hitpolicy", "0117-multi-any-hitpolicy",
    "0119-multi-collect-hitpolicy", "0020-vacation-days",
]  # fmt: skip


@pytest.fixture(scope="module")
def root(shared_data) -> Path:
    return shared_data / "bpmn_dmn"


def test_every_tck_case_that_runs_gives_the_expected_result(root):
    folders = tck_folders(root)
    assert len(folders) == 35
    statuses = {}
    for folder in folders:
        report = run_tck_model(folder, root)
        assert report.failed == [], report.path
        name = report.path.replace("dmn-tck_dmn13/TestCases/", "")
        statuses[name] = report.status
    assert {k: v for k, v in statuses.items() if v != "runs"} == EXPECTED
    assert all(any(name.endswith(m) for name in statuses) for m in DECISION_TABLE_MODELS)
    assert all(statuses[n] == "runs" for n in statuses if n.split("/")[1] in DECISION_TABLE_MODELS)


def test_every_tck_decision_table_passes_all_its_cases(root):
    for folder in tck_folders(root):
        if folder.name in DECISION_TABLE_MODELS:
            report = run_tck_model(folder, root)
            assert (report.passed, report.not_run) == (report.cases, {}), folder.name
            assert report.cases >= 3


def test_dinner_decisions(root):
    report = run_dinner(root)
    assert (report.passed, report.cases, report.failed) == (8, 8, [])


def test_conformance_page_is_up_to_date(root):
    assert default_data_root().resolve() == root.resolve()
    expected = render(root)
    assert PAGE.read_text(encoding="utf-8") == expected, (
        "regenerate: python -m onewindow.workflow.dmn.conformance --write "
        "docs/reference/dmn-conformance.md"
    )
