"""Writers of market entities and their names: an entity row is upserted by USCC, and its
name kept in the names index (a changed name releases the old one, as a rename does)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from onewindow.registries.constants import EntityStatus, NameStatus
from onewindow.registries.models import EnterpriseName, MarketEntity
from onewindow.registries.names.parse import parse_name


def name_status(entity: MarketEntity) -> tuple[str, dt.datetime | None]:
    if entity.status == EntityStatus.ACTIVE:
        return NameStatus.REGISTERED, None
    changed = entity.status_changed_on or timezone.localdate()
    released = dt.datetime.combine(changed, dt.time(), tzinfo=dt.UTC)
    return NameStatus.RELEASED, released


def _name_row(entity: MarketEntity) -> EnterpriseName:
    from onewindow.registries.services import name_row

    status, released = name_status(entity)
    return name_row(parse_name(entity.name), status=status, entity=entity, released_at=released)


def write_entities(rows: list[dict[str, Any]]) -> int:
    updated = [n for n in rows[0] if n != "uscc"]
    MarketEntity.objects.bulk_create(
        [MarketEntity(**row) for row in rows],
        update_conflicts=True,
        unique_fields=["uscc"],
        update_fields=updated,
    )
    codes = [r["uscc"] for r in rows]
    entities = MarketEntity.objects.filter(uscc__in=codes)
    current: dict[str, EnterpriseName] = {}
    for row in EnterpriseName.objects.filter(entity_id__in=codes).exclude(
        status=NameStatus.RELEASED
    ):
        current[str(row.entity_id)] = row
    new, released = [], []
    for entity in entities:
        existing = current.get(entity.uscc)
        status, released_at = name_status(entity)
        if existing is not None and existing.name == entity.name:
            if existing.status != status:
                existing.status, existing.released_at = status, released_at
                released.append(existing)
            continue
        if existing is not None:
            existing.status, existing.released_at = NameStatus.RELEASED, timezone.now()
            released.append(existing)
        new.append(_name_row(entity))
    EnterpriseName.objects.bulk_update(released, ["status", "released_at"])
    EnterpriseName.objects.bulk_create(new)
    return len(rows)


def write_names(rows: list[dict[str, Any]]) -> int:
    from onewindow.registries.services import name_row

    existing = {
        n.name: n
        for n in EnterpriseName.objects.filter(name__in=[r["name"] for r in rows]).exclude(
            status=NameStatus.RELEASED
        )
    }
    changed, new = [], []
    for row in rows:
        when = {
            "reserved_until": _midnight(row.get("reserved_until")),
            "released_at": _midnight(row.get("released_at")),
        }
        if row["name"] in existing:
            item = existing[row["name"]]
            item.status, item.reserved_until, item.released_at = row["status"], *when.values()
            changed.append(item)
        else:
            new.append(name_row(parse_name(row["name"]), status=row["status"], **when))
    EnterpriseName.objects.bulk_update(changed, ["status", "reserved_until", "released_at"])
    EnterpriseName.objects.bulk_create(new)
    return len(rows)


def _midnight(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) if day else None
