"""P2 — name check at province scale: identical + homophone + near-identical trade names
within region and industry, on N generated Hubei names (default 1,000,000).

Peers, on the same names in the same run:
* ``pg``: PostgreSQL 15 — btree equality on the name, btree equality on the stored pinyin
  of the trade name, and pg_trgm similarity (``%``, threshold 0.3) on the trade name, each
  within region and industry (GIN trigram index + btree indexes);
* ``pg_trgm_name``: pg_trgm similarity on the full name alone (what a plain fuzzy search does);
* ``rapidfuzz_scan``: a full scan of all names with rapidfuzz (ratio ≥ 85 on the name, equal
  pinyin of the trade name), then the same region/industry filter.

Recall is measured on a labelled conflict set built from the stored names: each query is a
stored name changed to be identical, a homophone (a character swapped for one that sounds
the same), or near-identical (one character substituted, inserted, or two swapped); it is
found if the method returns the stored name it was made from.

    python bench/registries_p2_namecheck.py [--quick] [--entities N] [--reuse]

Creates (or, with --reuse, reuses) the UTF-8 database ``ow_bench_p2`` on 127.0.0.1; the load
time of N entities on PostgreSQL is part of the output. The last line is JSON.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SERVER = "postgresql://postgres@127.0.0.1:5432"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(latencies: list[float]) -> dict[str, float]:
    return {
        "p50_us": round(percentile(latencies, 0.50) * 1e6, 1),
        "p99_us": round(percentile(latencies, 0.99) * 1e6, 1),
        "mean_us": round(statistics.fmean(latencies) * 1e6, 1),
        "queries": len(latencies),
    }


def prepare_database(name: str, reuse: bool) -> bool:
    """Create the bench database; True if it already holds data to reuse."""
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse:
            return True
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(
            f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
            "LC_CTYPE 'C.UTF-8' TEMPLATE template0"
        )
    return False


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ.setdefault("ONEWINDOW_HOME", tempfile.mkdtemp(prefix="ow-bench-p2-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "onewindow.conf.settings"
    import django

    django.setup()


PG_INDEXES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS bench_trade_trgm ON registries_enterprisename "
    "USING gin (trade_name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS bench_name_trgm ON registries_enterprisename "
    "USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS bench_block_sound ON registries_enterprisename "
    "(region_code, industry_key, trade_pinyin)",
    "ANALYZE registries_enterprisename",
]
PG_CHECK = """
SELECT name FROM registries_enterprisename WHERE name = %(name)s AND status <> 'released'
UNION
SELECT name FROM registries_enterprisename
 WHERE region_code = %(region)s AND industry_key = ANY(%(industries)s)
   AND trade_pinyin = %(sound)s AND status <> 'released'
UNION
SELECT name FROM registries_enterprisename
 WHERE region_code = %(region)s AND industry_key = ANY(%(industries)s)
   AND trade_name %% %(trade)s AND status <> 'released'
"""
PG_NAME_ONLY = """
SELECT name FROM registries_enterprisename WHERE name %% %(name)s
 ORDER BY similarity(name, %(name)s) DESC LIMIT 10
"""


def _replace(name: str, at: int, length: int, new: str) -> str:
    return name[:at] + new + name[at + length :]


def labelled_set(rows: list[tuple[str, str, str, str, str]], rng: random.Random) -> list[dict]:  # type: ignore[type-arg]
    """Queries made from stored names, each labelled with the stored name it must find."""
    from collections import defaultdict

    from pypinyin import Style, lazy_pinyin

    from onewindow.registries.names.keys import pinyin_key
    from onewindow.registries.names.parse import parse_name
    from onewindow.registries.names.rules import Existing, conflict

    chars = sorted({c for row in rows for c in row[1]})
    sound = {c: lazy_pinyin(c, style=Style.NORMAL)[0] for c in chars}
    by_sound: dict[str, list[str]] = defaultdict(list)
    for c in chars:
        by_sound[sound[c]].append(c)
    queries = []
    for name, trade, region, industry, region_word in rows:
        at = name.find(trade, len(region_word))
        make = functools.partial(_replace, name, at, len(trade))
        drafts = [("identical", name)]
        i = rng.randrange(len(trade))
        same = [c for c in by_sound[sound.get(trade[i], "")] if c != trade[i]]
        if same:
            drafts.append(("homophone", make(trade[:i] + rng.choice(same) + trade[i + 1 :])))
        if len(trade) >= 3:
            other = rng.choice([c for c in chars if sound[c] != sound.get(trade[i])])
            drafts.append(("near_substitution", make(trade[:i] + other + trade[i + 1 :])))
            j = rng.randrange(len(trade) + 1)
            drafts.append(("near_insertion", make(trade[:j] + rng.choice(chars) + trade[j:])))
            k = rng.randrange(len(trade) - 1)
            if trade[k] != trade[k + 1]:
                swapped = trade[:k] + trade[k + 1] + trade[k] + trade[k + 2 :]
                drafts.append(("near_swap", make(swapped)))
        stored = Existing(name, trade, region, industry, 0)
        for kind, query in drafts:
            parsed = parse_name(query)
            truth = conflict(parsed, stored)
            if truth is None:
                continue  # the edit changed the parse (e.g. made a region word): not a label
            queries.append(
                {
                    "kind": kind,
                    "query": query,
                    "expect": name,
                    "truth": truth,
                    "parsed": parsed,
                    "sound": pinyin_key(parsed.trade_name),
                }
            )
    return queries


def fresh_names(rng: random.Random, count: int) -> list[str]:
    """Names an applicant might try: new trade names in common regions and industries."""
    from onewindow.registries.demo.vocabulary import DemoVocabulary

    vocab = DemoVocabulary(rng)
    regions = ["武汉", "襄阳", "宜昌", "荆州", "武汉市洪山区", "湖北"]
    wordings = ["信息技术", "商贸", "科技", "餐饮管理", "建筑工程", "物流"]
    return [
        f"{rng.choice(regions)}{vocab.trade_name()}{rng.choice(wordings)}有限公司"
        for _ in range(count)
    ]


def recall(queries: list[dict], found: list[set[str]]) -> dict[str, float]:  # type: ignore[type-arg]
    by_kind: dict[str, list[bool]] = {}
    for query, names in zip(queries, found, strict=True):
        by_kind.setdefault(query["kind"], []).append(query["expect"] in names)
    out = {k: round(sum(v) / len(v), 4) for k, v in sorted(by_kind.items())}
    hits = [h for v in by_kind.values() for h in v]
    out["all"] = round(sum(hits) / len(hits), 4)
    return out


def run_ours(index, queries, fresh):  # type: ignore[no-untyped-def]
    from onewindow.registries.names import lookup
    from onewindow.registries.names.keys import pinyin_key
    from onewindow.registries.names.parse import parse_name

    pinyin_key.cache_clear()  # every query computes its pinyin
    found, latencies = [], []
    for text in [q["query"] for q in queries] + fresh:
        started = time.perf_counter()
        conflicts = lookup.conflicts(parse_name(text), index)
        latencies.append(time.perf_counter() - started)
        found.append({c.existing.name for c in conflicts})
    return found[: len(queries)], latencies, found[len(queries) :]


def run_pg(connection, queries, fresh_parsed):  # type: ignore[no-untyped-def]
    found, latencies = [], []
    for parsed, sound in [(q["parsed"], q["sound"]) for q in queries] + fresh_parsed:
        industries = ["*"] if parsed.industry_key == "*" else [parsed.industry_key, "*"]
        params = {
            "name": parsed.name,
            "region": parsed.region_key,
            "industries": industries,
            "sound": sound,
            "trade": parsed.trade_name,
        }
        started = time.perf_counter()
        rows = connection.execute(PG_CHECK, params, prepare=True).fetchall()
        latencies.append(time.perf_counter() - started)
        found.append({r[0] for r in rows})
    return found[: len(queries)], latencies, found[len(queries) :]


def run_pg_name_only(connection, queries):  # type: ignore[no-untyped-def]
    found, latencies = [], []
    for query in queries:
        started = time.perf_counter()
        rows = connection.execute(PG_NAME_ONLY, {"name": query["query"]}, prepare=True).fetchall()
        latencies.append(time.perf_counter() - started)
        found.append({r[0] for r in rows})
    return found, latencies


def run_scan(table, queries):  # type: ignore[no-untyped-def]
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import Indel

    names, sounds, regions, industries = table
    found, latencies = [], []
    for query in queries:
        parsed = query["parsed"]
        started = time.perf_counter()
        similar = process.extract(
            parsed.name, names, scorer=fuzz.ratio, score_cutoff=85, limit=None
        )
        alike = process.extract(
            query["sound"], sounds, scorer=Indel.distance, score_cutoff=0, limit=None
        )
        hits = {m[2] for m in similar} | {m[2] for m in alike}
        keep = {
            names[i]
            for i in hits
            if names[i] == parsed.name
            or (
                regions[i] == parsed.region_key
                and (
                    industries[i] == parsed.industry_key
                    or "*" in (industries[i], parsed.industry_key)
                )
            )
        }
        latencies.append(time.perf_counter() - started)
        found.append(keep)
    return found, latencies


def false_alarms(queries: list[dict], found: list[set[str]], rows_by_name: dict) -> float:  # type: ignore[type-arg]
    """Share of returned names that the name rules say do not conflict."""
    from onewindow.registries.names.rules import conflict

    returned = wrong = 0
    for query, names in zip(queries, found, strict=True):
        for name in names:
            returned += 1
            wrong += conflict(query["parsed"], rows_by_name[name]) is None
    return round(wrong / returned, 4) if returned else 0.0


def existing_rows(names: set[str]) -> dict:  # type: ignore[type-arg]
    from onewindow.registries.models import EnterpriseName
    from onewindow.registries.names.rules import Existing

    out = {}
    listed = sorted(names)
    for start in range(0, len(listed), 5000):
        for pk, name, trade, region, industry in EnterpriseName.objects.filter(
            name__in=listed[start : start + 5000]
        ).values_list("pk", "name", "trade_name", "region_code", "industry_key"):
            out[name] = Existing(name, trade, region, industry, pk)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="50,000 names, fewer queries")
    parser.add_argument("--entities", type=int)
    parser.add_argument("--reuse", action="store_true", help="reuse ow_bench_p2 if it exists")
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()
    entities = args.entities or (50_000 if args.quick else 1_000_000)
    samples, scans, trgm = (300, 40, 30) if args.quick else (1500, 100, 30)
    database = "ow_bench_p2_quick" if args.quick else "ow_bench_p2"
    reused = prepare_database(database, args.reuse)
    setup_django(database)
    from django.core.management import call_command
    from django.db import connection

    from onewindow.registries.demo.generate import generate_demo
    from onewindow.registries.models import EnterpriseName
    from onewindow.registries.names import lookup
    from onewindow.registries.names.keys import pinyin_key
    from onewindow.registries.names.parse import parse_name

    load_seconds = None
    if not reused:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        generate_demo(
            entities=entities,
            seed=args.seed,
            batch=10_000,
            actor="system:bench",
            reason="P2 benchmark data",
        )
        load_seconds = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        for statement in PG_INDEXES:
            cursor.execute(statement)
    names_count = EnterpriseName.objects.count()
    started = time.perf_counter()
    index = lookup.get_index()
    build_seconds = round(time.perf_counter() - started, 2)
    rng = random.Random(args.seed)
    sample = list(
        EnterpriseName.objects.filter(status="registered")
        .order_by("?")
        .values_list("name", "trade_name", "region_code", "industry_key", "region_word")[:samples]
    )
    queries = labelled_set(sample, rng)
    fresh = fresh_names(rng, samples)
    ours_found, ours_lat, ours_fresh = run_ours(index, queries, fresh)
    fresh_parsed = [(p, pinyin_key(p.trade_name)) for p in map(parse_name, fresh)]
    raw = connection.connection  # psycopg connection of Django
    pg_found, pg_lat, _ = run_pg(raw, queries, fresh_parsed)
    trgm_queries = rng.sample(queries, min(trgm, len(queries)))
    trgm_found, trgm_lat = run_pg_name_only(raw, trgm_queries)
    table = ([], [], [], [])
    for name, sound, region, industry in EnterpriseName.objects.values_list(
        "name", "trade_pinyin", "region_code", "industry_key"
    ).iterator(chunk_size=50_000):
        for column, value in zip(table, (name, sound, region, industry), strict=True):
            column.append(value)
    scan_queries = rng.sample(queries, min(scans, len(queries)))
    scan_found, scan_lat = run_scan(table, scan_queries)
    rows = existing_rows(set().union(*ours_found, *pg_found, *trgm_found, *scan_found))
    ours = summary(ours_lat)
    pg = summary(pg_lat)
    result = {
        "benchmark": "P2 name check",
        "names": names_count,
        "load_seconds_postgresql": load_seconds,
        "index_build_seconds": build_seconds,
        "index_mib": round(index.memory_bytes / 2**20, 1),
        "process_max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "labelled_queries": len(queries),
        "labelled_by_kind": {
            k: sum(q["kind"] == k for q in queries) for k in sorted({q["kind"] for q in queries})
        },
        "fresh_queries": len(fresh),
        "ours": {
            **ours,
            "recall": recall(queries, ours_found),
            "false_alarms": false_alarms(queries, ours_found, rows),
            "fresh_with_conflicts": sum(bool(f) for f in ours_fresh),
        },
        "peers": {
            "pg": {
                **pg,
                "recall": recall(queries, pg_found),
                "false_alarms": false_alarms(queries, pg_found, rows),
            },
            "pg_trgm_name": {
                **summary(trgm_lat),
                "recall": recall(trgm_queries, trgm_found),
                "false_alarms": false_alarms(trgm_queries, trgm_found, rows),
            },
            "rapidfuzz_scan": {
                **summary(scan_lat),
                "recall": recall(scan_queries, scan_found),
                "false_alarms": false_alarms(scan_queries, scan_found, rows),
            },
        },
        "speedup_vs_pg": {
            "p50": round(pg["p50_us"] / ours["p50_us"], 1),
            "p99": round(pg["p99_us"] / ours["p99_us"], 1),
        },
        "goal": "p99 <= 1000 us and >= 100x faster than pg_trgm at equal or better recall",
    }
    result["goal_met"] = bool(
        ours["p99_us"] <= 1000
        and result["speedup_vs_pg"]["p99"] >= 100
        and result["ours"]["recall"]["all"] >= result["peers"]["pg"]["recall"]["all"]
    )
    ours_recall, pg_recall = result["ours"]["recall"]["all"], result["peers"]["pg"]["recall"]["all"]
    print(
        f"{names_count:,} names; ours p50 {ours['p50_us']} µs p99 {ours['p99_us']} µs "
        f"recall {ours_recall}; pg p50 {pg['p50_us']} µs p99 {pg['p99_us']} µs recall {pg_recall}",
        file=sys.stderr,
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
