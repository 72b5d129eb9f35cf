"""Case services: intake vs home jurisdiction, deadlines, timeline, ledger, bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

from onewindow.cases import services
from onewindow.cases.constants import CaseStatus
from onewindow.cases.materials import IncomingMaterial
from onewindow.cases.models import Case, CaseEvent, Material
from onewindow.catalog.selectors import item_by_code
from onewindow.core.errors import DomainError
from onewindow.ledger.models import LedgerEntry
from onewindow.testing import (
    HONGSHAN_ADDRESS,
    PDF,
    VALID_FORM,
    establishment_materials,
    png_bytes,
)

pytestmark = pytest.mark.django_db


def assisted(world, **overrides):
    args = dict(
        actor=world.clerk_jianghan,
        reason="窗口帮办收件",
        item=item_by_code("company-establishment"),
        applicant=world.applicant,
        form_data=dict(VALID_FORM),
        registered_address=HONGSHAN_ADDRESS,
        materials=establishment_materials(),
        delivery_method="post",
        delivery_address="武汉市江汉区新华路1号",
        intake_centre=world.jianghan,
    )
    args.update(overrides)
    return services.submit_case(**args)


def stored_files() -> list[Path]:
    root = Path(settings.STORAGE_PATH)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@time_machine.travel(dt.datetime(2026, 9, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
def test_assisted_intake_routes_to_home_district_and_counts_working_days(world):
    case = assisted(world)
    assert case.intake_centre == world.jianghan
    assert case.intake_mode == "assisted"
    assert case.home_jurisdiction == "420111"
    assert case.home_jurisdiction_name == "洪山区"
    assert case.number == "WH20260930000001"
    # 2026-10-01..07 are the National Day holidays: 1 working day after 09-30 is 10-08;
    # the 3-day legal limit ends on Saturday 10-10, an adjusted working day (调休上班).
    assert case.promised_date == dt.date(2026, 10, 8)
    assert case.legal_date == dt.date(2026, 10, 10)
    assert case.status == CaseStatus.SUBMITTED
    assert Material.objects.filter(case=case).count() == 5
    assert len(stored_files()) == 5
    event = CaseEvent.objects.get(case=case)
    assert (event.name, event.actor, event.reason) == (
        "case_submitted",
        world.clerk_jianghan,
        "窗口帮办收件",
    )
    entry = LedgerEntry.objects.get(sequence=event.ledger_sequence)
    assert (entry.event, entry.subject) == ("case_submitted", f"case:{case.number}")


def test_online_submission_by_applicant_has_no_intake_centre(world):
    case = assisted(world, actor=world.applicant_user, intake_centre=None)
    assert case.intake_mode == "online"
    assert case.intake_centre is None
    assert case.home_jurisdiction == "420111"


def test_case_numbers_are_sequential_per_day(world):
    first, second = assisted(world), assisted(world)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


def test_full_lifecycle_decided_by_home_approver_and_delivered_by_post(world):
    case = assisted(world)
    approver = world.approver_hongshan
    services.accept_case(actor=approver, number=case.number, reason="材料齐全")
    services.approve_case(actor=approver, number=case.number, reason="符合条件")
    case = services.record_delivery(
        actor=approver, number=case.number, reason="EMS 寄出", tracking_number="ea123456785cn"
    )
    assert case.status == CaseStatus.CLOSED
    assert case.tracking_number == "EA123456785CN"
    assert list(case.events.values_list("name", flat=True)) == [
        "case_submitted",
        "case_accepted",
        "case_approved",
        "case_delivered",
    ]
    assert case.decided_by == approver


@pytest.mark.parametrize("who", ["clerk_jianghan", "approver_jianghan", "clerk_hongshan"])
def test_nobody_but_home_approvers_can_decide(world, who):
    case = assisted(world)
    entries_before = LedgerEntry.objects.count()
    with pytest.raises(DomainError) as err:
        services.accept_case(actor=getattr(world, who), number=case.number, reason="越权")
    assert err.value.code == "case.not_home_approver"
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.events.count() == 1
    assert LedgerEntry.objects.count() == entries_before


def test_return_for_correction_then_resubmit_restarts_the_clock(world):
    case = assisted(world)
    approver = world.approver_hongshan
    services.return_case(
        actor=approver, number=case.number, reason="章程缺页", points=["公司章程缺少第3页", "  "]
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED
    assert case.events.last().data == {"points": ["公司章程缺少第3页"]}
    case = services.resubmit_case(
        actor=world.applicant_user,
        number=case.number,
        reason="已补正",
        materials=[IncomingMaterial("articles-of-association", "章程.pdf", PDF)],
    )
    assert case.status == CaseStatus.SUBMITTED
    current = case.materials.filter(superseded=False)
    assert current.count() == 5
    assert case.materials.filter(superseded=True).count() == 1


def test_stale_version_is_refused(world):
    case = assisted(world)
    services.accept_case(actor=world.approver_hongshan, number=case.number, reason="ok")
    with pytest.raises(DomainError) as err:
        services.approve_case(
            actor=world.approver_hongshan, number=case.number, reason="ok", expected_version=1
        )
    assert err.value.code == "case.stale"


def _assert_nothing_stored(before_entries: int) -> None:
    assert Case.objects.count() == 0
    assert Material.objects.count() == 0
    assert stored_files() == []
    assert LedgerEntry.objects.count() == before_entries


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        (
            {"form_data": {**VALID_FORM, "legal_representative_id": "420106199001010029"}},
            "case.form_invalid",
        ),
        ({"form_data": {**VALID_FORM, "registered_capital_wan": -5}}, "case.form_invalid"),
        (
            {"form_data": {k: v for k, v in VALID_FORM.items() if k != "company_name"}},
            "case.form_invalid",
        ),
        ({"registered_address": "火星市奥林匹斯山1号"}, "address.unknown"),
        ({"registered_address": "湖北省荆州市沙市区北京中路1号"}, "address.outside_service_area"),
        ({"registered_address": "湖北省襄阳市樊城区人民路1号"}, "case.item_not_offered"),
        ({"registered_address": "城关镇"}, "address.ambiguous"),
        ({"materials": establishment_materials()[:2]}, "material.missing"),
        (
            {
                "materials": [
                    *establishment_materials()[:-1],
                    IncomingMaterial("lease-contract", "租赁合同.pdf", b"MZ\x90\x00fake exe"),
                ]
            },
            "material.type_mismatch",
        ),
        (
            {
                "materials": [
                    *establishment_materials(),
                    IncomingMaterial("seal-specimen", "seal.png", png_bytes()),
                ]
            },
            "material.not_expected",
        ),
        ({"delivery_method": "post", "delivery_address": " "}, "case.delivery_address_required"),
        ({"reason": ""}, "case.reason_required"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(world, overrides, code):
    before = LedgerEntry.objects.count()
    with pytest.raises(DomainError) as err:
        assisted(world, **overrides)
    assert err.value.code == code
    assert err.value.message_zh and err.value.message_en
    _assert_nothing_stored(before)


def test_oversized_file_is_refused(world, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    before = LedgerEntry.objects.count()
    big = IncomingMaterial("application-form", "big.pdf", PDF + b"0" * 2048)
    with pytest.raises(DomainError) as err:
        assisted(world, materials=[big, *establishment_materials()[1:]])
    assert err.value.code == "material.too_large"
    assert err.value.status == 413
    _assert_nothing_stored(before)


def test_invalid_resident_id_in_form_names_the_field(world):
    with pytest.raises(DomainError) as err:
        assisted(world, form_data={**VALID_FORM, "legal_representative_id": "420106199013010028"})
    fields = {e["field"] for e in err.value.details["errors"]}
    assert fields == {"legal_representative_id"}


def test_tracking_number_with_wrong_check_digit_is_refused(world):
    case = assisted(world)
    approver = world.approver_hongshan
    services.accept_case(actor=approver, number=case.number, reason="ok")
    services.approve_case(actor=approver, number=case.number, reason="ok")
    with pytest.raises(DomainError) as err:
        services.record_delivery(
            actor=approver, number=case.number, reason="寄出", tracking_number="EA123456784CN"
        )
    assert err.value.code == "case.bad_tracking_number"
    case.refresh_from_db()
    assert (case.status, case.tracking_number) == (CaseStatus.APPROVED, "")


def test_storage_failure_removes_written_files(world, monkeypatch):
    calls = {"n": 0}
    real_store = services.material_files.store

    def failing_store(material):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real_store(material)

    monkeypatch.setattr(services.material_files, "store", failing_store)
    with pytest.raises(OSError):
        assisted(world)
    assert stored_files() == []
    assert Case.objects.count() == 0
