"""Hypothesis properties of the address resolver."""

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
        return ("error", error.code)
    return (r.jurisdiction_code, r.division_code, r.street_code, r.matched_by)


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
