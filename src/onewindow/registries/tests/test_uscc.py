"""Credit codes per GB 32100 with GB 11714 organisation codes, issued from per-authority
serials, never reused; checked against the python-stdnum vectors in shared data."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onewindow.core.errors import ValidationFailed
from onewindow.core.identifiers import validate_uscc
from onewindow.ledger.models import LedgerEntry
from onewindow.registries import services, uscc
from onewindow.registries.models import IssuedUscc, MarketEntity, UsccSequence


@pytest.fixture(scope="module")
def vectors(shared_data):
    path = shared_data / "id_checksums" / "stdnum_cn_uscc_ric_vectors.json"
    return json.loads(path.read_text(encoding="utf-8"))["uscc"]


def test_organisation_check_character_matches_all_published_codes(vectors):
    codes = vectors["valid"] + [e["value"] for e in vectors["hubei_examples"]]
    assert len(codes) == 151
    for code in codes:
        assert uscc.organisation_check_character(code[8:16]) == code[16], code


def test_invalid_vectors_stay_invalid(vectors):
    for case in vectors["invalid"]:
        with pytest.raises(ValidationFailed):
            validate_uscc(case["value"])


def test_compose_gives_the_documented_layout():
    code = uscc.compose(entity_type="1", division="420111", block="MA", serial=1)
    assert code[:8] == "91420111"
    assert code[8:16] == "MA000001"
    assert code[16] == uscc.organisation_check_character("MA000001")
    assert validate_uscc(code) == code


@given(
    st.sampled_from(["1", "2", "3"]),
    st.sampled_from(["420102", "420111", "420602", "429004"]),
    st.integers(min_value=1, max_value=uscc.SERIAL_LIMIT - 1),
)
def test_every_serial_gives_a_valid_code(entity_type, division, serial):
    code = uscc.compose(entity_type=entity_type, division=division, block="NB", serial=serial)
    assert validate_uscc(code) == code
    assert uscc.organisation_check_character(code[8:16]) == code[16]


def test_serial_limits():
    with pytest.raises(ValidationFailed) as error:
        uscc.serial_characters(uscc.SERIAL_LIMIT)
    assert error.value.code == "uscc.block_exhausted"
    assert uscc.block_for(0) == "MA" and uscc.block_for(1) == "MB" and uscc.block_for(21) == "NA"


@pytest.mark.django_db
def test_issued_codes_follow_the_authority_serial_and_are_ledgered():
    first = services.issue_uscc(
        authority_division="420111", entity_type="1", actor="system:r03", reason="设立登记"
    )
    second = services.issue_uscc(
        authority_division="420111", entity_type="2", actor="system:r03", reason="设立登记"
    )
    other = services.issue_uscc(
        authority_division="420602", entity_type="1", actor="system:r03", reason="设立登记"
    )
    assert (first[:16], second[:16], other[:16]) == (
        "91420111MA000001",
        "92420111MA000002",
        "91420602MB000001",
    )
    assert [validate_uscc(c) for c in (first, second, other)] == [first, second, other]
    assert UsccSequence.objects.get(authority_division="420111").last == 2
    assert set(IssuedUscc.objects.values_list("uscc", flat=True)) == {first, second, other}
    assert LedgerEntry.objects.filter(event="uscc_issued").count() == 3


@pytest.mark.django_db
def test_a_code_held_by_a_loaded_entity_is_skipped_not_reused():
    taken = uscc.compose(entity_type="1", division="420111", block="MA", serial=1)
    MarketEntity.objects.create(
        uscc=taken,
        name="武汉已存在科技有限公司",
        entity_type="1",
        registered_address="武汉",
        legal_representative="甲",
        registration_authority="420111",
        established_on="2020-01-01",
    )
    issued = services.issue_uscc(
        authority_division="420111", entity_type="1", actor="system:r03", reason="设立登记"
    )
    assert issued != taken and issued[8:16] == "MA000002"


@pytest.mark.django_db
def test_a_rolled_back_registration_issues_no_code():
    with pytest.raises(ValidationFailed):
        services.issue_uscc(authority_division="4201", entity_type="1", actor="a", reason="r")
    assert not IssuedUscc.objects.exists() and not UsccSequence.objects.exists()
