"""Helpers for tests of every app and pack: a loaded platform ('world') with staff at two
centres, applicants, and sample files of real formats."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Any

from onewindow.accounts import services as account_services
from onewindow.accounts.models import Applicant, ServiceCentre, User
from onewindow.cases.materials import IncomingMaterial
from onewindow.catalog.services import default_packs_root, load_pack
from onewindow.core.calendar import load_holiday_schedules

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
    b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\0" + b"\xff\xff\xff" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


VALID_FORM: dict[str, Any] = {
    "company_name": "武汉云帆信息技术有限公司",
    "company_type": "自然人投资或控股有限责任公司",
    "registered_capital_wan": 100,
    "business_scope": "软件开发；信息技术咨询服务",
    "legal_representative": "演示申请人",
    "legal_representative_id": "420106199001010028",
    "premises_type": "leased",
}

HONGSHAN_ADDRESS = "湖北省武汉市洪山区珞南街道珞喻路129号"


def establishment_materials(premises_type: str = "leased") -> list[IncomingMaterial]:
    codes = ["application-form", "articles-of-association", "representative-id"]
    if premises_type in {"owned", "leased"}:
        codes.append("premises-ownership")
    if premises_type == "leased":
        codes.append("lease-contract")
    if premises_type == "hosted":
        codes.append("hosting-agreement")
    return [IncomingMaterial(c, f"{c}.pdf", PDF) for c in codes]


@dataclass
class World:
    jianghan: ServiceCentre
    hongshan: ServiceCentre
    clerk_jianghan: User
    approver_jianghan: User
    approver_hongshan: User
    clerk_hongshan: User
    applicant_user: User
    applicant: Applicant
    other_user: User
    other_applicant: Applicant


def build_world() -> World:
    account_services.load_reference_data()
    load_holiday_schedules()
    load_pack(default_packs_root() / "r01_company_setup_anywhere")
    centre = ServiceCentre.objects.get
    jianghan, hongshan = centre(code="wh-jianghan"), centre(code="wh-hongshan")

    def staff(name: str, at: ServiceCentre, roles: list[str]) -> User:
        return account_services.create_staff(
            actor="test",
            reason="test",
            username=name,
            password="pw-" + name,
            full_name=name,
            centre=at,
            roles=roles,
        )

    def applicant(username: str, name: str, resident_id: str) -> tuple[User, Applicant]:
        user = User.objects.create_user(username=username, password="pw-" + username)
        return user, account_services.create_applicant(
            actor="test",
            reason="test",
            owner=user,
            kind="person",
            name=name,
            resident_id=resident_id,
        )

    applicant_user, person = applicant("applicant", "演示申请人", "420106199001010028")
    other_user, other = applicant("applicant2", "另一申请人", "420111198512150037")
    return World(
        jianghan=jianghan,
        hongshan=hongshan,
        clerk_jianghan=staff("clerk-jianghan", jianghan, ["window_clerk", "helper"]),
        approver_jianghan=staff("approver-jianghan", jianghan, ["approver"]),
        approver_hongshan=staff("approver-hongshan", hongshan, ["approver"]),
        clerk_hongshan=staff("clerk-hongshan", hongshan, ["window_clerk"]),
        applicant_user=applicant_user,
        applicant=person,
        other_user=other_user,
        other_applicant=other,
    )


# The authorization matrix every endpoint is tested against (STYLE.md, Tests).
MATRIX_ACTORS = [
    "anonymous",
    "owner",
    "other_applicant",
    "other_centre_staff",
    "intake_clerk",
    "home_approver",
]


def matrix_users(world: World) -> dict[str, User | None]:
    """One user per matrix actor; "other_centre_staff" holds every role at 江岸."""
    other_centre = account_services.create_staff(
        actor="test",
        reason="test",
        username="approver-jiangan",
        password="x",
        full_name="江岸审批员",
        centre=ServiceCentre.objects.get(code="wh-jiangan"),
        roles=["approver", "window_clerk", "supervisor"],
    )
    return {
        "anonymous": None,
        "owner": world.applicant_user,
        "other_applicant": world.other_user,
        "other_centre_staff": other_centre,
        "intake_clerk": world.clerk_jianghan,
        "home_approver": world.approver_hongshan,
    }
