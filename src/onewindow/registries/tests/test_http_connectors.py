"""Every source through its HTTP implementation, against a real local test server: the same
check results as the local tables, bearer credentials, timeouts and failures mapped to
retryable or terminal errors — and logged in the exchange log either way."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.test import override_settings
from django.utils import timezone

from onewindow.registries import connectors
from onewindow.registries.address_checks import check_address
from onewindow.registries.checks import check_business_scope, check_name
from onewindow.registries.connectors.base import SourceRejected, SourceUnavailable
from onewindow.registries.models import ExchangeRecord
from onewindow.registries.person_checks import check_credit, check_restrictions, verify_identity
from onewindow.registries.policies import hosted_address_message, normalise_address
from onewindow.registries.tests.factories import HOST_USCC, HOSTED, photo
from onewindow.registries.tests.source_server import TOKEN, SourceServer

pytestmark = pytest.mark.django_db
PERSON = "420106199001010028"
SOURCES = (
    "market_entities",
    "enterprise_names",
    "business_scope",
    "hosted_addresses",
    "housing",
    "restrictions",
    "credit",
    "identity",
)


def _data() -> dict:  # type: ignore[type-arg]
    key = Ed25519PrivateKey.generate()
    valid_until = timezone.localdate() + timedelta(days=100)
    message = hosted_address_message(
        host_uscc=HOST_USCC, address_key=normalise_address(HOSTED), valid_until=valid_until
    )
    b64 = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    return {
        "entities": {},
        "names": [
            {
                "name": "武汉新华信息技术有限公司",
                "trade_name": "新华",
                "region_key": "420100",
                "industry_key": "65",
                "status": "registered",
                "record_id": 1,
            }
        ],
        "scope": {
            "药品零售": {
                "code": "OW-L004",
                "wording": "药品零售",
                "kind": "licensed",
                "permit_name": "药品经营许可证",
                "approving_department": "药监",
                "department_code": "drug-admin",
            }
        },
        "hosted": {
            normalise_address(HOSTED): {
                "address": HOSTED,
                "host_uscc": HOST_USCC,
                "host_name": "托管企业",
                "host_public_key": b64(
                    key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
                ),
                "host_active": True,
                "capacity": 3,
                "occupied": 1,
                "valid_until": valid_until.isoformat(),
                "signature": b64(key.sign(message)),
            }
        },
        "housing": {
            "CERT-1": {
                "certificate_number": "CERT-1",
                "address": "武汉市江汉区新华路1号",
                "address_key": "武汉市江汉区新华路1号",
                "owner_name": "甲",
                "owner_identifier": "",
                "use": "residential",
            }
        },
        "lists": [
            {
                "kind": "dishonest_debtor",
                "identifier_kind": "resident_id",
                "identifier": PERSON,
                "name": "演示申请人",
                "reason": "未履行",
                "authority": "法院",
                "document_number": "(2025)鄂01执1号",
                "listed_on": "2025-01-02",
            }
        ],
        "credit": {
            PERSON: {
                "identifier": PERSON,
                "identifier_kind": "resident_id",
                "grade": "D",
                "rated_on": "2025-06-01",
                "authority": "信用办",
            }
        },
        "identity": {PERSON: {"name": "演示申请人"}},
    }


@pytest.fixture
def source() -> Iterator[SourceServer]:
    server = SourceServer(_data())
    configuration = {
        s: {"implementation": "http", "base_url": server.url, "credentials": TOKEN, "timeout": 1}
        for s in SOURCES
    }
    with override_settings(REGISTRY_CONNECTORS=configuration):
        connectors.reset()
        yield server
        connectors.reset()
    server.close()


def test_checks_through_http_give_the_same_answers(source, context):
    assert check_name(name="武汉鑫华信息技术有限公司", context=context).codes == [
        "name.homophone_trade_name"
    ]
    scope = check_business_scope(entries="药品零售；随便卖", context=context)
    assert scope.codes == ["scope.permit_required", "scope.unknown_wording"]
    assert check_address(address=HOSTED, premises_type="hosted", context=context).passed
    assert check_address(
        address="武汉市江汉区新华路1号",
        premises_type="leased",
        certificate_number="CERT-1",
        context=context,
    ).codes == ["address.residential_use"]
    assert check_restrictions(resident_ids=[PERSON], context=context).codes == [
        "restriction.dishonest_debtor"
    ]
    assert check_credit(identifier=PERSON, context=context).codes == ["credit.low_rating"]
    assert verify_identity(
        name="演示申请人", resident_id=PERSON, photo=photo(1), context=context
    ).passed
    assert {type(connectors.get_connector(s)).__name__ for s in SOURCES} == {
        "HttpMarketEntities",
        "HttpNames",
        "HttpScope",
        "HttpHostedAddresses",
        "HttpHousing",
        "HttpRestrictions",
        "HttpCredit",
        "HttpIdentity",
    }
    assert {r.implementation for r in ExchangeRecord.objects.all()} == {"http"}
    paths = {path for _, path, _ in source.requests}
    assert "/api/credit-ratings/420106199001010028" in paths


def test_unavailable_source_is_retryable_and_logged(source, context):
    source.mode = "error"
    with pytest.raises(SourceUnavailable) as error:
        check_credit(identifier=PERSON, context=context)
    assert error.value.retryable and error.value.code == "registry.unavailable"
    record = ExchangeRecord.objects.get()
    assert (record.outcome, record.source) == ("error", "credit")


def test_slow_source_times_out(source, context):
    source.mode = "slow"
    with pytest.raises(SourceUnavailable) as error:
        check_credit(identifier=PERSON, context=context)
    assert error.value.details["problem"] == "timeout after 1s"


def test_wrong_credentials_and_garbage_are_terminal(source, context):
    connector = connectors.get_connector("credit")
    connector.client.headers["Authorization"] = "Bearer wrong"  # type: ignore[attr-defined]
    with pytest.raises(SourceRejected) as refused:
        check_credit(identifier=PERSON, context=context)
    assert (refused.value.code, refused.value.retryable) == ("registry.rejected", False)
    connector.client.headers["Authorization"] = f"Bearer {TOKEN}"  # type: ignore[attr-defined]
    source.mode = "garbage"
    with pytest.raises(SourceRejected) as garbage:
        check_credit(identifier=PERSON, context=context)
    assert garbage.value.code == "registry.bad_answer"
    assert ExchangeRecord.objects.filter(outcome="error").count() == 2


def test_unknown_implementation_is_a_clear_error():
    with override_settings(REGISTRY_CONNECTORS={"credit": {"implementation": "ftp"}}):
        connectors.reset()
        with pytest.raises(Exception) as error:
            connectors.get_connector("credit")
    assert getattr(error.value, "code", "") == "registry.unknown_connector"
