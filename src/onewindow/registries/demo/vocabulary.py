"""Random building blocks of the demo data: places (from the gazetteer), trade names (a
weighted character model), people, addresses, and the name patterns of each entity type."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml

from onewindow.core.gazetteer.index import DATA_FILE as GAZETTEER_FILE
from onewindow.core.identifiers import resident_id_check_character
from onewindow.registries.names.vocabulary import DATA_DIR, get_vocabulary

# Rough shares of market entities by prefecture-level division (Wuhan about two fifths).
PREFECTURE_WEIGHTS = {
    "420100": 40,
    "420600": 9,
    "420500": 9,
    "421000": 6,
    "420900": 5,
    "421100": 5,
    "420300": 4,
    "420800": 3.5,
    "421200": 3,
    "420200": 3,
    "421300": 2.5,
    "422800": 3,
    "420700": 1.5,
    "429000": 3,
    "429021": 0.1,
}
COMMON_WORDINGS = {"科技", "信息技术", "商贸", "贸易", "建筑工程", "餐饮管理", "网络科技", "实业"}
INDIVIDUAL_WORDINGS = (
    "便利",
    "百货",
    "餐饮",
    "快餐",
    "美容美发",
    "五金",
    "建材",
    "服饰",
    "家政",
    "摄影",
    "茶馆",
    "图书",
    "文化用品",
    "大药房",
    "宠物",
    "养生",
    "保洁",
)
ENTERPRISE_FORMS = (
    ("有限公司", 80),
    ("有限责任公司", 9),
    ("股份有限公司", 3),
    ("合伙企业（有限合伙）", 3),
    ("个人独资企业", 5),
)
INDIVIDUAL_FORMS = (("店", 30), ("经营部", 30), ("商行", 15), ("工作室", 15), ("馆", 10))
COOPERATIVE_WORDINGS = ("农业", "生态农业", "农业发展")


@dataclass(frozen=True)
class County:
    code: str
    name: str
    prefecture_code: str
    prefecture_name: str  # "" for counties directly under the province (仙桃 …)
    streets: tuple[str, ...]


def _weighted(pairs: Any) -> tuple[list[Any], list[float]]:
    items, weights = zip(*pairs, strict=True)
    return list(items), list(weights)


class DemoVocabulary:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        data = yaml.safe_load(Path(DATA_DIR / "demo_vocabulary.yaml").read_text("utf-8"))
        chars: list[str] = []
        char_weights: list[float] = []
        for group in data["trade_characters"]:
            unique = list(dict.fromkeys(group["chars"]))
            chars += unique
            char_weights += [group["weight"]] * len(unique)
        self.chars, self.char_weights = chars, char_weights
        self.lengths, self.length_weights = _weighted(data["trade_lengths"].items())
        self.road_prefixes = data["road_prefixes"].split()
        self.road_suffixes, self.suffix_weights = _weighted(data["road_suffixes"].items())
        self.surnames = data["surnames"].split()
        self.given = data["given_characters"].split()
        wordings = list(get_vocabulary().industries.values())
        self.wordings = wordings
        self.wording_weights = [4 if w.wording in COMMON_WORDINGS else 1 for w in wordings]
        self.counties, self.county_weights = _counties()

        # Cumulative weights once: random.choices would re-add them on every draw.
        self.char_cum = list(accumulate(self.char_weights))
        self.length_cum = list(accumulate(self.length_weights))
        self.county_cum = list(accumulate(self.county_weights))
        self.wording_cum = list(accumulate(self.wording_weights))
        self.suffix_cum = list(accumulate(self.suffix_weights))

    def trade_name(self) -> str:
        length = self.rng.choices(self.lengths, cum_weights=self.length_cum)[0]
        return "".join(self.rng.choices(self.chars, cum_weights=self.char_cum, k=length))

    def county(self) -> County:
        return self.rng.choices(self.counties, cum_weights=self.county_cum)[0]

    def wording(self) -> Any:
        return self.rng.choices(self.wordings, cum_weights=self.wording_cum)[0]

    def person(self, county_code: str) -> tuple[str, str]:
        rng = self.rng
        name = rng.choice(self.surnames) + "".join(rng.choices(self.given, k=rng.choice((1, 2))))
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(42 * 365))
        first17 = f"{county_code}{born:%Y%m%d}{rng.randrange(1000):03d}"
        return name, first17 + resident_id_check_character(first17)

    def address(self, county: County) -> str:
        rng = self.rng
        road = (
            rng.choice(self.road_prefixes) + rng.choices(self.road_suffixes, self.suffix_weights)[0]
        )
        street = rng.choice(county.streets) if county.streets else ""
        number = f"{rng.randrange(1, 999)}号"
        if rng.random() < 0.4:
            number += f"{rng.randrange(1, 30)}栋{rng.randrange(1, 30)}{rng.randrange(1, 20):02d}室"
        return f"湖北省{county.prefecture_name}{county.name}{street}{road}{number}"


def _counties() -> tuple[list[County], list[float]]:
    data = json.loads(GAZETTEER_FILE.read_text(encoding="utf-8"))
    prefectures = {p["code"]: p["name"] for p in data["prefectures"]}
    streets: dict[str, list[str]] = {}
    for street in data["streets"]:
        streets.setdefault(street["county"], []).append(street["name"])
    counties = [
        c for c in data["counties"] if c.get("code_system") == "gb2260" and c["code"][4:] != "00"
    ]
    by_prefecture: dict[str, list[dict[str, Any]]] = {}
    for county in counties:
        by_prefecture.setdefault(county["prefecture"], []).append(county)
    out, weights = [], []
    for code, members in by_prefecture.items():
        share = PREFECTURE_WEIGHTS.get(code, 1.0) / len(members)
        prefecture_name = "" if code == "429000" else prefectures.get(code, "")
        for county in members:
            out.append(
                County(
                    county["code"],
                    county["name"],
                    code,
                    prefecture_name,
                    tuple(streets.get(county["code"], ())),
                )
            )
            weights.append(share)
    return out, weights
