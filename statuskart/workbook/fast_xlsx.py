"""Fast path for .xlsx: python-calamine's cell values plus openpyxl's workbook part.

openpyxl's read-only parser spends about 20 ms on a skjema, most of it turning XML into cell
objects; calamine reads the same values in a few. Calamine gives no number formats, no defined
names and no document properties, so this path is taken only where it cannot differ from openpyxl:

- no percentage number format anywhere in the styles (read.py keeps formats only for percents);
- the 1900 date system (openpyxl's workbook part tells);
- no sheet whose cell references span more than ``MAX_CELLS`` (calamine allocates the whole used
  range: a lone cell at XFD1048576 aborted the process with an out-of-memory error).

Defined names come from openpyxl's own workbook parser. read.py falls back to openpyxl whenever
this path declines, fails, or the file has no stamp sheet (the fallback stamp lives in document
properties). tests/test_fast_xlsx.py proves both paths give identical results on the sample set
and on every corpus file.
"""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900

from statuskart.workbook.calamine_read import CalamineBook

MAX_CELLS = 2_000_000
"""Largest used range (rows × columns) handed to calamine; a skjema uses about 700 cells."""

_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_BUILTIN_PERCENT = re.compile(rb"numFmtId=\"(?:9|10)\"")


def fast_book(data: bytes) -> CalamineBook | None:
    """A calamine-backed workbook for these checked .xlsx bytes, or None to use openpyxl."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        for name in names:
            lowered = name.lower()
            if lowered.endswith("styles.xml") and _has_percent(archive.read(name)):
                return None
            if lowered.startswith("xl/worksheets/") and _too_wide(archive.read(name)):
                return None
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    reader.read_manifest()
    reader.read_workbook()
    if reader.wb.epoch != CALENDAR_WINDOWS_1900:
        return None
    parsed = getattr(reader.parser, "defined_names", None)  # untyped in openpyxl
    defined = parsed.by_sheet().get("global", {}) if parsed is not None else {}
    return CalamineBook(data, defined_names=dict(defined), as_openpyxl=True)


def _has_percent(styles: bytes) -> bool:
    """True if any number format could show a percentage (a false alarm only costs speed)."""
    return b"%" in styles or _BUILTIN_PERCENT.search(styles) is not None


def _too_wide(sheet: bytes) -> bool:
    rows = cols = 0
    for letters, digits in _CELL_REF.findall(sheet):
        cols = max(cols, column_index_from_string(letters.decode("ascii")))
        rows = max(rows, int(digits))
    return rows * cols > MAX_CELLS
