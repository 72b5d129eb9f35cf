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


def codes(error: DomainError) -> list[str | None]:
    return [c["jurisdiction_code"] for c in error.details["candidates"]]


def test_district_without_street_decides_when_it_administers_all_its_streets() -> None:
    assert resolve_address("江汉区江汉路118号").jurisdiction_code == "420103"
    assert resolve_address("武汉市青山区冶金大道").jurisdiction_code == "420107"
    # 汉南区 is administered as a whole by the development zone: not ambiguous.
    r = resolve_address("武汉市汉南区汉南大道")
    assert (r.jurisdiction_code, r.division_code, r.street_code) == ("ZONE_EDZ", "420113", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("武汉市洪山区", ["420111", "ZONE_EHTZ", "ZONE_SCENIC"]),
        ("洪山区珞喻路1037号", ["420111", "ZONE_EHTZ", "ZONE_SCENIC"]),
        ("武汉市洪山区关山大道1号", ["420111", "ZONE_EHTZ", "ZONE_SCENIC"]),
        ("江夏区文化大道", ["420115", "ZONE_EHTZ"]),
        ("蔡甸区知音湖大道", ["420114", "ZONE_EDZ"]),
        ("武昌区武珞路628号", ["420106", "ZONE_SCENIC"]),
        ("武昌中南路99号", ["420106", "ZONE_SCENIC"]),  # short form of the district
        ("汉阳县", ["420114", "ZONE_EDZ"]),  # former name of 蔡甸区
        ("蔡甸", ["420114", "ZONE_EDZ"]),  # 蔡甸区 or 蔡甸街道: the district reading stays
    ],
)
def test_district_with_zone_streets_and_no_street_is_ambiguous(
    text: str, expected: list[str]
) -> None:
    error = error_of(text)
    assert error.code == "address.ambiguous"
    assert error.details["reason"] == "district_without_street"
    assert codes(error) == expected


def test_district_without_street_error_names_the_choices() -> None:
    error = error_of("武汉市洪山区珞喻路1037号")
    assert error.message_zh == (
        "地址只写到洪山区，没有写街道（乡镇）；洪山区的部分街道由东湖新技术开发区、"
        "东湖生态旅游风景区管理，可能属于：洪山区、东湖新技术开发区、东湖生态旅游风景区。"
        "请写明街道（乡镇）"
    )
    assert error.message_en == (
        "The address names Hongshan District but no street (township); some of its streets "
        "are administered by the East Lake High-tech Development Zone and the East Lake "
        "Ecological Scenic Area, so it may belong to: Hongshan District, East Lake High-tech "
        "Development Zone, East Lake Ecological Scenic Area. Please add the street (township)."
    )
    assert {k: v for k, v in error.details.items() if k != "candidates"} == {
        "reason": "district_without_street",
        "matched": ["武汉市", "洪山区"],
        "division_code": "420111",
        "division_name": "洪山区",
    }
    assert error.details["candidates"] == [
        {
            "jurisdiction_code": "420111",
            "jurisdiction_name": "洪山区",
            "jurisdiction_name_en": "Hongshan District",
            "division_code": "420111",
            "division_name": "洪山区",
            "street_code": None,
            "street_name": None,
            "hint_zh": "洪山区的其他街道（乡镇）由洪山区管理，请写明街道（乡镇）",
            "hint_en": "the other streets of Hongshan District are administered by the "
            "district itself; please add the street (township)",
        },
        {
            "jurisdiction_code": "ZONE_EHTZ",
            "jurisdiction_name": "东湖新技术开发区",
            "jurisdiction_name_en": "East Lake High-tech Development Zone",
            "division_code": "420111",
            "division_name": "洪山区",
            "street_code": None,
            "street_name": None,
            "hint_zh": "关东街道、花山街道、左岭街道、九峰街道由东湖新技术开发区管理，"
            "请写明街道（乡镇）",
            "hint_en": "关东街道, 花山街道, 左岭街道, 九峰街道 are administered by the East Lake "
            "High-tech Development Zone; please add the street (township)",
        },
        {
            "jurisdiction_code": "ZONE_SCENIC",
            "jurisdiction_name": "东湖生态旅游风景区",
            "jurisdiction_name_en": "East Lake Ecological Scenic Area",
            "division_code": "420111",
            "division_name": "洪山区",
            "street_code": None,
            "street_name": None,
            "hint_zh": "东湖风景区街道由东湖生态旅游风景区管理，请写明街道（乡镇）",
            "hint_en": "东湖风景区街道 is administered by the East Lake Ecological Scenic Area; "
            "please add the street (township)",
        },
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("洪山区珞南街道珞喻路129号", "420111"),
        ("洪山区关东街道关山大道1号", "ZONE_EHTZ"),
        ("洪山区东湖风景区街道", "ZONE_SCENIC"),
        ("江夏区纸坊街道文化大道1号", "420115"),
        ("江夏区佛祖岭街道", "ZONE_EHTZ"),
        ("蔡甸区奓山街道", "420114"),
        ("蔡甸区沌口街道", "ZONE_EDZ"),
        ("武昌区中南路街道", "420106"),
        ("武昌区东湖风景区街道", "ZONE_SCENIC"),
        ("洪山区关山", "420111"),  # a street's short form is a street
    ],
)
def test_district_with_a_street_the_street_decides(text: str, code: str) -> None:
    assert resolve_address(text).jurisdiction_code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("东湖高新区", "ZONE_EHTZ"),
        ("光谷", "ZONE_EHTZ"),
        ("武汉市光谷软件园", "ZONE_EHTZ"),
        ("武汉经开区", "ZONE_EDZ"),
        ("武汉市经济技术开发区", "ZONE_EDZ"),
        ("东湖风景区", "ZONE_SCENIC"),
        ("洪山区东湖高新区", "ZONE_EHTZ"),  # the zone's part of the district
        ("蔡甸区武汉经开区", "ZONE_EDZ"),
    ],
)
def test_zone_named_alone_or_with_its_district_is_the_zone(text: str, code: str) -> None:
    assert resolve_address(text).jurisdiction_code == code


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
    assert error_of("武汉市洪山路").details["matched"] == ["武汉市"]
    # 洪山 would contradict 武昌区; it is not read, so 武昌区 stands alone (and has a zone street).
    assert error_of("武昌区洪山路").details == {
        **error_of("武昌区").details,
        "matched": ["武昌区"],
    }
    assert resolve_address("关山1号").street_code == "420111002"


def test_after_a_district_only_street_short_forms_count() -> None:
    # 光谷国际广场 is a building's name in 洪山区, not the High-tech Zone: were 光谷 read, the
    # address would resolve to the zone; 洪山区 alone is ambiguous.
    error = error_of("洪山区光谷国际广场")
    assert (error.details["reason"], error.details["matched"]) == (
        "district_without_street",
        ["洪山区"],
    )
    assert resolve_address("江汉区光谷国际广场").matched == ("江汉区",)
    # ... but 光谷 after the city names the zone.
    assert resolve_address("武汉市光谷软件园").jurisdiction_code == "ZONE_EHTZ"


def test_matched_by_names_the_most_specific_level() -> None:
    assert resolve_address("江岸").matched_by == "county_short_name"
    assert resolve_address("沌口").matched_by == "street_short_name"
    assert resolve_address("光谷").matched_by == "zone_short_name"
    assert resolve_address("武昌县纸坊街道").matched_by == "street"
    assert resolve_address("襄樊市").matched_by == "historical_name"
    assert resolve_address("襄阳市").matched_by == "prefecture"
    assert resolve_address("伍家岗").matched_by == "county_short_name"  # also 伍家岗街道's


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
            "jurisdiction_name_en": "Huangpi District",
            "division_code": "420116",
            "division_name": "黄陂区",
            "street_code": "420116010",
            "street_name": "李集街道",
            "hint_zh": "如在黄陂区，请写为“黄陂区李集街道”",
            "hint_en": "if in 黄陂区, write “黄陂区李集街道”",
        },
        {
            "jurisdiction_code": "420117",
            "jurisdiction_name": "新洲区",
            "jurisdiction_name_en": "Xinzhou District",
            "division_code": "420117",
            "division_name": "新洲区",
            "street_code": "420117005",
            "street_name": "李集街道",
            "hint_zh": "如在新洲区，请写为“新洲区李集街道”",
            "hint_en": "if in 新洲区, write “新洲区李集街道”",
        },
    ]
    assert error.message_zh == (
        "地址对应多个辖区，可能属于：黄陂区李集街道→黄陂区、新洲区李集街道→新洲区。"
        "请写明区（县、市）和街道（乡镇）"
    )
    assert "黄陂区李集街道 → Huangpi District, 新洲区李集街道 → Xinzhou District" in (
        error.message_en
    )


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
    # 武昌区 alone may be 武昌区 or the scenic area's street filed under it.
    assert [(c["jurisdiction_code"], c["street_code"]) for c in error.details["candidates"]] == [
        ("420106", None),
        ("ZONE_SCENIC", None),
        ("420111", "420111002"),
    ]
    assert "可能属于：武昌区、武昌区→东湖生态旅游风景区、洪山区关山街道→洪山区。" in (
        error.message_zh
    )


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
    text = "武汉市江汉区" + "珞" * (MAX_LENGTH - 6)
    assert resolve_address(text).jurisdiction_code == "420103"
