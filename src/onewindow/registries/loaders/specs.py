"""What each load kind reads: its columns (English and Chinese headers), the natural key a
row is matched on, and how a batch of valid rows is written (insert or update)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from onewindow.registries import constants as c
from onewindow.registries.loaders import fields as f
from onewindow.registries.loaders.entities import write_entities, write_names
from onewindow.registries.loaders.signed import check_hosted_row
from onewindow.registries.models import (
    AddressHost,
    CreditRating,
    HostedAddress,
    IndustryCode,
    ListEntry,
    PropertyRecord,
    ScopeEntry,
    VerifiedIdentity,
)
from onewindow.registries.policies import normalise_address


@dataclass(frozen=True)
class Column:
    field: str
    headers: tuple[str, ...]
    parse: f.Parser
    required: bool = True


@dataclass(frozen=True)
class LoadSpec:
    kind: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    write: Callable[[list[dict[str, Any]]], int]
    check_row: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda row: row)


def upsert(
    model: type[models.Model], key: tuple[str, ...]
) -> Callable[[list[dict[str, Any]]], int]:
    def write(rows: list[dict[str, Any]]) -> int:
        objects = [model(**row) for row in rows]
        updated = [n for n in rows[0] if n not in key]
        model.objects.bulk_create(  # type: ignore[attr-defined]
            objects, update_conflicts=True, unique_fields=list(key), update_fields=updated
        )
        return len(objects)

    return write


def col(name: str, zh: str, parse: f.Parser, required: bool = True) -> Column:
    return Column(name, (name, zh), parse, required)


def _with_address_key(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "address_key": normalise_address(row["address"])}


SPECS: dict[str, LoadSpec] = {}


def _spec(spec: LoadSpec) -> None:
    SPECS[spec.kind] = spec


_spec(
    LoadSpec(
        "industries",
        (
            col("code", "代码", f.text(4)),
            col("name", "名称", f.text(100)),
            col("level", "层级", f.positive_int),
            col("parent_code", "上级代码", f.text(4), required=False),
            col("section", "门类", f.text(1)),
        ),
        ("code",),
        upsert(IndustryCode, ("code",)),
    )
)
_spec(
    LoadSpec(
        "market_entities",
        (
            col("uscc", "统一社会信用代码", f.uscc),
            col("name", "名称", f.text(150)),
            col("entity_type", "主体类型", f.choice(c.EntityType)),
            col("legal_form", "组织形式", f.text(60), required=False),
            col("registered_address", "住所", f.text(200)),
            col("division_code", "住所区划", f.text(12), required=False),
            col("legal_representative", "法定代表人", f.text(60)),
            col("legal_representative_id", "法定代表人身份号码", f.resident_id, required=False),
            col("status", "登记状态", f.choice(c.EntityStatus)),
            col("industry_code", "行业代码", f.digits(4), required=False),
            col("registration_authority", "登记机关区划", f.digits(6)),
            col("established_on", "成立日期", f.date),
            col("status_changed_on", "状态变更日期", f.date, required=False),
        ),
        ("uscc",),
        write_entities,
    )
)
_spec(
    LoadSpec(
        "enterprise_names",
        (
            col("name", "企业名称", f.text(150)),
            col("status", "状态", f.choice(c.NameStatus)),
            col("reserved_until", "保留期至", f.date, required=False),
            col("released_at", "释放日期", f.date, required=False),
        ),
        ("name",),
        write_names,
    )
)
_spec(
    LoadSpec(
        "business_scope",
        (
            col("code", "条目代码", f.text(20)),
            col("wording", "规范表述", f.text(120)),
            col("kind", "类别", f.choice(c.ScopeKind)),
            col("permit_name", "许可证件", f.text(120), required=False),
            col("approving_department", "审批部门", f.text(120), required=False),
            col("department_code", "部门代码", f.text(40), required=False),
            col("industry_code", "行业代码", f.text(4), required=False),
            col("legal_basis", "依据", f.text(300), required=False),
            col("source_note", "来源", f.text(300), required=False),
        ),
        ("code",),
        upsert(ScopeEntry, ("code",)),
    )
)
_spec(
    LoadSpec(
        "address_hosts",
        (
            col("uscc", "统一社会信用代码", f.uscc),
            col("name", "名称", f.text(150)),
            col("public_key", "签名公钥", f.base64_bytes(32)),
        ),
        ("uscc",),
        upsert(AddressHost, ("uscc",)),
    )
)
_spec(
    LoadSpec(
        "hosted_addresses",
        (
            col("host_uscc", "托管企业代码", f.uscc),
            col("address", "地址", f.text(200)),
            col("capacity", "可容纳主体数", f.positive_int),
            col("valid_until", "有效期至", f.date),
            col("signature", "托管企业签名", f.base64_bytes(64)),
        ),
        ("address_key",),
        upsert(HostedAddress, ("address_key",)),
        check_hosted_row,
    )
)
_spec(
    LoadSpec(
        "housing",
        (
            col("certificate_number", "不动产权证号", f.text(60)),
            col("address", "坐落", f.text(200)),
            col("owner_name", "权利人", f.text(150)),
            col("owner_identifier", "权利人证件号", f.identifier, required=False),
            col("use", "用途", f.choice(c.PropertyUse)),
            col("area_m2", "面积", f.decimal, required=False),
        ),
        ("certificate_number",),
        upsert(PropertyRecord, ("certificate_number",)),
        _with_address_key,
    )
)
_spec(
    LoadSpec(
        "restrictions",
        (
            col("kind", "名单", f.choice(c.ListKind)),
            col("identifier_kind", "证件类型", f.choice(c.IdentifierKind)),
            col("identifier", "证件号", f.identifier),
            col("name", "名称", f.text(150)),
            col("reason", "事由", f.text(300)),
            col("authority", "决定机关", f.text(150)),
            col("document_number", "文书号", f.text(80), required=False),
            col("listed_on", "列入日期", f.date),
            col("expires_on", "届满日期", f.date, required=False),
            col("removed_on", "移出日期", f.date, required=False),
        ),
        ("kind", "identifier", "document_number"),
        upsert(ListEntry, ("kind", "identifier", "document_number")),
    )
)
_spec(
    LoadSpec(
        "credit",
        (
            col("identifier_kind", "证件类型", f.choice(c.IdentifierKind)),
            col("identifier", "证件号", f.identifier),
            col("grade", "信用等级", f.choice(c.CreditGrade)),
            col("rated_on", "评定日期", f.date),
            col("authority", "评定机关", f.text(150)),
        ),
        ("identifier",),
        upsert(CreditRating, ("identifier",)),
    )
)
_spec(
    LoadSpec(
        "identity",
        (
            col("resident_id", "公民身份号码", f.resident_id),
            col("name", "姓名", f.text(60)),
            col("photo_hash", "照片特征", f.hex16),
            col("verified_on", "核验日期", f.date),
        ),
        ("resident_id",),
        upsert(VerifiedIdentity, ("resident_id",)),
    )
)
