"""P4 — ledger: durable appends/s, inclusion and consistency proofs/s at 1,000,000 entries,
verification time of the whole log; a naive recompute-the-root approach measured in the
same run on the same data as the peer.

    python bench/ledger_p4.py            # 1,000,000 entries, SQLite and PostgreSQL
    python bench/ledger_p4.py --quick    # 20,000 entries, short timings

Each database runs in a child process on a scratch database (a temporary SQLite file in
WAL mode; PostgreSQL database `onewindow_bench` when DATABASE_URL-style access to
127.0.0.1:5432 works). The tree is bulk-built in one transaction (not through append_entry),
then appends are measured through `append_entry`, one committed transaction each, with
SQLite `synchronous=NORMAL` and `FULL` (PostgreSQL: its `synchronous_commit`). The last
line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/onewindow_bench"


def _setup(engine: str) -> str:
    home = tempfile.mkdtemp(prefix="ledger_p4_")
    os.environ["ONEWINDOW_HOME"] = home
    os.environ["ONEWINDOW_KEY_DIR"] = str(Path(home) / "keys")
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

    call_command("migrate", "ledger", verbosity=0)
    return home


def _rows(n: int) -> Any:
    """Entries as append_entry would write them, with leaf hashes and completed nodes."""
    from onewindow.ledger import merkle
    from onewindow.ledger.digest import canonical_digest, state_digest, state_fields
    from onewindow.ledger.leaf import entry_leaf_hash

    frontier = merkle.Frontier()
    start = dt.datetime(2026, 12, 3, tzinfo=dt.UTC)
    for i in range(n):
        fields = state_fields({"status": "accepted", "version": i})
        entry = {
            "sequence": i,
            "recorded_at": start + dt.timedelta(microseconds=i * 37),
            "actor": f"user:{i % 500}",
            "event": "case_accepted",
            "subject": f"case:WH2026120{i:07d}",
            "reason": "材料齐全，予以受理",
            "payload_digest": canonical_digest({"case": i}),
            "state_digest": state_digest(fields),
            "state_fields": json.dumps(fields),
            "request_id": f"req{i:013d}",
        }
        entry["leaf_hash"] = entry_leaf_hash(entry)
        yield entry, frontier.append(entry["leaf_hash"])
    yield None, frontier


def build(n: int) -> float:
    """Bulk insert n entries and their nodes in one transaction; returns seconds."""
    from django.db import connection, transaction

    from onewindow.ledger.store import ENTRY_FIELDS

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql":
            frontier = _copy_pg(raw, n)
        else:
            frontier = _insert_sqlite(connection, raw, n, ENTRY_FIELDS)
        cursor.execute(
            "INSERT INTO ledger_ledgerhead (id, size, frontier) VALUES (1, %s, %s)",
            [frontier.size, frontier.to_bytes()],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            # The bulk transaction left the whole database in the WAL; fold it back as the
            # running system's auto-checkpoint would, so reads are not measured through it.
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - started


def _insert_sqlite(connection: Any, raw: Any, n: int, fields: tuple[str, ...]) -> Any:
    marks = ",".join("?" * len(fields))
    sql_entry = f"INSERT INTO ledger_ledgerentry ({','.join(fields)}) VALUES ({marks})"
    sql_node = 'INSERT INTO ledger_treenode (position, level, "index", hash) VALUES (?,?,?,?)'
    entries, nodes = [], []
    for entry, completed in _rows(n):
        if entry is None:
            frontier = completed
            break
        entry["recorded_at"] = connection.ops.adapt_datetimefield_value(entry["recorded_at"])
        entries.append(tuple(entry[f] for f in fields))
        nodes += [((lv << 48) | ix, lv, ix, h) for lv, ix, h in completed]
        if len(entries) >= 20000:
            raw.executemany(sql_entry, entries)
            raw.executemany(sql_node, nodes)
            entries, nodes = [], []
    raw.executemany(sql_entry, entries)
    raw.executemany(sql_node, nodes)
    return frontier


def _copy_pg(raw: Any, n: int) -> Any:
    from onewindow.ledger.store import ENTRY_FIELDS

    nodes = []
    with raw.copy(f"COPY ledger_ledgerentry ({','.join(ENTRY_FIELDS)}) FROM STDIN") as copy:
        for entry, completed in _rows(n):
            if entry is None:
                frontier = completed
                break
            copy.write_row([entry[f] for f in ENTRY_FIELDS])
            nodes += [((lv << 48) | ix, lv, ix, h) for lv, ix, h in completed]
    with raw.copy('COPY ledger_treenode (position, level, "index", hash) FROM STDIN') as copy:
        for row in nodes:
            copy.write_row(row)
    return frontier


def _rate(fn: Any, seconds: float) -> float:
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        fn()
        count += 1
    return count / (time.perf_counter() - started)


def _proof_fns(n: int) -> dict[str, Any]:
    from onewindow.ledger import selectors

    rng = random.Random(7)
    return {
        "inclusion": lambda: selectors.inclusion_proof(rng.randrange(n), n),
        "consistency": lambda: selectors.consistency_proof(rng.randrange(1, n), n),
    }


def _proof_worker(kind: str, n: int, seconds: float, queue: Any) -> None:
    from django.db import connections

    connections.close_all()
    queue.put(_rate(_proof_fns(n)[kind], seconds))


def proofs(n: int, seconds: float) -> dict[str, float]:
    """Proofs/s in this process, and with 2 processes (one per core) together."""
    from django.db import connections

    from onewindow.ledger import merkle, selectors

    p = selectors.inclusion_proof(n // 3, n)
    merkle.verify_inclusion(p.sequence, n, p.leaf_hash, p.hashes, p.root_hash)
    c = selectors.consistency_proof(n // 3, n)
    merkle.verify_consistency(c.first, n, c.first_root, c.second_root, c.hashes)
    out = {}
    for kind, fn in _proof_fns(n).items():
        out[f"{kind}_proofs_per_s"] = round(_rate(fn, seconds))
        connections.close_all()
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        workers = [
            context.Process(target=_proof_worker, args=(kind, n, seconds, queue)) for _ in range(2)
        ]
        for w in workers:
            w.start()
        total = sum(queue.get() for _ in workers)
        for w in workers:
            w.join()
        out[f"{kind}_proofs_per_s_2_processes"] = round(total)
    return out


def appends(count: int, batch: int = 1) -> float:
    from django.db import transaction

    from onewindow.ledger.services import append_entry

    started = time.perf_counter()
    for i in range(0, count, batch):
        with transaction.atomic():
            for j in range(batch):
                append_entry(
                    actor="user:1",
                    event="case_accepted",
                    subject=f"case:B{i + j}",
                    reason="bench",
                    payload={"i": i + j},
                    state={"status": "accepted", "i": i + j},
                )
    return count / (time.perf_counter() - started)


def _leaves() -> list[bytes]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT leaf_hash FROM ledger_ledgerentry ORDER BY sequence")
        return [bytes(row[0]) for row in cursor.fetchall()]


def naive(n: int, repeats: int) -> dict[str, float]:
    """The peer: no stored tree; every root or proof recomputed from all leaf hashes."""
    from django.db import transaction

    from onewindow.ledger import merkle
    from onewindow.ledger.services import append_entry

    def proof(ranges_of: Any) -> None:
        leaves = _leaves()[:n]

        def fetch(wanted: Any) -> dict:
            return {
                (lv, ix): merkle.root_from_leaves(leaves[ix << lv : (ix + 1) << lv])
                for lv, ix in wanted
            }

        merkle.build_proof(ranges_of(), fetch)

    rng = random.Random(7)
    started = time.perf_counter()
    for _ in range(repeats):
        with transaction.atomic():
            append_entry(
                actor="user:1", event="case_accepted", subject="case:N", reason="bench", payload={}
            )
            merkle.root_from_leaves(_leaves())
    append_rate = repeats / (time.perf_counter() - started)
    inclusion = repeats / _timed(
        lambda: [
            proof(lambda: merkle.inclusion_ranges(rng.randrange(n), n)) for _ in range(repeats)
        ]
    )
    consistency = repeats / _timed(
        lambda: [
            proof(lambda: merkle.consistency_ranges(rng.randrange(1, n), n)) for _ in range(repeats)
        ]
    )
    return {
        "appends_per_s": round(append_rate, 2),
        "inclusion_proofs_per_s": round(inclusion, 2),
        "consistency_proofs_per_s": round(consistency, 2),
        "verify_seconds": round(_timed(lambda: _naive_verify(n)), 2),
    }


def _naive_verify(n: int) -> None:
    """Recompute every leaf from its row and the root, compare with the checkpoint root."""
    from onewindow.ledger import merkle, selectors
    from onewindow.ledger.leaf import entry_leaf_hash
    from onewindow.ledger.models import LedgerEntry
    from onewindow.ledger.verify import ROW_FIELDS

    leaves = [
        entry_leaf_hash(dict(zip(ROW_FIELDS, row, strict=True)))
        for row in LedgerEntry.objects.order_by("sequence")
        .values_list(*ROW_FIELDS)[:n]
        .iterator(chunk_size=5000)
    ]
    assert merkle.root_from_leaves(leaves) == selectors.root_at(n)


def _timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _sync_modes(vendor: str) -> list[str]:
    return ["NORMAL", "FULL"] if vendor == "sqlite" else ["server default"]


def child(engine: str, n: int, quick: bool) -> dict[str, Any]:
    _setup(engine)
    from django.db import connection

    from onewindow.ledger import conf, keys, services
    from onewindow.ledger.verify import verify_log

    result: dict[str, Any] = {"database": connection.vendor, "entries": n}
    result["build_seconds"] = round(build(n), 1)
    keys.generate_key(conf.origin())
    services.issue_checkpoint()
    seconds = 1.0 if quick else 4.0
    result.update(proofs(n, seconds))
    started = time.perf_counter()
    report = verify_log(log_key=keys.load_verifier(conf.origin()))
    result["verify_seconds"] = round(time.perf_counter() - started, 2)
    result["verify_ok"] = report.ok
    result["naive"] = naive(n, 2 if not quick else 3)
    count = 500 if quick else 3000
    result["appends"] = {}
    with connection.cursor() as cursor:
        for mode in _sync_modes(connection.vendor):
            if connection.vendor == "sqlite":
                cursor.execute(f"PRAGMA synchronous={mode}")
                cursor.execute("PRAGMA journal_mode")
                label = f"sqlite WAL synchronous={mode} ({cursor.fetchone()[0]})"
            else:
                cursor.execute("SHOW synchronous_commit")
                sync = cursor.fetchone()[0]
                cursor.execute("SHOW fsync")
                label = f"postgresql synchronous_commit={sync} fsync={cursor.fetchone()[0]}"
            result["appends"][label] = {
                "one_per_transaction_per_s": round(appends(count)),
                "100_per_transaction_per_s": round(appends(count, batch=100)),
            }
    result["verify_after_appends_ok"] = verify_log().ok
    return result


def _postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--entries", type=int)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--child")
    args = parser.parse_args()
    n = args.entries or (20_000 if args.quick else 1_000_000)
    if args.child:
        print(json.dumps(child(args.child, n, args.quick), ensure_ascii=False))
        return
    summary: dict[str, Any] = {
        "benchmark": "P4 ledger",
        "entries": n,
        "quick": args.quick,
        "cpus": os.cpu_count(),
        "runs": {},
        "skipped": [],
    }
    for engine in args.engines.split(","):
        if engine == "postgresql" and not _postgres_available():
            summary["skipped"].append("postgresql: not reachable at 127.0.0.1:5432")
            continue
        command = [sys.executable, __file__, "--child", engine, "--entries", str(n)]
        done = subprocess.run(
            command + (["--quick"] if args.quick else []),
            text=True,
            capture_output=True,
            check=False,
        )
        if done.returncode:
            summary["skipped"].append(f"{engine}: {done.stderr.strip().splitlines()[-1:]}")
            continue
        run = json.loads(done.stdout.strip().splitlines()[-1])
        summary["runs"][engine] = run
        print(f"{engine}: {json.dumps(run, ensure_ascii=False)}", flush=True)
    summary["goal"] = {
        "durable_appends_per_s": 3000,
        "proofs_per_s": 10000,
        "anchor": "Tessera ~2,900 appends/s on a 12-core VM",
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
