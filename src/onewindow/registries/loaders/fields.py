"""Field parsers of the loaders: each turns a cell's text into a value or raises
`RowProblem` with a stable code and a bilingual message."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from onewindow.core.errors import DomainError
from onewindow.core.identifiers import validate_resident_id, validate_uscc


class RowProblem(Exception):
    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code, self.message_zh, self.message_en = code, message_zh, message_en
        self.column = ""

    def at(self, column: Any) -> RowProblem:
        """Name the column (its first header) the problem is in."""
        self.column = column.headers[0]
        return self


Parser = Callable[[str], Any]


def text(max_length: int) -> Parser:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise RowProblem(
                "load.too_long", f"超过{max_length}个字符", f"longer than {max_length}"
            )
        return value

    return parse


def digits(length: int) -> Parser:
    def parse(value: str) -> str:
        if len(value) != length or not value.isdigit():
            raise RowProblem("load.bad_code", f"应为{length}位数字", f"must be {length} digits")
        return value

    return parse


def uscc(value: str) -> str:
    try:
        return validate_uscc(value)
    except DomainError as exc:
        raise RowProblem(exc.code, exc.message_zh, exc.message_en) from exc


def resident_id(value: str) -> str:
    try:
        return validate_resident_id(value).number
    except DomainError as exc:
        raise RowProblem(exc.code, exc.message_zh, exc.message_en) from exc


def identifier(value: str) -> str:
    """A resident ID or a USCC (both 18 characters)."""
    value = value.strip().upper()
    try:
        return validate_resident_id(value).number
    except DomainError:
        return uscc(value)


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def date(value: str) -> dt.date:
    match = _DATE.match(value[:10] if "T" in value else value)
    try:
        if match is None:
            raise ValueError(value)
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError as exc:
        raise RowProblem(
            "load.bad_date", "日期格式应为 YYYY-MM-DD", "dates are YYYY-MM-DD"
        ) from exc


def choice(enum: type[models.TextChoices]) -> Parser:
    """The stored value, or the Chinese label before its first space (存续 -> active)."""
    labels = {str(label).split(" ")[0]: value for value, label in enum.choices}

    def parse(value: str) -> str:
        if value in enum.values:
            return value
        if value in labels:
            return labels[value]
        allowed = "、".join(labels)
        raise RowProblem(
            "load.bad_choice", f"应为：{allowed}", f"must be one of {list(enum.values)}"
        )

    return parse


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise RowProblem("load.bad_number", "应为整数", "must be a whole number") from exc
    if number < 0:
        raise RowProblem("load.bad_number", "不能为负数", "must not be negative")
    return number


def decimal(value: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise RowProblem("load.bad_number", "应为数字", "must be a number") from exc


def base64_bytes(length: int) -> Parser:
    def parse(value: str) -> bytes:
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise RowProblem("load.bad_base64", "应为 Base64 编码", "must be base64") from exc
        if len(raw) != length:
            raise RowProblem("load.bad_length", f"应为{length}字节", f"must be {length} bytes")
        return raw

    return parse


def hex16(value: str) -> str:
    if not re.fullmatch(r"[0-9a-fA-F]{16}", value):
        raise RowProblem("load.bad_hash", "应为16位十六进制数", "must be 16 hex digits")
    return value.lower()
