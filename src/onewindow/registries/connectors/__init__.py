"""Connector registry: one seam per source, one folder per source, one module per
implementation (`local` reads the tables an administrator loaded; `http` calls the owning
department's service). Tests swap an implementation with `use(source, connector)`.

Public: `get_connector(source)`, `use(source, connector)`, `register(cls)`,
`configured(source) -> ConnectorSettings`, `reset()`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.conf import settings

from onewindow.core.errors import ValidationFailed
from onewindow.registries.connectors.base import Connector, ConnectorSettings

C = TypeVar("C", bound=type[Connector])
_CLASSES: dict[tuple[str, str], type[Connector]] = {}
_ACTIVE: dict[str, Connector] = {}


def register(cls: C) -> C:
    _CLASSES[(cls.source, cls.implementation)] = cls
    return cls


def _configuration() -> dict[str, Any]:
    configured = getattr(settings, "REGISTRY_CONNECTORS", None)
    if configured is None:
        raw = os.environ.get("ONEWINDOW_REGISTRY_CONNECTORS", "")
        configured = json.loads(raw) if raw else {}
    return dict(configured)


def configured(source: str) -> ConnectorSettings:
    options = _configuration().get(source, {})
    return ConnectorSettings(**options)


def _load_implementations() -> None:
    # Importing the source packages registers their implementations.
    from onewindow.registries.connectors import (  # noqa: F401
        business_scope,
        credit,
        enterprise_names,
        hosted_addresses,
        housing,
        identity,
        market_entities,
        restrictions,
    )


def get_connector(source: str) -> Connector:
    connector = _ACTIVE.get(source)
    if connector is None:
        _load_implementations()
        options = configured(source)
        cls = _CLASSES.get((source, options.implementation))
        if cls is None:
            raise ValidationFailed(
                "registry.unknown_connector",
                f"数据源 {source} 没有 {options.implementation} 实现",
                f"No {options.implementation} implementation for source {source}",
                details={"source": source, "implementation": options.implementation},
            )
        connector = _ACTIVE[source] = cls(options)
    return connector


@contextmanager
def use(source: str, connector: Connector) -> Iterator[Connector]:
    """Use `connector` for `source` inside the block (tests, or a one-off job)."""
    previous = _ACTIVE.get(source)
    _ACTIVE[source] = connector
    try:
        yield connector
    finally:
        if previous is None:
            _ACTIVE.pop(source, None)
        else:
            _ACTIVE[source] = previous


def reset() -> None:
    """Forget chosen implementations (after a settings change)."""
    for connector in _ACTIVE.values():
        connector.close()
    _ACTIVE.clear()
