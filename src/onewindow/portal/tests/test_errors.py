"""Errors carry a stable code and speak Chinese and English, on pages and in the API."""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory

from onewindow.portal.errors import server_error

pytestmark = pytest.mark.django_db


def test_unknown_api_route_is_json_with_code():
    response = Client().get("/api/v1/nonexistent")
    assert response.status_code == 404
    assert response.json()["code"] == "page.not_found"
    assert response.json()["message_zh"] == "未找到该页面或资源"


def test_wrong_method_on_api_is_json_with_code(world):
    response = Client().get("/api/v1/cases/WH20260101000001/accept")
    assert response.status_code == 405
    assert response.json()["code"] == "request.method_not_allowed"


def test_api_post_without_csrf_token_is_coded(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.approver_hongshan)
    response = client.post(
        "/api/v1/cases/WH20260101000001/accept",
        json.dumps({"reason": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "auth.csrf_failed"


def test_portal_csrf_failure_page_is_bilingual_and_gives_no_debug_hints(world):
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "a"})
    text = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期或来源不明" in text
    assert "DEBUG" not in text


def test_portal_404_page_is_in_chinese():
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert "未找到该页面或资源" in response.content.decode()


def test_server_error_page_renders_without_a_database():
    request = RequestFactory().get("/cases/")
    response = server_error(request)
    assert response.status_code == 500
    assert "server.error" in response.content.decode()


def test_pages_carry_a_content_security_policy():
    response = Client().get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
