"""Unit test of pharmacy_licence_renewal.bpmn: given the filing, history and pre-review, the
risk level (decision r13_risk_level) and the route taken; fill in again when incomplete. The
engine state is saved and restored between steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onewindow.workflow.testing import DiagramRun

PACK = Path(__file__).resolve().parents[1]
RECORDS = json.loads((PACK / "demo" / "records.json").read_text(encoding="utf-8"))
START = {
    "licence_number": "鄂CA0270001",
    "pharmacy_name": "武汉仁和大药房江汉店",
    "uscc": "91420103MA4K2L3M4N",
    "site_latitude": 30.5801,
    "site_longitude": 114.2712,
    "filing_abnormal": False,
    "violations": 0,
    "inspection_findings": 0,
    "applicant_user": 7,
    "home_jurisdiction": "420103",
}


def reviewed(serious: int = 0, general: int = 0, **history: object) -> DiagramRun:
    case = DiagramRun(PACK, "r13_pharmacy_licence_renewal", {**START, **history})
    case.complete("fill_records", RECORDS)
    case.complete(
        "pre_review",
        {"pre_review": "complete", "serious_defects": serious, "general_defects": general},
    )
    return case


@pytest.mark.parametrize(
    ("history", "defects", "risk", "step"),
    [
        ({"filing_abnormal": True}, (0, 0), "high", "inspect_on_site"),
        ({"violations": 1}, (0, 0), "high", "inspect_on_site"),
        ({}, (3, 0), "high", "inspect_on_site"),
        ({}, (2, 0), "medium", "video_inspection"),
        ({}, (0, 6), "medium", "video_inspection"),
        ({"inspection_findings": 2}, (0, 0), "medium", "video_inspection"),
        ({"inspection_findings": 1}, (0, 5), "low", None),
    ],
)
def test_risk_level_decides_the_route(history, defects, risk, step):
    case = reviewed(*defects, **history)
    assert case.variables["risk"] == risk
    if step is None:
        assert case.completed
        assert case.variables["licence_status"] == "renewed"
        assert case.path[-5:] == [
            "direct_renewal",
            "inspected_merge",
            "passed",
            "renew",
            "end_renewed",
        ]
    else:
        assert case.ready == [step]
    (decision,) = case.decisions
    assert decision.decision_id == "r13_risk_level"


@pytest.mark.parametrize(("result", "status"), [("pass", "renewed"), ("fail", "refused")])
def test_video_inspection_result_decides_the_renewal(result, status):
    case = reviewed(1, 0)
    data = {"inspection_result": result}
    if result == "fail":
        data["findings"] = "整改后执业药师仍不在岗 Pharmacist still absent after rectification"
    case.complete("video_inspection", data)
    assert case.completed
    assert case.variables["licence_status"] == status


def test_incomplete_records_are_filled_in_again():
    case = DiagramRun(PACK, "r13_pharmacy_licence_renewal", START)
    case.complete("fill_records", RECORDS)
    case.complete("pre_review", {"pre_review": "redo", "redo_points": ["购进验收记录照片不清晰"]})
    assert case.ready == ["fill_records"]
    case.complete("fill_records", RECORDS)
    assert case.ready == ["pre_review"]
    assert case.path.count("fill_records") == 2


def test_records_form_needs_all_eight_categories():
    case = DiagramRun(PACK, "r13_pharmacy_licence_renewal", START)
    partial = {k: v for k, v in RECORDS.items() if k != "adverse_reaction_monitoring"}
    with pytest.raises(AssertionError) as err:
        case.complete("fill_records", partial)
    assert "'adverse_reaction_monitoring' is a required property" in str(err.value)
    assert case.ready == ["fill_records"]
