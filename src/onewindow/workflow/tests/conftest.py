"""Fixtures of the workflow tests: the engine test pack (tests/packs/t00_engine), connectors
that answer like a remote register (succeeding, failing for a while, refusing), and the
pack imported into the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from onewindow.workflow.connectors import registry
from onewindow.workflow.connectors.base import (
    Connector,
    ConnectorRequest,
    RetryableError,
    TerminalError,
)

PACK = Path(__file__).resolve().parent / "packs" / "t00_engine"


class RegisterLookup(Connector):
    """Answers like a company register; `failures` retryable errors first, then answers.
    A USCC starting with "X" is refused for good."""

    id = "test.lookup"
    max_attempts = 3
    backoff_seconds = 10.0

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.requests: list[ConnectorRequest] = []

    def call(self, request: ConnectorRequest) -> Any:
        self.requests.append(request)
        if str(request.parameters.get("uscc", "")).startswith("X"):
            raise TerminalError("register.refused", "the register refuses this code")
        if self.failures > 0:
            self.failures -= 1
            raise RetryableError("register.unavailable", "register answered HTTP 503")
        return {"registered": True, "uscc": request.parameters["uscc"]}


@pytest.fixture
def lookup():
    connector = RegisterLookup()
    with registry.using([connector]):
        yield connector


@pytest.fixture
def engine_pack() -> Path:
    return PACK


@pytest.fixture
def imported(world, lookup):
    """The reference world plus the engine test pack's processes imported."""
    from onewindow.workflow import services

    services.load_pack_processes(pack_dir=PACK, actor="test", reason="test pack")
    return world
