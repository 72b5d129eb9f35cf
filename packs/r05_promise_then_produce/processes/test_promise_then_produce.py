"""Unit test of promise_then_produce.bpmn: given the firm's credit facts and documents, the
path taken (commit and get both results at once, keep or miss the deadline; or documents
first with both reviews in parallel). The engine state is saved and restored between steps;
the calendar (working days) needs the database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine

from onewindow.core.calendar import load_holiday_schedules
from onewindow.workflow.testing import DiagramRun

PACK = Path(__file__).resolve().parents[1]
CHINA = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 9, 28, 10, 0, tzinfo=CHINA)  # Monday before the National Day break
ALL = [
    "scope-change-application",
    "device-filing-form",
    "product-technical-requirements",
    "product-inspection-report",
    "production-site-proof",
    "quality-system-documents",
]
START = {
    "reference": "YC-R05-0001",
    "firm_uscc": "91420500MA4F0K0X1D",
    "firm_name": "宜昌安康医疗用品有限公司",
    "submitted_documents": ALL[:2],
    "applicant_user": 7,
    "home_jurisdiction": "420500",
    "credit_grade": "A",
    "restricted": False,
    "broken_commitments": 0,
}
OPENING = ["start", "list_missing", "rate_credit", "route"]
GRANTED = ["commit", "record_commitment", "grant_fork"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def calendar():
    load_holiday_schedules()


def run(**changes: object) -> DiagramRun:
    with time_machine.travel(T0, tick=False):
        return DiagramRun(PACK, "r05_promise_then_produce", {**START, **changes})


def test_good_credit_commits_and_gets_both_results_at_once():
    case = run()
    assert case.ready == ["commit"]
    assert case.variables["missing_documents"] == ALL[2:]
    assert case.variables["eligible"] is True
    with time_machine.travel(T0, tick=False):
        case.complete("commit", {"commit": True, "signatory": "张敏"})
    assert case.ready == ["supply_documents"]
    values = case.variables
    assert (values["scope_change"], values["filing_status"]) == ("approved", "filed")
    assert (values["committed_on"], values["commitment_deadline"]) == ("2026-09-28", "2026-10-30")
    # 20 working days after Monday 28 September: 29-30 September, 8-10 October (1-7 off,
    # Saturday 10 October worked), then 12-30 October.
    assert case.due_timers() == [dt.datetime(2026, 10, 31, 0, 0, tzinfo=CHINA)]
    assert case.path[: len(OPENING) + 3] == [*OPENING, *GRANTED]
    assert set(case.path[len(OPENING) + 3 :]) == {
        "grant_scope",
        "grant_filing",
        "grant_join",
        "supply_merge",
    }


def test_supplying_in_two_goes_before_the_deadline_keeps_the_commitment():
    case = run()
    with time_machine.travel(T0, tick=False):
        case.complete("commit", {"commit": True, "signatory": "张敏"})
    with time_machine.travel(T0 + dt.timedelta(days=3), tick=False):
        case.complete("supply_documents", {"documents": ALL[2:4]})
        assert case.ready == ["supply_documents"]
        assert case.variables["outstanding"] == ALL[4:]
        # The deadline does not move when the firm supplies part of the documents.
        assert case.due_timers() == [dt.datetime(2026, 10, 31, 0, 0, tzinfo=CHINA)]
        case.complete("supply_documents", {"documents": ALL[4:]})
    assert case.completed
    assert case.variables["commitment_status"] == "fulfilled"
    assert case.variables["filing_status"] == "filed"
    assert case.path[-4:] == ["check_supplied", "all_supplied", "fulfil", "end_fulfilled"]


def test_missed_deadline_revokes_the_filing():
    case = run()
    with time_machine.travel(T0, tick=False):
        case.complete("commit", {"commit": True, "signatory": "张敏"})
    with time_machine.travel(dt.datetime(2026, 10, 30, 23, 59, tzinfo=CHINA), tick=False):
        case.fire_timers()
        assert case.ready == ["supply_documents"]  # the last day is still open
    with time_machine.travel(dt.datetime(2026, 10, 31, 0, 0, 1, tzinfo=CHINA), tick=False):
        case.fire_timers()
    assert case.completed
    assert (case.variables["filing_status"], case.variables["commitment_status"]) == (
        "revoked",
        "revoked",
    )
    assert case.path[-3:] == ["deadline_missed", "revoke_filing", "end_revoked"]
    assert "supply_documents" not in case.path


@pytest.mark.parametrize(
    ("facts", "basis"),
    [
        ({"credit_grade": "C"}, "无信用等级或为 C/D 级 No rating, or grade C or D"),
        ({"credit_grade": None}, "无信用等级或为 C/D 级 No rating, or grade C or D"),
        ({"restricted": True}, "列入限制名单 On a restriction list"),
        (
            {"broken_commitments": 1},
            "三年内有逾期未履行的承诺 A commitment broken within three years",
        ),
    ],
)
def test_without_good_credit_documents_come_first_then_both_reviews_in_parallel(facts, basis):
    case = run(**facts)
    assert (case.variables["eligible"], case.variables["eligibility_basis"]) == (False, basis)
    assert case.ready == ["supply_all"]
    case.complete("supply_all", {"documents": ALL[2:5]})
    assert case.ready == ["supply_all"]  # quality-system documents still missing
    case.complete("supply_all", {"documents": ["quality-system-documents"]})
    assert sorted(case.ready) == ["review_filing", "review_scope"]
    case.complete("review_filing", {"filing_decision": "approve"})
    assert case.ready == ["review_scope"]
    case.complete("review_scope", {"scope_decision": "approve"})
    assert case.completed
    assert (case.variables["scope_change"], case.variables["filing_status"]) == (
        "approved",
        "filed",
    )
    assert "commit" not in case.path
    assert case.path[-3:] == ["review_join", "record_reviews", "end_normal"]


def test_good_credit_with_nothing_missing_goes_straight_to_the_reviews():
    case = run(submitted_documents=ALL)
    assert sorted(case.ready) == ["review_filing", "review_scope"]
    case.complete("review_scope", {"scope_decision": "reject", "scope_note": "范围表述不规范"})
    case.complete("review_filing", {"filing_decision": "approve"})
    assert (case.variables["scope_change"], case.variables["filing_status"]) == (
        "rejected",
        "filed",
    )


def test_commit_form_requires_the_promise():
    case = run()
    with pytest.raises(AssertionError) as err:
        case.complete("commit", {"commit": False, "signatory": "张敏"})
    assert "True was expected" in str(err.value)
    assert case.ready == ["commit"]
