"""The words a name is parsed with: regions (from the gazetteer), organisational forms,
industry wording and prohibited/restricted words (data files in `registries/data/`)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from onewindow.core.gazetteer.index import DATA_FILE as GAZETTEER_FILE

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PROVINCE_CODE = "420000"


@dataclass(frozen=True)
class Region:
    code: str  # GB/T 2260 code of the division the word names
    key: str  # the block key: prefecture code (province code for province-level words)
    parent: str  # code of the enclosing division ("" for provinces)


@dataclass(frozen=True)
class NameWord:
    word: str
    kind: str  # "prohibited" | "restricted"
    category: str
    except_when: tuple[str, ...]
    basis: str
    remedy_zh: str
    remedy_en: str


@dataclass(frozen=True)
class IndustryWording:
    wording: str
    division: str  # GB/T 4754 大类 (2 digits): the industry key of names using it
    class_code: str  # a 小类 (4 digits) typical of the wording


@dataclass
class Vocabulary:
    regions: dict[str, Region] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)  # form -> entity type digit
    industries: dict[str, IndustryWording] = field(default_factory=dict)
    words: tuple[NameWord, ...] = ()

    # Word lengths to try, longest first (有限责任公司 before 公司, 科技发展 before 科技), by
    # the character the word starts (regions) or ends (forms, industries) with.
    form_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    industry_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)
    region_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.form_lengths = _lengths(self.forms, -1)
        self.industry_lengths = _lengths(self.industries, -1)
        self.region_lengths = _lengths(self.regions, 0)


def _lengths(words: Iterable[str], at: int) -> dict[str, tuple[int, ...]]:
    by_char: dict[str, set[int]] = {}
    for word in words:
        by_char.setdefault(word[at], set()).add(len(word))
    return {c: tuple(sorted(lengths, reverse=True)) for c, lengths in by_char.items()}


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _regions() -> dict[str, Region]:
    data = json.loads(GAZETTEER_FILE.read_text(encoding="utf-8"))
    regions: dict[str, Region] = {}
    province = data["province"]
    for word in [*province["names"], *province["short_names"]]:
        regions[word] = Region(province["code"], province["code"], "")
    for prefecture in data["prefectures"]:
        if not prefecture["code"].endswith("00"):
            continue
        for word in [*prefecture["names"], *prefecture["short_names"]]:
            regions.setdefault(word, Region(prefecture["code"], prefecture["code"], PROVINCE_CODE))
    for county in data["counties"]:
        if county.get("code_system") != "gb2260":
            continue
        key = county["prefecture"]
        for word in [*county["names"], *county["short_names"]]:
            if len(word) >= 2:
                regions.setdefault(word, Region(county["code"], key, key))
    for other in data["other_divisions"]:
        code = other["code"]
        key = code if other["level"] == "prefecture" else code[:2] + "0000"
        parent = "" if other["level"] == "province" else code[:2] + "0000"
        for word in [other["name"], *other["short_names"]]:
            regions.setdefault(word, Region(code, key, parent))
    return regions


@lru_cache(maxsize=1)
def get_vocabulary() -> Vocabulary:
    forms = {r["form"]: r["entity_type"] for r in _read_csv("organisational_forms.csv")}
    industries = {
        r["wording"]: IndustryWording(r["wording"], r["division"], r["class_code"])
        for r in _read_csv("industry_wording.csv")
    }
    words = tuple(
        NameWord(
            word=r["word"],
            kind=r["kind"],
            category=r["category"],
            except_when=tuple(w for w in r["except_when"].split("|") if w),
            basis=r["basis"],
            remedy_zh=r["remedy_zh"],
            remedy_en=r["remedy_en"],
        )
        for r in _read_csv("name_words.csv")
    )
    return Vocabulary(regions=_regions(), forms=forms, industries=industries, words=words)
