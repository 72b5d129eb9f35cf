"""The authorization matrix on every case endpoint: anonymous, the applicant, another
applicant, staff of another centre, intake staff, and the home jurisdiction's approver."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from onewindow.accounts import services as account_services
from onewindow.accounts.models import ServiceCentre
from onewindow.cases import services
from onewindow.cases.constants import CaseStatus
from onewindow.cases.models import Case
from onewindow.catalog.selectors import item_by_code
from onewindow.testing import (
    HONGSHAN_ADDRESS,
    MATRIX_ACTORS,
    PDF,
    VALID_FORM,
    establishment_materials,
    matrix_users,
)

pytestmark = pytest.mark.django_db

ACTORS = MATRIX_ACTORS


@pytest.fixture
def setup(world):
    return world, matrix_users(world)


def new_case(world, status: str = CaseStatus.SUBMITTED) -> Case:
    case = services.submit_case(
        actor=world.clerk_jianghan,
        reason="帮办",
        item=item_by_code("company-establishment"),
        applicant=world.applicant,
        form_data=dict(VALID_FORM),
        registered_address=HONGSHAN_ADDRESS,
        materials=establishment_materials(),
        delivery_method="post",
        delivery_address="江汉区",
        intake_centre=world.jianghan,
    )
    approver = world.approver_hongshan
    if status in {CaseStatus.ACCEPTED, CaseStatus.APPROVED}:
        services.accept_case(actor=approver, number=case.number, reason="ok")
    if status == CaseStatus.APPROVED:
        services.approve_case(actor=approver, number=case.number, reason="ok")
    if status == CaseStatus.RETURNED:
        services.return_case(actor=approver, number=case.number, reason="补正", points=["章程"])
    return case


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# endpoint -> (case status needed, body, expected status per actor in ACTORS order)
MATRIX = {
    "GET detail": (CaseStatus.SUBMITTED, None, [401, 200, 404, 404, 200, 200]),
    "accept": (CaseStatus.SUBMITTED, {"reason": "受理"}, [401, 403, 404, 404, 403, 200]),
    "return": (
        CaseStatus.SUBMITTED,
        {"reason": "补正", "points": ["缺章程"]},
        [401, 403, 404, 404, 403, 200],
    ),
    "reject": (CaseStatus.ACCEPTED, {"reason": "不符合"}, [401, 403, 404, 404, 403, 200]),
    "approve": (CaseStatus.ACCEPTED, {"reason": "核准"}, [401, 403, 404, 404, 403, 200]),
    "delivery": (
        CaseStatus.APPROVED,
        {"reason": "寄出", "tracking_number": "EA123456785CN"},
        [401, 403, 404, 404, 403, 200],
    ),
    "resubmit": (CaseStatus.RETURNED, {"reason": "已补正"}, [401, 200, 404, 404, 200, 403]),
}


@pytest.mark.parametrize("endpoint", list(MATRIX))
@pytest.mark.parametrize("actor", ACTORS)
def test_case_endpoint_matrix(setup, endpoint, actor):
    world, users = setup
    status, body, expected = MATRIX[endpoint]
    case = new_case(world, status)
    client = client_for(users[actor])
    url = f"/api/v1/cases/{case.number}"
    if endpoint == "GET detail":
        response = client.get(url)
    else:
        response = client.post(
            f"{url}/{endpoint}", json.dumps(body), content_type="application/json"
        )
    want = expected[ACTORS.index(actor)]
    assert response.status_code == want, response.content
    if want >= 400:
        assert set(response.json()) >= {"code", "message_zh", "message_en"}
        case.refresh_from_db()
        assert case.status == status


@pytest.mark.parametrize("actor", ACTORS)
def test_case_list_shows_only_what_the_actor_may_see(setup, actor):
    world, users = setup
    case = new_case(world)
    response = client_for(users[actor]).get("/api/v1/cases")
    if actor == "anonymous":
        assert response.status_code == 401
        return
    numbers = [c["number"] for c in response.json()["items"]]
    visible = actor in {"owner", "intake_clerk", "home_approver"}
    assert numbers == ([case.number] if visible else [])


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("anonymous", 401),
        ("owner", 201),
        ("other_applicant", 404),
        ("other_centre_staff", 403),
        ("intake_clerk", 201),
        ("home_approver", 403),
    ],
)
def test_submit_matrix(setup, actor, expected):
    world, users = setup
    payload = {
        "item": "company-establishment",
        "applicant_id": world.applicant.pk,
        "registered_address": HONGSHAN_ADDRESS,
        "form_data": VALID_FORM,
        "delivery_method": "post",
        "delivery_address": "江汉区",
    }
    if actor in {"intake_clerk", "other_centre_staff", "home_approver"}:
        payload["intake_centre"] = "wh-jianghan"
    files = {m.material_code: _upload(m.filename, m.content) for m in establishment_materials()}
    response = client_for(users[actor]).post(
        "/api/v1/cases", {"payload": json.dumps(payload, ensure_ascii=False), **files}
    )
    assert response.status_code == expected, response.content
    assert Case.objects.count() == (1 if expected == 201 else 0)
    if expected == 201:
        body = response.json()
        assert body["home_jurisdiction"] == "420111"
        assert len(body["materials"]) == 5


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_public_reference_endpoints_need_no_login(world):
    client = Client()
    assert client.get("/api/v1/catalog/items").status_code == 200
    assert client.get("/api/v1/centres").json()[0]["code"] == "wh-city"
    item = client.get("/api/v1/catalog/items/company-establishment").json()
    assert item["promised_days"] == 1
    missing = client.get("/api/v1/catalog/items/nope")
    assert (missing.status_code, missing.json()["code"]) == (404, "catalog.item_not_found")


def test_pdf_constant_is_sniffed_as_pdf():
    import filetype

    assert filetype.guess(PDF).mime == "application/pdf"


def test_city_supervisor_sees_every_wuhan_case_but_cannot_decide(world):
    supervisor = account_services.create_staff(
        actor="test",
        reason="test",
        username="supervisor-city",
        password="x",
        full_name="市级督查员",
        centre=ServiceCentre.objects.get(code="wh-city"),
        roles=["supervisor"],
    )
    case = new_case(world)
    client = client_for(supervisor)
    assert [c["number"] for c in client.get("/api/v1/cases").json()["items"]] == [case.number]
    assert client.get(f"/api/v1/cases/{case.number}").status_code == 200
    response = client.post(
        f"/api/v1/cases/{case.number}/accept",
        json.dumps({"reason": "越权"}),
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (403, "case.not_home_approver")


def test_an_approver_at_the_intake_centre_does_not_see_its_intake(world):
    case = new_case(world)
    client = client_for(world.approver_jianghan)
    assert client.get("/api/v1/cases").json()["items"] == []
    assert client.get(f"/api/v1/cases/{case.number}").status_code == 404


def test_same_idempotency_key_creates_one_case(world):
    payload = {
        "item": "company-establishment",
        "applicant_id": world.applicant.pk,
        "registered_address": HONGSHAN_ADDRESS,
        "form_data": VALID_FORM,
        "delivery_method": "window",
    }
    client = client_for(world.applicant_user)

    def post(form: dict) -> object:
        files = {m.material_code: _upload(m.filename, m.content) for m in establishment_materials()}
        return client.post(
            "/api/v1/cases",
            {"payload": json.dumps(form, ensure_ascii=False), **files},
            HTTP_IDEMPOTENCY_KEY="retry-7f3a",
        )

    first, again = post(payload), post(payload)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["number"] == again.json()["number"]
    assert Case.objects.count() == 1
    changed = post({**payload, "delivery_method": "post", "delivery_address": "江汉区"})
    assert (changed.status_code, changed.json()["code"]) == (409, "idempotency.key_reused")
    assert Case.objects.count() == 1
