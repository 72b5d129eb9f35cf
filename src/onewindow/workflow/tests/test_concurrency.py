"""Two people complete the same task at the same moment: exactly one completion, and a clear
`workflow.task_conflict` for the other; two due-timer scans at once fire a timer once.

Threads with their own database connections, on committed data. On PostgreSQL the instance
row lock (SELECT ... FOR UPDATE) serialises them. On SQLite, BEGIN IMMEDIATE with a busy
timeout does — but Django's shared-cache in-memory test database answers "table is locked"
at once instead of waiting, so for SQLite the committed test database is copied to a file
(WAL, as in production) and the same race runs there in a fresh process."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection, connections

from onewindow.core.errors import DomainError
from onewindow.ledger import triggers
from onewindow.ledger.models import LedgerEntry
from onewindow.testing import build_world
from onewindow.workflow import services
from onewindow.workflow.connectors import registry
from onewindow.workflow.models import DueTimer, TaskItem
from onewindow.workflow.tests.conftest import PACK, RegisterLookup


@pytest.fixture
def no_ledger_triggers(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Django's flush after a transactional test DELETEs rows, which the ledger's append-only
    triggers refuse; drop them for the test (set up before, torn down after the flush)."""
    with django_db_blocker.unblock():
        triggers.uninstall(connection)
    yield
    with django_db_blocker.unblock():
        triggers.install(connection)


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; results or the exceptions raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        except BaseException as exc:  # collected for the assertions
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def loaded(no_ledger_triggers: Any, transactional_db: Any) -> Any:
    world = build_world()
    with registry.using([RegisterLookup()]):
        services.load_pack_processes(pack_dir=PACK, actor="test", reason="test pack")
    return world


RACE_SCRIPT = """
import json, os, sys, threading
import django
django.setup()
from django.db import connection, connections
from onewindow.accounts.models import User
from onewindow.core.errors import DomainError
from onewindow.ledger import triggers
from onewindow.workflow import services
item_id, user_id = int(sys.argv[1]), int(sys.argv[2])
barrier, results = threading.Barrier(2), []
def worker(amount):
    try:
        barrier.wait()
        done = services.complete_task(item_id=item_id, actor=User.objects.get(pk=user_id),
            reason="same moment", data={"action": "approve", "amount": amount})
        results.append(["ok", done.variables["total"]])
    except DomainError as exc:
        results.append([exc.code, None])
    except Exception as exc:
        results.append([type(exc).__name__ + ": " + str(exc), None])
    finally:
        connections.close_all()
threads = [threading.Thread(target=worker, args=(n,)) for n in (1, 2)]
[t.start() for t in threads]
[t.join() for t in threads]
print(json.dumps(sorted(results, key=str)))
"""


def _race_on_a_sqlite_file(tmp_path: Path, item_id: int, user_id: int) -> list[Any]:
    raw = connection.connection
    target = sqlite3.connect(tmp_path / "onewindow.sqlite3")
    raw.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    env = {
        **os.environ,
        "ONEWINDOW_HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "onewindow.conf.settings",
        "JOB_BACKEND": "immediate",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", RACE_SCRIPT, str(item_id), str(user_id)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_same_task_completed_twice_at_once_yields_one_completion(loaded, tmp_path):
    instance = services.start_process(
        process_id="t_approval",
        actor="test",
        reason="x",
        data={"home_jurisdiction": "420111", "amount": 3},
    )
    item = TaskItem.objects.get(instance=instance)

    def complete(amount: int) -> Callable[[], Any]:
        return lambda: services.complete_task(
            item_id=item.pk,
            actor=loaded.approver_hongshan,
            reason="同意",
            data={"action": "approve", "amount": amount},
        )

    if connection.vendor == "sqlite":
        outcomes = _race_on_a_sqlite_file(tmp_path, item.pk, loaded.approver_hongshan.pk)
        assert [o[0] for o in outcomes] == ["ok", "workflow.task_conflict"], outcomes
        with sqlite3.connect(tmp_path / "onewindow.sqlite3") as db:
            rows = db.execute(
                "SELECT count(*) FROM ledger_ledgerentry WHERE subject = ? AND event = ?",
                (f"process:{instance.pk}", "task_completed"),
            ).fetchone()
        assert rows == (1,)
        return
    results = race(complete(1), complete(2))
    done = [r for r in results if not isinstance(r, BaseException)]
    failed = [r for r in results if isinstance(r, BaseException)]
    assert len(done) == 1 and len(failed) == 1, results
    assert isinstance(failed[0], DomainError), failed[0]
    assert failed[0].code == "workflow.task_conflict"
    instance.refresh_from_db()
    assert (instance.status, instance.version) == ("completed", 2)
    assert instance.variables["total"] == done[0].variables["total"]
    completions = LedgerEntry.objects.filter(
        subject=f"process:{instance.pk}", event="task_completed"
    )
    assert completions.count() == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="the in-memory test database cannot make a writer wait"
)
def test_two_scans_at_once_fire_a_timer_once(loaded):
    t0 = dt.datetime(2026, 9, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with time_machine.travel(t0, tick=False):
        instance = services.start_process(
            process_id="t_event_gateway", actor="test", reason="x", data={"case_no": "WH1"}
        )
    due = DueTimer.objects.get(instance=instance).due_at
    with time_machine.travel(due + dt.timedelta(seconds=2), tick=False):
        reports = race(services.fire_due_timers, services.fire_due_timers)
    assert not any(isinstance(r, BaseException) for r in reports), reports
    assert sorted(r.fired for r in reports) == [0, 1]
    fired = LedgerEntry.objects.filter(subject=f"process:{instance.pk}", event="timer_fired")
    assert fired.count() == 1
