"""Written forms of a place name: the official name, and the shorter forms people write.

Used by the build script only. A *full* form ends in an administrative word (区, 街道, 镇 ...)
and may be matched wherever the address names places; a *short* form (武昌, 关山, 光谷) is
matched only when no road word follows it, because 关山大道 is a road in another jurisdiction
than 关山街道, and 洪山路 lies in 武昌区, not in 洪山区.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PAREN = re.compile(r"[（(][^）)]*[）)]$")
# Endings that already make a name unmistakably a place of administration.
_INSTITUTION_ENDINGS = (
    "区",
    "园",
    "场",
    "处",
    "会",
    "司",
    "所",
    "中心",
    "集团",
    "城",
    "厂",
    "街道",
    "镇",
    "乡",
)
# A short form that itself ends like a road (中华路 of 中华路街道) would match road names.
_ROAD_ENDINGS = ("路", "大道", "街", "巷", "道")


@dataclass
class Forms:
    full: list[str] = field(default_factory=list)
    short: list[str] = field(default_factory=list)

    def add_full(self, name: str) -> None:
        if name and name not in self.full:
            self.full.append(name)

    def add_short(self, name: str) -> None:
        if len(name) >= 2 and name not in self.short and name not in self.full:
            self.short.append(name)


def clean_street_name(nbs_name: str, county_name: str) -> str:
    """The street's proper name from an NBS row: '东湖风景区街道（武昌）' -> '东湖风景区街道',
    '当阳市玉阳街道' -> '玉阳街道' (NBS repeats the county or zone for a few units)."""
    name = _PAREN.sub("", nbs_name.strip())
    for prefix in (county_name, "高新区"):  # Xiangyang: '高新区团山镇' is 团山镇
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            name = name[len(prefix) :]
    return name


def street_forms(name: str, nbs_name: str) -> Forms:
    forms = Forms()
    forms.add_full(name)
    if nbs_name != name and not nbs_name.endswith("）"):
        forms.add_full(nbs_name)
    core = _street_core(name, forms)
    if core is not None and not core.endswith(_ROAD_ENDINGS):
        forms.add_short(core)
        if name.endswith("街道"):
            forms.add_short(core + "街")  # Wuhan usage: 关山街 for 关山街道
    return forms


def _street_core(name: str, forms: Forms) -> str | None:
    """Add the official variants of the name to `forms`; return the bare core, if any."""
    if name.endswith("办事处街道") and len(name) > 6:
        core = name[:-5]  # 东山办事处街道: also 东山街道, 东山办事处
        forms.add_full(core + "街道")
        forms.add_full(core + "办事处")
        return core
    for suffix in ("管理委员会街道", "管理委员会", "管委会", "办事处"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            core = name[: -len(suffix)]  # 武汉中央商务区管理委员会 -> 武汉中央商务区
            if core.endswith(_INSTITUTION_ENDINGS):
                forms.add_full(core)
                return None
            return core
    if name.endswith("街道"):
        core = name[:-2]
        if core.endswith("街"):
            forms.add_full(core)  # 洪山街街道 is written 洪山街 ...
            forms.add_full(core[:-1] + "街道")  # ... and 洪山街道
            return None
        if core.endswith(("镇", "乡")):
            forms.add_full(core)  # 新沟镇街道 is still called 新沟镇
            return core[:-1]
        return core
    if name.endswith("街"):
        forms.add_full(name + "道")  # NBS '吴家山街' is officially 吴家山街道
        return name[:-1]
    if name.endswith(("镇", "乡")):
        return name[:-1]
    if not name.endswith(_INSTITUTION_ENDINGS):
        # A bare place name such as '桐湖' is only a short form.
        forms.full.remove(name)
        forms.add_short(name)
    return None


def county_forms(name: str, jionlp_short: str | None) -> Forms:
    forms = Forms()
    forms.add_full(name)
    if jionlp_short:
        forms.add_short(jionlp_short)
    return forms


def prefecture_forms(name: str, jionlp_short: str | None) -> Forms:
    forms = Forms()
    forms.add_full(name)
    if jionlp_short:
        forms.add_short(jionlp_short)
    return forms


def province_short_name(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
