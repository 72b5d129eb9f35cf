"""Outbox endpoints are for administrators: subscriptions, failures, resend, attempts."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.accounts import services as account_services
from onewindow.accounts.models import ServiceCentre
from onewindow.notifications import delivery
from onewindow.notifications.tests.test_outbox import enqueue

pytestmark = pytest.mark.django_db
API = "/api/v1/notifications"


@pytest.fixture
def admin(world):
    return account_services.create_staff(
        actor="test",
        reason="test",
        username="admin",
        password="x",
        full_name="管理员",
        centre=ServiceCentre.objects.get(code="wh-city"),
        roles=["administrator"],
    )


def client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_only_administrators(world, admin):
    for user, expected in [
        (None, 401),
        (world.applicant_user, 403),
        (world.clerk_jianghan, 403),
        (admin, 200),
    ]:
        assert client(user).get(f"{API}/subscriptions").status_code == expected
        assert client(user).get(f"{API}/deliveries").status_code == expected


def test_subscribe_see_failures_and_resend(world, admin, receiver, settings):
    settings.OUTBOX_RETRY_WINDOW_HOURS = 0  # give up after the first failure
    api = client(admin)
    created = api.post(
        f"{API}/subscriptions",
        {
            "department": "bank",
            "name": "开户行",
            "url": receiver.url,
            "event_types": ["case.*"],
            "reason": "银行接入",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    receiver.secret = created.json()["secret"]
    receiver.status_for = lambda n: 500 if n == 1 else 200
    event = enqueue()
    delivery.deliver_due()
    failed = api.get(f"{API}/deliveries?status=failed").json()
    assert failed["count"] == 1 and failed["items"][0]["department"] == "bank"
    row = failed["items"][0]
    assert (
        api.post(
            f"{API}/deliveries/{row['id']}/resend",
            {"reason": "银行系统恢复"},
            content_type="application/json",
        ).json()["status"]
        == "pending"
    )
    again = api.post(
        f"{API}/deliveries/{row['id']}/resend", {"reason": "again"}, content_type="application/json"
    )
    assert (again.status_code, again.json()["code"]) == (409, "outbox.not_failed")
    settings.OUTBOX_RETRY_WINDOW_HOURS = 26
    delivery.deliver_due()
    detail = api.get(f"{API}/events/{event.event_id}").json()
    log = detail["deliveries"][0]["attempt_log"]
    assert [(a["outcome"], a["status_code"]) for a in log] == [
        ("http_error", 500),
        ("succeeded", 200),
    ]
    assert detail["deliveries"][0]["status"] == "delivered"
    assert api.get(f"{API}/events/evt_missing").status_code == 404
