"""The checks the reform 3 pack calls: business scope, address, restrictions, credit,
identity — each failure with its reason code and a remedy, each query in the exchange log."""

from __future__ import annotations

import pytest

from onewindow.ledger.models import LedgerEntry
from onewindow.registries.address_checks import check_address
from onewindow.registries.checks import check_business_scope
from onewindow.registries.constants import EntityStatus
from onewindow.registries.models import (
    CreditRating,
    ExchangeRecord,
    HostedAddress,
    ListEntry,
    MarketEntity,
    VerifiedIdentity,
)
from onewindow.registries.person_checks import check_credit, check_restrictions, verify_identity
from onewindow.registries.photos import dhash
from onewindow.registries.tests.factories import (
    HOSTED,
    days_ago,
    host_with_address,
    photo,
    property_record,
)

pytestmark = pytest.mark.django_db
PERSON = "420106199001010028"


def test_scope_general_licensed_and_unknown(catalogue, context):
    result = check_business_scope(
        entries="一般项目：软件开发；信息技术咨询服务；许可项目：药品零售；第三类医疗器械经营；卖点东西",
        context=context,
    )
    assert result.codes == [
        "scope.permit_required",
        "scope.permit_required",
        "scope.unknown_wording",
    ]
    assert not result.passed
    assert result.data["general"] == ["软件开发", "信息技术咨询服务"]
    assert [
        (p["wording"], p["permit_name"], p["department_code"]) for p in result.data["permits"]
    ] == [
        ("药品零售", "药品经营许可证", "drug-admin"),
        ("第三类医疗器械经营", "医疗器械经营许可证", "drug-admin"),
    ]
    unknown = result.issues[2]
    assert unknown.details["wording"] == "卖点东西" and "规范表述" in unknown.remedy_zh
    record = ExchangeRecord.objects.get(operation="check_scope")
    assert (record.outcome, record.source_department) == ("not_found", "samr")


def test_scope_suggests_the_standard_wording(catalogue, context):
    result = check_business_scope(entries=["餐饮服务（不含生食）", "日用百货"], context=context)
    assert result.codes == ["scope.unknown_wording", "scope.unknown_wording"]
    assert "餐饮服务" in result.issues[0].details["suggestions"]
    assert "日用百货销售" in result.issues[1].details["suggestions"]
    assert check_business_scope(entries="", context=context).codes == ["scope.empty"]


def test_scope_all_general_passes(catalogue, context):
    result = check_business_scope(entries="软件开发；食品销售（仅销售预包装食品）", context=context)
    assert result.passed and result.issues == () and result.data["permits"] == []


def test_hosted_address_signed_by_its_host_passes(context):
    host_with_address()
    result = check_address(address=HOSTED, premises_type="hosted", context=context)
    assert result.passed and result.issues == ()
    assert ExchangeRecord.objects.get(operation="lookup_hosted_address").outcome == "found"


def test_hosted_address_problems(context):
    _, row = host_with_address(capacity=1)
    assert check_address(
        address="武汉市洪山区无名路1号", premises_type="hosted", context=context
    ).codes == ["address.not_in_hosted_directory"]
    HostedAddress.objects.filter(pk=row.pk).update(occupied=1)
    assert check_address(address=HOSTED, premises_type="hosted", context=context).codes == [
        "address.hosted_capacity_full"
    ]
    # A row changed in the database no longer carries a valid host signature.
    HostedAddress.objects.filter(pk=row.pk).update(occupied=0, valid_until=days_ago(-3000))
    assert check_address(address=HOSTED, premises_type="hosted", context=context).codes == [
        "address.host_signature_invalid"
    ]
    row.host.is_active = False
    row.host.save()
    assert check_address(address=HOSTED, premises_type="hosted", context=context).codes == [
        "address.host_inactive"
    ]


def test_housing_record_checks(context):
    property_record()
    cert = "鄂(2023)武汉市东湖新技术开发区不动产权第0012345号"
    ok = check_address(
        address="武汉市洪山区珞南街道珞喻路129号",
        premises_type="owned",
        certificate_number=cert,
        owner_names=("演示申请人",),
        context=context,
    )
    assert ok.passed and ok.issues == ()
    assert check_address(
        address="武汉市洪山区珞南街道珞喻路130号",
        premises_type="leased",
        certificate_number=cert,
        context=context,
    ).codes == ["address.property_address_mismatch"]
    assert check_address(
        address="武汉市洪山区珞南街道珞喻路129号",
        premises_type="owned",
        certificate_number=cert,
        owner_names=("另一人",),
        context=context,
    ).codes == ["address.owner_mismatch"]
    assert check_address(
        address="x", premises_type="leased", certificate_number="鄂(2023)不存在", context=context
    ).codes == ["address.property_not_found"]
    assert check_address(address="x", premises_type="leased", context=context).codes == [
        "address.certificate_required"
    ]
    assert check_address(address="x", premises_type="borrowed", context=context).codes == [
        "address.bad_premises_type"
    ]


def test_residential_property_is_refused(context):
    property_record(certificate_number="鄂(2020)武汉市不动产权第0000001号", use="residential")
    result = check_address(
        address="湖北省武汉市洪山区珞南街道珞喻路129号",
        premises_type="leased",
        certificate_number="鄂(2020)武汉市不动产权第0000001号",
        context=context,
    )
    assert result.codes == ["address.residential_use"]


def listed(kind: str, identifier: str, **dates) -> None:  # type: ignore[no-untyped-def]
    ListEntry.objects.create(
        kind=kind,
        identifier_kind="uscc" if identifier[0] == "9" else "resident_id",
        identifier=identifier,
        name="某某",
        reason="测试",
        authority="武汉市洪山区人民法院",
        document_number=f"(2025)鄂0111执{len(dates)}{kind[:3]}号",
        listed_on=dates.get("listed_on", days_ago(30)),
        expires_on=dates.get("expires_on"),
        removed_on=dates.get("removed_on"),
    )


def test_restrictions_in_force_only(context):
    listed("dishonest_debtor", PERSON)
    listed("blacklist", "91420100177668591H")
    listed("restricted_registration", PERSON, expires_on=days_ago(1))  # expired
    listed("dishonest_debtor", "420111198512150037", removed_on=days_ago(2))  # removed
    result = check_restrictions(
        resident_ids=[PERSON, "420111198512150037"], usccs=["91420100177668591H"], context=context
    )
    assert result.codes == ["restriction.dishonest_debtor", "restriction.blacklisted"]
    assert result.issues[0].details["identifier"] == "420***********0028"
    assert "人民法院移出" in result.issues[0].remedy_zh
    assert check_restrictions(resident_ids=["420111198512150037"], context=context).passed


def test_representative_of_a_recently_revoked_company_is_flagged_for_review(context):
    MarketEntity.objects.create(
        uscc="91420100177668591H",
        name="武汉旧事商贸有限公司",
        entity_type="1",
        registered_address="武汉",
        legal_representative="演示申请人",
        legal_representative_id=PERSON,
        status=EntityStatus.REVOKED,
        registration_authority="420100",
        established_on="2015-01-01",
        status_changed_on=days_ago(400),
    )
    result = check_restrictions(resident_ids=[PERSON], context=context)
    assert result.codes == ["restriction.revoked_entity_representative"]
    assert result.passed  # a warning: a registrar decides on personal liability


def test_credit_grades(context):
    CreditRating.objects.create(
        identifier_kind="uscc",
        identifier="91420100177668591H",
        grade="D",
        rated_on=days_ago(10),
        authority="湖北省信用办",
    )
    CreditRating.objects.create(
        identifier_kind="resident_id",
        identifier=PERSON,
        grade="C",
        rated_on=days_ago(10),
        authority="湖北省信用办",
    )
    severe = check_credit(identifier="91420100177668591H", context=context)
    assert severe.codes == ["credit.low_rating"] and not severe.passed
    mild = check_credit(identifier=PERSON, context=context)
    assert mild.codes == ["credit.low_rating"] and mild.passed
    none = check_credit(identifier="420111198512150037", context=context)
    assert none.passed and none.data == {"grade": None}


def test_identity_verification_with_a_photo(context):
    reference = photo(1)
    VerifiedIdentity.objects.create(
        resident_id=PERSON, name="演示申请人", photo_hash=dhash(reference), verified_on=days_ago(5)
    )
    again = photo(1, size=240, fmt="JPEG", quality=70)  # the same picture, re-encoded
    match = verify_identity(name="演示申请人", resident_id=PERSON, photo=again, context=context)
    assert match.passed and match.data["result"] == "match" and match.data["score"] >= 0.85
    other = verify_identity(name="演示申请人", resident_id=PERSON, photo=photo(2), context=context)
    assert other.codes == ["identity.photo_mismatch"]
    assert verify_identity(name="别人", resident_id=PERSON, photo=again, context=context).codes == [
        "identity.name_mismatch"
    ]
    assert verify_identity(
        name="别人", resident_id="420111198512150037", photo=again, context=context
    ).codes == ["identity.not_found"]
    assert verify_identity(
        name="x", resident_id="420106199001010027", photo=again, context=context
    ).codes == ["identity.invalid_resident_id"]
    with pytest.raises(Exception) as unreadable:
        verify_identity(
            name="演示申请人", resident_id=PERSON, photo=b"not a picture", context=context
        )
    assert getattr(unreadable.value, "code", "") == "identity.photo_unreadable"
    logged = ExchangeRecord.objects.filter(source="identity").order_by("pk")
    assert [r.subject for r in logged][:1] == ["identity:420***********0028"]
    assert all(PERSON not in r.subject for r in ExchangeRecord.objects.all())


def test_every_query_is_logged_with_purpose_basis_and_a_ledger_entry(context, catalogue):
    check_business_scope(entries="软件开发", context=context)
    record = ExchangeRecord.objects.get()
    assert (record.requester, record.purpose, record.legal_basis, record.reference) == (
        context.requester,
        context.purpose,
        context.legal_basis,
        context.reference,
    )
    assert len(record.answer_digest) == 64
    entry = LedgerEntry.objects.get(subject=f"exchange:{record.pk}")
    assert (entry.event, entry.sequence) == ("data_exchanged", record.ledger_sequence)


def test_a_query_without_purpose_is_refused():
    from onewindow.core.errors import ValidationFailed
    from onewindow.registries.exchange import QueryContext

    with pytest.raises(ValidationFailed) as error:
        QueryContext(requester="user:7", purpose=" ", legal_basis="x")
    assert error.value.code == "registry.context_incomplete"
