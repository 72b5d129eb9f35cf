"""Portal pages render for each kind of user and show errors in the user's language."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.accounts.models import LoginFailure
from onewindow.cases.models import Case
from onewindow.testing import HONGSHAN_ADDRESS, PDF

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_home_lists_services_in_chinese_by_default(world):
    response = Client().get("/")
    text = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in text
    assert "有限责任公司设立登记" in text


def test_english_is_available(world):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = client.get("/").content.decode()
    assert '<html lang="en">' in text
    assert "Limited company establishment registration" in text


def test_login_rate_limit_after_repeated_failures(world, settings):
    settings.LOGIN_RATE_LIMIT = (3, 300)
    client = Client()
    for _ in range(3):
        response = client.post("/login/", {"username": "applicant", "password": "wrong"})
        assert response.status_code == 401
    blocked = client.post("/login/", {"username": "applicant", "password": "pw-applicant"})
    assert blocked.status_code == 429
    assert "auth.rate_limited" in blocked.content.decode()
    assert LoginFailure.objects.filter(username="applicant").count() == 3
    assert "_auth_user_id" not in client.session


def test_login_succeeds_and_refuses_offsite_redirect(world):
    response = Client().post(
        "/login/", {"username": "applicant", "password": "pw-applicant", "next": "//evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/cases/"


def test_assisted_form_shows_bilingual_error_and_keeps_nothing(world):
    client = logged_in(world.clerk_jianghan)
    response = client.post(
        "/apply/company-establishment/",
        {
            "intake_centre": "wh-jianghan",
            "applicant_identity": "420106199001010028",
            "form-company_name": "武汉云帆信息技术有限公司",
            "form-company_type": "其他有限责任公司",
            "form-registered_capital_wan": "abc",
            "form-business_scope": "软件开发",
            "form-legal_representative": "演示申请人",
            "form-legal_representative_id": "420106199001010028",
            "form-premises_type": "owned",
            "registered_address": HONGSHAN_ADDRESS,
            "delivery_method": "window",
            "material-application-form": _file("a.pdf"),
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "case.form_invalid" in text
    assert "registered_capital_wan" in text
    assert Case.objects.count() == 0


def test_staff_inbox_and_case_page(world):
    client = logged_in(world.clerk_jianghan)
    response = client.post(
        "/apply/company-establishment/",
        {
            "intake_centre": "wh-jianghan",
            "applicant_identity": "420106199001010028",
            "form-company_name": "武汉云帆信息技术有限公司",
            "form-company_type": "其他有限责任公司",
            "form-registered_capital_wan": "50",
            "form-business_scope": "软件开发",
            "form-legal_representative": "演示申请人",
            "form-legal_representative_id": "420106199001010028",
            "form-premises_type": "owned",
            "registered_address": HONGSHAN_ADDRESS,
            "delivery_method": "window",
            **{
                f"material-{c}": _file(f"{c}.pdf")
                for c in (
                    "application-form",
                    "articles-of-association",
                    "representative-id",
                    "premises-ownership",
                )
            },
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.number}/"
    approver = logged_in(world.approver_hongshan)
    inbox = approver.get("/cases/?view=decide").content.decode()
    assert case.number in inbox
    page = approver.get(f"/cases/{case.number}/").content.decode()
    assert 'id="do-accept"' in page
    assert logged_in(world.other_user).get(f"/cases/{case.number}/").status_code == 404


def _file(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_material_download_only_for_who_may_see_the_case(world):
    from onewindow.cases import services
    from onewindow.catalog.selectors import item_by_code
    from onewindow.testing import VALID_FORM, establishment_materials

    case = services.submit_case(
        actor=world.applicant_user,
        reason="网上申请",
        item=item_by_code("company-establishment"),
        applicant=world.applicant,
        form_data=dict(VALID_FORM),
        registered_address=HONGSHAN_ADDRESS,
        materials=establishment_materials(),
        delivery_method="window",
    )
    material = case.materials.first()
    url = f"/cases/{case.number}/materials/{material.pk}/"
    response = logged_in(world.approver_hongshan).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert logged_in(world.other_user).get(url).status_code == 404
    assert logged_in(world.clerk_jianghan).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_admin_login_is_rate_limited_too(world, settings):
    settings.LOGIN_RATE_LIMIT = (3, 300)
    world.clerk_jianghan.is_staff = True
    world.clerk_jianghan.save()
    client = Client()
    for _ in range(3):
        client.post("/admin/login/", {"username": "clerk-jianghan", "password": "wrong"})
    assert LoginFailure.objects.filter(username="clerk-jianghan").count() == 3
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "clerk-jianghan", "password": "pw-clerk-jianghan"},
    )
    assert response.status_code == 200  # the login form again, not a redirect into the admin
    assert "_auth_user_id" not in client.session


def test_failures_from_one_address_do_not_lock_the_user_out_elsewhere(world, settings):
    settings.LOGIN_RATE_LIMIT = (3, 300)
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        attacker.post("/login/", {"username": "applicant", "password": "wrong"})
    assert (
        attacker.post("/login/", {"username": "applicant", "password": "pw-applicant"}).status_code
        == 429
    )
    owner = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        owner.post("/login/", {"username": "applicant", "password": "pw-applicant"}).status_code
        == 302
    )
