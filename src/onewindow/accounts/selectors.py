"""Reads about people and centres."""

from __future__ import annotations

from django.db.models import QuerySet

from onewindow.accounts.models import Applicant, ServiceCentre, User
from onewindow.accounts.policies import EMPTY_SCOPE, Scope, scope_from


def staff_scope(user: User | None) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_onewindow_scope", None)
    if cached is not None:
        return cached
    scope = scope_from(user.assignments.values_list("centre_id", "role", "jurisdiction_code"))
    user._onewindow_scope = scope  # type: ignore[attr-defined]
    return scope


def centres() -> QuerySet[ServiceCentre]:
    return ServiceCentre.objects.order_by("position", "code")


def centre_by_code(code: str) -> ServiceCentre | None:
    return ServiceCentre.objects.filter(code=code).first()


def applicants_of(user: User) -> QuerySet[Applicant]:
    return Applicant.objects.filter(owner=user).order_by("name")


def find_applicant(*, resident_id: str = "", uscc: str = "") -> Applicant | None:
    if resident_id:
        return Applicant.objects.filter(resident_id=resident_id.upper()).first()
    if uscc:
        return Applicant.objects.filter(uscc=uscc.upper()).first()
    return None
