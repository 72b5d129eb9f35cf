"""What `ledger verify --rows` compares for process instances (subject `process:<id>`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from onewindow.workflow.models import ProcessInstance
from onewindow.workflow.runner import instance_snapshot


def snapshot_by_id(instance_id: str) -> dict[str, Any] | None:
    if not instance_id.isdigit():
        return None
    instance = (
        ProcessInstance.objects.select_related("definition").filter(pk=int(instance_id)).first()
    )
    return instance_snapshot(instance) if instance is not None else None


def all_ids() -> Iterable[str]:
    return (
        str(pk)
        for pk in ProcessInstance.objects.order_by("pk").values_list("pk", flat=True).iterator()
    )


def location_of(instance_id: str) -> str:
    return f"workflow_processinstance pk={instance_id}"
