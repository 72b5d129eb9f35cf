"""Reform 3 promise (REFORMS.md §3, 企业登记智慧办): a clean application is decided and licensed
in well under a second with no human step; each failed check gives a specific reason and a
remedy and stores no company or licence; the new company reaches every subscribed department
exactly once; the same idempotency key makes one company.

Real parts throughout: the registries' local sources and checks (exchange log included), the
pack's BPMN process and DMN table run by the engine, USCC issuing, the signed licence, the
outbox delivered over HTTP to four local receivers that verify the signature.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from onewindow.accounts import services as account_services
from onewindow.certificates import services as certificate_services
from onewindow.certificates.models import Certificate
from onewindow.core.errors import DomainError
from onewindow.core.identifiers import validate_uscc
from onewindow.ledger.models import LedgerEntry
from onewindow.notifications import delivery
from onewindow.notifications import services as outbox
from onewindow.notifications.models import OutboxEvent
from onewindow.notifications.tests.receiver import Receiver
from onewindow.registries import connectors, unattended
from onewindow.registries.loaders import load_file
from onewindow.registries.models import ExchangeRecord, ListEntry, MarketEntity, VerifiedIdentity
from onewindow.registries.names import lookup
from onewindow.registries.names.parse import parse_name
from onewindow.registries.names.vocabulary import DATA_DIR as REGISTRY_DATA
from onewindow.registries.photos import dhash
from onewindow.registries.services import name_row
from onewindow.registries.tests.factories import days_ago, host_with_address, photo, property_record
from onewindow.workflow.models import DecisionRecord, ProcessInstance, TaskItem

pytestmark = pytest.mark.django_db

PACK = Path(__file__).resolve().parents[1]
DEPARTMENTS = ("police", "tax", "hrss", "bank")  # seal-making, tax, social security, banks
REP_ID = "420602199203150012"
INVESTOR_ID = "420106199001010028"
CERTIFICATE = "鄂(2024)襄阳市不动产权第0031415号"
ADDRESS = "湖北省襄阳市樊城区长虹北路8号"
FORM: dict[str, Any] = {
    "representative_name": "王建国",
    "representative_id": REP_ID,
    "trade_name": "汉江源",
    "industry_wording": "信息技术",
    "registered_capital_wan": 100,
    "business_scope": ["软件开发", "信息技术咨询服务"],
    "address": ADDRESS,
    "premises_type": "owned",
    "certificate_number": CERTIFICATE,
    "investors": [
        {"name": "王建国", "resident_id": REP_ID},
        {"name": "演示投资人", "resident_id": INVESTOR_ID},
    ],
}
KIOSK = {"method": "kiosk"}


@pytest.fixture
def xiangyang(settings: Any, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Reference data, the scope catalogue, market supervision's keys, the representative's
    verified identity, the premises' property record, the pack's process, an applicant, and
    the four departments subscribed to `entity.registered`, each with its own receiver."""
    settings.KEY_DIR = str(tmp_path / "keys")
    lookup.drop_index()
    connectors.reset()
    account_services.load_reference_data()
    load_file(
        kind="business_scope",
        path=REGISTRY_DATA / "scope_catalogue.csv",
        actor="test",
        reason="scope catalogue",
    )
    for purpose in ("certificate", "list"):
        certificate_services.create_signing_key(
            department_code="samr", actor="test", reason="keys", purpose=purpose
        )
    VerifiedIdentity.objects.create(
        resident_id=REP_ID, name="王建国", photo_hash=dhash(photo(1)), verified_on=days_ago(3)
    )
    property_record(certificate_number=CERTIFICATE, address=ADDRESS, owner_name="王建国")
    user = account_services.User.objects.create_user(username="applicant-r03", password="x")
    receivers = {code: Receiver() for code in DEPARTMENTS}
    for code, receiver in receivers.items():
        _, receiver.secret = outbox.create_subscription(
            department_code=code,
            name=f"{code} 新设企业",
            url=receiver.url,
            event_types=["entity.*"],
            actor="user:admin",
            reason="部门订阅新设企业信息 department subscribes",
        )
    yield {"user": user, "receivers": receivers}
    for receiver in receivers.values():
        receiver.close()
    lookup.drop_index()
    connectors.reset()


def apply(user: Any, key: str, **changes: Any) -> dict[str, Any]:
    return unattended.apply_unattended(
        applicant_user=user,
        form={**FORM, **changes},
        identity_document=photo(1, size=240, fmt="JPEG", quality=70),  # a fresh scan
        delivery=KIOSK,
        idempotency_key=key,
    )


def nothing_registered() -> None:
    assert MarketEntity.objects.count() == 0
    assert Certificate.objects.count() == 0
    assert not OutboxEvent.objects.filter(event_type="entity.registered").exists()


def test_clean_application_is_licensed_in_well_under_a_second_with_no_human_step(xiangyang):
    apply(xiangyang["user"], "warm-up", trade_name="汉水源", certificate_number="")  # refused
    started = time.perf_counter()
    answer = apply(xiangyang["user"], "clean-1")
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, elapsed
    assert (answer["outcome"], answer["reasons"]) == ("approved", [])
    entity = MarketEntity.objects.get()
    assert (entity.name, entity.uscc) == ("襄阳汉江源信息技术有限公司", answer["uscc"])
    validate_uscc(entity.uscc)
    assert entity.uscc.startswith("91420600")  # market supervision, enterprise, Xiangyang
    assert entity.legal_representative_id == REP_ID
    licence = Certificate.objects.get(number=answer["licence_number"])
    assert (licence.holder_code, licence.certificate_type.kind) == (entity.uscc, "licence")
    assert answer["delivery"] == {"method": "kiosk", "address": ""}
    instance = ProcessInstance.objects.get(pk=answer["process_instance"])
    assert instance.status == "completed"
    assert not TaskItem.objects.filter(instance=instance).exists()  # no human step
    record = DecisionRecord.objects.get(instance=instance)
    assert (record.decision_id, record.matched_rules, record.outputs["outcome"]) == (
        "r03_registration_decision",
        ["rule_approve"],
        "approved",
    )
    checked = set(
        ExchangeRecord.objects.filter(reference=answer["reference"]).values_list(
            "source", flat=True
        )
    )
    # market_entities: companies the representative led (revoked less than 3 years ago?)
    assert checked == {
        "identity",
        "restrictions",
        "market_entities",
        "enterprise_names",
        "business_scope",
        "housing",
    }
    assert LedgerEntry.objects.filter(
        subject=f"registration:{answer['reference']}", event="registration_decided"
    ).exists()


def test_the_new_company_reaches_every_subscribed_department_exactly_once(xiangyang):
    answer = apply(xiangyang["user"], "clean-2")
    (event,) = OutboxEvent.objects.filter(event_type="entity.registered")
    assert event.subject == f"market_entity:{answer['uscc']}"
    report = delivery.deliver_due()
    assert (report.delivered, report.failed) == (4, 0)
    assert delivery.deliver_due().attempts == []  # nothing left to send
    for code, receiver in xiangyang["receivers"].items():
        assert list(receiver.applied) == [event.event_id], code
        (document,) = receiver.applied.values()
        assert document["data"]["payload"]["uscc"] == answer["uscc"], code
        assert (receiver.duplicates, receiver.bad_signatures) == (0, 0)


def test_the_same_idempotency_key_makes_one_company(xiangyang):
    first = apply(xiangyang["user"], "same-key")
    again = apply(xiangyang["user"], "same-key")
    assert again["uscc"] == first["uscc"] and again["replayed"] is True
    assert MarketEntity.objects.count() == 1
    assert OutboxEvent.objects.filter(event_type="entity.registered").count() == 1
    with pytest.raises(DomainError) as reused:
        apply(xiangyang["user"], "same-key", trade_name="楚天源")
    assert reused.value.code == "idempotency.key_reused"


def refused(answer: dict[str, Any], code: str, remedy: str) -> dict[str, Any]:
    assert answer["outcome"] == "refused", answer
    (reason,) = [r for r in answer["reasons"] if r["code"] == code]
    assert remedy in reason["remedy_zh"], reason["remedy_zh"]
    assert reason["remedy_en"] and reason["message_zh"]
    nothing_registered()
    return reason


def test_name_conflict(xiangyang):
    name_row(parse_name("襄阳汉江源信息技术有限公司"), status="registered").save()
    answer = apply(xiangyang["user"], "k")
    reason = refused(answer, "name.identical", "")
    assert reason["details"]["existing_name"] == "襄阳汉江源信息技术有限公司"
    assert answer["basis"].startswith("企业名称不符合规定")


def test_prohibited_word(xiangyang):
    reason = refused(
        apply(xiangyang["user"], "k", trade_name="博彩"), "name.prohibited_word", "删除"
    )
    assert reason["details"]["word"] == "博彩"


def test_licensed_scope_is_routed_with_the_permit_named(xiangyang):
    answer = apply(xiangyang["user"], "k", business_scope=["软件开发", "药品零售"])
    assert (answer["outcome"], [r["code"] for r in answer["reasons"]]) == (
        "routed",
        ["scope.permit_required"],
    )
    assert answer["reasons"][0]["details"]["permit_name"] == "药品经营许可证"
    assert "一照通" in answer["reasons"][0]["remedy_zh"]
    nothing_registered()


def test_unknown_hosted_address(xiangyang):
    host_with_address()  # a host with one confirmed address elsewhere
    answer = apply(
        xiangyang["user"],
        "k",
        premises_type="hosted",
        certificate_number="",
        address="湖北省武汉市洪山区关东街道光谷创业街9号1栋101室",
    )
    refused(answer, "address.not_in_hosted_directory", "")


def test_address_not_in_housing_records(xiangyang):
    answer = apply(xiangyang["user"], "k", certificate_number="鄂(2024)襄阳市不动产权第0099999号")
    refused(answer, "address.property_not_found", "")


def list_person(kind: str, identifier: str) -> None:
    ListEntry.objects.create(
        kind=kind,
        identifier_kind="resident_id",
        identifier=identifier,
        name="演示投资人",
        reason="测试",
        authority="襄阳市中级人民法院",
        document_number="(2025)鄂06执1号",
        listed_on=days_ago(30),
    )


def test_blacklisted_investor(xiangyang):
    list_person("blacklist", INVESTOR_ID)
    reason = refused(apply(xiangyang["user"], "k"), "restriction.blacklisted", "")
    assert reason["details"]["identifier"] == "420***********0028"


def test_dishonest_debtor(xiangyang):
    list_person("dishonest_debtor", INVESTOR_ID)
    refused(apply(xiangyang["user"], "k"), "restriction.dishonest_debtor", "人民法院")


def test_identity_mismatch(xiangyang):
    answer = unattended.apply_unattended(
        applicant_user=xiangyang["user"],
        form=FORM,
        identity_document=photo(2),  # someone else's face
        delivery=KIOSK,
        idempotency_key="k",
    )
    refused(answer, "identity.photo_mismatch", "")
    answer = apply(xiangyang["user"], "k2", representative_name="王健国")
    refused(answer, "identity.name_mismatch", "")


def test_bad_input_is_refused_before_anything_is_written(xiangyang):
    with pytest.raises(DomainError) as bad:
        unattended.apply_unattended(
            applicant_user=xiangyang["user"],
            form=FORM,
            identity_document=photo(1),
            delivery={"method": "ems"},
            idempotency_key="k",
        )
    assert bad.value.code == "r03.delivery_address_required"
    with pytest.raises(DomainError) as bad_id:
        apply(xiangyang["user"], "k", representative_id="420602199203150013")
    assert bad_id.value.code == "r03.bad_resident_id"
    assert not ExchangeRecord.objects.exists() and not ProcessInstance.objects.exists()
    nothing_registered()
