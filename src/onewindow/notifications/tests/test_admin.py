"""The administrator's outbox pages: a subscription created through the service, the
failures list, the resend action."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from onewindow.accounts.models import Department, User
from onewindow.notifications import delivery
from onewindow.notifications.models import Delivery, Subscription
from onewindow.notifications.tests.test_outbox import enqueue

pytestmark = pytest.mark.django_db


def test_subscribe_see_failures_and_resend_from_the_admin(departments, receiver, settings):
    client = Client()
    client.force_login(User.objects.create_superuser("root", password="x"))
    response = client.post(
        reverse("admin:notifications_subscription_add"),
        {
            "department": Department.objects.get(code="police").pk,
            "name": "刻章备案",
            "url": receiver.url,
            "event_types": '["case.*"]',
            "timeout_seconds": 5,
            "reason": "接入",
        },
        follow=True,
    )
    assert response.status_code == 200
    secret = next(m.message for m in response.context["messages"]).split(": ")[-1]
    assert secret.startswith("whsec_") and Subscription.objects.get().secret == secret
    receiver.secret = secret
    receiver.status_for = lambda n: 500 if n == 1 else 200
    settings.OUTBOX_RETRY_WINDOW_HOURS = 0
    enqueue()
    delivery.deliver_due()
    failures = client.get(
        reverse("admin:notifications_delivery_changelist") + "?status__exact=failed"
    )
    assert failures.status_code == 200 and "HTTP 500" in failures.content.decode()
    row = Delivery.objects.get()
    client.post(
        reverse("admin:notifications_delivery_changelist"),
        {"action": "resend", "_selected_action": [row.pk]},
    )
    settings.OUTBOX_RETRY_WINDOW_HOURS = 26
    delivery.deliver_due()
    row.refresh_from_db()
    assert row.status == "delivered" and len(receiver.applied) == 1
    for name in ("outboxevent", "delivery", "subscription", "idempotencykey"):
        assert client.get(reverse(f"admin:notifications_{name}_changelist")).status_code == 200
