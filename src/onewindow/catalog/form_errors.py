"""Bilingual, field-titled messages for JSON Schema validation errors (one per problem)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from onewindow.core.errors import DomainError

TYPES = {
    "string": ("文本", "text"),
    "number": ("数字", "a number"),
    "integer": ("整数", "a whole number"),
    "array": ("列表", "a list"),
    "object": ("对象", "an object"),
    "boolean": ("是/否", "yes or no"),
}


def titles(schema: Mapping[str, Any], field: str) -> tuple[str, str]:
    """The field's title as ("中文", "English"), from "title": "中文 English"."""
    spec = schema.get("properties", {}).get(field, {}) if field else {}
    zh, _, en = str(spec.get("title") or field or "表单").partition(" ")
    return zh, (en or field or "form")


def _texts(error: Any) -> tuple[str, str, str]:
    """(code, problem in Chinese, problem in English) for one jsonschema error."""
    kind, value = error.validator, error.validator_value
    if kind == "type":
        zh, en = TYPES.get(value if isinstance(value, str) else "", ("正确类型", "the right type"))
        return "form.type", f"应为{zh}", f"must be {en}"
    simple: dict[str, tuple[str, str]] = {
        "required": ("必须填写", "is required"),
        "minLength": (f"至少 {value} 个字", f"needs at least {value} characters"),
        "maxLength": (f"最多 {value} 个字", f"allows at most {value} characters"),
        "minimum": (f"不能小于 {value}", f"must be at least {value}"),
        "maximum": (f"不能大于 {value}", f"must be at most {value}"),
        "exclusiveMinimum": (f"必须大于 {value}", f"must be more than {value}"),
        "exclusiveMaximum": (f"必须小于 {value}", f"must be less than {value}"),
        "minItems": (f"至少选择 {value} 项", f"choose at least {value}"),
        "maxItems": (f"最多选择 {value} 项", f"choose at most {value}"),
        "pattern": ("格式不正确", "is not in the expected format"),
        "format": ("格式不正确", "is not in the expected format"),
        "multipleOf": (f"须为 {value} 的整数倍", f"must be a multiple of {value}"),
        "uniqueItems": ("不能重复", "must not repeat"),
    }
    if kind in simple:
        zh, en = simple[kind]
        return f"form.{kind}", zh, en
    if kind in {"enum", "const"}:
        options = "、".join(str(v) for v in (value if kind == "enum" else [value]))
        return "form.choice", f"须为以下之一：{options}", f"must be one of: {options}"
    if kind == "additionalProperties":
        extra = ", ".join(re.findall(r"'([^']+)'", error.message))
        return "form.unexpected_field", f"不允许的字段：{extra}", f"unexpected fields: {extra}"
    return f"form.{kind}", "填写有误", error.message


def problem(schema: Mapping[str, Any], error: Any) -> dict[str, Any]:
    path = [str(p) for p in error.absolute_path]
    field = path[0] if path else ""
    if error.validator == "required":
        match = re.match(r"'([^']+)'", error.message)
        field = match.group(1) if match else field
    title_zh, title_en = titles(schema, field)
    cause = error.cause
    if isinstance(cause, DomainError):
        code, zh, en = cause.code, cause.message_zh, cause.message_en
    else:
        code, zh, en = _texts(error)
    return {
        "field": "/".join([field, *path[1:]]) if field else "(form)",
        "code": code,
        "title_zh": title_zh,
        "title_en": title_en,
        "problem_zh": f"{title_zh}：{zh}",
        "problem": f"{title_en} {en}",
    }
