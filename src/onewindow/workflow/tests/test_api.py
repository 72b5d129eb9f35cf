"""The workflow API: the authorization matrix on every inbox endpoint (anonymous, the
applicant, another applicant, staff of another centre, intake staff, the home approver),
bounded queries on the inbox list, messages for supervisors only."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from onewindow.testing import MATRIX_ACTORS, matrix_users
from onewindow.workflow import services
from onewindow.workflow.models import ProcessInstance, TaskItem

pytestmark = pytest.mark.django_db
ACTORS = MATRIX_ACTORS


@pytest.fixture
def people(imported):
    return imported, matrix_users(imported)


def start(world) -> ProcessInstance:
    return services.start_process(
        process_id="t_approval",
        actor="test",
        reason="测试",
        data={
            "home_jurisdiction": "420111",
            "intake_centre": "wh-jianghan",
            "applicant_user": world.applicant_user.pk,
            "amount": 3,
        },
    )


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post(client: Client, url: str, body: dict) -> object:
    return client.post(url, json.dumps(body), content_type="application/json")


# (step the item is at, method+path, body, expected status per actor in ACTORS order)
MATRIX = {
    "detail": ("approve", "GET", None, [401, 404, 404, 404, 404, 200]),
    "claim": ("approve", "claim", {"reason": "认领"}, [401, 404, 404, 404, 404, 200]),
    "complete": (
        "approve",
        "complete",
        {"reason": "同意", "data": {"action": "approve", "amount": 1}},
        [401, 404, 404, 404, 404, 200],
    ),
    "return": (
        "approve",
        "return",
        {"reason": "补正", "points": ["金额"]},
        [401, 404, 404, 404, 404, 200],
    ),
    "fix detail": ("fix", "GET", None, [401, 200, 404, 404, 200, 404]),
    "fix complete": (
        "fix",
        "complete",
        {"reason": "已补正", "data": {}},
        [401, 200, 404, 404, 200, 404],
    ),
}


@pytest.mark.parametrize("endpoint", list(MATRIX))
@pytest.mark.parametrize("actor", ACTORS)
def test_inbox_endpoint_matrix(people, endpoint, actor):
    world, users = people
    step, action, body, expected = MATRIX[endpoint]
    instance = start(world)
    item = TaskItem.objects.get(instance=instance)
    if step == "fix":
        services.return_task(
            item_id=item.pk, actor=world.approver_hongshan, reason="补正", points=["x"]
        )
        item = TaskItem.objects.get(instance=instance, status="open")
    client = client_for(users[actor])
    url = f"/api/v1/workflow/items/{item.pk}"
    response = client.get(url) if action == "GET" else post(client, f"{url}/{action}", body)
    want = expected[ACTORS.index(actor)]
    assert response.status_code == want, response.content
    item.refresh_from_db()
    if want >= 400:
        assert set(response.json()) >= {"code", "message_zh", "message_en"}
        assert (item.status, item.assignee) == ("open", None)


def test_inbox_lists_only_routed_items_with_bounded_queries(people, django_assert_max_num_queries):
    world, users = people
    for _ in range(5):
        start(world)
    client = client_for(world.approver_hongshan)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/workflow/items").json()
    assert body["count"] == 5
    assert {i["step"] for i in body["items"]} == {"approve"}
    assert body["items"][0]["jurisdiction_code"] == "420111"
    assert (
        client_for(users["other_centre_staff"]).get("/api/v1/workflow/items").json()["count"] == 0
    )
    assert client_for(None).get("/api/v1/workflow/items").status_code == 401


@time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_messages_are_for_supervisors(people):
    world, users = people
    services.start_process(
        process_id="t_event_gateway", actor="test", reason="x", data={"case_no": "WH7"}
    )
    body = {"name": "receipt", "key": "WH7", "payload": {"number": "R-7"}, "reason": "回执"}
    refused = post(client_for(world.approver_hongshan), "/api/v1/workflow/messages", body)
    assert (refused.status_code, refused.json()["code"]) == (403, "workflow.not_supervisor")
    response = post(client_for(users["other_centre_staff"]), "/api/v1/workflow/messages", body)
    assert response.status_code == 200, response.content
    assert response.json()[0]["status"] == "completed"
