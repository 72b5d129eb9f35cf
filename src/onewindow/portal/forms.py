"""Turn a service item's JSON Schema into form fields, and posted values back into form data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict


@dataclass
class Field:
    name: str
    title_zh: str
    title_en: str
    kind: str  # text, number, integer, select, multiselect
    required: bool
    choices: list[str] = field(default_factory=list)
    value: Any = None
    choice_labels: dict[str, str] = field(default_factory=dict)
    multiline: bool = False


def _titles(title: str, name: str) -> tuple[str, str]:
    zh, _, en = (title or name).partition(" ")
    return zh, en or zh


def fields_of(schema: dict[str, Any], data: dict[str, Any] | None = None) -> list[Field]:
    data = data or {}
    required = set(schema.get("required", []))
    out = []
    for name, spec in schema.get("properties", {}).items():
        zh, en = _titles(spec.get("title", ""), name)
        kind, choices = "text", []
        if spec.get("type") == "array":
            kind, choices = "multiselect", list(spec.get("items", {}).get("enum", []))
        elif "enum" in spec:
            kind, choices = "select", list(spec["enum"])
        elif spec.get("type") in {"number", "integer"}:
            kind = spec["type"]
        labels = dict(zip(choices, spec.get("enumNames", []), strict=False))
        multiline = kind == "text" and spec.get("maxLength", 0) > 200
        out.append(
            Field(name, zh, en, kind, name in required, choices, data.get(name), labels, multiline)
        )
    return out


def form_data_from(schema: dict[str, Any], post: QueryDict) -> dict[str, Any]:
    """Posted strings to typed values; anything unparsable is passed on for the schema to
    report (never silently dropped)."""
    data: dict[str, Any] = {}
    for f in fields_of(schema):
        key = f"form-{f.name}"
        if f.kind == "multiselect":
            values = post.getlist(key)
            if values or f.required:
                data[f.name] = values
            continue
        raw = post.get(key, "").strip()
        if raw == "":
            continue
        if f.kind in {"number", "integer"}:
            try:
                number = float(raw)
                data[f.name] = (
                    int(number) if f.kind == "integer" and number.is_integer() else number
                )
            except ValueError:
                data[f.name] = raw
        else:
            data[f.name] = raw
    return data
