"""Rows of a CSV (UTF-8 or GB18030) or Excel (.xlsx) file, as header -> text, numbered as
a spreadsheet shows them (the header is row 1)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from onewindow.core.errors import ValidationFailed

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _encoding(path: Path) -> str:
    with path.open("rb") as handle:
        sample = handle.read(1 << 20)
    try:
        sample.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # A cut multi-byte character at the end of the sample is still UTF-8.
        if exc.start < len(sample) - 4:
            return "gb18030"
    return "utf-8-sig"


class RowReader:
    """Iterate `(row_number, {header: text})`; `total` is known before the first row."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.excel = path.suffix.lower() in EXCEL_SUFFIXES
        if self.excel:
            self._book = load_workbook(path, read_only=True, data_only=True)
            sheet = self._book.worksheets[0]
            self.total = max((sheet.max_row or 1) - 1, 0)
        else:
            self.encoding = _encoding(path)
            with path.open(encoding=self.encoding, newline="") as handle:
                self.total = max(sum(1 for _ in csv.reader(handle)) - 1, 0)

    def headers_and_rows(self) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
        rows = self._excel_rows() if self.excel else self._csv_rows()
        try:
            header = [_text(h) for h in next(rows)]
        except StopIteration as exc:
            raise ValidationFailed(
                "load.empty_file", "文件为空", "The file is empty", details={"file": self.path.name}
            ) from exc

        def numbered() -> Iterator[tuple[int, dict[str, str]]]:
            for number, values in enumerate(rows, start=2):
                texts = [_text(v) for v in values]
                if any(texts):
                    yield number, dict(zip(header, texts, strict=False))

        return header, numbered()

    def _csv_rows(self) -> Iterator[list[Any]]:
        with self.path.open(encoding=self.encoding, newline="") as handle:
            yield from csv.reader(handle)

    def _excel_rows(self) -> Iterator[list[Any]]:
        try:
            for values in self._book.worksheets[0].iter_rows(values_only=True):
                yield list(values)
        finally:
            self._book.close()
