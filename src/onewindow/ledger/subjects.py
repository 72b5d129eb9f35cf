"""The ledger's own subject type, ``witness:<key name>``, registered for `verify --rows`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from onewindow.ledger.models import Witness


def witness_snapshot_by_name(name: str) -> dict[str, Any] | None:
    from onewindow.ledger.services import witness_snapshot

    witness = Witness.objects.filter(name=name).first()
    return witness_snapshot(witness) if witness else None


def witness_names() -> Iterable[str]:
    return Witness.objects.order_by("pk").values_list("name", flat=True).iterator()


def witness_location(name: str) -> str:
    pk = Witness.objects.filter(name=name).values_list("pk", flat=True).first()
    return f"ledger_witness pk={pk if pk is not None else '?'} name={name}"
