"""Ledger test fixtures: a temporary key directory, witnesses, and a trigger-bypassing tamper."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from onewindow.ledger import conf, keys, services, triggers
from onewindow.ledger.models import Witness


@pytest.fixture
def key_dir(tmp_path: Path, settings: Any) -> Path:
    """An empty key directory with the platform (log) key in it."""
    settings.KEY_DIR = str(tmp_path / "keys")
    keys.generate_key(conf.origin())
    return tmp_path / "keys"


def add_witness(code: str, name: str) -> Witness:
    keys.generate_key(name)
    return services.register_witness(
        department_code=code,
        name=name,
        display_name=f"{code} witness",
        public_key=keys.load_verifier(name).public_key,
        actor="user:admin",
        reason="department joins co-signing",
    )


@pytest.fixture
def witnesses(key_dir: Path, db: None) -> dict[str, Witness]:
    """Two departments of reform 6: real-estate registration and the power company."""
    return {
        "HB-ZRZY": add_witness("HB-ZRZY", "zrzy.yichang.example/witness"),
        "HB-POWER": add_witness("HB-POWER", "power.yichang.example/witness"),
    }


def append(n: int, *, subject: str = "case:WH20261203000001", **extra: Any) -> list[Any]:
    entries = []
    with transaction.atomic():
        for i in range(n):
            entries.append(
                services.append_entry(
                    actor="user:7",
                    event="case_step_recorded",
                    subject=subject,
                    reason=f"step {i}",
                    payload={"step": i},
                    **extra,
                )
            )
    return entries


def tamper(sql: str, params: list[Any] | None = None) -> None:
    """Change a row the way an attacker with DDL rights would: drop the triggers first."""
    triggers.uninstall(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
    triggers.install(connection)


@pytest.fixture
def without_ledger_triggers(django_db_blocker: Any) -> Iterator[None]:
    """For transactional tests: Django's flush (DELETE on SQLite) would hit the triggers.

    Request it before `transactional_db`, so its teardown runs after the flush.
    """
    with django_db_blocker.unblock():
        triggers.uninstall(connection)
    yield
    with django_db_blocker.unblock():
        triggers.install(connection)
