"""Pure rules of the catalogue: which materials a form needs, and whether a form is valid."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

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


def validate_form(schema: Mapping[str, Any], form: Any) -> None:
    """Raise `case.form_invalid` listing every field error (path and message)."""
    validator = Draft202012Validator(schema, format_checker=FORMATS)
    errors = sorted(validator.iter_errors(form), key=lambda e: list(e.absolute_path))
    if errors:
        problems = [_problem(e) for e in errors[:50]]
        fields = ", ".join(p["field"] for p in problems)
        raise ValidationFailed(
            "case.form_invalid",
            f"表单填写有误：{fields}",
            f"The form has errors: {fields}",
            details={"errors": problems},
        )


def _problem(error: Any) -> dict[str, Any]:
    field = "/".join(str(p) for p in error.absolute_path) or "(form)"
    cause = error.cause
    if isinstance(cause, DomainError):
        return {
            "field": field,
            "problem": cause.message_en,
            "problem_zh": cause.message_zh,
            "code": cause.code,
        }
    return {"field": field, "problem": error.message}
