"""Workflow engine: completed process instances per second, and p50/p99 latency, for an
8-step automatic process run to completion WITH persistence — against raw SpiffWorkflow
running the same diagram in memory in the same run (the overhead ratio).

    python bench/workflow_engine.py            # 3,000 instances per database
    python bench/workflow_engine.py --quick    # 300 instances

The diagram (below): score (script) → exclusive gateway → band (script, one of two) →
merge → parallel split → tax ∥ seal (scripts) → join: eight steps between start and end.

Each database runs in a child process; the three peers run in alternating blocks of the
same size (load from other work falls on all alike):
* `onewindow` — `workflow.services.start_process`: one committed transaction per instance,
  which runs the engine with the sandboxed script engine, stores the instance with its
  engine state (JSON) and its variables, and appends a ledger entry. SQLite (a temporary
  file, WAL, as embedded) and PostgreSQL (database `onewindow_bench`, when 127.0.0.1:5432
  answers);
* `engine_only` — the same engine and sandbox, no database (what persistence adds);
* `raw_spiff` — SpiffWorkflow 3.2 with its default (eval-based) script engine, in memory;
* `commit_only` — one committed one-row UPDATE: the database's floor per transaction.
The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/onewindow_bench"

DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="bench"
    targetNamespace="https://onewindow.example/bench">
  <bpmn:process id="bench_eight_steps" name="Eight automatic steps" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:scriptTask id="score" scriptFormat="python">
      <bpmn:script>score = capital * 2</bpmn:script></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="size" default="to_small" />
    <bpmn:scriptTask id="large" scriptFormat="python">
      <bpmn:script>band = "large"</bpmn:script></bpmn:scriptTask>
    <bpmn:scriptTask id="small" scriptFormat="python">
      <bpmn:script>band = "small"</bpmn:script></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="merge" />
    <bpmn:parallelGateway id="fork" />
    <bpmn:scriptTask id="tax" scriptFormat="python">
      <bpmn:script>tax = score + 1</bpmn:script></bpmn:scriptTask>
    <bpmn:scriptTask id="seal" scriptFormat="python">
      <bpmn:script>seal = True</bpmn:script></bpmn:scriptTask>
    <bpmn:parallelGateway id="join" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="score" />
    <bpmn:sequenceFlow id="f2" sourceRef="score" targetRef="size" />
    <bpmn:sequenceFlow id="to_large" sourceRef="size" targetRef="large">
      <bpmn:conditionExpression>score &gt; 100</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="to_small" sourceRef="size" targetRef="small" />
    <bpmn:sequenceFlow id="f3" sourceRef="large" targetRef="merge" />
    <bpmn:sequenceFlow id="f4" sourceRef="small" targetRef="merge" />
    <bpmn:sequenceFlow id="f5" sourceRef="merge" targetRef="fork" />
    <bpmn:sequenceFlow id="f6" sourceRef="fork" targetRef="tax" />
    <bpmn:sequenceFlow id="f7" sourceRef="fork" targetRef="seal" />
    <bpmn:sequenceFlow id="f8" sourceRef="tax" targetRef="join" />
    <bpmn:sequenceFlow id="f9" sourceRef="seal" targetRef="join" />
    <bpmn:sequenceFlow id="f10" sourceRef="join" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def _figures(latencies: list[float], wall: float) -> dict[str, Any]:
    ordered = sorted(latencies)
    return {
        "instances": len(latencies),
        "per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 3),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 3),
    }


def _timed(run: Any, n: int) -> list[float]:
    latencies = []
    for i in range(n):
        t = time.perf_counter()
        run(i)
        latencies.append(time.perf_counter() - t)
    return latencies


def _interleaved(runners: dict[str, Any], n: int, rounds: int = 10) -> dict[str, Any]:
    """Run the peers in alternating blocks, so that load from other work on the machine falls
    on all of them alike; figures per peer over all its blocks."""
    latencies: dict[str, list[float]] = {name: [] for name in runners}
    walls: dict[str, float] = dict.fromkeys(runners, 0.0)
    block = max(1, n // rounds)
    for _ in range(rounds):
        for name, run in runners.items():
            started = time.perf_counter()
            latencies[name] += _timed(run, block)
            walls[name] += time.perf_counter() - started
    return {name: _figures(latencies[name], walls[name]) for name in runners}


def raw_spiff() -> Any:
    """SpiffWorkflow as shipped: its own parser and eval-based script engine, in memory."""
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

    parser = SpiffBpmnParser()
    parser.add_bpmn_str(DIAGRAM.encode())
    spec = parser.get_spec("bench_eight_steps")

    def run(i: int) -> None:
        workflow = BpmnWorkflow(spec)
        workflow.task_tree.data["capital"] = i
        workflow.do_engine_steps()
        assert workflow.completed

    return run


def _django(engine: str, jobs: str = "immediate") -> None:
    home = tempfile.mkdtemp(prefix="workflow_bench_")
    os.environ["ONEWINDOW_HOME"] = home
    os.environ["JOB_BACKEND"] = jobs
    os.environ.pop("DATABASE_URL", None)
    if engine == "postgresql":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS onewindow_bench")
            admin.execute("CREATE DATABASE onewindow_bench")
        os.environ["DATABASE_URL"] = PG_BENCH
    sys.path.insert(0, str(REPO / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "onewindow.conf.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    pack = Path(home) / "bench_pack"
    (pack / "processes").mkdir(parents=True)
    (pack / "pack.yaml").write_text("id: bench\nversion: '1'\ntitle_zh: 基准\ntitle_en: bench\n")
    (pack / "processes" / "eight.bpmn").write_text(DIAGRAM)
    from onewindow.workflow import services

    services.load_pack_processes(pack_dir=pack, actor="bench", reason="benchmark")


def engine_only() -> Any:
    """The platform's engine (parser, sandbox, state dump) without a database."""
    from onewindow.workflow import engine
    from onewindow.workflow.engine import serializer
    from onewindow.workflow.engine.runtime import Run

    parsed = engine.parse_files({"eight.bpmn": DIAGRAM}, "bench_eight_steps")

    def run(i: int) -> None:
        workflow = engine.new_workflow(parsed, {"capital": i}, Run(decision_lookup=parsed.decision))
        engine.run_steps(workflow)
        serializer.dump(workflow)
        assert workflow.completed

    return run


def onewindow(engine_name: str, n: int, queue: Any) -> None:
    try:
        _django(engine_name)
        from django.db import connection

        from onewindow.workflow import services
        from onewindow.workflow.models import ProcessInstance

        def persisted(i: int) -> None:
            instance = services.start_process(
                process_id="bench_eight_steps",
                actor="bench",
                reason="benchmark",
                subject=f"bench:{i}",
                data={"capital": i},
            )
            assert instance.status == "completed"

        from django.db import transaction

        from onewindow.workflow.models import ProcessDefinition

        def commit_only(i: int) -> None:
            with transaction.atomic():
                ProcessDefinition.objects.filter(process_id="bench_eight_steps").update(
                    is_current=True
                )

        runners = {
            "onewindow": persisted,
            "engine_only": engine_only(),
            "raw_spiff": raw_spiff(),
            "commit_only": commit_only,
        }
        _interleaved(runners, min(n, 300), rounds=3)  # warm-up: caches, first queries
        figures = _interleaved(runners, n)
        figures["onewindow"]["state_bytes"] = len(
            ProcessInstance.objects.order_by("-pk").first().state
        )
        figures["onewindow"]["database"] = connection.vendor
        queue.put(figures)
    except Exception as error:  # reported in the JSON, not hidden
        queue.put({"error": f"{type(error).__name__}: {error}"})


def _child(engine_name: str, n: int) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=onewindow, args=(engine_name, n, queue))
    process.start()
    result = queue.get(timeout=1800)
    process.join()
    return result


def _postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:
        return False


TIMER_DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="timers"
    targetNamespace="https://onewindow.example/bench">
  <bpmn:process id="bench_timer" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:intermediateCatchEvent id="wait">
      <bpmn:timerEventDefinition>
        <bpmn:timeDuration>"PT" + str(delay) + "S"</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


def _worker(home: str) -> Any:
    import subprocess

    env = {**os.environ, "ONEWINDOW_HOME": home, "JOB_BACKEND": "sqlite"}
    env.pop("DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "onewindow.cli", "worker"],
        env=env,
        cwd=str(REPO),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def timers(queue: Any, quick: bool) -> None:
    """Real huey worker on the embedded store: timers due while it runs (precise wake-ups),
    while it is killed (fired when it is back), and after it is back with every scheduled
    wake-up lost (only the 15-second due-timer scan can fire them)."""
    try:
        import datetime as dt
        import signal

        _django("sqlite", jobs="sqlite")
        home = os.environ["ONEWINDOW_HOME"]
        pack = Path(home) / "bench_pack"
        (pack / "processes" / "timer.bpmn").write_text(TIMER_DIAGRAM)
        from django.db.models import Count
        from django.utils import timezone
        from huey.contrib.djhuey import HUEY

        from onewindow.ledger.models import LedgerEntry
        from onewindow.workflow import services
        from onewindow.workflow.models import DueTimer, ProcessInstance

        services.load_pack_processes(pack_dir=pack, actor="bench", reason="benchmark")
        scale = 0.5 if quick else 1.0
        groups = {
            "up": [3 + i for i in range(0, int(18 * scale))],
            "outage": [32 + i for i in range(0, int(12 * scale))],
            "lost": [62 + i for i in range(0, int(24 * scale))],
        }
        started = timezone.now()
        worker = _worker(home)
        ids: dict[str, list[int]] = {}
        for name, delays in groups.items():
            ids[name] = [
                services.start_process(
                    process_id="bench_timer", actor="bench", reason="timer", data={"delay": d}
                ).pk
                for d in delays
            ]
        time.sleep(max(0.0, 26 - (timezone.now() - started).total_seconds()))
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        lost = HUEY.storage.schedule_size()
        HUEY.storage.flush_schedule()  # every pending wake-up is lost with the worker
        time.sleep(max(0.0, 50 - (timezone.now() - started).total_seconds()))
        restarted = timezone.now()
        worker = _worker(home)
        deadline = time.monotonic() + 200
        while time.monotonic() < deadline:
            if not DueTimer.objects.filter(fired_at__isnull=True).exists():
                break
            time.sleep(1)
        worker.terminate()
        worker.wait(timeout=30)
        result: dict[str, Any] = {
            "restarted_after_s": round((restarted - started).total_seconds(), 1),
            "wake_ups_flushed": lost,
        }
        for name, pks in ids.items():
            rows = DueTimer.objects.filter(instance_id__in=pks)
            late = [
                (r.fired_at - (restarted if name == "outage" else r.due_at)).total_seconds()
                for r in rows
                if r.fired_at is not None
            ]
            result[name] = {
                "timers": len(pks),
                "fired": len(late),
                "max_s": round(max(late), 2) if late else None,
                "p50_s": round(statistics.median(late), 2) if late else None,
            }
        fired = (
            LedgerEntry.objects.filter(event="timer_fired")
            .values("subject")
            .annotate(n=Count("sequence"))
        )
        result["fired_twice"] = sum(1 for f in fired if f["n"] > 1)
        result["completed"] = ProcessInstance.objects.filter(status="completed").count()
        result["note"] = (
            "up: due while the worker runs (lateness after due); outage: due while it was "
            "killed (delay after its restart); lost: due after the restart with every "
            "scheduled wake-up flushed (lateness after due, only the periodic scan)"
        )
        del dt
        queue.put(result)
    except Exception as error:
        queue.put({"error": f"{type(error).__name__}: {error}"})


def _ratios(figures: dict[str, Any]) -> dict[str, Any]:
    ours, raw = figures.get("onewindow"), figures.get("raw_spiff")
    if ours and raw:
        figures["overhead_vs_raw_spiff"] = {
            "mean": round(ours["mean_ms"] / raw["mean_ms"], 2),
            "p50": round(ours["p50_ms"] / raw["p50_ms"], 2),
        }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--timers", action="store_true", help="measure timer lateness instead")
    args = parser.parse_args()
    if args.timers:
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        process = context.Process(target=timers, args=(queue, args.quick))
        process.start()
        lateness = queue.get(timeout=900)
        process.join()
        print(json.dumps({"benchmark": "workflow_timers", **lateness}, ensure_ascii=False))
        return
    n = 300 if args.quick else 3000
    result: dict[str, Any] = {
        "benchmark": "workflow_engine",
        "process": "8 automatic steps (scripts, exclusive + parallel gateways)",
        "instances_per_peer": n,
        "sqlite": _ratios(_child("sqlite", n)),
    }
    if not args.no_postgres and _postgres_reachable():
        result["postgresql"] = _ratios(_child("postgresql", n))
    for name in ("sqlite", "postgresql"):
        figures = result.get(name) or {}
        if "onewindow" in figures:
            ours = figures["onewindow"]
            print(
                f"{name}: {ours['per_second']} instances/s persisted "
                f"(p50 {ours['p50_ms']} ms, p99 {ours['p99_ms']} ms); "
                f"raw SpiffWorkflow {figures['raw_spiff']['per_second']}/s; "
                f"overhead x{figures['overhead_vs_raw_spiff']['mean']} (mean), "
                f"x{figures['overhead_vs_raw_spiff']['p50']} (p50)"
            )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
