"""Connectors by id. `register` at app start (AppConfig.ready); tests swap the whole set with
`using({...})`. `call` bounds every call by the connector's timeout."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from onewindow.workflow.connectors.base import (
    Connector,
    ConnectorError,
    ConnectorRequest,
    RetryableError,
    TerminalError,
)

_REGISTRY: dict[str, Connector] = {}
_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="connector")


def register(connector: Connector) -> None:
    _REGISTRY[connector.id] = connector


def get(connector_id: str) -> Connector | None:
    return _REGISTRY.get(connector_id)


def ids() -> list[str]:
    return sorted(_REGISTRY)


@contextmanager
def using(connectors: Mapping[str, Connector] | list[Connector]) -> Iterator[None]:
    """Replace the registry for the duration of a block (tests)."""
    global _REGISTRY
    saved = _REGISTRY
    items = connectors.values() if isinstance(connectors, Mapping) else connectors
    _REGISTRY = {c.id: c for c in items}
    try:
        yield
    finally:
        _REGISTRY = saved


def call(request: ConnectorRequest) -> Any:
    """Call the connector named by the request within its timeout. Raises RetryableError or
    TerminalError; an unknown id is terminal."""
    connector = get(request.connector_id)
    if connector is None:
        raise TerminalError(
            "connector.unknown", f"no connector is registered as '{request.connector_id}'"
        )
    future = _POOL.submit(connector.call, request)
    try:
        return future.result(timeout=connector.timeout_seconds)
    except concurrent.futures.TimeoutError as exc:
        future.cancel()
        raise RetryableError(
            "connector.timeout",
            f"'{connector.id}' did not answer within {connector.timeout_seconds:g} s",
        ) from exc
    except ConnectorError:
        raise
    except Exception as exc:
        raise TerminalError("connector.failed", f"{type(exc).__name__}: {exc}") from exc
