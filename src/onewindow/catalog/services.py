"""Load reform packs' catalogue YAML into the database (idempotent, one transaction)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from onewindow.accounts.models import Department
from onewindow.catalog.models import MaterialRequirement, MaterialType, Pack, ServiceItem
from onewindow.catalog.policies import check_schema
from onewindow.core.errors import DomainError, ValidationFailed

ITEM_KEYS = {
    "code",
    "name_zh",
    "name_en",
    "department",
    "level",
    "legal_days",
    "promised_days",
    "fee",
    "form_schema",
    "materials",
    "regions",
    "process",
}


def _pack_error(path: Path, problem_zh: str, problem_en: str) -> ValidationFailed:
    return ValidationFailed(
        "pack.invalid",
        f"{path}: {problem_zh}",
        f"{path}: {problem_en}",
        details={"file": str(path)},
    )


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise _pack_error(path, f"YAML 格式错误{line}", f"bad YAML{line}: {exc}") from exc


def pack_hash(pack_dir: Path) -> str:
    digest = hashlib.sha256()
    files = [pack_dir / "pack.yaml", *sorted((pack_dir / "catalog").glob("*.yaml"))]
    for f in files:
        digest.update(f.relative_to(pack_dir).as_posix().encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()


def _load_materials(path: Path, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        if not {"code", "name_zh", "name_en"} <= row.keys():
            raise _pack_error(
                path, f"材料类型缺少字段：{row}", f"material type lacks fields: {row}"
            )
        MaterialType.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "accepted_types": row.get("accepted_types", []),
            },
        )


def _load_item(path: Path, pack: Pack, row: dict[str, Any]) -> ServiceItem:
    missing = {
        "code",
        "name_zh",
        "name_en",
        "department",
        "level",
        "legal_days",
        "promised_days",
    } - row.keys()
    unknown = row.keys() - ITEM_KEYS
    if missing or unknown:
        raise _pack_error(
            path,
            f"事项 {row.get('code')} 缺少 {sorted(missing)} / 未知 {sorted(unknown)}",
            f"item {row.get('code')}: missing {sorted(missing)}, unknown {sorted(unknown)}",
        )
    department = Department.objects.filter(code=row["department"]).first()
    if department is None:
        raise _pack_error(
            path, f"未知部门 {row['department']}", f"unknown department {row['department']}"
        )
    schema = row.get("form_schema") or {"type": "object"}
    check_schema(schema)
    if row["promised_days"] > row["legal_days"]:
        raise _pack_error(
            path,
            f"事项 {row['code']} 承诺时限超过法定时限",
            f"item {row['code']}: promised days exceed legal days",
        )
    item, _ = ServiceItem.objects.update_or_create(
        code=row["code"],
        defaults={
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "department": department,
            "level": row["level"],
            "legal_days": row["legal_days"],
            "promised_days": row["promised_days"],
            "fee": row.get("fee", 0),
            "form_schema": schema,
            "regions": row.get("regions", []),
            "process_id": row.get("process", ""),
            "pack": pack,
            "is_active": True,
        },
    )
    item.requirements.all().delete()
    for position, material in enumerate(row.get("materials", [])):
        material_type = MaterialType.objects.filter(code=material["type"]).first()
        if material_type is None:
            raise _pack_error(
                path,
                f"未知材料类型 {material['type']}",
                f"unknown material type {material['type']}",
            )
        MaterialRequirement.objects.create(
            item=item,
            material_type=material_type,
            position=position,
            condition=material.get("when", {}),
            is_required=material.get("required", True),
            note_zh=material.get("note_zh", ""),
            note_en=material.get("note_en", ""),
        )
    return item


@transaction.atomic
def load_pack(pack_dir: Path, *, actor: str = "system", reason: str = "load pack") -> Pack:
    """Load or update one pack's catalogue. Any error leaves the database unchanged."""
    from onewindow.ledger.services import append_entry

    manifest_path = pack_dir / "pack.yaml"
    if not manifest_path.is_file():
        raise DomainError("pack.not_found", f"未找到 {manifest_path}", f"{manifest_path} not found")
    manifest = _read_yaml(manifest_path) or {}
    for key in ("id", "version", "title_zh", "title_en"):
        if key not in manifest:
            raise _pack_error(manifest_path, f"缺少 {key}", f"missing {key}")
    content_hash = pack_hash(pack_dir)
    pack, _ = Pack.objects.update_or_create(
        code=manifest["id"],
        defaults={
            "version": str(manifest["version"]),
            "title_zh": manifest["title_zh"],
            "title_en": manifest["title_en"],
            "content_hash": content_hash,
        },
    )
    codes = []
    for path in sorted((pack_dir / "catalog").glob("*.yaml")):
        data = _read_yaml(path) or {}
        _load_materials(path, data.get("material_types", []))
        codes += [_load_item(path, pack, row).code for row in data.get("items", [])]
    append_entry(
        actor=actor,
        event="pack_loaded",
        subject=f"pack:{pack.code}",
        reason=reason,
        payload={"version": pack.version, "content_hash": content_hash, "items": codes},
    )
    return pack


def discover_packs(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.glob("r*/pack.yaml"))


def default_packs_root() -> Path:
    """packs/ of the source checkout, or $ONEWINDOW_PACKS."""
    import os

    configured = os.environ.get("ONEWINDOW_PACKS")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / "packs"
