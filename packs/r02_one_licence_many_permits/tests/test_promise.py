"""Reform 2 promise (REFORMS.md §2, 一照通 / 一照涵证): one application with one form yields one
licence whose QR code verifies, publicly and offline, every permit granted; revoking a permit
shows at the next scan.

The whole path runs on the real parts: the case services and the pack's BPMN process (the
permit approvals open in parallel, one per permit, for the approvers of the city), the
registries' scope catalogue, the market-entity registry (the company's code), one call issuing
the licence with its permits, the licence as rendered (its QR PNG decoded with zxing-cpp), the
public page and API over the test client, and `onewindow verify` offline with exported lists.
"""

from __future__ import annotations

import base64
import io
import json
import re
from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from PIL import Image

from onewindow.accounts import services as account_services
from onewindow.accounts.models import Department, ServiceCentre
from onewindow.cases import services as case_services
from onewindow.cases.constants import CaseStatus
from onewindow.cases.materials import IncomingMaterial
from onewindow.catalog.selectors import item_by_code
from onewindow.catalog.services import load_pack
from onewindow.certificates import (
    connectors,
    public,
    ratelimit,
    render,
    selectors,
    services,
    verification_log,
)
from onewindow.certificates.models import Certificate
from onewindow.certificates.qr import image
from onewindow.certificates.qr.payload import verification_url
from onewindow.core.calendar import load_holiday_schedules
from onewindow.core.errors import DomainError
from onewindow.registries.loaders import load_file
from onewindow.registries.names.vocabulary import DATA_DIR as REGISTRY_DATA
from onewindow.testing import PDF
from onewindow.workflow import selectors as workflow_selectors
from onewindow.workflow import services as workflow_services

pytestmark = pytest.mark.django_db

PACK = Path(__file__).resolve().parents[1]
ADDRESS = "湖北省襄阳市樊城区长虹北路8号"
# One form: the licence's particulars and a business scope of standard wordings, five
# permit families among them (食品销售 and 餐饮服务 share the food trading permit).
FORM: dict[str, Any] = {
    "company_name": "襄阳汉江源食品科技有限公司",
    "company_type": "自然人投资或控股有限责任公司",
    "registered_capital_wan": 500,
    "business_scope": "食品销售；餐饮服务；食品生产；特种设备制造；法定计量检定服务；"
    "检验检测服务；电线、电缆制造；软件开发",
    "industry_code": "1499",
    "legal_representative": "王建国",
    "legal_representative_id": "420602199203150012",
    "premises_type": "leased",
}
ONE_SET = [
    "one-licence-application",
    "articles-of-association",
    "representative-id",
    "premises-ownership",
    "lease-contract",
    "site-layout",
    "management-system",
]
CONFIRMED = [
    ("food-trading", "食品销售；餐饮服务"),
    ("food-production", "食品生产"),
    ("special-equipment", "特种设备制造"),
    ("metrology", "法定计量检定服务"),
    ("inspection-testing", "检验检测服务"),
    ("industrial-product", "电线、电缆制造"),
]
DECISIONS = {  # the industrial product permit is refused: the licence carries five
    "food-trading": "grant",
    "food-production": "grant",
    "special-equipment": "grant",
    "metrology": "grant",
    "inspection-testing": "grant",
    "industrial-product": "refuse",
}
GRANTED = ["FT", "FP", "SE", "MT", "IT"]


def run(*args: str) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(autouse=True)
def _june() -> Any:
    """A frozen-start clock inside the shipped holiday schedules: the item's legal time limit
    (20 working days) must end within a known year. Each process keeps the trust list and
    the rate counters for a while: a test must not see the keys of the one before."""
    forget_caches()
    with time_machine.travel(datetime(2026, 6, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))):
        yield
    forget_caches()


def forget_caches() -> None:
    public.forget_trust()
    ratelimit.reset()
    verification_log.reset()


@pytest.fixture
def xiangyang(settings: Any, tmp_path: Path) -> dict[str, Any]:
    """Reference data, the pack, the scope catalogue, market supervision's keys, the
    registration authority and the permit approvers in Xiangyang, one approver in Yichang,
    and an applicant."""
    settings.KEY_DIR = str(tmp_path / "keys")
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = "1000/60"
    account_services.load_reference_data()
    load_holiday_schedules()
    load_pack(PACK)
    load_file(
        kind="business_scope",
        path=REGISTRY_DATA / "scope_catalogue.csv",
        actor="test",
        reason="scope catalogue",
    )
    for purpose in ("certificate", "list"):
        services.create_signing_key(
            department_code="samr", actor="test", reason="keys", purpose=purpose
        )
    samr = Department.objects.get(code="samr")
    centre = ServiceCentre.objects.get

    def staff(username: str, centre_code: str) -> Any:
        return account_services.create_staff(
            actor="test",
            reason="promise",
            username=username,
            password="x",
            full_name=username,
            centre=centre(code=centre_code),
            roles=["approver"],
            department=samr,
        )

    owner = account_services.User.objects.create_user(username="applicant-xy", password="x")
    applicant = account_services.create_applicant(
        actor="test",
        reason="promise",
        owner=owner,
        kind="person",
        name="王建国",
        resident_id=FORM["legal_representative_id"],
    )
    return {
        "registrar": staff("registrar-xy", "xy-city"),
        "food": staff("food-approver-xy", "xy-city"),
        "equipment": staff("equipment-approver-xy", "xy-city"),
        "metrology": staff("metrology-approver-xy", "xy-city"),
        "yichang": staff("approver-yc", "yc-city"),
        "owner": owner,
        "applicant": applicant,
    }


def apply_once(people: dict[str, Any]) -> Any:
    return case_services.submit_case(
        actor=people["owner"],
        reason="一照通申请",
        item=item_by_code("licence-with-permits"),
        applicant=people["applicant"],
        form_data=dict(FORM),
        registered_address=ADDRESS,
        materials=[IncomingMaterial(code, f"{code}.pdf", PDF) for code in ONE_SET],
        delivery_method="post",
        delivery_address=ADDRESS,
    )


def approve_in_parallel(people: dict[str, Any], number: str) -> list[int]:
    """Each department's approver decides the permit of their department; all are open at
    once. Returns the inbox item ids."""
    open_items = list(workflow_selectors.open_items_of(f"case:{number}"))
    who = {
        "food-trading": "food",
        "food-production": "food",
        "special-equipment": "equipment",
        "industrial-product": "equipment",
        "metrology": "metrology",
        "inspection-testing": "metrology",
    }
    instance = workflow_selectors.instance_of(f"case:{number}")
    assert instance is not None
    permits = instance.variables["permits"]
    assert len(open_items) == len(permits) == 6
    for item, permit in zip(open_items, permits, strict=True):
        approver = people[who[permit["type_code"]]]
        workflow_services.complete_task(
            item_id=item.pk,
            actor=approver,
            reason="许可并联审批",
            data={"decision": DECISIONS[permit["type_code"]], "opinion": "现场核查完毕"},
        )
    return [item.pk for item in open_items]


def issued(people: dict[str, Any]) -> tuple[Any, Certificate]:
    case = apply_once(people)
    registrar = people["registrar"]
    case_services.accept_case(actor=registrar, number=case.number, reason="一窗受理")
    connectors.confirm_permits(number=case.number, actor=registrar, reason="核定许可事项")
    approve_in_parallel(people, case.number)
    licence = connectors.issue_for_case(number=case.number, actor=registrar, reason="证照同发")
    return case, licence


def rendered_qr_text(licence: Certificate) -> str:
    """The QR PNG embedded in the licence as rendered, decoded with zxing-cpp."""
    html = render.licence_html(licence)
    match = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert match is not None
    png = Image.open(io.BytesIO(base64.b64decode(match.group(1))))
    texts = image.read_texts(png)
    assert len(texts) == 1
    return texts[0]


def test_one_form_one_set_of_materials_permits_approved_in_parallel(xiangyang):
    case = apply_once(xiangyang)
    assert sorted(m.material_type.code for m in case.materials.all()) == sorted(ONE_SET)
    registrar = xiangyang["registrar"]
    case_services.accept_case(actor=registrar, number=case.number, reason="一窗受理")
    permits = connectors.confirm_permits(number=case.number, actor=registrar, reason="核定许可事项")
    assert [(p["type_code"], p["wording"]) for p in permits] == CONFIRMED
    assert {p["department_code"] for p in permits} == {"samr"}
    # all six approvals are open at once, each in the inbox of the city's approvers ...
    items = list(workflow_selectors.open_items_of(f"case:{case.number}"))
    assert [(i.spec_id, i.role, i.jurisdiction_code) for i in items] == [
        ("approve_permit", "approver", "420600")
    ] * 6
    for person in ("food", "equipment", "metrology"):
        inbox = workflow_selectors.inbox(xiangyang[person])
        assert {i.pk for i in inbox} == {i.pk for i in items}
    # ... and of nobody in Yichang, who cannot decide them either
    assert list(workflow_selectors.inbox(xiangyang["yichang"])) == []
    with pytest.raises(DomainError) as refused:
        workflow_services.complete_task(
            item_id=items[0].pk,
            actor=xiangyang["yichang"],
            reason="x",
            data={"decision": "grant", "opinion": "x"},
        )
    assert refused.value.code == "workflow.not_your_task"
    assert workflow_selectors.open_items_of(f"case:{case.number}").count() == 6
    approve_in_parallel(xiangyang, case.number)
    # all decided, nothing issued yet: the licence waits for the registration authority
    assert connectors.licence_of_case(case.number) is None
    assert Certificate.objects.count() == 0
    with pytest.raises(DomainError) as not_home:
        connectors.issue_for_case(number=case.number, actor=xiangyang["yichang"], reason="x")
    assert not_home.value.code == "case.not_home_approver"
    assert Certificate.objects.count() == 0
    licence = connectors.issue_for_case(number=case.number, actor=registrar, reason="证照同发")
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    assert connectors.licence_of_case(case.number) == licence
    permits_issued = selectors.permits_of(licence)
    assert [p.certificate_type.short_code for p in permits_issued] == GRANTED
    # issued together: one licence, its permits, in the same instant, for the same company
    assert {p.issued_at for p in permits_issued} == {licence.issued_at}
    assert {p.holder_code for p in permits_issued} == {licence.holder_code}
    assert Certificate.objects.count() == 1 + 5
    assert licence.holder_name == FORM["company_name"]
    assert licence.case_number == case.number


def test_the_rendered_qr_verifies_every_permit_publicly_and_offline(xiangyang, client, tmp_path):
    _case, licence = issued(xiangyang)
    permits = selectors.permits_of(licence)
    url = rendered_qr_text(licence)
    assert url == verification_url(licence.payload)
    # public API
    data = client.get("/api/v1/certificates/verify", {"c": url}).json()
    assert (data["valid"], data["reason"]) == (True, "ok")
    assert data["licence"]["number"] == licence.number
    assert [(p["number"], p["type"], p["status"], p["in_qr"]) for p in data["permits"]] == [
        (p.number, p.certificate_type.short_code, "valid", True) for p in permits
    ]
    # public page (the address a phone camera opens)
    address = urlsplit(url)
    page = client.get(f"{address.path}?{address.query}")
    assert page.status_code == 200
    text = page.content.decode()
    assert all(p.number in text for p in permits)
    # offline, from the PNG file, with exported lists
    trust, revocations = tmp_path / "trust.json", tmp_path / "revocations.json"
    assert run("certificates", "trust-list", "--out", str(trust))[0] == 0
    assert run("certificates", "revocations", "--out", str(revocations))[0] == 0
    photo = tmp_path / "licence-qr.png"
    code_35mm = image.make_code(licence.payload)
    # measured: a 397-character payload (five permits), QR version 13 at level M, 77 modules
    # with the quiet zone — about 0.45 mm a module at 35 mm
    assert (code_35mm.error, int(code_35mm.version) <= 14, len(licence.payload) < 450) == (
        "M",
        True,
        True,
    )
    image.printed(code_35mm, mm=35, dpi=300).save(photo)
    code, output = run(
        "verify",
        str(photo),
        "--trust-list",
        str(trust),
        "--revocations",
        str(revocations),
        "--json",
    )
    offline = json.loads(output)
    assert (code, offline["valid"], offline["revocation_list_checked"]) == (0, True, True)
    assert [(p["number"], p["status"]) for p in offline["permits"]] == [
        (p.number, "valid") for p in permits
    ]


def test_revoking_a_permit_shows_at_the_next_scan_and_in_the_next_list(xiangyang, client, tmp_path):
    _case, licence = issued(xiangyang)
    url = rendered_qr_text(licence)
    trust, old_list = tmp_path / "trust.json", tmp_path / "revocations-1.json"
    run("certificates", "trust-list", "--out", str(trust))
    run("certificates", "revocations", "--out", str(old_list))
    metrology = selectors.permits_of(licence)[3]
    assert metrology.certificate_type.code == "metrology"
    services.revoke_certificate(
        certificate=metrology, actor=xiangyang["metrology"], reason="计量授权条件不再具备"
    )
    scan = client.get("/api/v1/certificates/verify", {"c": url}).json()
    statuses = {p["number"]: p["status"] for p in scan["permits"]}
    assert statuses == {
        p.number: ("revoked" if p.pk == metrology.pk else "valid")
        for p in selectors.permits_of(licence)
    }
    page = client.get("/v/", {"c": licence.payload}).content.decode()
    assert re.search(rf"{metrology.number}.*?已撤销", page, re.S) is not None
    # offline: the list exported before does not know yet; the next one does
    arguments = ["--trust-list", str(trust), "--json"]
    before = json.loads(run("verify", url, "--revocations", str(old_list), *arguments)[1])
    assert {p["number"]: p["status"] for p in before["permits"]}[metrology.number] == "valid"
    new_list = tmp_path / "revocations-2.json"
    run("certificates", "revocations", "--out", str(new_list))
    after = json.loads(run("verify", url, "--revocations", str(new_list), *arguments)[1])
    assert {p["number"]: p["status"] for p in after["permits"]} == statuses
    listed = client.get("/api/v1/certificates/revocations").json()["entries"]
    assert list(listed.values()) == ["revoked"]
