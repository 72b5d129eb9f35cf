"""Hot lists keep a constant number of queries however many cases they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from onewindow.cases import services
from onewindow.catalog.selectors import item_by_code
from onewindow.testing import HONGSHAN_ADDRESS, VALID_FORM, establishment_materials

pytestmark = pytest.mark.django_db


def submit(world) -> None:
    services.submit_case(
        actor=world.clerk_jianghan,
        reason="帮办",
        item=item_by_code("company-establishment"),
        applicant=world.applicant,
        form_data=dict(VALID_FORM),
        registered_address=HONGSHAN_ADDRESS,
        materials=establishment_materials(),
        delivery_method="window",
        intake_centre=world.jianghan,
    )


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url", ["/api/v1/cases", "/cases/", "/cases/?view=decide"])
def test_inbox_query_count_does_not_grow_with_cases(world, url):
    client = Client()
    client.force_login(world.approver_hongshan)
    submit(world)
    with_one = queries_for(client, url)
    for _ in range(4):
        submit(world)
    assert queries_for(client, url) == with_one
