"""Pure rules of the catalogue: which materials a form needs, and whether a form is valid."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

from onewindow.catalog import form_errors
from onewindow.core import identifiers
from onewindow.core.errors import DomainError, ValidationFailed

FORMATS = FormatChecker()


@FORMATS.checks("cn-resident-id", raises=DomainError)
def _resident_id(value: object) -> bool:
    return not isinstance(value, str) or bool(identifiers.validate_resident_id(value))


@FORMATS.checks("cn-uscc", raises=DomainError)
def _uscc(value: object) -> bool:
    return not isinstance(value, str) or bool(identifiers.validate_uscc(value))


@dataclass(frozen=True)
class Requirement:
    material_code: str
    condition: Mapping[str, Any]
    is_required: bool
    accepted_types: tuple[str, ...] = ()


def condition_holds(condition: Mapping[str, Any], form: Mapping[str, Any]) -> bool:
    for field, expected in condition.items():
        value = form.get(field)
        if isinstance(expected, list):
            if value not in expected:
                return False
        elif value != expected:
            return False
    return True


def required_materials(requirements: Iterable[Requirement], form: Mapping[str, Any]) -> list[str]:
    """Codes of the materials that must be supplied for this form, in catalogue order."""
    return [
        r.material_code
        for r in requirements
        if r.is_required and condition_holds(r.condition, form)
    ]


def check_schema(schema: Mapping[str, Any]) -> None:
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        raise ValidationFailed(
            "catalog.bad_form_schema",
            f"表单定义无效：{exc.message}",
            f"Invalid form schema: {exc.message}",
        ) from exc


def normalize_form(schema: Mapping[str, Any], form: Any) -> Any:
    """Trim text; write national identifiers in their canonical form (half-width, upper-case,
    no spaces) so that what is checked is what is stored."""
    if not isinstance(form, dict):
        return form
    properties = schema.get("properties", {})
    out: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, str):
            value = value.strip()
            if properties.get(key, {}).get("format") in {"cn-resident-id", "cn-uscc"}:
                value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).upper()
        out[key] = value
    return out


def _non_finite(form: Any, path: str = "") -> list[str]:
    if isinstance(form, float) and not math.isfinite(form):
        return [path or "(form)"]
    if isinstance(form, dict):
        return [p for k, v in form.items() for p in _non_finite(v, f"{path}/{k}".lstrip("/"))]
    if isinstance(form, list):
        return [p for i, v in enumerate(form) for p in _non_finite(v, f"{path}/{i}")]
    return []


def validate_form(schema: Mapping[str, Any], form: Any) -> Any:
    """Return the normalised form, or raise `case.form_invalid` listing every problem with
    the field's title and a Chinese and English explanation."""
    form = normalize_form(schema, form)
    problems = [
        {
            "field": p,
            "code": "form.not_finite",
            "title_zh": p,
            "title_en": p,
            "problem_zh": f"{p}：须为有效数值",
            "problem": f"{p} must be a finite number",
        }
        for p in _non_finite(form)
    ]
    if not problems:
        validator = Draft202012Validator(schema, format_checker=FORMATS)
        errors = sorted(validator.iter_errors(form), key=lambda e: list(e.absolute_path))
        problems = [form_errors.problem(schema, e) for e in errors[:50]]
    if problems:
        zh = "；".join(p["problem_zh"] for p in problems)
        en = "; ".join(p["problem"] for p in problems)
        raise ValidationFailed(
            "case.form_invalid",
            f"表单填写有误：{zh}",
            f"The form has errors: {en}",
            details={"errors": problems},
        )
    return form
