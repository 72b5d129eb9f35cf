"""Resolve a free-text address to the jurisdiction that decides applications for it.

The address prefix is read left to right as a chain of place names (province, city, district
or zone, street), longest name first. Each name stands for a footprint of streets; the
footprints are intersected. One deciding jurisdiction left: resolved. Several: the address is
ambiguous and the candidates are returned in the error, never guessed. None in the service
area: the division found is named in `address.outside_service_area`.

Two rules keep the result predictable:
* Short forms (武昌, 关山, 光谷) count only when no road word follows: 关山大道 is a road in
  the High-tech Zone, 洪山路 lies in 武昌区; road names themselves are not used.
* An address that names a statutory district but no street means the district's own
  administration: "洪山区珞喻路1037号" is 洪山区, although four streets filed under 洪山区 are
  administered by the East Lake High-tech Zone (those are reached by naming the street or zone).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from onewindow.core.errors import ValidationFailed
from onewindow.core.gazetteer.index import LEVELS, Gazetteer, Place, get_gazetteer
from onewindow.core.gazetteer.normalize import normalize_address

_SEPARATORS = frozenset(",;:()[]{}<>/\\-_|·、。.#'\"“”‘’【】《》!?~*+=&%$@^`，；：")
# What follows a short form when it is part of a road or a village name, not a place prefix.
_ROAD_AFTER = re.compile(
    r"[0-9一二三四五六七八九十]{0,2}"
    r"(?:路|大道|大街|街(?!道|办)|巷|广场|步行街|桥|立交|隧道|村|社区|小区|公园)"
)
_SERVICE_AREA_ZH = "武汉市、襄阳市、宜昌市"
_ABOVE_DISTRICT = frozenset({"province", "prefecture", "other"})


@dataclass(frozen=True)
class AddressResolution:
    jurisdiction_code: str
    jurisdiction_name: str
    jurisdiction_kind: str  # "district" | "zone" | "city"
    city_code: str
    division_code: str | None  # county-level division (GB/T 2260), when the address fixes one
    division_name: str | None
    street_code: str | None  # NBS 9-digit code, when the address names the street
    street_name: str | None
    matched_by: str  # level of the most specific name matched, e.g. "street", "zone_short_name"
    matched: tuple[str, ...]  # the place names found, in order
    normalized: str

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["matched"] = list(self.matched)
        return data


@dataclass(frozen=True)
class Mention:
    text: str
    entries: tuple[tuple[Place, bool], ...]  # (place, matched by its full name)
    mask: int
    home: int


def resolve_address(text: object) -> AddressResolution:
    """Resolve `text`; raise a ValidationFailed with an `address.*` code otherwise."""
    normalized = normalize_address(text)
    gaz = get_gazetteer()
    mentions = scan(normalized, gaz)
    if not mentions:
        raise ValidationFailed(
            "address.unknown",
            "未能从地址中识别出湖北省内的区（县、市）或街道（乡镇），请写明",
            "No district, county or street in Hubei was recognised in the address",
            details={"normalized": normalized},
        )
    mask = -1  # all bits set: the whole gazetteer
    for index, mention in enumerate(mentions):
        if not mask & mention.mask:
            raise _conflict(gaz, mentions[:index], mention)
        mask &= mention.mask
    mask, found = _narrow_to_home(gaz, mask, mentions)
    if found == {None}:
        raise _outside(gaz, mask)
    if len(found) > 1:
        raise _ambiguous(gaz, mask, mentions)
    code = found.pop()
    assert code is not None
    return _resolution(gaz, code, mask, mentions, normalized)


def scan(text: str, gaz: Gazetteer) -> list[Mention]:
    """The chain of place names at the start of the address (after any leading label)."""
    position = _start(text, gaz)
    mentions: list[Mention] = []
    while position < len(text):
        while position < len(text) and text[position] in _SEPARATORS:
            position += 1
        mention = _match_at(
            text,
            position,
            gaz,
            full_only=False,
            after_district=any(_is_district_level(m) for m in mentions),
        )
        if mention is not None:
            mentions.append(mention)
            position += len(mention.text)
            if not mention.mask & gaz.hubei_mask:
                break  # outside Hubei: the names that follow are not in the gazetteer
            continue
        noise = _noise_at(text, position, gaz)
        if not noise:
            break
        position += noise
    return mentions


def _start(text: str, gaz: Gazetteer) -> int:
    """Where the place names begin: at once, or at the first full name ("地址:武汉市...")."""
    first = 0
    while first < len(text) and text[first] in _SEPARATORS:
        first += 1
    if _match_at(text, first, gaz, full_only=False) or _noise_at(text, first, gaz):
        return first
    for position in range(first + 1, len(text)):
        if _match_at(text, position, gaz, full_only=True):
            return position
    return len(text)


def _match_at(
    text: str, position: int, gaz: Gazetteer, *, full_only: bool, after_district: bool = False
) -> Mention | None:
    """The longest place name at `position`. Short forms are dropped before a road word, and
    after a district only short forms of streets count: in "洪山区光谷国际广场" 光谷 is part of
    a building's name, not the High-tech Zone."""
    if position >= len(text):
        return None
    for length in gaz.lengths.get(text[position], ()):
        name = text[position : position + length]
        entries = gaz.index.get(name)
        if not entries or len(name) < length:
            continue
        if full_only or _ROAD_AFTER.match(text, position + length):
            entries = [e for e in entries if e[1]]
        elif after_district:
            entries = [e for e in entries if e[1] or e[0].kind == "street"]
        mask = home = 0
        for place, _full in entries:
            mask |= place.mask
            home |= place.home
        if mask:
            return Mention(name, tuple(entries), mask, home)
    return None


def _is_district_level(mention: Mention) -> bool:
    return any(place.kind not in _ABOVE_DISTRICT for place, _ in mention.entries)


def _noise_at(text: str, position: int, gaz: Gazetteer) -> int:
    for length in gaz.lengths.get(text[position : position + 1], ()):
        if text[position : position + length] in gaz.noise:
            return length
    return 0


def _narrow_to_home(
    gaz: Gazetteer, mask: int, mentions: list[Mention]
) -> tuple[int, set[str | None]]:
    """Where the names leave a choice, take what each of them means on its own (its home):
    "洪山区" alone is 洪山区's own streets, not the zone streets filed under it."""
    home = mask
    for mention in mentions:
        home &= mention.home
    if home and len(narrowed := gaz.jurisdictions_of(home)) == 1:
        return home, narrowed
    return mask, gaz.jurisdictions_of(mask)


def _resolution(
    gaz: Gazetteer, code: str, mask: int, mentions: list[Mention], normalized: str
) -> AddressResolution:
    jurisdiction = gaz.jurisdictions[code]
    counties = gaz.counties_of(mask)
    county = counties[0] if len(counties) == 1 else None
    street = None
    names_street = any(p.kind == "street" and p.mask & mask for m in mentions for p, _ in m.entries)
    if names_street and mask.bit_count() == 1:
        street = gaz.streets[mask.bit_length() - 1]
    return AddressResolution(
        jurisdiction_code=code,
        jurisdiction_name=jurisdiction.name_zh,
        jurisdiction_kind=jurisdiction.kind,
        city_code=jurisdiction.city,
        division_code=county.code if county else None,
        division_name=county.name if county else None,
        street_code=street.code if street else None,
        street_name=street.name if street else None,
        matched_by=_matched_by(mentions, mask),
        matched=tuple(m.text for m in mentions),
        normalized=normalized,
    )


def _matched_by(mentions: list[Mention], mask: int) -> str:
    """Level of the most specific mention (smallest footprint; the later one on a tie)."""
    best = min(reversed(mentions), key=lambda m: m.mask.bit_count())
    used = [(p, full) for p, full in best.entries if p.mask & mask] or list(best.entries)
    place, full = min(used, key=lambda e: (LEVELS.index(e[0].kind), not e[1]))
    return place.kind if full else f"{place.kind}_short_name"


def _candidates(gaz: Gazetteer, mask: int, *, per_street: bool) -> list[dict[str, Any]]:
    if per_street and mask.bit_count() <= 30:
        return [_street_candidate(gaz, bit) for bit in gaz.bits(mask)]
    out = []
    for code, jurisdiction in gaz.jurisdictions.items():
        part = mask & gaz.jurisdiction_masks[code]
        if part:
            counties = [gaz.counties[code]] if code in gaz.counties else gaz.counties_of(part)
            out.append(
                _candidate(code, jurisdiction.name_zh, counties[0] if len(counties) == 1 else None)
            )
    outside = mask & ~_service_mask(gaz)
    if outside:
        counties = gaz.counties_of(outside)
        places = counties if len(counties) <= 10 else gaz.prefectures_of(outside)
        places += [p for p in gaz.outside_of(outside) if p.code.endswith("0000")]
        out += [_candidate(None, None, p) for p in places]
    return out


def _candidate(code: str | None, name: str | None, division: Place | None) -> dict[str, Any]:
    return {
        "jurisdiction_code": code,
        "jurisdiction_name": name,
        "division_code": division.code if division else None,
        "division_name": division.name if division else None,
        "street_code": None,
        "street_name": None,
    }


def _street_candidate(gaz: Gazetteer, bit: int) -> dict[str, Any]:
    street = gaz.streets[bit]
    jurisdiction = gaz.jurisdictions.get(street.jurisdiction or "")
    county = gaz.counties[street.county]
    return {
        "jurisdiction_code": street.jurisdiction,
        "jurisdiction_name": jurisdiction.name_zh if jurisdiction else None,
        "division_code": county.code,
        "division_name": county.name,
        "street_code": street.code,
        "street_name": street.name,
    }


def _service_mask(gaz: Gazetteer) -> int:
    out = 0
    for m in gaz.jurisdiction_masks.values():
        out |= m
    return out


def _is_street_level(mentions: list[Mention]) -> bool:
    return any(p.kind == "street" for p, _ in mentions[-1].entries)


def _label(candidate: dict[str, Any]) -> str:
    parts = [candidate["division_name"], candidate["street_name"]]
    place = "".join(p for p in parts if p)
    if candidate["jurisdiction_name"] is None:
        return f"{place}（服务范围外）"
    if place and candidate["jurisdiction_name"] != place:
        return f"{place}→{candidate['jurisdiction_name']}"
    return candidate["jurisdiction_name"]


def _ambiguous(gaz: Gazetteer, mask: int, mentions: list[Mention]) -> ValidationFailed:
    candidates = _candidates(gaz, mask, per_street=_is_street_level(mentions))
    labels = "、".join(_label(c) for c in candidates[:8]) + ("等" if len(candidates) > 8 else "")
    return ValidationFailed(
        "address.ambiguous",
        f"地址可能属于多个辖区（{labels}），请写明区（县、市）和街道（乡镇）",
        f"The address matches {len(candidates)} places in different jurisdictions; "
        "name the district and the street",
        details={
            "reason": "several_matches",
            "matched": [m.text for m in mentions],
            "candidates": candidates,
        },
    )


def _conflict(gaz: Gazetteer, before: list[Mention], mention: Mention) -> ValidationFailed:
    """Two names that cannot both hold ("武昌区关山街道"): list what each of them means."""
    mask = -1
    for earlier in before:
        mask &= earlier.mask
    mask, _ = _narrow_to_home(gaz, mask, before)
    own, _ = _narrow_to_home(gaz, mention.mask, [mention])
    candidates = _candidates(gaz, mask, per_street=_is_street_level(before))
    candidates += [
        c
        for c in _candidates(gaz, own, per_street=_is_street_level([mention]))
        if c not in candidates
    ]
    first = before[-1].text
    return ValidationFailed(
        "address.ambiguous",
        f"地址中的地名互相矛盾（“{first}”与“{mention.text}”不在同一辖区），请核对",
        f"Place names in the address contradict each other ({first} / {mention.text})",
        details={
            "reason": "conflict",
            "matched": [m.text for m in [*before, mention]],
            "candidates": candidates,
        },
    )


def _outside(gaz: Gazetteer, mask: int) -> ValidationFailed:
    division = _common_division(gaz, mask)
    return ValidationFailed(
        "address.outside_service_area",
        f"地址位于{division['name']}，不在本平台的服务范围（{_SERVICE_AREA_ZH}）内",
        f"The address is in {division['name']}, outside the service area "
        "(Wuhan, Xiangyang, Yichang)",
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
