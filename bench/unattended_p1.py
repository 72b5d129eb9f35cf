"""P1 — unattended approval end to end (reform 3): submit → all checks → DMN decision → company
registered, licence issued, outbox rows for four departments; with N generated market entities
loaded (`onewindow registries generate_demo --entities N`; default 1,000,000, --quick 20,000).

Each application is `onewindow.registries.unattended.apply_unattended` (one transaction: the
idempotency key, identity + restrictions + name + scope + address checks through the
registries' seam with their exchange-log rows, the pack's BPMN process running DMN table
r03_registration_decision, USCC issuing, the signed licence, `entity.registered` with four
deliveries, ledger entries). Trade names are random three-character names, so a few collide
with generated names and are refused (counted); latency figures cover every decision.

Peer in the same run: ``checks_only`` — the five checks alone, no decision or writes.

    python bench/unattended_p1.py [--quick] [--entities N] [--applications K]

SQLite (WAL) in a fresh temporary ONEWINDOW_HOME. The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
# Trade-name characters (not region names or industry words); three-character names from 60.
RARE = (
    "澜珩琮瑾璟翊骁晟煜珂玥琨峤岚璞钰炜瀚曦骐懿嵘铂垚淼焱犇"
    "桦楠枫槿柘芃茗荟蔚萱蓁芷苒菁蕴旻昀晔暄曜昱晞熠烨"
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def figures(latencies: list[float], seconds: float) -> dict[str, float]:
    return {
        "count": len(latencies),
        "p50_ms": round(percentile(latencies, 0.5) * 1e3, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1e3, 2),
        "mean_ms": round(statistics.fmean(latencies) * 1e3, 2),
        "per_s": round(len(latencies) / seconds, 1),
    }


def setup(entities: int) -> dict[str, object]:
    home = tempfile.mkdtemp(prefix="ow-bench-p1-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        ONEWINDOW_HOME=home, JOB_BACKEND="sqlite", DJANGO_SETTINGS_MODULE="onewindow.conf.settings"
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from onewindow.accounts import services as account_services
    from onewindow.certificates import services as certificate_services
    from onewindow.notifications import services as outbox
    from onewindow.registries.loaders import load_file
    from onewindow.registries.names import lookup
    from onewindow.registries.names.vocabulary import DATA_DIR

    settings.KEY_DIR = str(Path(home) / "keys")
    call_command("migrate", verbosity=0)
    account_services.load_reference_data()
    load_file(
        kind="business_scope",
        path=DATA_DIR / "scope_catalogue.csv",
        actor="system:bench",
        reason="P1 benchmark",
    )
    for purpose in ("certificate", "list"):
        certificate_services.create_signing_key(
            department_code="samr", actor="system:bench", reason="P1", purpose=purpose
        )
    for department in ("police", "tax", "hrss", "bank"):
        outbox.create_subscription(
            department_code=department,
            name=f"{department} 新设企业",
            url="http://127.0.0.1:9/",
            event_types=["entity.*"],
            actor="system:bench",
            reason="P1 benchmark",
        )
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:  # the progress bar
        call_command("registries", "generate_demo", "--entities", str(entities), stderr=quiet)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    lookup.get_index()
    return {
        "home": home,
        "generate_s": round(generated, 1),
        "index_build_s": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--entities", type=int)
    parser.add_argument("--applications", type=int)
    args = parser.parse_args()
    entities = args.entities or (20_000 if args.quick else 1_000_000)
    count = args.applications or (200 if args.quick else 1000)
    prepared = setup(entities)

    from onewindow.accounts.models import User
    from onewindow.notifications.models import Delivery, OutboxEvent
    from onewindow.registries import unattended
    from onewindow.registries.exchange import QueryContext
    from onewindow.registries.models import MarketEntity, PropertyRecord, VerifiedIdentity
    from onewindow.registries.photos import dhash
    from onewindow.registries.policies import normalise_address
    from onewindow.registries.tests.factories import photo
    from onewindow.workflow.models import TaskItem

    rep_id, address, certificate = (
        "420602199203150012",
        "湖北省襄阳市樊城区长虹北路8号",
        "鄂(2024)襄阳市不动产权第0031415号",
    )
    VerifiedIdentity.objects.create(
        resident_id=rep_id, name="王建国", photo_hash=dhash(photo(1)), verified_on="2026-01-05"
    )
    PropertyRecord.objects.create(
        certificate_number=certificate,
        address=address,
        address_key=normalise_address(address),
        owner_name="王建国",
        owner_identifier=rep_id,
        use="office",
        area_m2=120,
    )
    user = User.objects.create_user(username="bench-applicant", password="x")
    scan = photo(1, size=240, fmt="JPEG", quality=70)
    rng = random.Random(3)
    base = {
        "representative_name": "王建国",
        "representative_id": rep_id,
        "industry_wording": "信息技术",
        "registered_capital_wan": 100,
        "business_scope": ["软件开发", "信息技术咨询服务"],
        "address": address,
        "premises_type": "owned",
        "certificate_number": certificate,
        "investors": [{"name": "王建国", "resident_id": rep_id}],
    }
    used: set[str] = set()

    def form() -> dict[str, object]:
        while True:
            trade = "".join(rng.sample(RARE, 3))
            if trade not in used:
                used.add(trade)
                return {**base, "trade_name": trade}

    def decide(n: int) -> dict[str, object]:
        return unattended.apply_unattended(
            applicant_user=user,
            form=form(),
            identity_document=scan,
            delivery={"method": "kiosk"},
            idempotency_key=f"p1-{n}",
        )

    context = QueryContext(requester="system:bench", purpose="P1", legal_basis="bench")

    def checks_only(n: int) -> object:
        data = form()
        name = f"襄阳{data['trade_name']}信息技术有限公司"
        return unattended._run_checks(data, name, scan, context)

    for n in range(10):
        decide(-1 - n)  # warm-up (imports the pack's process, compiles the table)
    entities_before = MarketEntity.objects.count()
    results: dict[str, dict[str, float]] = {}
    outcomes: dict[str, int] = {}
    for label, run in (("checks_only", checks_only), ("unattended_p1", decide)):
        latencies = []
        started = time.perf_counter()
        for n in range(count):
            t0 = time.perf_counter()
            answer = run(n)
            latencies.append(time.perf_counter() - t0)
            if label == "unattended_p1":
                outcome = str(answer["outcome"])  # type: ignore[index]
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
        results[label] = figures(latencies, time.perf_counter() - started)
    ours = results["unattended_p1"]
    result = {
        "benchmark": "P1 unattended approval end to end",
        "database": "sqlite",
        "entities": entities,
        "generate_s": prepared["generate_s"],
        "index_build_s": prepared["index_build_s"],
        "applications": count,
        "outcomes": outcomes,
        "registered": MarketEntity.objects.count() - entities_before,
        "outbox_events": OutboxEvent.objects.filter(event_type="entity.registered").count(),
        "deliveries": Delivery.objects.count(),
        "human_steps": TaskItem.objects.count(),
        "p50_ms": ours["p50_ms"],
        "p99_ms": ours["p99_ms"],
        "decisions_per_s": ours["per_s"],
        "goal": {"p99_ms": 50, "decisions_per_s": 100},
        "anchor": "about 2 s machine review (Guangzhou)",
        "peers": results,
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
