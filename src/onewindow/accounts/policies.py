"""Pure rules about staff scope: which centres and jurisdictions a set of assignments covers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from onewindow.accounts.constants import StaffRole


@dataclass(frozen=True)
class Scope:
    """What one staff member may see and decide, from their assignments."""

    centre_ids: frozenset[int]
    jurisdictions_by_role: dict[str, frozenset[str]]
    centres_by_role: dict[str, frozenset[int]]
    is_supervisor: bool
    is_administrator: bool

    def jurisdictions(self, role: str | None = None) -> frozenset[str]:
        if role is not None:
            return self.jurisdictions_by_role.get(role, frozenset())
        out: set[str] = set()
        for codes in self.jurisdictions_by_role.values():
            out |= codes
        return frozenset(out)

    @property
    def is_staff(self) -> bool:
        return bool(self.centre_ids)


def scope_from(assignments: Iterable[tuple[int, str, str]]) -> Scope:
    """Build a scope from (centre_id, role, jurisdiction_code) triples."""
    centres: set[int] = set()
    by_role: dict[str, set[str]] = {}
    centres_by_role: dict[str, set[int]] = {}
    for centre_id, role, jurisdiction in assignments:
        centres.add(centre_id)
        by_role.setdefault(role, set()).add(jurisdiction)
        centres_by_role.setdefault(role, set()).add(centre_id)
    return Scope(
        centre_ids=frozenset(centres),
        jurisdictions_by_role={r: frozenset(c) for r, c in by_role.items()},
        centres_by_role={r: frozenset(c) for r, c in centres_by_role.items()},
        is_supervisor=StaffRole.SUPERVISOR in by_role,
        is_administrator=StaffRole.ADMINISTRATOR in by_role,
    )


EMPTY_SCOPE = scope_from(())


def centres_with_roles(scope: Scope, roles: Iterable[str]) -> frozenset[int]:
    out: set[int] = set()
    for role in roles:
        out |= scope.centres_by_role.get(role, frozenset())
    return frozenset(out)
