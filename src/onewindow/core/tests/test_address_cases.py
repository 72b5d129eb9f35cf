"""Every case of data/addresses.yaml resolves exactly as stated (see the file's header)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from onewindow.core.errors import DomainError
from onewindow.core.gazetteer import resolve_address
from onewindow.core.gazetteer.index import get_gazetteer

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "addresses.yaml").read_text(encoding="utf-8")
)


def outcome(address: str) -> dict[str, Any]:
    try:
        r = resolve_address(address)
    except DomainError as error:
        details = error.details or {}
        return {
            "error": error.code,
            "division": details.get("division_code"),
            "candidates": [c["jurisdiction_code"] for c in details.get("candidates", [])],
        }
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
    assert all(c.get("error") == "address.ambiguous" for c in CASES if "candidates" in c)


def test_every_district_with_zone_streets_is_exercised() -> None:
    """For each such district: ambiguous without a street, and its own and zone streets."""
    gaz = get_gazetteer()
    assert set(gaz.zones_in) == {"420106", "420111", "420114", "420115"}
    for county, zones in gaz.zones_in.items():
        ambiguous = [c for c in CASES if c.get("candidates") == [county, *zones]]
        assert len(ambiguous) >= 3, county
        resolved = {c["jurisdiction"] for c in CASES if str(c.get("street", ""))[:6] == county}
        assert resolved >= {county, *zones}, county
    hannan = [c for c in CASES if c.get("division") == "420113" and "street" not in c]
    assert {c["jurisdiction"] for c in hannan} == {"ZONE_EDZ"}
    assert len(hannan) >= 3


@pytest.mark.parametrize("case", CASES, ids=[c["address"] or "<empty>" for c in CASES])
def test_address_case(case: dict[str, Any]) -> None:
    got = outcome(case["address"])
    expected = case.get("actual", case)
    for key in ("jurisdiction", "error"):
        if key in expected:
            assert got.get(key) == expected[key]
    if "known_miss" not in case:
        for key in ("division", "street", "candidates"):
            if key in case:
                assert got[key] == case[key]
    if "true_jurisdiction" in case:
        assert case["true_jurisdiction"] in got["candidates"]
