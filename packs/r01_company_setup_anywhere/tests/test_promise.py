"""Reform 1 promise (REFORMS.md §1): an application taken in at centre X for an address in
district Y is decided only by Y's approvers and delivered by post; X's staff cannot decide it.

Checked for every Wuhan intake centre X and a real address in every district-level
jurisdiction Y (including the functional zones defined by their streets)."""

from __future__ import annotations

import pytest

from onewindow.accounts import services as account_services
from onewindow.accounts.models import ServiceCentre
from onewindow.cases import services
from onewindow.cases.constants import CaseStatus
from onewindow.catalog.selectors import item_by_code
from onewindow.core.errors import DomainError
from onewindow.testing import VALID_FORM, establishment_materials

pytestmark = pytest.mark.django_db

# A real address in each district-level jurisdiction -> its deciding centre.
ADDRESSES = {
    "wh-jiangan": "武汉市江岸区解放大道1号",
    "wh-jianghan": "武汉市江汉区民族街道江汉路118号",
    "wh-qiaokou": "武汉市硚口区汉中街道中山大道1号",
    "wh-hanyang": "武汉市汉阳区鹦鹉街道鹦鹉大道8号",
    "wh-wuchang": "武汉市武昌区中华路街道临江大道1号",
    "wh-qingshan": "武汉市青山区红卫路街道和平大道999号",
    "wh-hongshan": "湖北省武汉市洪山区珞南街道珞喻路129号",
    "wh-dongxihu": "武汉市东西湖区吴家山街道东吴大道1号",
    "wh-caidian": "武汉市蔡甸区蔡甸街道树藩大街1号",
    "wh-jiangxia": "武汉市江夏区纸坊街道文化大道1号",
    "wh-huangpi": "武汉市黄陂区前川街道黄陂大道1号",
    "wh-xinzhou": "武汉市新洲区邾城街道齐安大道1号",
    "wh-edz": "武汉市汉南区纱帽街道汉南大道1号",
    "wh-ehtz": "武汉市洪山区关东街道光谷大道77号",
    "wh-eastlake": "武汉市东湖风景区街道东湖路1号",
}


@pytest.fixture
def centres(world):
    """An intake clerk and an approver at each of the 16 Wuhan centres."""
    staff = {}
    for centre in ServiceCentre.objects.filter(city_code="420100"):
        short = centre.code.removeprefix("wh-")
        staff[centre.code] = {
            role: account_services.create_staff(
                actor="test",
                reason="promise",
                username=f"{role}-{short}-p",
                password="x",
                full_name=f"{role} {short}",
                centre=centre,
                roles=[role],
            )
            for role in ("window_clerk", "approver")
        }
    return world, staff


def test_sixteen_wuhan_centres_and_fifteen_deciding_jurisdictions(world):
    wuhan = ServiceCentre.objects.filter(city_code="420100")
    assert wuhan.count() == 16
    assert set(ADDRESSES) == set(wuhan.exclude(code="wh-city").values_list("code", flat=True))


@pytest.mark.parametrize("home", list(ADDRESSES))
def test_taken_in_anywhere_decided_only_by_home_and_posted(centres, home):
    world, staff = centres
    home_centre = ServiceCentre.objects.get(code=home)
    for intake in ("wh-city", "wh-jianghan" if home != "wh-jianghan" else "wh-hongshan"):
        case = services.submit_case(
            actor=staff[intake]["window_clerk"],
            reason="异地通办收件",
            item=item_by_code("company-establishment"),
            applicant=world.applicant,
            form_data=dict(VALID_FORM),
            registered_address=ADDRESSES[home],
            materials=establishment_materials(),
            delivery_method="post",
            delivery_address="武汉市江汉区新华路1号",
            intake_centre=ServiceCentre.objects.get(code=intake),
        )
        assert case.intake_centre.code == intake
        assert case.home_jurisdiction == home_centre.jurisdiction_code
        # No other centre's staff — intake centre included — can decide it.
        for code, people in staff.items():
            if code == home:
                continue
            for person in people.values():
                with pytest.raises(DomainError) as err:
                    services.accept_case(actor=person, number=case.number, reason="越权")
                assert err.value.code == "case.not_home_approver"
        approver = staff[home]["approver"]
        services.accept_case(actor=approver, number=case.number, reason="受理")
        services.approve_case(actor=approver, number=case.number, reason="核准")
        case = services.record_delivery(
            actor=approver, number=case.number, reason="EMS 寄出", tracking_number="EA123456785CN"
        )
        assert case.status == CaseStatus.CLOSED
        assert case.delivery_method == "post"
        assert case.tracking_number == "EA123456785CN"
        assert case.decided_by == approver
