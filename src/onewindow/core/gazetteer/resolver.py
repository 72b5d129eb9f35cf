"""Resolve a free-text address to the jurisdiction that decides applications for it.

The address prefix is read left to right as a chain of place names (province, city, district
or zone, street), longest name first. Each name stands for a footprint of streets; the
footprints are intersected. One deciding jurisdiction left: resolved. Several: the address is
ambiguous and the candidates are returned in the error, never guessed. None in the service
area: the division found is named in `address.outside_service_area`.

Two rules keep the result predictable:
* Short forms (武昌, 关山, 光谷) count only when no road word follows: 关山大道 is a road in
  the High-tech Zone, 洪山路 lies in 武昌区; road names themselves are not used.
* A district named without a street decides only when the district administers all of its
  streets itself ("江汉区江汉路118号" is 江汉区). When functional zones administer some of its
  streets ("洪山区珞喻路1037号": 洪山区, the High-tech Zone or the Scenic Area), the address is
  `address.ambiguous` (reason `district_without_street`) and only the street decides. 汉南区,
  administered as a whole by the development zone, is ZONE_EDZ.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from onewindow.core.errors import ValidationFailed
from onewindow.core.gazetteer import ambiguity
from onewindow.core.gazetteer.index import LEVELS, Gazetteer, Place, get_gazetteer
from onewindow.core.gazetteer.normalize import normalize_address

_SEPARATORS = frozenset(",;:()[]{}<>/\\-_|·、。.#'\"“”‘’【】《》!?~*+=&%$@^`，；：")
# What follows a short form when it is part of a road or a village name, not a place prefix.
_ROAD_AFTER = re.compile(
    r"[0-9一二三四五六七八九十]{0,2}"
    r"(?:路|大道|大街|街(?!道|办)|巷|广场|步行街|桥|立交|隧道|村|社区|小区|公园)"
)
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
        raise ambiguity.outside(gaz, mask)
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
    """Take what the names mean on their own (their homes), where that leaves anything:
    "洪山区" alone is 洪山区's streets and the zone streets filed under it, not 八吉府街道 that
    青山区 administers; "洪山区八吉府街道" has no home left and keeps the footprint."""
    home = mask
    for mention in mentions:
        home &= mention.home
    if home:
        return home, gaz.jurisdictions_of(home)
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


def _is_street_level(mentions: list[Mention]) -> bool:
    return any(p.kind == "street" for p, _ in mentions[-1].entries)


def _district_without_street(gaz: Gazetteer, mask: int, mentions: list[Mention]) -> Place | None:
    """The split district the address stops at, if it names one and no street. A mention that
    can also be read as the district ("蔡甸": 蔡甸区 or 蔡甸街道) is not a street."""
    counties = gaz.counties_of(mask)
    if len(counties) != 1 or counties[0].code not in gaz.zones_in:
        return None
    for mention in mentions:
        kinds = {p.kind for p, _ in mention.entries if p.mask & mask}
        if "street" in kinds and not kinds & {"county", "alias", "historical_name"}:
            return None
    return counties[0]


def _ambiguous(gaz: Gazetteer, mask: int, mentions: list[Mention]) -> ValidationFailed:
    matched = [m.text for m in mentions]
    county = _district_without_street(gaz, mask, mentions)
    if county is not None:
        return ambiguity.district_without_street(gaz, county, mask, matched)
    return ambiguity.several_matches(gaz, mask, matched, per_street=_is_street_level(mentions))


def _conflict(gaz: Gazetteer, before: list[Mention], mention: Mention) -> ValidationFailed:
    """Two names that cannot both hold ("武昌区关山街道"): list what each of them means."""
    mask = -1
    for earlier in before:
        mask &= earlier.mask
    mask, _ = _narrow_to_home(gaz, mask, before)
    own, _ = _narrow_to_home(gaz, mention.mask, [mention])
    found = ambiguity.candidates(gaz, mask, per_street=_is_street_level(before))
    found += [
        c
        for c in ambiguity.candidates(gaz, own, per_street=_is_street_level([mention]))
        if c not in found
    ]
    matched = [m.text for m in [*before, mention]]
    return ambiguity.conflict(found, before[-1].text, mention.text, matched)
