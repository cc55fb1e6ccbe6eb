"""Read stage for .ods and .xls: python-calamine opens the bytes; read.py sees openpyxl's shape.

LibreOffice saves .ods by default and old Excel installations .xls; both are read here after the
same size and zip checks as .xlsx (sniff.py). The adapter offers only what read.py uses:
``worksheets``, ``sheetnames``, ``wb[title]``, ``defined_names`` and ``ws.iter_rows``. Calamine
gives no number formats and no defined names, so percentages arrive as fractions and front-sheet
fields are found by their labels.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import python_calamine


@dataclass(frozen=True, slots=True)
class CalamineCell:
    """A cell value in openpyxl's shape; calamine's empty string is None, as openpyxl gives."""

    value: Any
    number_format: str = "General"


class CalamineSheet:
    """One sheet, read lazily row by row so a huge declared extent costs nothing."""

    def __init__(
        self, book: python_calamine.CalamineWorkbook, title: str, *, as_openpyxl: bool = False
    ) -> None:
        self._book = book
        self.title = title
        self._as_openpyxl = as_openpyxl

    def iter_rows(
        self, min_row: int = 1, max_row: int | None = None, max_col: int | None = None
    ) -> Iterator[tuple[CalamineCell, ...]]:
        """Rows ``min_row``…``max_row`` (1-based) of at most ``max_col`` cells, from A1."""
        sheet = self._book.get_sheet_by_name(self.title)
        # calamine's rows start at row 1 but at the first used column; pad so that A is A.
        left = sheet.start[1] if sheet.start is not None else 0
        rows = itertools.islice(sheet.iter_rows(), min_row - 1, max_row)
        for values in rows:
            line = [None] * left + [None if v == "" else v for v in values]
            if self._as_openpyxl:
                line = [openpyxl_value(v) for v in line]
            yield tuple(CalamineCell(v) for v in line[:max_col])


class CalamineBook:
    """A whole workbook opened from checked bytes: .ods/.xls, or .xlsx via fast_xlsx.py.

    ``defined_names`` and ``as_openpyxl`` (dates as openpyxl gives them) serve the .xlsx path.
    """

    def __init__(
        self,
        data: bytes,
        *,
        defined_names: dict[str, Any] | None = None,
        as_openpyxl: bool = False,
    ) -> None:
        self._book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        self.sheetnames: list[str] = list(self._book.sheet_names)
        self.worksheets = [
            CalamineSheet(self._book, title, as_openpyxl=as_openpyxl) for title in self.sheetnames
        ]
        self.defined_names: dict[str, Any] = defined_names or {}

    def __getitem__(self, title: str) -> CalamineSheet:
        return self.worksheets[self.sheetnames.index(title)]

    def close(self) -> None:
        """Release the file; read.py closes every workbook it opens."""
        self._book.close()


def openpyxl_value(value: Any) -> Any:
    """Calamine's value as openpyxl gives it: a date cell is a datetime at midnight."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)  # noqa: DTZ001 - as openpyxl
    return value
