"""Registries endpoints and who may use them: anonymous, an applicant, intake staff
without a department, staff of the data-owning department, an administrator."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onewindow.accounts import services as account_services
from onewindow.accounts.models import Department, ServiceCentre
from onewindow.registries.models import ExchangeRecord, MarketEntity, ScopeEntry
from onewindow.registries.names.parse import parse_name
from onewindow.registries.services import name_row
from onewindow.registries.tests.factories import property_record

pytestmark = pytest.mark.django_db
API = "/api/v1/registries"
USCC = "91420100177668591H"


@pytest.fixture
def people(world):
    city = ServiceCentre.objects.get(code="wh-city")
    registrar = account_services.create_staff(
        actor="test",
        reason="test",
        username="registrar",
        password="x",
        full_name="登记员",
        centre=city,
        roles=["approver"],
        department=Department.objects.get(code="samr"),
    )
    admin = account_services.create_staff(
        actor="test",
        reason="test",
        username="admin",
        password="x",
        full_name="管理员",
        centre=city,
        roles=["administrator"],
    )
    MarketEntity.objects.create(
        uscc=USCC,
        name="武汉中交鑫华信息技术有限公司",
        entity_type="1",
        registered_address="武汉",
        legal_representative="演示申请人",
        legal_representative_id="420106199001010028",
        registration_authority="420100",
        established_on="1999-06-01",
    )
    name_row(parse_name("武汉中交鑫华信息技术有限公司"), status="registered", entity_id=USCC).save()
    return {
        "anonymous": None,
        "applicant": world.applicant_user,
        "clerk": world.clerk_jianghan,
        "registrar": registrar,
        "admin": admin,
    }


def client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_name_check_for_every_signed_in_user(people):
    for who, expected in [("anonymous", 401), ("applicant", 200), ("clerk", 200)]:
        response = client(people[who]).post(
            f"{API}/names/check",
            {"name": "武汉中交鑫华信息技术有限公司"},
            content_type="application/json",
        )
        assert response.status_code == expected, who
    body = response.json()
    assert body["passed"] is False and body["issues"][0]["code"] == "name.identical"
    assert ExchangeRecord.objects.filter(operation="check_name").count() == 2


def test_entity_lookup_is_for_staff_with_a_purpose(people):
    url = f"{API}/entities/{USCC}?purpose=核对股东主体资格"
    assert client(people["anonymous"]).get(url).status_code == 401
    assert client(people["applicant"]).get(url).status_code == 403
    response = client(people["clerk"]).get(url)
    assert response.status_code == 200
    assert response.json()["legal_representative_id"] == "420***********0028"
    assert client(people["clerk"]).get(f"{API}/entities/{USCC}?purpose=x").status_code == 422
    missing = client(people["clerk"]).get(f"{API}/entities/91420100MA4K00000X?purpose=核对主体")
    assert (missing.status_code, missing.json()["code"]) == (404, "registry.entity_not_found")
    record = ExchangeRecord.objects.get(subject=f"uscc:{USCC}")
    assert (record.requester, record.purpose) == (f"user:{people['clerk'].pk}", "核对股东主体资格")
    assert ExchangeRecord.objects.filter(operation="get").count() == 2  # not found is logged too


def test_exchange_log_for_administrators_and_the_owning_department(people, context):
    from onewindow.registries.address_checks import check_address

    property_record()
    check_address(address="x", premises_type="leased", certificate_number="无", context=context)
    client(people["clerk"]).get(f"{API}/entities/{USCC}?purpose=核对股东主体资格")
    assert client(people["anonymous"]).get(f"{API}/exchanges").status_code == 401
    assert client(people["applicant"]).get(f"{API}/exchanges").status_code == 403
    assert client(people["clerk"]).get(f"{API}/exchanges").status_code == 403
    samr = client(people["registrar"]).get(f"{API}/exchanges").json()["items"]
    assert {r["source"] for r in samr} == {"market_entities"}
    everything = client(people["admin"]).get(f"{API}/exchanges").json()["items"]
    assert {r["source"] for r in everything} == {"market_entities", "housing"}
    housing = client(people["admin"]).get(f"{API}/exchanges?source=housing").json()
    assert housing["count"] == 1 and housing["items"][0]["purpose"] == context.purpose


def test_loads_by_administrators_with_progress_and_errors(people):
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerows(
        [
            ["code", "wording", "kind", "permit_name", "approving_department"],
            ["OW-G900", "宠物美容服务", "general", "", ""],
            ["OW-L900", "兽药经营", "licensed", "兽药经营许可证", "农业农村部门"],
            ["OW-X", "坏行", "maybe", "", ""],
        ]
    )
    upload = lambda: SimpleUploadedFile("scope.csv", rows.getvalue().encode(), "text/csv")  # noqa: E731
    form = {"kind": "business_scope", "reason": "补充目录"}
    assert (
        client(people["anonymous"]).post(f"{API}/loads", {**form, "file": upload()}).status_code
        == 401
    )
    assert (
        client(people["clerk"]).post(f"{API}/loads", {**form, "file": upload()}).status_code == 403
    )
    response = client(people["admin"]).post(f"{API}/loads", {**form, "file": upload()})
    assert response.status_code == 202
    job = response.json()
    assert (job["status"], job["loaded_rows"], job["error_count"], job["percent"]) == (
        "finished",
        2,
        1,
        100,
    )
    assert job["errors"][0]["row"] == 4 and job["errors"][0]["column"] == "kind"
    assert set(ScopeEntry.objects.values_list("code", flat=True)) == {"OW-G900", "OW-L900"}
    assert client(people["admin"]).get(f"{API}/loads/{job['id']}").json()["loaded_rows"] == 2
    assert client(people["clerk"]).get(f"{API}/loads/{job['id']}").status_code == 403
    bad = client(people["admin"]).post(
        f"{API}/loads", {**form, "file": SimpleUploadedFile("x.exe", b"MZ")}
    )
    assert bad.json()["code"] == "load.bad_type"
