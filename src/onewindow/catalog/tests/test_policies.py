import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onewindow.catalog.policies import validate_form
from onewindow.core.errors import DomainError

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "capital", "representative_id"],
    "properties": {
        "name": {"type": "string", "title": "企业名称 Company name", "minLength": 6},
        "capital": {"type": "number", "title": "注册资本 Capital", "exclusiveMinimum": 0},
        "representative_id": {
            "type": "string",
            "title": "身份证号 ID number",
            "format": "cn-resident-id",
        },
        "uscc": {"type": "string", "title": "统一社会信用代码 USCC", "format": "cn-uscc"},
    },
}
GOOD = {
    "name": "武汉云帆信息技术有限公司",
    "capital": 100,
    "representative_id": "420106199001010028",
}


def problems(form):
    with pytest.raises(DomainError) as err:
        validate_form(SCHEMA, form)
    assert err.value.code == "case.form_invalid"
    return err.value.details["errors"]


def test_identifiers_are_stored_in_canonical_form():
    form = validate_form(
        SCHEMA,
        {
            **GOOD,
            "name": "  武汉云帆信息技术有限公司 ",
            "representative_id": "４２０１０６ 199001010028",
            "uscc": " 91420106ma4k0dem0j",
        },
    )
    assert form["representative_id"] == "420106199001010028"
    assert form["uscc"] == "91420106MA4K0DEM0J"
    assert form["name"] == "武汉云帆信息技术有限公司"


def test_required_fields_are_named_by_their_titles_in_both_languages():
    [problem] = problems({"capital": 1, "representative_id": "420106199001010028"})
    assert problem["field"] == "name"
    assert problem["code"] == "form.required"
    assert problem["problem_zh"] == "企业名称：必须填写"
    assert problem["problem"] == "Company name is required"


def test_whitespace_only_text_is_not_a_value():
    [problem] = problems({**GOOD, "name": "      "})
    assert (problem["field"], problem["code"]) == ("name", "form.minLength")


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_refused(value):
    [problem] = problems({**GOOD, "capital": value})
    assert (problem["field"], problem["code"]) == ("capital", "form.not_finite")


def test_identifier_checksum_error_is_bilingual():
    [problem] = problems({**GOOD, "representative_id": "420106199001010029"})
    assert problem["code"] == "resident_id.invalid_checksum"
    assert problem["problem_zh"] and problem["problem"]


@given(
    st.dictionaries(
        st.text(max_size=5),
        st.one_of(st.text(max_size=20), st.floats(allow_nan=True), st.integers(), st.none()),
        max_size=5,
    )
)
def test_any_form_is_either_valid_or_a_coded_error(form):
    try:
        validate_form(SCHEMA, form)
    except DomainError as exc:
        assert exc.code == "case.form_invalid"
        for problem in exc.details["errors"]:
            assert problem["code"] and problem["problem_zh"] and problem["problem"]
