"""Subject types whose current rows `ledger verify --rows` compares with the ledger.

An app registers, for a subject type such as ``"case"``: how to rebuild the snapshot it
passed as `state=` to `append_entry` (None if the row is gone), how to list the ids of all
current rows, and how to name a row's location (e.g. ``"cases_case pk=7 number=WH..."``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SubjectType:
    type: str
    snapshot: Callable[[str], Mapping[str, Any] | None]
    iter_ids: Callable[[], Iterable[str]]
    location: Callable[[str], str]


_REGISTRY: dict[str, SubjectType] = {}


def register_subject(
    type: str,
    snapshot: Callable[[str], Mapping[str, Any] | None],
    iter_ids: Callable[[], Iterable[str]],
    location: Callable[[str], str],
) -> None:
    """Register (or replace) how to check rows of subject `type` against the ledger."""
    _REGISTRY[type] = SubjectType(type, snapshot, iter_ids, location)


def unregister_subject(type: str) -> None:
    _REGISTRY.pop(type, None)


def subject_types() -> list[SubjectType]:
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]
