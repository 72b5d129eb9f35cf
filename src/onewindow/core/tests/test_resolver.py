"""Address resolver: the rules that make its answers predictable, and its errors."""

from __future__ import annotations

import pytest

from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.core.gazetteer import AddressResolution, resolve_address
from onewindow.core.gazetteer.normalize import MAX_LENGTH


def error_of(text: object) -> DomainError:
    with pytest.raises(DomainError) as caught:
        resolve_address(text)
    assert isinstance(caught.value, ValidationFailed)
    assert caught.value.message_zh and caught.value.message_en
    return caught.value


def test_full_address_gives_every_level() -> None:
    r = resolve_address("湖北省武汉市洪山区关山街道珞喻路1037号")
    assert r == AddressResolution(
        jurisdiction_code="420111",
        jurisdiction_name="洪山区",
        jurisdiction_kind="district",
        city_code="420100",
        division_code="420111",
        division_name="洪山区",
        street_code="420111002",
        street_name="关山街道",
        matched_by="street",
        matched=("湖北省", "武汉市", "洪山区", "关山街道"),
        normalized="湖北省武汉市洪山区关山街道珞喻路1037号",
    )
    assert r.as_dict()["matched"] == ["湖北省", "武汉市", "洪山区", "关山街道"]


def test_zone_street_routes_to_the_zone_whatever_district_is_named() -> None:
    r = resolve_address("武汉市江夏区佛祖岭街道高新大道")
    assert (r.jurisdiction_code, r.jurisdiction_kind, r.division_code, r.street_name) == (
        "ZONE_EHTZ",
        "zone",
        "420115",
        "佛祖岭街道",
    )


def test_district_without_street_means_its_own_administration() -> None:
    assert resolve_address("洪山区珞喻路1037号").jurisdiction_code == "420111"
    assert resolve_address("江夏区文化大道").jurisdiction_code == "420115"
    assert resolve_address("蔡甸区知音湖大道").jurisdiction_code == "420114"
    # ... except 汉南区, which the development zone administers as a whole.
    assert resolve_address("汉南区汉南大道").jurisdiction_code == "ZONE_EDZ"


def test_zone_alone_has_no_county_division() -> None:
    r = resolve_address("武汉东湖新技术开发区")
    assert (r.jurisdiction_code, r.division_code, r.street_code, r.matched_by) == (
        "ZONE_EHTZ",
        None,
        None,
        "zone",
    )


def test_short_form_before_a_road_word_is_not_a_place() -> None:
    # 关山大道 is a road in the zone, 洪山路 a road in 武昌区, 汉阳大道 a road.
    assert error_of("关山大道1号").code == "address.unknown"
    assert error_of("武汉市洪山路").code == "address.ambiguous"  # only 武汉市 is left
    assert resolve_address("武昌区洪山路").jurisdiction_code == "420106"
    assert resolve_address("关山1号").street_code == "420111002"


def test_after_a_district_only_street_short_forms_count() -> None:
    # 光谷国际广场 is a building's name in 洪山区, not the High-tech Zone.
    r = resolve_address("洪山区光谷国际广场")
    assert (r.jurisdiction_code, r.matched) == ("420111", ("洪山区",))
    # ... but 光谷 after the city names the zone.
    assert resolve_address("武汉市光谷软件园").jurisdiction_code == "ZONE_EHTZ"


def test_matched_by_names_the_most_specific_level() -> None:
    assert resolve_address("武昌").matched_by == "county_short_name"
    assert resolve_address("沌口").matched_by == "street_short_name"
    assert resolve_address("光谷").matched_by == "zone_short_name"
    assert resolve_address("汉阳县").matched_by == "historical_name"
    assert resolve_address("襄阳市").matched_by == "prefecture"
    assert resolve_address("蔡甸").matched_by == "county_short_name"  # also 蔡甸街道's core


def test_city_wide_jurisdiction_resolves_from_the_city_alone() -> None:
    r = resolve_address("湖北省襄阳市")
    assert (r.jurisdiction_code, r.division_code, r.city_code) == ("420600", None, "420600")


def test_street_administered_across_district_lines() -> None:
    for text in ("八吉府街道", "洪山区八吉府街道", "青山区八吉府街道"):
        r = resolve_address(text)
        assert (r.jurisdiction_code, r.division_code, r.street_code) == (
            "420107",
            "420111",
            "420111061",
        )
    assert resolve_address("青山区").division_code == "420107"


def test_ambiguous_street_lists_every_candidate() -> None:
    error = error_of("李集街道")
    assert error.code == "address.ambiguous"
    assert error.details["candidates"] == [
        {
            "jurisdiction_code": "420116",
            "jurisdiction_name": "黄陂区",
            "division_code": "420116",
            "division_name": "黄陂区",
            "street_code": "420116010",
            "street_name": "李集街道",
        },
        {
            "jurisdiction_code": "420117",
            "jurisdiction_name": "新洲区",
            "division_code": "420117",
            "division_name": "新洲区",
            "street_code": "420117005",
            "street_name": "李集街道",
        },
    ]


def test_city_narrows_an_ambiguous_street() -> None:
    assert resolve_address("武汉市张湾街道").street_code == "420114006"
    assert resolve_address("襄阳市张湾街道").street_code == "420607001"


def test_town_in_several_counties_is_ambiguous_including_outside_ones() -> None:
    error = error_of("城关镇")
    candidates = error.details["candidates"]
    assert len(candidates) == 11
    inside = [c["division_name"] for c in candidates if c["jurisdiction_code"] == "420600"]
    assert inside == ["南漳县", "谷城县", "保康县"]


def test_conflicting_names_list_what_each_means() -> None:
    error = error_of("武昌区关山街道")
    assert error.code == "address.ambiguous"
    assert error.details["reason"] == "conflict"
    assert [(c["jurisdiction_code"], c["street_code"]) for c in error.details["candidates"]] == [
        ("420106", None),
        ("420111", "420111002"),
    ]


def test_colloquial_name_for_several_districts() -> None:
    error = error_of("汉口火车站")
    assert [c["jurisdiction_code"] for c in error.details["candidates"]] == [
        "420102",
        "420103",
        "420104",
    ]


def test_development_zone_short_name_needs_the_city() -> None:
    error = error_of("经开区")
    assert [(c["jurisdiction_code"], c["division_code"]) for c in error.details["candidates"]] == [
        ("ZONE_EDZ", None),
        (None, "421071"),
    ]
    assert resolve_address("武汉经开区").jurisdiction_code == "ZONE_EDZ"


def test_outside_the_service_area_names_the_division() -> None:
    error = error_of("湖北省荆州市沙市区北京路")
    assert error.code == "address.outside_service_area"
    assert error.details == {
        "division_code": "421002",
        "division_name": "荆州市沙市区",
        "level": "county",
    }
    assert "荆州市沙市区" in error.message_zh
    assert error_of("黄冈市").details["division_code"] == "421100"
    assert error_of("上海市浦东新区").details == {
        "division_code": "310000",
        "division_name": "上海市",
        "level": "province",
    }


def test_leading_label_is_skipped() -> None:
    assert resolve_address("注册地址：武汉市江岸区沿江大道").jurisdiction_code == "420102"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "address.empty"),
        (None, "address.empty"),
        ("   \u3000\t\n", "address.empty"),
        ("\u200b\u200b", "address.empty"),
        (12345, "address.invalid"),
        (["武汉市"], "address.invalid"),
        ("武" * (MAX_LENGTH + 1), "address.too_long"),
        ("洪山区" + " " * 5000, "address.too_long"),
        ("hello world", "address.unknown"),
        ("1037号", "address.unknown"),
    ],
)
def test_bad_input_gets_a_clear_error(text: object, code: str) -> None:
    assert error_of(text).code == code


def test_long_but_acceptable_address() -> None:
    text = "武汉市洪山区" + "珞" * (MAX_LENGTH - 6)
    assert resolve_address(text).jurisdiction_code == "420111"
