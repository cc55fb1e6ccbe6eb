"""Fast path for .xlsx: python-calamine's cell values plus openpyxl's workbook part.

openpyxl's read-only parser spends about 20 ms on a skjema, most of it turning XML into cell
objects; calamine reads the same values in a few. Calamine gives no number formats, no defined
names and no document properties, so:

- a numeric cell's number format is looked up in the styles when the reader meets one
  (NumberFormats; «0 %» is how «80 %» was typed);
- the path is taken only for the 1900 date system (openpyxl's workbook part tells);
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

from defusedxml.ElementTree import fromstring
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900

from statuskart.workbook.calamine_read import CalamineBook

MAX_CELLS = 2_000_000
"""Largest used range (rows × columns) handed to calamine; a skjema uses about 700 cells."""


def fast_book(data: bytes) -> CalamineBook | None:
    """A calamine-backed workbook for these checked .xlsx bytes, or None to use openpyxl."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheets: dict[str, dict[str, int] | None] = {}
    for name in archive.namelist():
        if name.lower().startswith("xl/worksheets/"):
            styles, extent = _scan(archive.read(name))
            if extent > MAX_CELLS:
                return None
            sheets[name] = styles
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    reader.read_manifest()
    reader.read_workbook()
    if reader.wb.epoch != CALENDAR_WINDOWS_1900:
        return None
    parsed = getattr(reader.parser, "defined_names", None)  # untyped in openpyxl
    defined = parsed.by_sheet().get("global", {}) if parsed is not None else {}
    by_title = {sheet.name: sheets.get(rel.target) for sheet, rel in reader.parser.find_sheets()}
    styles_part = next((n for n in archive.namelist() if n.lower() == "xl/styles.xml"), None)
    formats = NumberFormats(archive, styles_part, by_title)
    return CalamineBook(data, defined_names=dict(defined), as_openpyxl=True, formats=formats)


class NumberFormats:
    """The number format of a numeric cell, as openpyxl reports it.

    A cell's ``s`` attribute picks an entry of the styles' cellXfs, whose numFmtId is a custom
    format (numFmts) or one of Excel's built-in ones; the styles part is read on the first
    numeric cell. A sheet whose cells lack their ``r`` reference cannot be mapped: UnmappedCell
    sends the file to openpyxl.
    """

    def __init__(
        self,
        archive: zipfile.ZipFile,
        styles_part: str | None,
        cells: dict[str, dict[str, int] | None],
    ) -> None:
        self._archive = archive
        self._styles_part = styles_part
        self._cells = cells
        """Sheet title → cell reference → style index (None: cells without references)."""
        self._xf_formats: list[str] | None = None

    def __call__(self, title: str, row: int, col: int) -> str:
        cells = self._cells.get(title)
        if cells is None:
            raise UnmappedCell(title)
        index = cells.get(f"{get_column_letter(col)}{row}", 0)
        formats = self._xf()
        return formats[index] if index < len(formats) else "General"

    def _xf(self) -> list[str]:
        if self._xf_formats is None:
            styles = self._archive.read(self._styles_part) if self._styles_part else b""
            self._xf_formats = _xf_formats(styles)
        return self._xf_formats


class UnmappedCell(ValueError):
    """A sheet whose cells cannot be matched to their styles; openpyxl reads the file instead."""


_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_ATTR_R = re.compile(rb"\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_ATTR_S = re.compile(rb"\bs=\"([0-9]+)\"")


def _scan(sheet: bytes) -> tuple[dict[str, int] | None, int]:
    """One pass over a worksheet part: cell reference → style index, and the used extent.

    The styles are None when a cell has no reference (its place is implicit); the extent is
    rows × columns of the referenced cells, what calamine would allocate.
    """
    styles: dict[str, int] | None = {}
    rows = cols = 0
    for attrs in _CELL_TAG.findall(sheet):
        ref = _ATTR_R.search(attrs)
        if ref is None:
            styles = None
            continue
        letters, digits = ref.group(1).decode("ascii"), ref.group(2).decode("ascii")
        cols = max(cols, column_index_from_string(letters))
        rows = max(rows, int(digits))
        style = _ATTR_S.search(attrs)
        if styles is not None and style is not None:
            styles[letters + digits] = int(style.group(1))
    return styles, rows * cols


def _xf_formats(styles: bytes) -> list[str]:
    """Format code per cellXfs entry, resolved as openpyxl does (custom first, then built-in)."""
    if not styles:
        return []
    root = fromstring(styles)
    custom: dict[int, str] = {}
    codes: list[str] = []
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "numFmts":
            for fmt in element:
                custom[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "General")
        elif tag == "cellXfs":
            for xf in element:
                number = int(xf.get("numFmtId", "0"))
                codes.append(custom.get(number) or BUILTIN_FORMATS.get(number, "General"))
    return codes
