"""Reliability: the worker (a real `run_huey` subprocess) is killed with SIGKILL while a
delivery is in flight — after the department applied the event, before the worker recorded
the answer. A new worker sends it again; the department, which honours the idempotency key
(`webhook-id`), applies every event exactly once and each subject in order.

Runs against a scratch database of its own (SQLite file, or a PostgreSQL database created
for the test), since worker subprocesses cannot see the test runner's database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings

from onewindow.notifications.tests.receiver import Receiver

EVENTS, SUBJECTS, HELD = 12, 3, 5


def _python(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env |= {
        "ONEWINDOW_HOME": str(tmp_path),
        "JOB_BACKEND": "sqlite",
        "ONEWINDOW_OUTBOX_LEASE_MARGIN_SECONDS": "1",
        "ONEWINDOW_OUTBOX_FIRST_RETRY_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    database = settings.DATABASES["default"]
    name = ""
    if database["ENGINE"].endswith("postgresql"):
        name = f"ow_crash_{uuid.uuid4().hex[:10]}"
        server = f"postgresql://{database['USER']}@{database['HOST']}:{database['PORT']}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{server}/{name}"
    else:
        env.pop("DATABASE_URL", None)
    _python(env, "-m", "onewindow.cli", "migrate", "-v0")
    yield env
    if name:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The workers' own output, shown when the test fails (a loaded CI machine is slow to start one).
LOG = Path(tempfile.gettempdir()) / f"onewindow-worker-crash-{os.getpid()}.log"


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "onewindow.cli", "run_huey", "-w", "1", "-m", "0.5", "-s", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=LOG.open("ab"),
        start_new_session=True,
    )


def kill(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def wait_for(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_killed_worker_loses_nothing_and_nothing_is_applied_twice(scratch):
    receiver = Receiver()
    in_flight, release = threading.Event(), threading.Event()
    held: list[str] = []

    def hold_the_fifth(event_id: str) -> None:
        if len(receiver.applied) == HELD and not in_flight.is_set():
            held.append(event_id)
            in_flight.set()  # applied by the department; the answer is not sent yet
            release.wait(30)

    receiver.after_apply = hold_the_fifth
    workers = []
    try:
        plan = json.loads(
            _python(
                scratch,
                "-m",
                "onewindow.notifications.tests.scenario",
                "setup",
                receiver.url,
                str(EVENTS),
                str(SUBJECTS),
            )
        )
        receiver.secret = plan["secret"]
        workers.append(start_worker(scratch))
        assert in_flight.wait(180), (
            "the worker never delivered the fifth event:\n"
            + LOG.read_text(errors="replace")[-3000:]
        )
        kill(workers[0])  # SIGKILL mid-delivery: no answer recorded
        release.set()
        workers.append(start_worker(scratch))
        wait_for(
            lambda: receiver.duplicates >= 1 and len(receiver.applied) == EVENTS,
            90,
            "every event, and the held one sent again",
        )

        reports: list[dict[str, Any]] = []

        def finished() -> bool:
            reports.append(
                json.loads(
                    _python(scratch, "-m", "onewindow.notifications.tests.scenario", "report")
                )
            )
            return all(d["status"] == "delivered" for d in reports[-1]["deliveries"])

        wait_for(finished, 30, "the worker to record every delivery")
        report = reports[-1]
    finally:
        for worker in workers:
            kill(worker)
        release.set()
        receiver.close()
    sent = [tuple(e) for e in plan["events"]]
    assert set(receiver.applied) == {event_id for _, event_id in sent}  # nothing lost
    assert len(receiver.order) == EVENTS  # nothing applied twice
    assert receiver.duplicates == 1  # the held event came again, and was acknowledged only
    for subject in {s for s, _ in sent}:
        assert [e for s, e in receiver.order if s == subject] == [
            e for s, e in sent if s == subject
        ]
    attempts = {d["event_id"]: d["attempts"] for d in report["deliveries"]}
    assert attempts[held[0]] == ["interrupted", "succeeded"]
    assert all(a == ["succeeded"] for e, a in attempts.items() if e != held[0])
