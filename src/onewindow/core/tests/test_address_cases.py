"""Every case of data/addresses.yaml resolves exactly as stated (see the file's header)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from onewindow.core.errors import DomainError
from onewindow.core.gazetteer import resolve_address

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "addresses.yaml").read_text(encoding="utf-8")
)


def outcome(address: str) -> dict[str, Any]:
    try:
        r = resolve_address(address)
    except DomainError as error:
        return {"error": error.code, "division": (error.details or {}).get("division_code")}
    return {
        "jurisdiction": r.jurisdiction_code,
        "division": r.division_code,
        "street": r.street_code,
    }


def test_the_case_list_meets_its_brief() -> None:
    assert len(CASES) >= 70
    zone_cases = [c for c in CASES if str(c.get("jurisdiction", "")).startswith("ZONE_")]
    assert len(zone_cases) >= 15
    assert {c["error"] for c in CASES if "error" in c} >= {
        "address.ambiguous",
        "address.unknown",
        "address.outside_service_area",
    }
    assert all("actual" in c for c in CASES if "known_miss" in c)


@pytest.mark.parametrize("case", CASES, ids=[c["address"] or "<empty>" for c in CASES])
def test_address_case(case: dict[str, Any]) -> None:
    got = outcome(case["address"])
    expected = case.get("actual", case)
    for key in ("jurisdiction", "error"):
        if key in expected:
            assert got.get(key) == expected[key]
    if "known_miss" not in case:
        for key in ("division", "street"):
            if key in case:
                assert got[key] == case[key]
