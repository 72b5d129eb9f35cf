"""Pure rules for cases: who may see and act, which transitions exist, tracking numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from onewindow.accounts.constants import StaffRole
from onewindow.accounts.policies import Scope, centres_with_roles
from onewindow.cases.constants import CaseStatus, DeliveryMethod
from onewindow.core.gazetteer import service_jurisdictions

DECIDE = "decide"  # accept, return for correction, approve, reject
DELIVER = "deliver"
RESUBMIT = "resubmit"
VIEW = "view"

TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({CaseStatus.SUBMITTED}), CaseStatus.ACCEPTED),
    "return": (frozenset({CaseStatus.SUBMITTED, CaseStatus.ACCEPTED}), CaseStatus.RETURNED),
    "resubmit": (frozenset({CaseStatus.RETURNED}), CaseStatus.SUBMITTED),
    "approve": (frozenset({CaseStatus.ACCEPTED}), CaseStatus.APPROVED),
    "reject": (frozenset({CaseStatus.SUBMITTED, CaseStatus.ACCEPTED}), CaseStatus.REJECTED),
    "deliver": (frozenset({CaseStatus.APPROVED, CaseStatus.REJECTED}), CaseStatus.CLOSED),
}
ACTION_OF = {
    "accept": DECIDE,
    "return": DECIDE,
    "approve": DECIDE,
    "reject": DECIDE,
    "resubmit": RESUBMIT,
    "deliver": DELIVER,
}


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know about a case."""

    owner_id: int
    submitted_by_id: int
    intake_centre_id: int | None
    home_jurisdiction: str
    status: str
    delivery_method: str


# Roles that work on the cases their centre takes in (the intake centre sees, never decides).
INTAKE_VIEW_ROLES = (StaffRole.WINDOW_CLERK, StaffRole.HELPER, StaffRole.SUPERVISOR)
# Roles whose city-level jurisdiction covers every district-level jurisdiction of the city.
CITY_WIDE_ROLES = (StaffRole.SUPERVISOR, StaffRole.ADMINISTRATOR)


@lru_cache(maxsize=1)
def _city_members() -> dict[str, frozenset[str]]:
    members: dict[str, set[str]] = {}
    for jurisdiction in service_jurisdictions():
        members.setdefault(jurisdiction.city, set()).add(jurisdiction.code)
    return {city: frozenset(codes) for city, codes in members.items()}


def viewable_jurisdictions(scope: Scope) -> frozenset[str]:
    """Jurisdictions whose cases this staff member may see: their own, and for supervisors
    and administrators at city level, every jurisdiction of the city."""
    codes = set(scope.jurisdictions())
    for role in CITY_WIDE_ROLES:
        for code in scope.jurisdictions(role):
            codes |= _city_members().get(code, frozenset())
    return frozenset(codes)


def is_home_staff(scope: Scope, facts: CaseFacts, role: str | None = None) -> bool:
    if role is not None:
        return facts.home_jurisdiction in scope.jurisdictions(role)
    return facts.home_jurisdiction in viewable_jurisdictions(scope)


def is_intake_staff(scope: Scope, facts: CaseFacts) -> bool:
    return facts.intake_centre_id is not None and facts.intake_centre_id in centres_with_roles(
        scope, INTAKE_VIEW_ROLES
    )


def can(user_id: int | None, scope: Scope, facts: CaseFacts, action: str) -> bool:
    """May this user do `action` (VIEW, DECIDE, DELIVER, RESUBMIT) on the case?"""
    if user_id is None:
        return False
    is_owner = user_id == facts.owner_id
    if action == VIEW:
        return is_owner or is_intake_staff(scope, facts) or is_home_staff(scope, facts)
    if action == DECIDE:
        return is_home_staff(scope, facts, StaffRole.APPROVER)
    if action == DELIVER:
        if is_home_staff(scope, facts):
            return True
        return facts.delivery_method == DeliveryMethod.WINDOW and is_intake_staff(scope, facts)
    if action == RESUBMIT:
        return is_owner or is_intake_staff(scope, facts)
    return False


def allowed_transitions(user_id: int | None, scope: Scope, facts: CaseFacts) -> list[str]:
    return [
        name
        for name, (sources, _target) in TRANSITIONS.items()
        if facts.status in sources and can(user_id, scope, facts, ACTION_OF[name])
    ]


_S10 = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_check_digit(serial: str) -> int:
    """UPU S10 check digit for an 8-digit serial number."""
    remainder = sum(int(d) * w for d, w in zip(serial, _S10_WEIGHTS, strict=True)) % 11
    check = 11 - remainder
    return {10: 0, 11: 5}.get(check, check)


def normalise_tracking_number(value: str) -> str | None:
    """An EMS number: UPU S10 (e.g. EA123456785CN) with a valid check digit, or China Post's
    13-digit domestic EMS number. Returns the normalised number or None when invalid."""
    text = re.sub(r"\s+", "", value or "").upper()
    match = _S10.match(text)
    if match:
        return text if s10_check_digit(match.group(2)) == int(match.group(3)) else None
    if re.fullmatch(r"\d{13}", text):
        return text
    return None


def case_number(prefix: str, day_yyyymmdd: str, serial: int) -> str:
    return f"{prefix}{day_yyyymmdd}{serial:06d}"
