"""P5 — case creation with outbox rows: `cases.services.submit_case` and
`notifications.services.enqueue_event` for 4 subscribed departments (seal-making, tax,
social security, bank), in ONE transaction per case, on a fresh SQLite WAL database.

Peers in the same run: `submit_case` alone (no outbox), and `enqueue_event` alone (one
transaction per event: the outbox's own capacity). Each case carries the five PDF
materials of the reform 1 establishment item (written to disk like real uploads). Nothing
is delivered during the run (the worker is not started); every wake-up is queued in huey's
SQLite store as in production.

    python bench/outbox_p5.py [--quick] [--cases N]

The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def figures(latencies: list[float], seconds: float) -> dict[str, float]:
    return {
        "cases": len(latencies),
        "cases_per_second": round(len(latencies) / seconds, 1),
        "p50_ms": round(percentile(latencies, 0.5) * 1e3, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1e3, 2),
        "mean_ms": round(statistics.fmean(latencies) * 1e3, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--cases", type=int)
    args = parser.parse_args()
    count = args.cases or (150 if args.quick else 1000)
    home = tempfile.mkdtemp(prefix="ow-bench-p5-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        ONEWINDOW_HOME=home, JOB_BACKEND="sqlite", DJANGO_SETTINGS_MODULE="onewindow.conf.settings"
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from onewindow.cases.services import submit_case
    from onewindow.catalog.selectors import item_by_code
    from onewindow.notifications import services as outbox
    from onewindow.notifications.models import Delivery, OutboxEvent
    from onewindow.testing import HONGSHAN_ADDRESS, VALID_FORM, build_world, establishment_materials

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    world = build_world()
    for department in ("police", "tax", "hrss", "bank"):
        outbox.create_subscription(
            department_code=department,
            name=f"{department} intake",
            url="http://127.0.0.1:9/",
            event_types=["case.*"],
            actor="system:bench",
            reason="P5 benchmark",
        )
    item = item_by_code("company-establishment")

    def submit() -> object:
        return submit_case(
            actor=world.clerk_jianghan,
            reason="窗口帮办收件",
            item=item,
            applicant=world.applicant,
            form_data=dict(VALID_FORM),
            registered_address=HONGSHAN_ADDRESS,
            materials=establishment_materials(),
            delivery_method="window",
            intake_centre=world.jianghan,
        )

    def with_outbox() -> object:
        with transaction.atomic():
            case = submit()
            outbox.enqueue_event(
                event_type="case.submitted",
                subject=f"case:{case.number}",  # type: ignore[attr-defined]
                payload={"case": case.number, "item": "company-establishment"},  # type: ignore[attr-defined]
                actor=f"user:{world.clerk_jianghan.pk}",
                reason="窗口帮办收件",
            )
        return case

    counter = iter(range(10**9))

    def outbox_alone() -> object:
        with transaction.atomic():
            return outbox.enqueue_event(
                event_type="case.submitted",
                subject=f"case:P5-{next(counter)}",
                payload={"case": "P5", "item": "company-establishment"},
                actor=f"user:{world.clerk_jianghan.pk}",
                reason="窗口帮办收件",
            )

    results = {}
    runs = (
        ("submit_case_alone", submit),
        ("submit_case_with_outbox", with_outbox),
        ("enqueue_event_alone", outbox_alone),
    )
    for label, run in runs:
        for _ in range(10):
            run()  # warm-up
        latencies = []
        started = time.perf_counter()
        for _ in range(count):
            t0 = time.perf_counter()
            run()
            latencies.append(time.perf_counter() - t0)
        results[label] = figures(latencies, time.perf_counter() - started)
    events, deliveries = OutboxEvent.objects.count(), Delivery.objects.count()
    ours = results["submit_case_with_outbox"]
    result = {
        "benchmark": "P5 case creation with outbox rows",
        "database": f"SQLite (journal_mode={journal}) at {home}",
        "subscriptions": 4,
        "ours": ours,
        "peers": {
            "submit_case_alone": results["submit_case_alone"],
            "enqueue_event_alone": results["enqueue_event_alone"],
        },
        "outbox_rows": {"events": events, "deliveries": deliveries},
        "goal": ">= 100 cases/s (published anchor ~25/s)",
        "goal_met": ours["cases_per_second"] >= 100,
    }
    print(
        f"{ours['cases_per_second']} cases/s with outbox rows, "
        f"{results['submit_case_alone']['cases_per_second']} without",
        file=sys.stderr,
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
