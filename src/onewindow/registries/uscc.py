"""Unified social credit codes per GB 32100-2015, issued from per-authority serial blocks.

Layout: registration authority (1: ``9`` = market supervision) + entity type (1) + the
authority's administrative division (6, GB/T 2260) + organisation code (9: GB 11714 body of
8 + its own check character) + check character (1, `core.identifiers.uscc_check_digit`).

The organisation-code body is the authority's two-character block followed by the serial in
base 31 over the USCC alphabet (6 characters: 887,503,681 codes per authority). Pure.
"""

from __future__ import annotations

from onewindow.core.errors import ValidationFailed
from onewindow.core.identifiers import USCC_ALPHABET, uscc_check_digit

MARKET_SUPERVISION = "9"
ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714-1997
SERIAL_LENGTH = 6
SERIAL_LIMIT = len(USCC_ALPHABET) ** SERIAL_LENGTH
# Blocks handed out to authorities in this order (two letters, never "I O Z S V").
BLOCK_LETTERS = "MNPQRTUWXY"


def organisation_check_character(body: str) -> str:
    """GB 11714: C9 = 11 - (Σ Ci·Wi mod 11); 10 is written X and 11 is written 0."""
    if len(body) != 8 or any(ch not in USCC_ALPHABET for ch in body):
        raise ValidationFailed(
            "uscc.invalid_organisation_code",
            "组织机构代码本体应为8位数字或大写字母",
            "An organisation-code body has 8 digits or capital letters",
            details={"value": body},
        )
    total = sum(
        (int(ch) if ch.isdigit() else ord(ch) - 55) * w
        for ch, w in zip(body, ORGANISATION_WEIGHTS, strict=True)
    )
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def serial_characters(serial: int) -> str:
    if not 0 < serial < SERIAL_LIMIT:
        raise ValidationFailed(
            "uscc.block_exhausted",
            "该登记机关的代码号段已用完，请管理员分配新号段",
            "This authority's code block is used up; an administrator must assign another",
            details={"serial": serial},
        )
    digits = []
    for _ in range(SERIAL_LENGTH):
        serial, digit = divmod(serial, len(USCC_ALPHABET))
        digits.append(USCC_ALPHABET[digit])
    return "".join(reversed(digits))


def compose(*, entity_type: str, division: str, block: str, serial: int) -> str:
    """The 18-character code for one serial of one authority's block."""
    body = block + serial_characters(serial)
    organisation = body + organisation_check_character(body)
    first17 = MARKET_SUPERVISION + entity_type + division + organisation
    return first17 + uscc_check_digit(first17)


def block_for(position: int) -> str:
    """The `position`-th block (0-based): MA, MB, … MY, NA, …"""
    letters = [c for c in USCC_ALPHABET if c.isalpha()]
    first, second = divmod(position, len(letters))
    if first >= len(BLOCK_LETTERS):
        raise ValidationFailed(
            "uscc.no_block_left", "没有可分配的代码号段", "No organisation-code block left"
        )
    return BLOCK_LETTERS[first] + letters[second]
