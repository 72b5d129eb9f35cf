"""Demo data from packs' demo/*.yaml: staff at centres, applicants. Idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from onewindow.accounts import services
from onewindow.accounts.constants import CentreKind
from onewindow.accounts.models import Applicant, ServiceCentre, User

ACTOR = "system:demo"
REASON = "load demo data"


def _staff(row: dict[str, Any], password: str) -> list[str]:
    made = []
    if row.get("each_district_centre"):
        centres = ServiceCentre.objects.filter(
            city_code="420100", kind__in=[CentreKind.DISTRICT, CentreKind.ZONE]
        )
        rows = [
            {
                "username": row["username_prefix"] + c.code.removeprefix("wh-"),
                "full_name": f"{c.name_zh.removesuffix('政务服务中心')}审批员",
                "centre": c.code,
                "roles": row["roles"],
            }
            for c in centres
        ]
    else:
        rows = [row]
    for r in rows:
        if User.objects.filter(username=r["username"]).exists():
            continue
        services.create_staff(
            actor=ACTOR,
            reason=REASON,
            username=r["username"],
            password=password,
            full_name=r["full_name"],
            centre=ServiceCentre.objects.get(code=r["centre"]),
            roles=r["roles"],
        )
        made.append(r["username"])
    return made


def _applicant(row: dict[str, Any], password: str) -> None:
    owner_row = row["owner"]
    owner = User.objects.filter(username=owner_row["username"]).first()
    if owner is None:
        owner = User.objects.create_user(
            username=owner_row["username"], password=password, first_name=owner_row["full_name"]
        )
    key = {"resident_id": row["resident_id"]} if row.get("resident_id") else {"uscc": row["uscc"]}
    if Applicant.objects.filter(**key).exists():
        return
    services.create_applicant(
        actor=ACTOR,
        reason=REASON,
        owner=owner,
        kind=row["kind"],
        name=row["name"],
        resident_id=row.get("resident_id", ""),
        uscc=row.get("uscc", ""),
        phone=row.get("phone", ""),
        email=row.get("email", ""),
    )


@transaction.atomic
def load_demo(packs_root: Path) -> dict[str, Any]:
    password = "onewindow-demo"  # noqa: S105 - published demo password
    for path in sorted(packs_root.glob("r*/demo/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        password = data.get("password", password)
        for row in data.get("staff", []):
            _staff(row, password)
        for row in data.get("applicants", []):
            _applicant(row, password)
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser(username="admin", password=password, first_name="管理员")
    return {"password": password}


def print_welcome(address: str) -> None:
    print("\n" + "=" * 72)
    print(f"  OneWindow 一窗通办 is running at {address}")
    print(f"  API docs: {address}api/v1/docs   Admin: {address}admin/")
    print("  Demo accounts (password: onewindow-demo):")
    print("    applicant          申请人 (person + company)")
    print("    clerk-jianghan     江汉区政务服务中心 window clerk / helper")
    print("    approver-hongshan  洪山区 approver (also approver-<district|edz|ehtz|eastlake>)")
    print("    supervisor-city    city supervisor;   admin   administrator (Django admin)")
    print(f"  Data: {settings.HOME}")
    print("=" * 72 + "\n", flush=True)
