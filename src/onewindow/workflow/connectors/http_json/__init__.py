"""`HttpJsonConnector`: POST the step's parameters as JSON to a department's endpoint.

Not registered by default — a deployment registers one instance per endpoint, e.g.
`register(HttpJsonConnector("tax.register", "https://tax.example/api/register"))`.
HTTP 5xx, 429, timeouts and connection errors are retryable; other 4xx are terminal; the
answer must be JSON. Connectors run outside the request's database connection, so they
never touch the platform's database."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from onewindow.workflow.connectors.base import (
    Connector,
    ConnectorRequest,
    RetryableError,
    TerminalError,
)


class HttpJsonConnector(Connector):
    title = "HTTP JSON 接口 HTTP JSON endpoint"

    def __init__(
        self,
        connector_id: str,
        url: str,
        *,
        timeout_seconds: float = 10.0,
        headers: dict[str, str] | None = None,
        max_attempts: int = 5,
        backoff_seconds: float = 30.0,
    ) -> None:
        self.id = connector_id  # type: ignore[misc]
        self.url = url
        self.timeout_seconds = timeout_seconds  # type: ignore[misc]
        self.max_attempts = max_attempts  # type: ignore[misc]
        self.backoff_seconds = backoff_seconds  # type: ignore[misc]
        self.headers = dict(headers or {})

    def call(self, request: ConnectorRequest) -> Any:
        headers = {
            **self.headers,
            "X-OneWindow-Purpose": quote(request.purpose[:200]),
            "X-OneWindow-Subject": quote(request.subject),
        }
        try:
            response = httpx.post(
                self.url,
                json=dict(request.parameters),
                headers=headers,
                timeout=self.timeout_seconds,
            )
        except httpx.TimeoutException as exc:
            raise RetryableError("connector.timeout", f"{self.url}: {exc}") from exc
        except httpx.TransportError as exc:
            raise RetryableError("connector.unreachable", f"{self.url}: {exc}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise RetryableError(
                "connector.unavailable", f"{self.url}: HTTP {response.status_code}"
            )
        if response.status_code >= 400:
            raise TerminalError(
                "connector.refused",
                f"{self.url}: HTTP {response.status_code} {response.text[:200]}",
            )
        try:
            return response.json()
        except ValueError as exc:
            raise TerminalError("connector.bad_answer", f"{self.url}: not JSON") from exc
