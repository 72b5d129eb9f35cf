"""The loaded gazetteer: places, the jurisdictions that decide for them, and a name index.

Every place is represented by its *footprint*: the set of streets it covers, kept as the bits
of a Python int (1,475 Hubei streets, plus one bit per province or prefecture outside Hubei).
Resolving an address is then a matter of intersecting footprints: "洪山区" & "关东街道" leaves
one street, which the East Lake High-tech Zone administers. Zones are footprints like any other
place, which is why a zone street routes to its zone whatever district the address names.

A place also has a *home*: what an address naming only that place means. For a district it is
every street filed under it except those another district administers (八吉府街道 of 洪山区 is
青山区's); the zone streets filed under it stay in, so "洪山区" alone leaves 洪山区 and the
zones working inside it, and the resolver asks for the street instead of guessing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "hubei.json"

# Levels, coarse to fine; `matched_by` names the level of the most specific place matched.
LEVELS = ("other", "province", "prefecture", "historical_name", "alias", "zone", "county", "street")


@dataclass(frozen=True)
class Jurisdiction:
    """A body that decides applications: a Wuhan district, a Wuhan zone, or a whole city."""

    code: str
    name_zh: str
    name_en: str
    kind: str  # "district" | "zone" | "city"
    city: str  # GB/T 2260 code of the prefecture-level city
    code_system: str  # "gb2260", or "onewindow" for the platform's own zone codes


@dataclass(frozen=True)
class Place:
    kind: str  # one of LEVELS
    code: str
    name: str
    mask: int
    home: int  # the part of the footprint that an address naming only this place means


@dataclass(frozen=True)
class Street:
    code: str
    name: str
    county: str
    jurisdiction: str | None


@dataclass
class Gazetteer:
    jurisdictions: dict[str, Jurisdiction]
    streets: list[Street]  # bit i of a mask is streets[i] (i < len(streets))
    counties: dict[str, Place]
    prefectures: dict[str, Place]
    outside: dict[str, Place]  # provinces and prefectures outside Hubei, one bit each
    jurisdiction_masks: dict[str, int]
    # name -> [(place, is the name a full name)]
    index: dict[str, list[tuple[Place, bool]]] = field(default_factory=dict)
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)  # first char -> lengths
    noise: frozenset[str] = frozenset()
    province: Place | None = None
    statutory: dict[str, int] = field(default_factory=dict)  # county -> streets NBS files there
    # county -> zones administering some of its streets, besides the county's own home
    # jurisdiction (洪山区 -> ZONE_EHTZ, ZONE_SCENIC; 汉南区, all of it ZONE_EDZ's, -> none)
    zones_in: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def add_name(self, name: str, place: Place, full: bool) -> None:
        entries = self.index.setdefault(name, [])
        if (place, full) not in entries:
            entries.append((place, full))

    def finish_index(self) -> None:
        by_first: dict[str, set[int]] = {}
        for name in [*self.index, *self.noise]:
            by_first.setdefault(name[0], set()).add(len(name))
        self.lengths = {c: tuple(sorted(ls, reverse=True)) for c, ls in by_first.items()}

    @property
    def hubei_mask(self) -> int:
        return (1 << len(self.streets)) - 1

    def jurisdictions_of(self, mask: int) -> set[str | None]:
        """Jurisdictions deciding for some part of the footprint (None: outside the service)."""
        found: set[str | None] = {code for code, m in self.jurisdiction_masks.items() if mask & m}
        covered = 0
        for m in self.jurisdiction_masks.values():
            covered |= m
        if mask & ~covered:
            found.add(None)
        return found

    def bits(self, mask: int) -> Iterator[int]:
        while mask:
            low = mask & -mask
            yield low.bit_length() - 1
            mask ^= low

    def counties_of(self, mask: int) -> list[Place]:
        """County-level divisions a footprint lies in (by statute, not by administration)."""
        return [self.counties[c] for c, m in self.statutory.items() if m & mask]

    def prefectures_of(self, mask: int) -> list[Place]:
        return [p for p in self.prefectures.values() if p.mask & mask]

    def outside_of(self, mask: int) -> list[Place]:
        return [p for p in self.outside.values() if p.mask & mask]


def _union(masks: Iterable[int]) -> int:
    out = 0
    for m in masks:
        out |= m
    return out


def _load_places(data: dict[str, Any], gaz: Gazetteer) -> dict[str, Place]:
    """Counties, prefectures, zones and the province, keyed by code, with their names indexed."""
    street_bits: dict[str, int] = {s.code: 1 << i for i, s in enumerate(gaz.streets)}
    by_county: dict[str, int] = {}
    for s in gaz.streets:
        gaz.statutory[s.county] = gaz.statutory.get(s.county, 0) | street_bits[s.code]
        by_county[s.county] = by_county.get(s.county, 0) | street_bits[s.code]
        if s.jurisdiction is not None and s.jurisdiction.isdigit() and s.jurisdiction != s.county:
            # A street a district administers although NBS files it elsewhere (八吉府街道).
            by_county[s.jurisdiction] = by_county.get(s.jurisdiction, 0) | street_bits[s.code]
    zones = {c: m for c, m in gaz.jurisdiction_masks.items() if gaz.jurisdictions[c].kind == "zone"}
    places: dict[str, Place] = {}
    for row in data["counties"]:
        mask = by_county.get(row["code"], 0)
        home = row["home_jurisdiction"]
        statutory = gaz.statutory.get(row["code"], 0)
        # "青山区 + a road" means 青山区's own streets, not 八吉府街道 that it also administers;
        # "洪山区 + a road" may be in 洪山区's own streets or in its zone streets.
        own = (
            statutory & (gaz.jurisdiction_masks[home] | _union(zones.values()))
            if home
            else statutory & ~_union(gaz.jurisdiction_masks.values())
        )
        inside = tuple(code for code, m in zones.items() if code != home and m & own)
        if inside:
            gaz.zones_in[row["code"]] = inside
        place = Place("county", row["code"], row["name"], mask, own or mask)
        gaz.counties[row["code"]] = places[row["code"]] = place
        _index(gaz, place, row)
    for row in data["prefectures"]:
        mask = _union(p.mask for p in gaz.counties.values() if _prefecture(p.code) == row["code"])
        place = Place("prefecture", row["code"], row["name"], mask, mask)
        gaz.prefectures[row["code"]] = places[row["code"]] = place
        _index(gaz, place, row)
    for row in data["zones"]:
        mask = _union(street_bits[c] for c in row["streets"])
        places[row["code"]] = place = Place("zone", row["code"], row["name"], mask, mask)
        _index(gaz, place, row)
    all_hubei = (1 << len(gaz.streets)) - 1
    gaz.province = Place("province", "420000", "湖北省", all_hubei, all_hubei)
    _index(gaz, gaz.province, data["province"])
    for s in gaz.streets:
        places[s.code] = Place("street", s.code, s.name, street_bits[s.code], street_bits[s.code])
    return places


def _prefecture(county_code: str) -> str:
    return "429000" if county_code.startswith("4290") else county_code[:4] + "00"


def _index(gaz: Gazetteer, place: Place, row: dict[str, Any]) -> None:
    for name in row.get("names", []):
        gaz.add_name(name, place, True)
    for name in row.get("short_names", []):
        gaz.add_name(name, place, False)


def _load_outside(data: dict[str, Any], gaz: Gazetteer) -> None:
    bit = len(gaz.streets)
    provinces: dict[str, Place] = {}
    for row in data["other_divisions"]:
        mask = 1 << bit
        bit += 1
        if row["level"] == "province":
            place = Place("other", row["code"], row["name"], mask, mask)
            provinces[row["code"][:2]] = place
        else:
            place = Place("other", row["code"], row["name"], mask, mask)
            parent = provinces.get(row["code"][:2])
            if parent is not None:  # a province's footprint covers its prefectures
                grown = Place(
                    "other", parent.code, parent.name, parent.mask | mask, parent.mask | mask
                )
                provinces[row["code"][:2]] = grown
        gaz.outside[row["code"]] = place
    gaz.outside.update({p.code: p for p in provinces.values()})
    for row in data["other_divisions"]:
        _index(gaz, gaz.outside[row["code"]], {"names": [row["name"]], **row})


def load(path: Path = DATA_FILE) -> Gazetteer:
    data = json.loads(path.read_text(encoding="utf-8"))
    streets = [
        Street(s["code"], s["name"], s["county"], s["jurisdiction"]) for s in data["streets"]
    ]
    jurisdictions = {
        j["code"]: Jurisdiction(
            j["code"], j["name_zh"], j["name_en"], j["kind"], j["city"], j["code_system"]
        )
        for j in data["jurisdictions"]
    }
    masks = {code: 0 for code in jurisdictions}
    for i, s in enumerate(streets):
        if s.jurisdiction is not None:
            masks[s.jurisdiction] |= 1 << i
    gaz = Gazetteer(jurisdictions, streets, {}, {}, {}, masks, noise=frozenset(data["noise"]))
    places = _load_places(data, gaz)
    _load_outside(data, gaz)
    for street, row in zip(streets, data["streets"], strict=True):
        _index(gaz, places[street.code], row)
    for row in data["aliases"]:
        targets = [places[code] for code in row["targets"]]
        kind = "alias" if row["source"].startswith("curated") else "historical_name"
        place = Place(
            kind,
            "+".join(row["targets"]),
            row["name"],
            _union(t.mask for t in targets),
            _union(t.home for t in targets),
        )
        gaz.add_name(row["name"], place, row["strength"] == "full")
    gaz.finish_index()
    return gaz


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once per process (about 30 ms)."""
    return load()
