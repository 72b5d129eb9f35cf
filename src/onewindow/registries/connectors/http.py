"""Shared JSON-over-HTTP client of the `http` implementations: base URL, bearer credentials,
timeout, and the mapping of failures onto retryable and terminal errors."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from onewindow.registries.connectors.base import (
    Connector,
    ConnectorSettings,
    SourceRejected,
    SourceUnavailable,
)

USER_AGENT = "OneWindow-Registries/1"


def path_part(value: str) -> str:
    return quote(value, safe="")


class HttpConnector(Connector):
    implementation = "http"

    def __init__(self, settings: ConnectorSettings) -> None:
        super().__init__(settings)
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if settings.credentials:
            headers["Authorization"] = f"Bearer {settings.credentials}"
        self.client = httpx.Client(
            base_url=settings.base_url.rstrip("/"),
            headers=headers,
            timeout=httpx.Timeout(settings.timeout),
        )

    def close(self) -> None:
        self.client.close()

    def _unavailable(self, problem: str) -> SourceUnavailable:
        return SourceUnavailable(
            "registry.unavailable",
            f"数据源暂时无法访问（{self.source}），请稍后重试",
            f"The {self.source} source is unavailable: {problem}",
            details={"source": self.source, "problem": problem},
        )

    def request(self, method: str, path: str, **kwargs: Any) -> Any | None:
        """The decoded JSON answer, or None for 404."""
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise self._unavailable(f"timeout after {self.settings.timeout}s") from exc
        except httpx.HTTPError as exc:
            raise self._unavailable(type(exc).__name__) from exc
        if response.status_code == 404:
            return None
        if response.status_code >= 500 or response.status_code == 429:
            raise self._unavailable(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            raise SourceRejected(
                "registry.rejected",
                f"数据源拒绝了查询（{self.source}，HTTP {response.status_code}）",
                f"The {self.source} source refused the query: HTTP {response.status_code}",
                details={"source": self.source, "status": response.status_code},
            )
        try:
            return response.json()
        except ValueError as exc:
            raise SourceRejected(
                "registry.bad_answer",
                f"数据源返回了无法解析的结果（{self.source}）",
                f"The {self.source} source answered with invalid JSON",
                details={"source": self.source},
            ) from exc
