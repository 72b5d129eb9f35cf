"""A duplicate submission with the same idempotency key creates one case; the same key
with a different request is refused; a failed attempt leaves no key behind."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases import services as case_services
from onewindow.cases.models import Case
from onewindow.catalog.selectors import item_by_code
from onewindow.core.errors import Conflict, DomainError
from onewindow.notifications.idempotency import idempotent
from onewindow.notifications.models import IdempotencyKey
from onewindow.testing import HONGSHAN_ADDRESS, VALID_FORM, establishment_materials

pytestmark = pytest.mark.django_db


def submit(world: Any, key: str, form: dict[str, Any]) -> str:
    """What the API will do with an `Idempotency-Key` header."""
    request = {"item": "company-establishment", "form": form, "address": HONGSHAN_ADDRESS}
    with idempotent(scope="cases.submit", key=key, request=request) as call:
        if call.replayed:
            return call.result["case"]  # type: ignore[index]
        case = case_services.submit_case(
            actor=world.clerk_jianghan,
            reason="窗口帮办收件",
            item=item_by_code("company-establishment"),
            applicant=world.applicant,
            form_data=form,
            registered_address=HONGSHAN_ADDRESS,
            materials=establishment_materials(),
            delivery_method="window",
            intake_centre=world.jianghan,
        )
        call.result = {"case": case.number}
    return case.number


def test_same_key_twice_creates_one_case(world):
    first = submit(world, "c7a1f0e2-0001", dict(VALID_FORM))
    again = submit(world, "c7a1f0e2-0001", dict(VALID_FORM))
    assert again == first
    assert Case.objects.count() == 1
    assert IdempotencyKey.objects.get(key="c7a1f0e2-0001").result == {"case": first}


def test_same_key_with_another_request_is_refused_and_creates_nothing(world):
    submit(world, "c7a1f0e2-0002", dict(VALID_FORM))
    changed = dict(VALID_FORM, registered_capital_wan=200)
    with pytest.raises(Conflict) as refused:
        submit(world, "c7a1f0e2-0002", changed)
    assert refused.value.code == "idempotency.key_reused"
    assert Case.objects.count() == 1


def test_a_failed_submission_leaves_no_key_and_can_be_retried(world):
    bad = dict(VALID_FORM, registered_capital_wan="a lot")
    with pytest.raises(DomainError):
        submit(world, "c7a1f0e2-0003", bad)
    assert not IdempotencyKey.objects.filter(key="c7a1f0e2-0003").exists()
    assert Case.objects.count() == 0
    number = submit(world, "c7a1f0e2-0003", dict(VALID_FORM))
    assert Case.objects.get().number == number


def test_different_keys_are_different_submissions(world):
    assert submit(world, "k-1", dict(VALID_FORM)) != submit(world, "k-2", dict(VALID_FORM))
    assert Case.objects.count() == 2
