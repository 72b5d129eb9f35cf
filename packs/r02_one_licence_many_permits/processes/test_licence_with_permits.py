"""Unit test of licence_with_permits.bpmn: the permits confirmed from the business scope are
approved in parallel (all open at once), the granted ones are tallied for issuing together,
refusals and returns take their paths (the engine state is saved and restored between
steps)."""

from __future__ import annotations

from pathlib import Path

from onewindow.workflow.engine import view
from onewindow.workflow.testing import DiagramRun

PACK = Path(__file__).resolve().parents[1]
START = {
    "case_number": "XY20261203000001",
    "item": "licence-with-permits",
    "home_jurisdiction": "420600",
    "intake_centre": None,
    "applicant_user": 7,
    "delivery_method": "post",
    "case_status": "submitted",
}
PERMITS = [
    {"type_code": t, "scope_code": c, "wording": w, "department_code": "samr"}
    for t, c, w in [
        ("food-trading", "OW-L002", "食品销售；餐饮服务"),
        ("special-equipment", "OW-L016", "特种设备制造"),
        ("metrology", "OW-L019", "法定计量检定服务"),
    ]
]


def accepted(permits: list[dict], **changes: object) -> DiagramRun:
    case = DiagramRun(PACK, "r02_licence_with_permits", {**START, **changes})
    case.complete("review", {"action": "accept"})
    assert (case.ready, case.variables["case_status"]) == (["confirm_permits"], "accepted")
    case.complete("confirm_permits", {"action": "confirm", "permits": permits})
    return case


def open_permits(case: DiagramRun) -> list[str]:
    return [t.data["permit"]["type_code"] for t in view.ready_user_tasks(case.workflow)]


def test_permits_are_approved_in_parallel_then_issued_together():
    case = accepted(PERMITS)
    # every department's approval is open at the same time, each for its own permit
    assert case.ready == ["approve_permit"] * 3
    assert open_permits(case) == ["food-trading", "special-equipment", "metrology"]
    lanes = {t.task_spec.lane for t in view.ready_user_tasks(case.workflow)}
    assert lanes == {"许可审批部门 Permit departments (approver)"}
    for _ in PERMITS:
        case.complete("approve_permit", {"decision": "grant", "opinion": "符合许可条件"})
    assert (case.ready, case.variables["case_status"]) == (["issue"], "accepted")
    assert case.variables["permit_decisions"] == ["grant", "grant", "grant"]
    assert case.variables["granted_permits"] == PERMITS
    assert case.variables["refused_permits"] == []
    case.complete("issue", {"action": "approve"})
    assert (case.ready, case.variables["case_status"]) == (["deliver_post"], "approved")
    case.complete("deliver_post", {"action": "deliver", "tracking_number": "EA123456785CN"})
    assert case.completed and case.variables["case_status"] == "closed"
    # the multi-instance task itself and its three instances
    assert case.path.count("approve_permit") == 4
    assert case.path[-10:] == [
        "tally",
        "issue",
        "issue_outcome",
        "set_approved",
        "decided_merge",
        "delivery_method_split",
        "deliver_post",
        "delivered_merge",
        "set_closed",
        "end",
    ]
    assert len(case.states) == 8  # start, review, confirm, three approvals, issue, deliver


def test_a_refused_permit_is_left_off_the_licence():
    case = accepted(PERMITS)
    case.complete("approve_permit", {"decision": "grant", "opinion": "符合"})
    assert open_permits(case) == ["special-equipment", "metrology"]
    case.complete("approve_permit", {"decision": "refuse", "opinion": "现场核查不符合"})
    case.complete("approve_permit", {"decision": "grant", "opinion": "符合"})
    assert case.ready == ["issue"]
    assert case.variables["permit_decisions"] == ["grant", "refuse", "grant"]
    assert [p["type_code"] for p in case.variables["granted_permits"]] == [
        "food-trading",
        "metrology",
    ]
    assert [p["type_code"] for p in case.variables["refused_permits"]] == ["special-equipment"]


def test_a_scope_without_licensed_entries_goes_straight_to_issuing():
    case = accepted([])
    assert case.ready == ["issue"]
    assert case.variables["granted_permits"] == []
    assert case.path.count("approve_permit") == 1  # the loop itself, no instance


def test_return_for_correction_then_reject_at_issue_collect_at_window():
    case = DiagramRun(PACK, "r02_licence_with_permits", {**START, "delivery_method": "window"})
    case.complete("review", {"action": "return", "correction_points": ["经营场所平面图缺失"]})
    assert (case.ready, case.variables["case_status"]) == (["correct"], "returned")
    case.complete("correct", {"action": "resubmit", "materials": ["site-layout"]})
    assert (case.ready, case.variables["case_status"]) == (["review"], "submitted")
    case.complete("review", {"action": "accept"})
    case.complete("confirm_permits", {"action": "confirm", "permits": PERMITS[:1]})
    case.complete("approve_permit", {"decision": "grant", "opinion": "符合"})
    case.complete("issue", {"action": "reject"})
    assert (case.ready, case.variables["case_status"]) == (["deliver_window"], "rejected")
    case.complete("deliver_window", {"action": "deliver"})
    assert case.completed and case.variables["case_status"] == "closed"
    assert "set_approved" not in case.path


def test_review_reject_skips_the_permits():
    case = DiagramRun(PACK, "r02_licence_with_permits", START)
    case.complete("review", {"action": "reject"})
    assert (case.ready, case.variables["case_status"]) == (["deliver_post"], "rejected")
    assert "confirm_permits" not in case.path and "approve_permit" not in case.path
