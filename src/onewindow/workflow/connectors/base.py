"""The connector seam: what a service task calls. One subclass per integration, in its own
folder (`connectors/<name>/`), registered by id in `registry`.

A connector gets a `ConnectorRequest` (parameters evaluated from the diagram, the purpose of
the call, the instance subject) and returns JSON-compatible data, or raises:

* `RetryableError` — worth trying again later (timeouts, 5xx, connection refused): the step
  waits and is retried with exponential backoff, up to `max_attempts`;
* `TerminalError` — retrying cannot help (refused, malformed request): an incident is
  opened for a supervisor, who can retry the step after fixing the cause.

Any other exception is treated as terminal. Every call is bounded by `timeout_seconds`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class ConnectorRequest:
    connector_id: str
    parameters: Mapping[str, Any]
    purpose: str
    subject: str = ""
    step: str = ""
    attempt: int = 1
    extra: Mapping[str, Any] = field(default_factory=dict)


class ConnectorError(Exception):
    """Base of the two errors a connector may raise; `code` is a stable dotted code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class RetryableError(ConnectorError):
    pass


class TerminalError(ConnectorError):
    pass


class Connector(ABC):
    id: ClassVar[str]
    title: ClassVar[str] = ""
    timeout_seconds: ClassVar[float] = 10.0
    max_attempts: ClassVar[int] = 5
    backoff_seconds: ClassVar[float] = 30.0
    """Delay before the second attempt; each later one doubles (capped at one hour)."""

    @abstractmethod
    def call(self, request: ConnectorRequest) -> Any:
        """Do the call within `timeout_seconds`; return JSON-compatible data."""
