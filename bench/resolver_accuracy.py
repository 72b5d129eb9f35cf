"""Address resolver accuracy and latency on src/onewindow/core/tests/data/addresses.yaml.

    .venv/bin/python bench/resolver_accuracy.py [--quick]

Prints one line per miss and a summary, then, as its last line, one JSON object:
{"addresses", "correct", "accuracy", "misses", "resolve_us_p50", "resolve_us_p99", "peers"}.
A case is correct when the jurisdiction (or error code) and any stated division, street and
candidate jurisdictions (in order) match the expected answer, and a stated true_jurisdiction
is among the candidates; cases marked `known_miss` count as misses. The peer measured in the
same run is the naive rule generic parsers follow: route to the statutory district named in the
address (zones unknown), which is the pitfall the street-defined zones avoid; for a district
named without a street it silently picks the district.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import yaml  # noqa: E402

from onewindow.core.errors import DomainError  # noqa: E402
from onewindow.core.gazetteer import resolve_address  # noqa: E402
from onewindow.core.gazetteer.index import get_gazetteer  # noqa: E402

CASES = ROOT / "src" / "onewindow" / "core" / "tests" / "data" / "addresses.yaml"
CITY_WIDE = {"4205": "420500", "4206": "420600"}


KEYS = ("jurisdiction", "error", "division", "street", "candidates")


def outcome(address: str) -> dict[str, Any]:
    try:
        r = resolve_address(address)
    except DomainError as error:
        details = error.details or {}
        return {
            "error": error.code,
            "reason": details.get("reason"),
            "division": details.get("division_code"),
            "candidates": [c["jurisdiction_code"] for c in details.get("candidates", [])],
        }
    return {
        "jurisdiction": r.jurisdiction_code,
        "division": r.division_code,
        "street": r.street_code,
    }


def is_correct(case: dict[str, Any], got: dict[str, Any]) -> bool:
    if "true_jurisdiction" in case and case["true_jurisdiction"] not in got.get("candidates", ()):
        return False
    return all(got.get(k) == case[k] for k in KEYS if k in case)


def statutory_only(address: str) -> dict[str, Any]:
    """The naive peer: the statutory county-level division found decides."""
    got = outcome(address)
    division = got.get("division")
    if got.get("reason") == "district_without_street":
        got = {"jurisdiction": division, "division": division}
    if "error" in got or division is None:
        return got
    code = CITY_WIDE.get(division[:4], division)
    return {**got, "jurisdiction": code if code in get_gazetteer().jurisdictions else None}


def time_calls(cases: list[dict[str, Any]], repeat: int) -> list[float]:
    samples = []
    for case in cases:
        for _ in range(repeat):
            start = time.perf_counter()
            with contextlib.suppress(DomainError):
                resolve_address(case["address"])
            samples.append((time.perf_counter() - start) * 1e6)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer timing repetitions")
    args = parser.parse_args()
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    started = time.perf_counter()
    get_gazetteer()
    print(f"gazetteer loaded in {(time.perf_counter() - started) * 1000:.1f} ms")
    misses = []
    for case in cases:
        got = outcome(case["address"])
        if not is_correct(case, got):
            expected = {k: case[k] for k in (*KEYS, "true_jurisdiction") if k in case}
            misses.append(
                {
                    "address": case["address"],
                    "expected": expected,
                    "got": got,
                    "known_miss": case.get("known_miss"),
                }
            )
            print(f"MISS {case['address']!r}: expected {expected}, got {got}")
    peer_correct = sum(is_correct(c, statutory_only(c["address"])) for c in cases)
    samples = sorted(time_calls(cases, 20 if args.quick else 200))
    correct = len(cases) - len(misses)
    result = {
        "addresses": len(cases),
        "correct": correct,
        "accuracy": round(correct / len(cases), 4),
        "misses": misses,
        "resolve_us_p50": round(statistics.median(samples), 1),
        "resolve_us_p99": round(samples[int(len(samples) * 0.99) - 1], 1),
        "peers": {
            "statutory_district_only": {
                "correct": peer_correct,
                "accuracy": round(peer_correct / len(cases), 4),
            }
        },
    }
    print(
        f"{correct}/{len(cases)} correct; statutory-district-only peer: "
        f"{peer_correct}/{len(cases)}; {len(samples)} timed calls"
    )
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
