"""Changes made to case rows or files outside the services are caught: by `ledger verify`,
and by the services themselves before they build on a tampered case."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from onewindow.cases import services
from onewindow.cases.models import Case, CaseEvent, Material
from onewindow.catalog.selectors import item_by_code
from onewindow.core.errors import DomainError
from onewindow.ledger.models import LedgerEntry
from onewindow.ledger.verify import verify_rows
from onewindow.testing import HONGSHAN_ADDRESS, VALID_FORM, establishment_materials

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return services.submit_case(
        actor=world.clerk_jianghan,
        reason="帮办",
        item=item_by_code("company-establishment"),
        applicant=world.applicant,
        form_data=dict(VALID_FORM),
        registered_address=HONGSHAN_ADDRESS,
        materials=establishment_materials(),
        delivery_method="post",
        delivery_address="武汉市江汉区新华路1号",
        intake_centre=world.jianghan,
    )


def case_problems() -> list[str]:
    return [str(p) for p in verify_rows().problems if "cases_case" in str(p)]


def test_untouched_cases_verify(case):
    assert case_problems() == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "accepted"),
        ("delivery_address", "北京市朝阳区某地"),
        ("home_jurisdiction_name", "江夏区"),
    ],
)
def test_a_changed_case_field_is_reported_and_blocks_further_handling(world, case, field, value):
    Case.objects.filter(pk=case.pk).update(**{field: value})
    [problem] = case_problems()
    assert f"number={case.number} field={field}" in problem
    entries = LedgerEntry.objects.count()
    with pytest.raises(DomainError) as err:
        services.accept_case(actor=world.approver_hongshan, number=case.number, reason="受理")
    assert err.value.code == "case.tampered"
    assert err.value.details == {"fields": [field]}
    assert LedgerEntry.objects.count() == entries


def test_a_rewritten_timeline_event_is_reported(case):
    CaseEvent.objects.filter(case=case).update(reason="（伪造）", actor_label="市长 (mayor)")
    [problem] = case_problems()
    assert "field=timeline" in problem


def test_a_replaced_material_file_is_reported(case):
    material = Material.objects.filter(case=case).first()
    (Path(settings.STORAGE_PATH) / material.storage_name).write_bytes(b"%PDF-1.4 forged")
    [problem] = case_problems()
    assert "field=materials" in problem


def test_legitimate_changes_keep_the_case_verifiable(world, case):
    approver = world.approver_hongshan
    services.accept_case(actor=approver, number=case.number, reason="受理")
    services.approve_case(actor=approver, number=case.number, reason="核准")
    assert case_problems() == []
