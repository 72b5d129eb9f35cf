"""Pure rules of the workflow engine: who may work on an inbox item, how a lane names a role,
the retry backoff, and the working-day due time of a timer. No ORM here."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from onewindow.accounts.constants import StaffRole
from onewindow.accounts.policies import Scope
from onewindow.core.calendar.policy import WorkingDayCalendar
from onewindow.workflow.constants import APPLICANT_ROLE, ROUTINGS

CHINA = ZoneInfo("Asia/Shanghai")
KNOWN_ROLES = frozenset({*StaffRole.values, APPLICANT_ROLE})
MAX_BACKOFF_SECONDS = 3600.0
_LANE_ROLE = re.compile(r"[(（]\s*([a-z_]+)\s*[)）]\s*$")


def split_list(text: str | None) -> list[str]:
    """`"a, b ,c"` -> `["a", "b", "c"]`; empty or None -> []."""
    return [part.strip() for part in re.split(r"[,，]", text or "") if part.strip()]


def role_of_lane(lane: str | None) -> str | None:
    """A lane names its role as its whole name (`approver`) or at its end in brackets
    (`住所地审批人员 (approver)`). Returns None when it names none."""
    if not lane:
        return None
    text = lane.strip()
    if text in KNOWN_ROLES:
        return text
    match = _LANE_ROLE.search(text)
    return match.group(1) if match else None


def task_role(lane: str | None, role_property: str | None) -> str:
    """The task's own `role` property wins over its lane; "" means any staff role."""
    return (role_property or "").strip() or role_of_lane(lane) or ""


def task_routings(routing_property: str | None, role: str) -> list[str]:
    """Declared routings, or the default: applicant tasks go to the applicant and the intake
    centre, staff tasks to the home jurisdiction."""
    declared = split_list(routing_property)
    if declared:
        return declared
    return ["applicant", "intake"] if role == APPLICANT_ROLE else ["home"]


def unknown_routings(routings: Iterable[str]) -> list[str]:
    return [r for r in routings if r not in ROUTINGS]


@dataclass(frozen=True)
class ItemFacts:
    """What the rules need to know about an inbox item."""

    role: str
    jurisdiction_code: str
    centre_id: int | None
    applicant_user_id: int | None
    assignee_id: int | None


def may_work_on(user_id: int | None, scope: Scope, facts: ItemFacts) -> bool:
    """Staff holding the role in the item's jurisdiction, any staff of its centre, or the
    applicant it is routed to."""
    if user_id is None:
        return False
    if facts.applicant_user_id is not None and facts.applicant_user_id == user_id:
        return True
    if facts.centre_id is not None and facts.centre_id in scope.centre_ids:
        return True
    if not facts.jurisdiction_code or facts.role == APPLICANT_ROLE:
        return False
    return facts.jurisdiction_code in scope.jurisdictions(facts.role or None)


def claimed_by_other(user_id: int | None, facts: ItemFacts) -> bool:
    return facts.assignee_id is not None and facts.assignee_id != user_id


def backoff_seconds(base: float, attempt: int, cap: float = MAX_BACKOFF_SECONDS) -> float:
    """Delay before attempt `attempt + 1`: base, 2·base, 4·base, ... capped."""
    return float(min(cap, base * (2 ** max(0, attempt - 1))))


def working_days_due(
    calendar: WorkingDayCalendar, now: dt.datetime, days: int, start: dt.date | None = None
) -> dt.datetime:
    """The end (24:00, China time) of the `days`-th working day after `start` (default: the
    local date of `now`); the start day itself is not counted (期间开始之日不计入)."""
    first = start or now.astimezone(CHINA).date()
    last = calendar.add_working_days(first, days)
    return dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0, 0), tzinfo=CHINA)
