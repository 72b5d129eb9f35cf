"""Outbox fixtures: departments, a receiving server, subscriptions to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from onewindow.accounts import services as account_services
from onewindow.ledger import triggers
from onewindow.notifications import services
from onewindow.notifications.tests.receiver import Receiver

DEPARTMENTS = ("police", "tax", "hrss", "bank")


@pytest.fixture
def without_ledger_triggers(django_db_blocker: Any) -> Iterator[None]:
    """For transactional tests: the flush between tests would hit the ledger's append-only
    triggers (request it before `transactional_db`)."""
    with django_db_blocker.unblock():
        triggers.uninstall(connection)
    yield
    with django_db_blocker.unblock():
        triggers.install(connection)


@pytest.fixture
def departments(db: None) -> None:
    account_services.load_reference_data()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def subscribe(
    receiver: Receiver, department: str = "tax", types: tuple[str, ...] = ("case.*",), **kw
):  # type: ignore[no-untyped-def]
    subscription, secret = services.create_subscription(
        department_code=department,
        name=f"{department} intake",
        url=receiver.url,
        event_types=list(types),
        actor="user:admin",
        reason="部门接入推送 department joins",
        **kw,
    )
    receiver.secret = secret
    return subscription
