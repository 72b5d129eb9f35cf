"""The authorization matrix on the certificate endpoints that need a login: anonymous, the
holder, another applicant, staff of another department, a clerk of the issuing department
(reads, cannot manage), and an approver of the issuing department."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from onewindow.accounts import services as account_services
from onewindow.accounts.models import Department, ServiceCentre, User
from onewindow.certificates.models import Certificate
from onewindow.ledger.models import LedgerEntry

from .conftest import USCC, issue_licence

pytestmark = pytest.mark.django_db
ACTORS = [
    "anonymous",
    "holder",
    "other_applicant",
    "other_department",
    "samr_clerk",
    "samr_approver",
]


@pytest.fixture
def users(samr_keys):
    centre = ServiceCentre.objects.get(code="xy-city")

    def staff(name: str, roles: list[str], department: str) -> User:
        return account_services.create_staff(
            actor="test",
            reason="test",
            username=name,
            password="pw",
            full_name=name,
            centre=centre,
            roles=roles,
            department=Department.objects.get(code=department),
        )

    def applicant(name: str, uscc: str) -> User:
        user = User.objects.create_user(username=name, password="pw")
        account_services.create_applicant(
            actor="test", reason="test", owner=user, kind="company", name=name, uscc=uscc
        )
        return user

    return {
        "anonymous": None,
        "holder": applicant("holder", USCC),
        "other_applicant": applicant("other", "91420500MA4K0B0B2E"),
        "other_department": staff("tax-approver", ["approver", "supervisor"], "tax"),
        "samr_clerk": staff("samr-clerk", ["window_clerk"], "samr"),
        "samr_approver": staff("samr-approver", ["approver"], "samr"),
    }


@pytest.fixture
def holder_licence(users):
    from onewindow.accounts.models import Applicant

    return issue_licence(applicant=Applicant.objects.get(uscc=USCC))


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


READ = {
    "anonymous": 401,
    "holder": 200,
    "other_applicant": 404,
    "other_department": 200,  # a supervisor (of any department) may read
    "samr_clerk": 200,
    "samr_approver": 200,
}
MANAGE = {
    "anonymous": 401,
    "holder": 403,
    "other_applicant": 404,
    "other_department": 403,
    "samr_clerk": 403,
    "samr_approver": 200,
}


@pytest.mark.parametrize("actor", ACTORS)
def test_read_endpoints(users, holder_licence, actor):
    client = client_for(users[actor])
    base = f"/api/v1/certificates/{holder_licence.number}"
    detail = client.get(base)
    assert detail.status_code == READ[actor]
    if READ[actor] == 200:
        body = detail.json()
        assert body["certificate_hash"] == holder_licence.payload_sha256
        assert len(body["permits"]) == 5
        assert body["history"][0]["event"] == "certificate_issued"
        html = client.get(base + "/licence.html")
        assert html.status_code == 200 and "营业执照" in html.content.decode()


@pytest.mark.parametrize("actor", ACTORS)
def test_revoke_endpoint(users, holder_licence, actor):
    client = client_for(users[actor])
    before = LedgerEntry.objects.count()
    response = client.post(
        f"/api/v1/certificates/{holder_licence.number}/revoke",
        json.dumps({"reason": "以欺骗手段取得许可"}),
        content_type="application/json",
    )
    assert response.status_code == MANAGE[actor]
    holder_licence.refresh_from_db()
    if MANAGE[actor] == 200:
        assert response.json()["status"] == "revoked"
        assert holder_licence.status == "revoked"
        assert LedgerEntry.objects.count() == before + 1
        assert response.json()["history"][-1]["actor"] == f"user:{users[actor].pk}"
    else:
        assert holder_licence.status == "valid"
        assert LedgerEntry.objects.count() == before


def test_suspend_then_reinstate_by_the_approver(users, holder_licence):
    client = client_for(users["samr_approver"])
    base = f"/api/v1/certificates/{holder_licence.number}"
    reason = json.dumps({"reason": "责令停产整顿"})
    assert (
        client.post(base + "/suspend", reason, content_type="application/json").json()["status"]
        == "suspended"
    )
    conflict = client.post(base + "/suspend", reason, content_type="application/json")
    assert (conflict.status_code, conflict.json()["code"]) == (
        409,
        "certificates.transition_not_allowed",
    )
    assert (
        client.post(base + "/reinstate", reason, content_type="application/json").json()["status"]
        == "valid"
    )
    empty = client.post(
        base + "/revoke", json.dumps({"reason": ""}), content_type="application/json"
    )
    assert empty.status_code == 422
    assert Certificate.objects.get(pk=holder_licence.pk).status == "valid"


def test_a_permit_prints_through_its_licence(users, holder_licence):
    permit = Certificate.objects.filter(licence=holder_licence).first()
    response = client_for(users["holder"]).get(f"/api/v1/certificates/{permit.number}/licence.pdf")
    assert (response.status_code, response.json()["code"]) == (
        422,
        "certificates.print_the_licence",
    )


def test_unknown_number_is_404(users):
    response = client_for(users["samr_approver"]).get("/api/v1/certificates/NOPE0000")
    assert (response.status_code, response.json()["code"]) == (404, "certificates.not_found")
