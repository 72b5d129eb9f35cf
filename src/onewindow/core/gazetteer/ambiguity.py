"""The resolver's refusals: candidates and the Chinese and English errors that list them.

Every `address.ambiguous` error carries `details["candidates"]`, each candidate a dict with the
same keys (jurisdiction code and Chinese and English names, statutory division, street when
one is named, and a hint in both languages saying what to add to the address), and names the
candidates in its message too, so an applicant reading only the message knows the choices.
`reason` says why the address is ambiguous:
* `several_matches` — the names fit places in several jurisdictions (城关镇, 汉口, 武汉市);
* `district_without_street` — a district is named without a street, and functional zones
  administer some of its streets (洪山区, 江夏区, 蔡甸区, 武昌区): only the street can decide;
* `conflict` — two names that cannot both hold (武昌区关山街道).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from onewindow.core.errors import ValidationFailed
from onewindow.core.gazetteer.index import Gazetteer, Place

SERVICE_AREA_ZH = "武汉市、襄阳市、宜昌市"
SERVICE_AREA_EN = "Wuhan, Xiangyang, Yichang"
ADD_STREET = ("请写明街道（乡镇）", "please add the street (township)")
ADD_DISTRICT_AND_STREET = (
    "请写明区（县、市）和街道（乡镇）",
    "please add the district (county) and the street (township)",
)
OUTSIDE = (
    f"不在本平台的服务范围（{SERVICE_AREA_ZH}）内",
    f"outside the service area ({SERVICE_AREA_EN})",
)
_SHOWN = 8  # candidates named in a message; all of them are in details


def candidates(gaz: Gazetteer, mask: int, *, per_street: bool) -> list[dict[str, Any]]:
    """One candidate per street when a street name is what is ambiguous (and they are few),
    else one per jurisdiction, then the places outside the service area."""
    if per_street and mask.bit_count() <= 30:
        return [_street_candidate(gaz, bit) for bit in gaz.bits(mask)]
    out = []
    for code in gaz.jurisdictions:
        part = mask & gaz.jurisdiction_masks[code]
        if part:
            counties = [gaz.counties[code]] if code in gaz.counties else gaz.counties_of(part)
            division = counties[0] if len(counties) == 1 else None
            out.append(_candidate(gaz, code, division, _hint(gaz, code, mask, division)))
    outside = mask & ~_service_mask(gaz)
    if outside:
        counties = gaz.counties_of(outside)
        places = counties if len(counties) <= 10 else gaz.prefectures_of(outside)
        places += [p for p in gaz.outside_of(outside) if p.code.endswith("0000")]
        out += [_candidate(gaz, None, p, OUTSIDE) for p in places]
    return out


def _candidate(
    gaz: Gazetteer, code: str | None, division: Place | None, hint: tuple[str, str]
) -> dict[str, Any]:
    jurisdiction = gaz.jurisdictions[code] if code else None
    return {
        "jurisdiction_code": code,
        "jurisdiction_name": jurisdiction.name_zh if jurisdiction else None,
        "jurisdiction_name_en": jurisdiction.name_en if jurisdiction else None,
        "division_code": division.code if division else None,
        "division_name": division.name if division else None,
        "street_code": None,
        "street_name": None,
        "hint_zh": hint[0],
        "hint_en": hint[1],
    }


def _street_candidate(gaz: Gazetteer, bit: int) -> dict[str, Any]:
    street = gaz.streets[bit]
    county = gaz.counties[street.county]
    if street.jurisdiction is None:
        hint = OUTSIDE
    else:
        written = county.name + street.name
        hint = (f"如在{county.name}，请写为“{written}”", f"if in {county.name}, write “{written}”")
    return {
        **_candidate(gaz, street.jurisdiction, county, hint),
        "street_code": street.code,
        "street_name": street.name,
    }


def _hint(gaz: Gazetteer, code: str, mask: int, division: Place | None) -> tuple[str, str]:
    """What to write to land in jurisdiction `code`; for a zone, which of its streets these are."""
    jurisdiction = gaz.jurisdictions[code]
    part = mask & gaz.jurisdiction_masks[code]
    if jurisdiction.kind == "zone":
        names = _unique(gaz.streets[bit].name for bit in gaz.bits(part))
        verb = "is" if len(names) == 1 else "are"
        zh = f"{'、'.join(names)}由{jurisdiction.name_zh}管理，请写明街道（乡镇）"
        en = f"{', '.join(names)} {verb} administered by the {jurisdiction.name_en}; "
        return zh, en + ADD_STREET[1]
    if division is not None and mask & gaz.statutory.get(division.code, 0) & ~part:
        # The district shares the footprint with zones working inside it.
        zh = f"{division.name}的其他街道（乡镇）由{jurisdiction.name_zh}管理，请写明街道（乡镇）"
        en = (
            f"the other streets of {jurisdiction.name_en} are administered by the district itself; "
        )
        return zh, en + ADD_STREET[1]
    return ADD_DISTRICT_AND_STREET


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _service_mask(gaz: Gazetteer) -> int:
    out = 0
    for m in gaz.jurisdiction_masks.values():
        out |= m
    return out


def _labels(found: list[dict[str, Any]], *, names_only: bool = False) -> tuple[str, str]:
    """The candidates as readable text in both languages: "洪山区、东湖新技术开发区", or, when
    the place tells them apart, "黄陂区李集街道→黄陂区"."""
    zh, en = [], []
    for c in found[:_SHOWN]:
        place = "".join(p for p in (c["division_name"], c["street_name"]) if p)
        if c["jurisdiction_code"] is None:
            zh.append(f"{place}（服务范围外）")
            en.append(f"{place} (outside the service area)")
        elif place and place != c["jurisdiction_name"] and not names_only:
            zh.append(f"{place}→{c['jurisdiction_name']}")
            en.append(f"{place} → {c['jurisdiction_name_en']}")
        else:
            zh.append(c["jurisdiction_name"])
            en.append(c["jurisdiction_name_en"])
    more = len(found) - _SHOWN
    if more > 0:
        return "、".join(zh) + f"等{len(found)}个", ", ".join(en) + f" and {more} more"
    return "、".join(zh), ", ".join(en)


def several_matches(
    gaz: Gazetteer, mask: int, matched: list[str], *, per_street: bool
) -> ValidationFailed:
    found = candidates(gaz, mask, per_street=per_street)
    zh, en = _labels(found)
    return ValidationFailed(
        "address.ambiguous",
        f"地址对应多个辖区，可能属于：{zh}。请写明区（县、市）和街道（乡镇）",
        f"The address matches {len(found)} places in different jurisdictions and may belong "
        f"to: {en}. Please add the district (county) and the street (township).",
        details={"reason": "several_matches", "matched": matched, "candidates": found},
    )


def district_without_street(
    gaz: Gazetteer, county: Place, mask: int, matched: list[str]
) -> ValidationFailed:
    """A district named alone whose streets are split between it and functional zones."""
    found = candidates(gaz, mask, per_street=False)
    zh, en = _labels(found, names_only=True)
    zones = [gaz.jurisdictions[z] for z in gaz.zones_in[county.code]]
    zones_zh = "、".join(z.name_zh for z in zones)
    zones_en = " and ".join(f"the {z.name_en}" for z in zones)
    own = gaz.jurisdictions.get(county.code)
    county_en = own.name_en if own else county.name
    return ValidationFailed(
        "address.ambiguous",
        f"地址只写到{county.name}，没有写街道（乡镇）；{county.name}的部分街道由{zones_zh}管理，"
        f"可能属于：{zh}。请写明街道（乡镇）",
        f"The address names {county_en} but no street (township); some of its streets are "
        f"administered by {zones_en}, so it may belong to: {en}. "
        "Please add the street (township).",
        details={
            "reason": "district_without_street",
            "matched": matched,
            "division_code": county.code,
            "division_name": county.name,
            "candidates": found,
        },
    )


def conflict(
    found: list[dict[str, Any]], first: str, second: str, matched: list[str]
) -> ValidationFailed:
    zh, en = _labels(found)
    return ValidationFailed(
        "address.ambiguous",
        f"地址中的地名互相矛盾（“{first}”与“{second}”不在同一辖区），可能属于：{zh}。请核对",
        f"Place names in the address contradict each other ({first} / {second}); it may "
        f"belong to: {en}. Please check the address.",
        details={"reason": "conflict", "matched": matched, "candidates": found},
    )


def outside(gaz: Gazetteer, mask: int) -> ValidationFailed:
    division = _common_division(gaz, mask)
    return ValidationFailed(
        "address.outside_service_area",
        f"地址位于{division['name']}，不在本平台的服务范围（{SERVICE_AREA_ZH}）内",
        f"The address is in {division['name']}, outside the service area ({SERVICE_AREA_EN})",
        details={
            "division_code": division["code"],
            "division_name": division["name"],
            "level": division["level"],
        },
    )


def _common_division(gaz: Gazetteer, mask: int) -> dict[str, str]:
    counties = gaz.counties_of(mask)
    prefectures = gaz.prefectures_of(mask)
    if len(counties) == 1:
        county = counties[0]
        prefix = prefectures[0].name if prefectures and prefectures[0].code != "429000" else ""
        return {"code": county.code, "name": prefix + county.name, "level": "county"}
    if len(prefectures) == 1:
        return {"code": prefectures[0].code, "name": prefectures[0].name, "level": "prefecture"}
    if counties:
        return {"code": "420000", "name": "湖北省", "level": "province"}
    outside = sorted(gaz.outside_of(mask), key=lambda p: p.mask.bit_count())
    level = "province" if outside[0].code.endswith("0000") else "prefecture"
    return {"code": outside[0].code, "name": outside[0].name, "level": level}
