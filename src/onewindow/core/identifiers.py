"""National identifiers: the unified social credit code (统一社会信用代码, GB 32100-2015) and
the resident identity number (公民身份号码, GB 11643-1999), plus masking for display.

Owns `validate_uscc`, `uscc_check_digit`, `validate_resident_id` (-> `ResidentId`),
`resident_id_check_character`, `mask_resident_id` and `mask_phone`. Errors are
`ValidationFailed` with codes `uscc.invalid_format`, `uscc.invalid_checksum`,
`resident_id.invalid_format`, `resident_id.invalid_checksum`, `resident_id.invalid_birth_date`.

A resident ID is *not* rejected for its county code: numbers keep the code of the place of
first registration, which may have been renamed or abolished since, and a code may be newer
than the birth date (python-stdnum's cn.ric rejects such valid numbers). Only the province
part, which has not changed since 1949 apart from additions, is checked.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from onewindow.core.errors import ValidationFailed

# --- USCC (GB 32100-2015) ------------------------------------------------------------------
# Code characters: digits and capitals without I, O, Z, S, V; the index is the value.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Registration authorities (登记管理部门代码) of GB 32100-2015 Table 1 and its later
# assignments: 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会,
# 9 市场监管（工商）, A 中央军委改革和编制办公室, N 农业农村, Y 其他.
USCC_AUTHORITIES = frozenset("123456789ANY")
_SEPARATORS = " -\u3000\t"


def _uscc_error(code: str, zh: str, en: str, value: str, **details: object) -> ValidationFailed:
    return ValidationFailed(code, zh, en, details={"value": value, **details})


def _compact(value: object, error_code: str, what_zh: str, what_en: str) -> str:
    if not isinstance(value, str):
        raise ValidationFailed(
            error_code,
            f"{what_zh}必须是文本",
            f"The {what_en} must be text",
            details={"type": type(value).__name__},
        )
    folded = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in folded if ch not in _SEPARATORS).upper()


def _uscc_body_problem(body: str) -> str | None:
    """Why the first 17 characters are not a USCC body, or None."""
    bad = sorted({ch for ch in body if ch not in USCC_ALPHABET})
    if bad:
        return f"characters not allowed: {''.join(bad)}"
    if body[0] not in USCC_AUTHORITIES:
        return f"unknown registration authority {body[0]}"
    if not body[1].isdigit() or body[1] == "0":
        return f"unknown organisation type {body[1]}"
    if not body[2:8].isdigit():
        return "characters 3-8 must be the administrative division code (digits)"
    return None


def uscc_check_digit(first17: str) -> str:
    """The 18th character for the first 17 (to issue codes); raises `uscc.invalid_format`."""
    body = _compact(
        first17, "uscc.invalid_format", "统一社会信用代码", "unified social credit code"
    )
    problem = "must be 17 characters" if len(body) != 17 else _uscc_body_problem(body)
    if problem:
        raise _uscc_error(
            "uscc.invalid_format",
            "统一社会信用代码前17位格式不正确",
            f"The first 17 characters of the USCC are malformed: {problem}",
            body,
            problem=problem,
        )
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code: object) -> str:
    """The normalised (upper-case, no separators) code, or `uscc.invalid_*`."""
    value = _compact(code, "uscc.invalid_format", "统一社会信用代码", "unified social credit code")
    if len(value) != 18:
        raise _uscc_error(
            "uscc.invalid_format",
            "统一社会信用代码应为18位",
            "A unified social credit code has 18 characters",
            value,
            problem=f"{len(value)} characters",
        )
    problem = _uscc_body_problem(value[:17]) or (
        None if value[17] in USCC_ALPHABET else f"character not allowed: {value[17]}"
    )
    if problem:
        raise _uscc_error(
            "uscc.invalid_format",
            "统一社会信用代码格式不正确",
            f"The unified social credit code is malformed: {problem}",
            value,
            problem=problem,
        )
    if uscc_check_digit(value[:17]) != value[17]:
        raise _uscc_error(
            "uscc.invalid_checksum",
            "统一社会信用代码校验位不正确，请核对",
            "The check character of the unified social credit code is wrong",
            value,
        )
    return value


# --- Resident identity number (GB 11643-1999) -----------------------------------------------
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(17-i) mod 11
RESIDENT_ID_CHECK = "10X98765432"  # ISO 7064 MOD 11-2: index = weighted sum mod 11
# Province-level codes of GB/T 2260 (83: Taiwan residents' numbers issued on the mainland).
PROVINCE_CODES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    }
)
EARLIEST_BIRTH_YEAR = 1800


@dataclass(frozen=True)
class ResidentId:
    number: str  # normalised: 18 characters, upper-case X
    region_code: str  # GB/T 2260 code of the place of first registration (may be historical)
    birth_date: date
    sex: str  # "male" | "female" (odd / even 17th digit)

    @property
    def province_code(self) -> str:
        return self.region_code[:2] + "0000"


def resident_id_check_character(first17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def _rid_error(code: str, zh: str, en: str, value: str, **details: object) -> ValidationFailed:
    return ValidationFailed(code, zh, en, details={"value": mask_resident_id(value), **details})


def validate_resident_id(number: object, *, today: date | None = None) -> ResidentId:
    """Check format, birth date (a real date, not after `today`, default: today in the
    project's time zone) and check character, in that order."""
    value = _compact(number, "resident_id.invalid_format", "公民身份号码", "resident ID number")
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        raise _rid_error(
            "resident_id.invalid_format",
            "公民身份号码应为18位：17位数字加1位数字或X",
            "A resident ID number has 17 digits and a digit or X",
            value,
            problem="format",
        )
    if value[:2] not in PROVINCE_CODES:
        raise _rid_error(
            "resident_id.invalid_format",
            "公民身份号码的地址码不正确",
            "The region part of the resident ID number is not a Chinese province",
            value,
            problem="province",
        )
    birth = _birth_date(value[6:14])
    if birth is None or birth > (today or timezone.localdate()):
        raise _rid_error(
            "resident_id.invalid_birth_date",
            "公民身份号码中的出生日期不正确",
            "The birth date in the resident ID number is not valid",
            value,
        )
    if resident_id_check_character(value[:17]) != value[17]:
        raise _rid_error(
            "resident_id.invalid_checksum",
            "公民身份号码校验位不正确，请核对",
            "The check character of the resident ID number is wrong",
            value,
        )
    return ResidentId(value, value[:6], birth, "male" if int(value[16]) % 2 else "female")


def _birth_date(digits: str) -> date | None:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None
    return born if born.year >= EARLIEST_BIRTH_YEAR else None


# --- Masking for display --------------------------------------------------------------------
def mask_resident_id(number: str, *, keep_start: int = 3, keep_end: int = 4) -> str:
    """'420106199001010028' -> '420***********0028': the birth date and the sequence are
    hidden, the length is kept so that staff recognise the kind of number. Never raises."""
    value = "".join(ch for ch in str(number) if not ch.isspace())
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_phone(phone: str) -> str:
    """'13812345678' -> '138****5678', '027-87654321' -> '027****4321', '+86 138 1234 5678'
    -> '+86138****5678'; short numbers keep only their last 4 digits. Never raises."""
    value = "".join(ch for ch in str(phone) if ch.isdigit() or ch == "+")
    prefix = ""
    if value.startswith("+86"):
        prefix, value = "+86", value[3:]
    elif value.startswith("0086"):
        prefix, value = "0086", value[4:]
    digits = value.replace("+", "")
    if len(digits) >= 10:
        return prefix + digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    if len(digits) > 4:
        return prefix + "*" * (len(digits) - 4) + digits[-4:]
    return prefix + "*" * len(digits)
