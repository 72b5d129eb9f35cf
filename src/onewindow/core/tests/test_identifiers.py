"""USCC (GB 32100) and resident ID (GB 11643): every shared vector, plus properties."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric as stdnum_ric

from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.core.identifiers import (
    USCC_ALPHABET,
    ResidentId,
    mask_phone,
    mask_resident_id,
    resident_id_check_character,
    uscc_check_digit,
    validate_resident_id,
    validate_uscc,
)

# Our code for each invalid stdnum vector. 'A1110000600037341L' is a format error for stdnum
# (it wants 8 leading digits), but A (中央军委改革和编制办公室) is a registration authority of
# GB 32100, so for us the body is well-formed and the check character is what is wrong.
USCC_INVALID = {
    "12345": "uscc.invalid_format",
    "A1110000600037341L": "uscc.invalid_checksum",
    "9111000060003IOZSV": "uscc.invalid_format",
    "91110000600037341N": "uscc.invalid_checksum",
}
RIC_INVALID = {
    "T60426199101010078": "resident_id.invalid_format",
    "360426199113010079": "resident_id.invalid_birth_date",
    "36042619910102009X": "resident_id.invalid_checksum",
    "990426199112010074": "resident_id.invalid_format",  # 99 is no province
}


@pytest.fixture(scope="module")
def vectors(shared_data: Path) -> dict:
    path = shared_data / "id_checksums" / "stdnum_cn_uscc_ric_vectors.json"
    return json.loads(path.read_text(encoding="utf-8"))


def code_of(call, value) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        call(value)
    assert isinstance(caught.value, ValidationFailed)
    assert caught.value.message_zh and caught.value.message_en
    return caught.value.code


def test_all_valid_uscc_vectors(vectors: dict) -> None:
    assert len(vectors["uscc"]["valid"]) == 150
    for code in vectors["uscc"]["valid"]:
        assert validate_uscc(code) == code
        assert uscc_check_digit(code[:17]) == code[17]
    for case in vectors["uscc"]["valid_with_separators"]:
        assert validate_uscc(case["input"]) == case["normalized"]
    for case in vectors["uscc"]["hubei_examples"]:
        assert validate_uscc(case["value"]) == case["value"]


def test_all_invalid_uscc_vectors(vectors: dict) -> None:
    values = [case["value"] for case in vectors["uscc"]["invalid"]]
    assert sorted(values) == sorted(USCC_INVALID)
    for value in values:
        assert code_of(validate_uscc, value) == USCC_INVALID[value]


def test_uscc_normalisation() -> None:
    assert validate_uscc(" 91420100177668591h ") == "91420100177668591H"
    assert validate_uscc("９１４２０１００１７７６６８５９１Ｈ") == "91420100177668591H"
    assert validate_uscc("91-420100-177668591H") == "91420100177668591H"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("B1420100177668591H", "unknown registration authority B"),
        ("90420100177668591H", "unknown organisation type 0"),
        ("914201A0177668591H", "characters 3-8 must be the administrative division code (digits)"),
        ("91420100177668591I", "character not allowed: I"),
    ],
)
def test_uscc_format_problems_are_named(value: str, problem: str) -> None:
    with pytest.raises(DomainError) as caught:
        validate_uscc(value)
    assert caught.value.code == "uscc.invalid_format"
    assert caught.value.details["problem"] == problem


def test_uscc_check_digit_rejects_bad_input() -> None:
    assert code_of(uscc_check_digit, "9142010017766859") == "uscc.invalid_format"
    assert code_of(uscc_check_digit, "9142010017766859O") == "uscc.invalid_format"
    assert code_of(validate_uscc, None) == "uscc.invalid_format"


USCC_BODIES = st.tuples(
    st.sampled_from(sorted("123456789ANY")),
    st.sampled_from("123456789"),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(USCC_ALPHABET, min_size=9, max_size=9),
).map("".join)


@settings(max_examples=300, deadline=None)
@given(USCC_BODIES)
def test_any_body_with_its_check_digit_is_valid(body: str) -> None:
    code = body + uscc_check_digit(body)
    assert validate_uscc(code) == code


@settings(max_examples=300, deadline=None)
@given(USCC_BODIES, st.integers(0, 17), st.sampled_from(USCC_ALPHABET))
def test_any_single_change_of_a_uscc_fails(body: str, position: int, replacement: str) -> None:
    code = body + uscc_check_digit(body)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed != code:
        with pytest.raises(DomainError):
            validate_uscc(changed)


def test_all_valid_resident_id_vectors(vectors: dict) -> None:
    for case in vectors["ric"]["valid"]:
        assert validate_resident_id(case["value"]).number == case["normalized"]
    for case in vectors["ric"]["birth_date"]:
        assert validate_resident_id(case["value"]).birth_date == date.fromisoformat(
            case["birth_date"]
        )
    for case in vectors["ric"]["birth_place"]:
        assert validate_resident_id(case["value"]).region_code == case["value"][:6]


def test_county_codes_are_not_checked(vectors: dict) -> None:
    # Valid numbers that python-stdnum rejects because of its county-code history tables.
    for case in vectors["ric"]["birth_place_invalid_for_birth_year"]:
        assert not stdnum_ric.is_valid(case["value"])
        assert validate_resident_id(case["value"]).number == case["value"]
    for case in vectors["ric"]["gb11643_commonly_cited_examples"]:
        assert case["checksum_valid"] is True
        assert validate_resident_id(case["value"]).number == case["value"]
    assert validate_resident_id("440524188001010014").birth_date == date(1880, 1, 1)


def test_all_invalid_resident_id_vectors(vectors: dict) -> None:
    values = [case["value"] for case in vectors["ric"]["invalid"]]
    assert sorted(values) == sorted(RIC_INVALID)
    for value in values:
        assert code_of(validate_resident_id, value) == RIC_INVALID[value]


def test_resident_id_fields() -> None:
    assert validate_resident_id("11010519491231002x") == ResidentId(
        number="11010519491231002X",
        region_code="110105",
        birth_date=date(1949, 12, 31),
        sex="female",
    )
    person = validate_resident_id(" 4201 0619 9001 0100 28 ")
    assert (person.number, person.sex, person.province_code) == (
        "420106199001010028",
        "female",
        "420000",
    )
    assert validate_resident_id("360426199101010071").sex == "male"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("42010619900101002", "resident_id.invalid_format"),  # 17 characters
        ("4201061990010100288", "resident_id.invalid_format"),
        ("42010619900101002Y", "resident_id.invalid_format"),
        ("42010617990101002X", "resident_id.invalid_birth_date"),  # 1799
        ("420106199002300021", "resident_id.invalid_birth_date"),  # 30 February
        ("420106199001010029", "resident_id.invalid_checksum"),
        (420106199001010028, "resident_id.invalid_format"),
    ],
)
def test_resident_id_errors(value: object, code: str) -> None:
    assert code_of(validate_resident_id, value) == code


def test_error_details_never_carry_the_full_number() -> None:
    with pytest.raises(DomainError) as caught:
        validate_resident_id("420106199001010029")
    assert caught.value.details == {"value": "420***********0029"}


@time_machine.travel("2024-06-15 10:00 +0800", tick=False)
def test_birth_date_may_not_be_in_the_future() -> None:
    born_today = "42010620240615" + "001"
    born_tomorrow = "42010620240616" + "001"
    assert validate_resident_id(
        born_today + resident_id_check_character(born_today)
    ).birth_date == date(2024, 6, 15)
    assert (
        code_of(validate_resident_id, born_tomorrow + resident_id_check_character(born_tomorrow))
        == "resident_id.invalid_birth_date"
    )


RID_BODIES = st.tuples(
    st.sampled_from(["110105", "420106", "420111", "420602", "420502", "440524"]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)).map(
        lambda d: d.strftime("%Y%m%d")
    ),
    st.text("0123456789", min_size=3, max_size=3),
).map("".join)


@settings(max_examples=300, deadline=None)
@given(RID_BODIES)
def test_any_resident_id_body_with_its_check_character_is_valid(body: str) -> None:
    number = body + resident_id_check_character(body)
    assert validate_resident_id(number, today=date(2025, 1, 1)).number == number


@settings(max_examples=300, deadline=None)
@given(RID_BODIES, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_change_of_a_resident_id_fails(
    body: str, position: int, replacement: str
) -> None:
    number = body + resident_id_check_character(body)
    changed = number[:position] + replacement + number[position + 1 :]
    if changed != number:
        with pytest.raises(DomainError):
            validate_resident_id(changed, today=date(2025, 1, 1))


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("420106199001010028", "420***********0028"),
        ("11010519491231002X", "110***********002X"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask_resident_id(value: str, masked: str) -> None:
    assert mask_resident_id(value) == masked


def test_mask_resident_id_custom_window() -> None:
    assert mask_resident_id("420106199001010028", keep_start=6, keep_end=4) == "420106********0028"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "+86138****5678"),
        ("027-87654321", "027****4321"),
        ("87654321", "****4321"),
        ("110", "***"),
        ("", ""),
    ],
)
def test_mask_phone(value: str, masked: str) -> None:
    assert mask_phone(value) == masked
