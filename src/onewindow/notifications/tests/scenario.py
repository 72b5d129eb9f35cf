"""Steps of the worker-crash test, run as subprocesses against a scratch database:

python -m onewindow.notifications.tests.scenario setup URL EVENTS SUBJECTS
python -m onewindow.notifications.tests.scenario report
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.conf.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402

from onewindow.accounts import services as account_services  # noqa: E402
from onewindow.notifications import services  # noqa: E402
from onewindow.notifications.models import Delivery  # noqa: E402


def setup(url: str, events: int, subjects: int) -> dict[str, object]:
    account_services.load_reference_data()
    _, secret = services.create_subscription(
        department_code="tax",
        name="tax intake",
        url=url,
        event_types=["case.*"],
        actor="user:admin",
        reason="部门接入推送 department joins",
        timeout_seconds=3,
    )
    sent = []
    for step in range(events):
        with transaction.atomic():
            event = services.enqueue_event(
                event_type="case.approved",
                subject=f"case:S{step % subjects}",
                payload={"step": step},
                actor="user:7",
                reason="核准登记 registration approved",
            )
        sent.append([event.subject, event.event_id])
    return {"secret": secret, "events": sent}


def report() -> dict[str, object]:
    rows = Delivery.objects.select_related("event").order_by("event_id")
    return {
        "deliveries": [
            {
                "event_id": d.event.event_id,
                "status": d.status,
                "attempts": [a.outcome for a in d.attempt_log.order_by("number")],
            }
            for d in rows
        ]
    }


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        result = setup(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        result = report()
    print(json.dumps(result))
