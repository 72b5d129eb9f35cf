"""Normalise free-text addresses before matching, and refuse input that is not an address.

NFKC folds full-width digits, letters and brackets (１０３７号 -> 1037号, （ -> ( ) and
compatibility ideographs; all whitespace and invisible characters are removed, because Chinese
addresses carry no meaningful spaces ("武汉市 江夏区" is "武汉市江夏区").
"""

from __future__ import annotations

import unicodedata

from onewindow.core.errors import ValidationFailed

MAX_LENGTH = 200  # characters after normalisation; the longest real addresses are ~80
MAX_RAW_LENGTH = 1000  # refuse before normalising, so huge input costs nothing
_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})


def normalize_address(text: object) -> str:
    if text is None or (isinstance(text, str) and not text):
        raise _empty()
    if not isinstance(text, str):
        raise ValidationFailed(
            "address.invalid",
            "地址必须是文本",
            "The address must be text",
            details={"type": type(text).__name__},
        )
    if len(text) > MAX_RAW_LENGTH:
        raise _too_long(len(text))
    folded = unicodedata.normalize("NFKC", text)
    normalized = "".join(
        ch for ch in folded if not ch.isspace() and unicodedata.category(ch) not in _DROP_CATEGORIES
    )
    if not normalized:
        raise _empty()
    if len(normalized) > MAX_LENGTH:
        raise _too_long(len(normalized))
    return normalized


def _empty() -> ValidationFailed:
    return ValidationFailed("address.empty", "请填写地址", "The address is empty")


def _too_long(length: int) -> ValidationFailed:
    return ValidationFailed(
        "address.too_long",
        f"地址过长（最多 {MAX_LENGTH} 个字符）",
        f"The address is too long (at most {MAX_LENGTH} characters)",
        details={"length": length, "max_length": MAX_LENGTH},
    )
