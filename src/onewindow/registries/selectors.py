"""Reads of the registries app: entities, the exchange log (who may see which records),
load jobs, scope entries."""

from __future__ import annotations

from django.db.models import QuerySet

from onewindow.accounts.models import User
from onewindow.accounts.selectors import staff_scope
from onewindow.registries.models import ExchangeRecord, LoadJob, MarketEntity, ScopeEntry


def entity_by_uscc(code: str) -> MarketEntity | None:
    return MarketEntity.objects.filter(uscc=code).first()


def departments_of(user: User) -> set[str]:
    return set(user.assignments.exclude(department=None).values_list("department__code", flat=True))


def is_administrator(user: User) -> bool:
    return bool(user.is_superuser or staff_scope(user).is_administrator)


def exchanges_for(
    user: User, *, source: str = "", subject: str = "", reference: str = ""
) -> QuerySet[ExchangeRecord]:
    """All records for an administrator; for other staff, the records of the sources their
    departments own; nothing for anyone else."""
    rows = ExchangeRecord.objects.all()
    if not is_administrator(user):
        rows = rows.filter(source_department__in=departments_of(user))
    if source:
        rows = rows.filter(source=source)
    if subject:
        rows = rows.filter(subject=subject)
    if reference:
        rows = rows.filter(reference=reference)
    return rows.order_by("-queried_at", "-pk")


def load_job(pk: int) -> LoadJob | None:
    return LoadJob.objects.filter(pk=pk).first()


def scope_entries(query: str = "") -> QuerySet[ScopeEntry]:
    rows = ScopeEntry.objects.filter(is_active=True)
    if query:
        rows = rows.filter(wording__contains=query)
    return rows.order_by("code")
