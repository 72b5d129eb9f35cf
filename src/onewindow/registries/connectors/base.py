"""The connector seam: settings, errors and the base class every implementation extends.

An implementation is chosen per source by `REGISTRY_CONNECTORS` (Django setting, or the
environment variable ``ONEWINDOW_REGISTRY_CONNECTORS`` holding the same JSON), e.g.::

    {"housing": {"implementation": "http", "base_url": "https://zjj.example/api",
                 "credentials": "token…", "timeout": 3, "department_code": "housing"}}

Sources not named use the local implementation (tables loaded by an administrator).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from onewindow.core.errors import DomainError


class ConnectorError(DomainError):
    """A source did not answer usefully. `retryable` tells a workflow whether to retry."""

    retryable = False


class SourceUnavailable(ConnectorError):
    """Timeout, connection failure or 5xx: try again later."""

    status = 503
    retryable = True


class SourceRejected(ConnectorError):
    """The source refused the query (bad credentials, malformed request): do not retry."""

    status = 502


@dataclass(frozen=True)
class ConnectorSettings:
    implementation: str = "local"
    base_url: str = ""
    credentials: str = ""  # bearer token sent as `Authorization: Bearer …`
    timeout: float = 5.0  # seconds, for connect and read
    department_code: str = ""  # the department that owns the data (exchange log)


# The departments owning each source's data, unless settings say otherwise.
DEFAULT_DEPARTMENTS = {
    "market_entities": "samr",
    "enterprise_names": "samr",
    "business_scope": "samr",
    "hosted_addresses": "samr",
    "housing": "housing",
    "restrictions": "credit",
    "credit": "credit",
    "identity": "police",
}


class Connector:
    """Base of every implementation; subclasses set `source` and `implementation`."""

    source: ClassVar[str] = ""
    implementation: ClassVar[str] = ""

    def __init__(self, settings: ConnectorSettings) -> None:
        self.settings = settings

    @property
    def department_code(self) -> str:
        return self.settings.department_code or DEFAULT_DEPARTMENTS.get(self.source, "")

    def close(self) -> None:
        """Release connections (HTTP implementations keep a client)."""


def from_mapping(cls: type[Any], data: Mapping[str, Any]) -> Any:
    """A record dataclass from a JSON object, ignoring unknown fields (sources add some)."""
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})
