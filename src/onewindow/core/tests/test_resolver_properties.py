"""Hypothesis properties of the address resolver.

`outcome` compares errors by code, reason and candidate jurisdictions, so "prefixing the city
changes nothing" also means "changes no candidate". The district-without-street rule is stated
here from the street table itself (which jurisdiction administers each street NBS files under
a district), independently of the footprints the resolver uses.
"""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onewindow.core.errors import DomainError
from onewindow.core.gazetteer import resolve_address
from onewindow.core.gazetteer.index import get_gazetteer

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PLACE_WORDS = [
    "武汉市",
    "洪山区",
    "光谷",
    "关山",
    "湖北",
    "城关镇",
    "汉口",
    "经开区",
    "北京市",
    "襄樊",
    "路",
    "大道",
    "（",
    "　",
    "１",
    "街道",
    "东湖风景区街道",
]
TAILS = [
    "",
    "珞喻路1037号",
    "解放大道8号",
    "文化大道1号",
    "人民路12号",
    "新华路3号附1号",
    "88号",
    "金融港B栋",
]


def _district_addresses() -> list[tuple[str, str]]:
    """(city name, address) for every county-level division of the three service cities and
    every street there whose name is unique in Hubei."""
    gaz = get_gazetteer()
    cities = {"420100": "武汉市", "420500": "宜昌市", "420600": "襄阳市"}
    out = []
    for county in gaz.counties.values():
        city = cities.get(county.code[:4] + "00")
        if city:
            out.append((city, county.name))
    names = [s.name for s in gaz.streets]
    for street in gaz.streets:
        city = cities.get(street.code[:4] + "00")
        if city and names.count(street.name) == 1:
            out.append((city, gaz.counties[street.county].name + street.name))
    return out


ADDRESSES = _district_addresses()


def outcome(text: str) -> tuple:
    try:
        r = resolve_address(text)
    except DomainError as error:
        details = error.details or {}
        found = tuple(c["jurisdiction_code"] for c in details.get("candidates", []))
        return ("error", error.code, details.get("reason"), found)
    return (r.jurisdiction_code, r.division_code, r.street_code, r.matched_by)


def _wuhan_districts() -> list[tuple[str, list[str]]]:
    """(district name, the jurisdictions an address naming only it may belong to): its own
    and those of zones administering streets filed under it; not 青山区 for 八吉府街道, which
    is administered by another district and so is not part of what "洪山区" means."""
    gaz = get_gazetteer()
    order = list(gaz.jurisdictions)
    out = []
    for county in gaz.counties.values():
        if county.code[:4] != "4201":
            continue
        found = {
            s.jurisdiction
            for s in gaz.streets
            if s.county == county.code
            and s.jurisdiction is not None
            and (s.jurisdiction == county.code or gaz.jurisdictions[s.jurisdiction].kind == "zone")
        }
        out.append((county.name, sorted(found, key=order.index)))
    return out


WUHAN_DISTRICTS = _wuhan_districts()
WUHAN_STREETS = [
    (get_gazetteer().counties[s.county].name, s.name, s.jurisdiction)
    for s in get_gazetteer().streets
    if s.county[:4] == "4201"
]


@SETTINGS
@given(
    st.lists(st.one_of(st.text(max_size=30), st.sampled_from(PLACE_WORDS)), max_size=8).map("".join)
)
def test_only_domain_errors_on_arbitrary_text(text: str) -> None:
    with contextlib.suppress(DomainError):
        resolve_address(text)


@SETTINGS
@given(
    st.sampled_from(ADDRESSES),
    st.sampled_from(TAILS),
    st.sampled_from(["湖北省", "湖北", "", "中国湖北省"]),
    st.booleans(),
)
def test_prefixing_province_and_city_changes_nothing(
    pair: tuple[str, str], tail: str, province: str, short_city: bool
) -> None:
    city, address = pair
    city_name = city[:-1] if short_city else city
    assert outcome(province + city_name + address + tail) == outcome(address + tail)


@st.composite
def spaced_and_widened(draw: st.DrawFn, text: str) -> str:
    out = []
    for ch in text:
        if draw(st.booleans()) and "!" <= ch <= "~":
            ch = chr(ord(ch) + 0xFEE0)  # the full-width form of an ASCII character
        out.append(ch)
        out.append(draw(st.sampled_from(["", "", " ", "\u3000", "\t", "\u200b"])))
    return "".join(out)


@SETTINGS
@given(
    st.data(),
    st.sampled_from(
        [
            *ADDRESSES,
            ("", "武汉市江岸区沿江大道188号"),
            ("", "湖北省武汉市洪山区珞喻路1037号"),
            ("", "城关镇"),
            ("", "光谷大道77号"),
        ]
    ),
)
def test_whitespace_and_full_width_do_not_matter(
    data: st.DataObject, pair: tuple[str, str]
) -> None:
    address = pair[0] + pair[1] + "12号"
    variant = data.draw(spaced_and_widened(address))
    assert outcome(variant) == outcome(address)


def test_the_rule_covers_the_districts_the_data_splits() -> None:
    split = {name: found for name, found in WUHAN_DISTRICTS if len(found) > 1}
    assert split == {
        "武昌区": ["420106", "ZONE_SCENIC"],
        "洪山区": ["420111", "ZONE_EHTZ", "ZONE_SCENIC"],
        "蔡甸区": ["420114", "ZONE_EDZ"],
        "江夏区": ["420115", "ZONE_EHTZ"],
    }
    assert dict(WUHAN_DISTRICTS)["汉南区"] == ["ZONE_EDZ"]


@SETTINGS
@given(
    st.sampled_from(WUHAN_DISTRICTS),
    st.sampled_from(TAILS),
    st.sampled_from(["", "武汉市", "湖北省武汉市", "武汉"]),
)
def test_district_without_street_decides_only_when_nothing_else_can(
    district: tuple[str, list[str]], tail: str, prefix: str
) -> None:
    name, found = district
    got = outcome(prefix + name + tail)
    if len(found) == 1:
        assert got[0] == found[0]
    else:
        assert got == ("error", "address.ambiguous", "district_without_street", tuple(found))


@SETTINGS
@given(
    st.sampled_from(WUHAN_STREETS),
    st.sampled_from(TAILS),
    st.sampled_from(["", "武汉市", "湖北省武汉市"]),
)
def test_district_with_its_street_the_street_decides(
    street: tuple[str, str, str], tail: str, prefix: str
) -> None:
    district, name, jurisdiction = street
    assert outcome(prefix + district + name + tail)[0] == jurisdiction
