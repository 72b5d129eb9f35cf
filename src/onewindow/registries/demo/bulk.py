"""Fast inserts for generated rows: one `executemany` of plain tuples per table, values
adapted by the backend's own date and datetime adapters (the ORM's per-field compilation
cost more than the database at a million rows)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: list[tuple[Any, ...]]
) -> int:
    """INSERT `rows` (tuples in the order of `fields`, model field names) into `model`."""
    if not rows:
        return 0
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    columns = [str(f.column) for f in model_fields]  # type: ignore[union-attr]
    ops = connection.ops
    adapters = {}
    for position, field in enumerate(model_fields):
        if isinstance(field, models.DateTimeField):
            adapters[position] = ops.adapt_datetimefield_value
        elif isinstance(field, models.DateField):
            adapters[position] = ops.adapt_datefield_value
    if adapters:
        rows = [_adapted(row, adapters) for row in rows]
    quote = ops.quote_name
    # Table and column names come from the model, never from input.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def _adapted(row: tuple[Any, ...], adapters: dict[int, Any]) -> tuple[Any, ...]:
    values = list(row)
    for position, adapt in adapters.items():
        if values[position] is not None:
            values[position] = adapt(values[position])
    return tuple(values)
