"""Reads of cases, shaped for lists (bounded query counts) and for one case's page."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from onewindow.accounts.models import User
from onewindow.accounts.policies import centres_with_roles
from onewindow.accounts.selectors import staff_scope
from onewindow.cases import policies, process
from onewindow.cases.constants import CaseStatus
from onewindow.cases.models import Case, CaseEvent, Material
from onewindow.cases.snapshots import facts_of
from onewindow.core.errors import NotFound

LIST_RELATED = ("service_item", "applicant", "intake_centre")


def applicant_cases(user: User) -> QuerySet[Case]:
    return (
        Case.objects.filter(applicant__owner=user)
        .select_related(*LIST_RELATED)
        .order_by("-submitted_at", "-pk")
    )


def staff_inbox(
    user: User, *, status: str | None = None, to_decide: bool = False, centre_id: int | None = None
) -> QuerySet[Case]:
    """Cases taken in at the user's centres or belonging to the user's jurisdictions."""
    scope = staff_scope(user)
    if not scope.is_staff:
        return Case.objects.none()
    intake = centres_with_roles(scope, policies.INTAKE_VIEW_ROLES)
    centres = intake if centre_id is None else intake & {centre_id}
    visible = Q(intake_centre_id__in=centres) | Q(
        home_jurisdiction__in=policies.viewable_jurisdictions(scope)
    )
    cases = Case.objects.filter(visible)
    if to_decide:
        cases = cases.filter(
            home_jurisdiction__in=scope.jurisdictions("approver"),
            status__in=[CaseStatus.SUBMITTED, CaseStatus.ACCEPTED],
        )
    if status:
        cases = cases.filter(status=status)
    return cases.select_related(*LIST_RELATED).order_by("-submitted_at", "-pk")


def case_for(user: User, number: str) -> Case:
    """The case if this user may see it; otherwise not found (no existence leak)."""
    case = (
        Case.objects.select_related(*LIST_RELATED, "applicant__owner", "decided_by")
        .filter(number=number)
        .first()
    )
    if case is None or not policies.can(
        user.pk if user.is_authenticated else None, staff_scope(user), facts_of(case), policies.VIEW
    ):
        raise NotFound("case.not_found", f"未找到办件 {number}", f"No case {number}")
    return case


def timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("created_at", "pk")


def current_materials(case: Case) -> QuerySet[Material]:
    return case.materials.filter(superseded=False).select_related("material_type")


def allowed_transitions(user: User, case: Case) -> list[str]:
    """What this user may do now: the steps the case's process offers, filtered by who may
    do them (`policies.can`)."""
    offered = process.offered_actions(case)
    scope, facts = staff_scope(user), facts_of(case)
    return [
        name
        for name in policies.TRANSITIONS
        if name in offered and policies.can(user.pk, scope, facts, policies.ACTION_OF[name])
    ]
