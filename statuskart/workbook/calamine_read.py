"""Read stage for .ods and .xls: python-calamine opens the bytes; read.py sees openpyxl's shape.

LibreOffice saves .ods by default and old Excel installations .xls; both are read here after the
same size and zip checks as .xlsx (sniff.py). The adapter offers only what read.py uses:
``worksheets``, ``sheetnames``, ``wb[title]``, ``defined_names`` and ``ws.grid`` (a sheet's first
rows as values, with the number formats of numeric cells: what read.py builds from openpyxl's
``iter_rows``). Calamine gives no number formats and no defined names: cell_formats.py reads the
formats from the file itself (.ods: percentage cells; .xls: XF records), so «80 %» and «80» in
a percent cell count as they do from .xlsx; front-sheet fields are found by their labels.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Callable
from typing import Any

import python_calamine

NumberFormats = Callable[[str, int, int], str]
"""(sheet title, row, column) → the number format of a numeric cell."""


def open_calamine(data: bytes, kind: str) -> CalamineBook:
    """An .ods or .xls workbook from checked bytes, with its cells' number formats."""
    from statuskart.workbook import cell_formats

    formats: NumberFormats
    if kind == "ods":
        formats = cell_formats.OdsFormats(data)
    elif kind == "xls":
        cell_formats.check_xls_extent(data)
        formats = cell_formats.XlsFormats(data)
    else:
        formats = cell_formats.unknown_formats
    return CalamineBook(data, formats=formats)


_NUMBERS = frozenset((int, float))
"""The types of calamine's numeric values (a bool is its own type, not a number here)."""


class CalamineSheet:
    """One sheet, read lazily row by row so a huge declared extent costs nothing."""

    def __init__(
        self,
        book: python_calamine.CalamineWorkbook,
        title: str,
        *,
        as_openpyxl: bool = False,
        formats: NumberFormats | None = None,
    ) -> None:
        self._book = book
        self.title = title
        self._as_openpyxl = as_openpyxl
        self._formats = formats

    def grid(
        self, max_rows: int, max_col: int
    ) -> tuple[list[tuple[Any, ...]], dict[tuple[int, int], str]]:
        """The first ``max_rows`` rows as values, and the non-General number formats.

        What read.py builds from openpyxl's ``iter_rows``, without a cell object per value.
        """
        sheet = self._book.get_sheet_by_name(self.title)
        # calamine's rows start at row 1 but at the first used column; pad so that A is A.
        left = sheet.start[1] if sheet.start is not None else 0
        pad = (None,) * min(left, max_col)
        keep = max(max_col - left, 0)
        convert = self._as_openpyxl
        values: list[tuple[Any, ...]] = []
        for cells in itertools.islice(sheet.iter_rows(), max_rows):
            if convert:  # a date is exactly dt.date from calamine; openpyxl gives a datetime
                line = tuple(
                    [
                        None if v == "" else _midnight(v) if type(v) is dt.date else v
                        for v in cells[:keep]
                    ]
                )
            else:
                line = tuple([None if v == "" else v for v in cells[:keep]])
            values.append(pad + line if pad else line)
        formats: dict[tuple[int, int], str] = {}
        lookup = self._formats
        if lookup is not None:
            for row_no, line in enumerate(values, start=1):
                if _NUMBERS.isdisjoint(map(type, line)):
                    continue  # most rows hold no number: skipped without a loop in Python
                for col, value in enumerate(line, 1):
                    if type(value) in _NUMBERS:
                        fmt = lookup(self.title, row_no, col)
                        if fmt and fmt != "General":
                            formats[(row_no, col)] = fmt
        return values, formats

    def marks(self) -> Callable[[int, int], int | None] | None:
        """(row, column) → a cell's row mark (row_marks.py), where the styles tell (.xlsx, .ods)."""
        marks = getattr(self._formats, "marks", None)
        return marks(self.title) if marks is not None else None


class CalamineBook:
    """A whole workbook opened from checked bytes: .ods/.xls, or .xlsx via fast_xlsx.py.

    ``defined_names``, ``as_openpyxl`` (dates as openpyxl gives them) and ``formats`` (number
    formats of numeric cells) serve the .xlsx path.
    """

    def __init__(
        self,
        data: bytes,
        *,
        defined_names: dict[str, Any] | None = None,
        as_openpyxl: bool = False,
        formats: NumberFormats | None = None,
    ) -> None:
        self._book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        self.sheetnames: list[str] = list(self._book.sheet_names)
        self.worksheets = [
            CalamineSheet(self._book, title, as_openpyxl=as_openpyxl, formats=formats)
            for title in self.sheetnames
        ]
        self.defined_names: dict[str, Any] = defined_names or {}

    def __getitem__(self, title: str) -> CalamineSheet:
        return self.worksheets[self.sheetnames.index(title)]

    def close(self) -> None:
        """Release the file; read.py closes every workbook it opens."""
        self._book.close()


def _midnight(value: dt.date) -> dt.datetime:
    """Calamine's date as openpyxl gives it: a datetime at midnight."""
    return dt.datetime(value.year, value.month, value.day)  # noqa: DTZ001 - as openpyxl
