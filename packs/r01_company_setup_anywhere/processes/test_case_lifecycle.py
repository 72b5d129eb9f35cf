"""Unit test of case_lifecycle.bpmn: given inputs, the path taken and the case status set at
each step (the engine state is saved and restored between steps)."""

from __future__ import annotations

from pathlib import Path

import pytest

from onewindow.workflow.testing import DiagramRun

PACK = Path(__file__).resolve().parents[1]
START = {
    "case_number": "WH20261203000001",
    "item": "company-establishment",
    "home_jurisdiction": "420111",
    "intake_centre": "wh-jianghan",
    "applicant_user": 7,
    "delivery_method": "post",
    "case_status": "submitted",
}
OPENING = ["start", "submitted_merge", "set_submitted", "review", "review_outcome"]
CLOSING = ["decided_merge", "delivery_method_split"]


def run(**changes: object) -> DiagramRun:
    return DiagramRun(PACK, "r01_case_lifecycle", {**START, **changes})


def test_accept_approve_post():
    case = run()
    assert (case.ready, case.variables["case_status"]) == (["review"], "submitted")
    case.complete("review", {"action": "accept"})
    assert (case.ready, case.variables["case_status"]) == (["decide"], "accepted")
    case.complete("decide", {"action": "approve"})
    assert (case.ready, case.variables["case_status"]) == (["deliver_post"], "approved")
    case.complete("deliver_post", {"action": "deliver", "tracking_number": "EA123456785CN"})
    assert case.completed
    assert case.variables["case_status"] == "closed"
    assert case.path == [
        *OPENING,
        "set_accepted",
        "decide",
        "decide_outcome",
        "set_approved",
        *CLOSING,
        "deliver_post",
        "delivered_merge",
        "set_closed",
        "end",
    ]
    assert len(case.states) == 4  # saved and restored after the start and each step


def test_return_twice_then_reject_and_collect_at_window():
    case = run(delivery_method="window")
    case.complete("review", {"action": "return", "correction_points": ["章程缺页"]})
    assert (case.ready, case.variables["case_status"]) == (["correct"], "returned")
    case.complete("correct", {"action": "resubmit", "materials": ["articles-of-association"]})
    assert (case.ready, case.variables["case_status"]) == (["review"], "submitted")
    case.complete("review", {"action": "accept"})
    case.complete("decide", {"action": "return", "correction_points": ["经营范围表述不规范"]})
    assert (case.ready, case.variables["case_status"]) == (["correct"], "returned")
    case.complete("correct", {"action": "resubmit", "form_changed": True})
    case.complete("review", {"action": "reject"})
    assert (case.ready, case.variables["case_status"]) == (["deliver_window"], "rejected")
    case.complete("deliver_window", {"action": "deliver"})
    assert case.completed
    assert case.path.count("review") == 3
    assert case.path.count("correct") == 2
    assert case.path[-9:] == [
        "review_outcome",
        "rejected_merge",
        "set_rejected",
        *CLOSING,
        "deliver_window",
        "delivered_merge",
        "set_closed",
        "end",
    ]


def test_reject_after_acceptance_goes_to_delivery():
    case = run()
    case.complete("review", {"action": "accept"})
    case.complete("decide", {"action": "reject"})
    assert (case.ready, case.variables["case_status"]) == (["deliver_post"], "rejected")


@pytest.mark.parametrize(
    ("step_data", "problem"),
    [
        ({"action": "approve"}, "'approve' is not one of"),
        ({"action": "return"}, "'correction_points' is a required property"),
        ({"action": "return", "correction_points": []}, "should be non-empty"),
        ({}, "'action' is a required property"),
    ],
)
def test_review_form_refuses_bad_data(step_data, problem):
    case = run()
    with pytest.raises(AssertionError) as err:
        case.complete("review", step_data)
    assert problem in str(err.value)
    assert case.ready == ["review"]
