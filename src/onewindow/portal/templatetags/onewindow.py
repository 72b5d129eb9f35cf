"""`{% tr "中文" "English" %}` picks the text for the active language; `{% lang "zh" "en" %}`
is the same for values (model fields) resolved at render time."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


def is_english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


@register.simple_tag
def tr(zh: Any, en: Any) -> Any:
    return en if is_english() else zh


@register.filter
def label(value: str) -> str:
    """Choice labels are stored as '中文 English'; show the part for the active language."""
    if not isinstance(value, str) or " " not in value:
        return value
    zh, _, en = value.partition(" ")
    return en if is_english() else zh


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def workdays(count: int) -> str:
    if is_english():
        return f"{count} working day" + ("" if count == 1 else "s")
    return f"{count} 个工作日"
