"""Number formats of .ods and .xls cells, which python-calamine reads without them.

«80 %» typed into a percent cell is stored as 0.8 and «80» as 80 (shown 8000 %). Only the cell's
format tells these apart from a plain 0.8 or 80, so the .ods and .xls readers must know it as
the .xlsx reader does, or the same typed value counts differently by file type:

- .ods: every number cell says what it is; a percentage has ``office:value-type="percentage"``
  and a data style with its decimals. content.xml is streamed through a defused SAX parser (no
  tree, no DTD, no entities); only cells within the rows and columns read.py reads are kept, and
  a sheet with more marked cells than ``MAX_MARKED`` gets UNKNOWN_FORMAT.
- .xls: the cell's XF record names its format; xlrd (formatting_info) resolves it. A file xlrd
  cannot read gets UNKNOWN_FORMAT for every number, and typed.parse_share refuses what it
  cannot read safely.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any
from xml.sax.handler import ContentHandler, feature_namespaces
from xml.sax.xmlreader import AttributesNSImpl

from defusedxml.sax import make_parser

from statuskart.workbook import row_marks
from statuskart.workbook.cell_text import UNKNOWN_FORMAT
from statuskart.workbook.sniff import MAX_CELLS, SheetTooLarge

NumberFormats = Callable[[str, int, int], str]
"""(sheet title, row, column) → the number format of a numeric cell."""

MAX_ROWS = 1001
"""Rows kept per sheet: read.py reads its MAX_ROWS and one more (to see an overflowing row)."""
MAX_COLS = 40
MAX_MARKED = 50_000
"""Percentage cells kept per sheet; a skjema has about 50. Past this, the sheet is unknown."""

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_NUMBER = "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_CELLS = frozenset({(_TABLE, "table-cell"), (_TABLE, "covered-table-cell")})


def percent_format(decimals: int) -> str:
    """A percent format with ``decimals`` places, as the .xlsx reader would see one."""
    return "0." + "0" * decimals + "%" if decimals > 0 else "0%"


def unknown_formats(title: str, row: int, col: int) -> str:
    """The hook for a file whose formats could not be read."""
    return UNKNOWN_FORMAT


class OdsFormats:
    """The percentage cells of an .ods file, read from content.xml as the file is opened.

    The same pass measures each sheet's extent: calamine allocates every cell between the first
    and the last value, so a 30 kB file of repeated rows and cells would take gigabytes.
    """

    def __init__(self, data: bytes) -> None:
        handler = _ods_scan(data)
        for title, (rows, cols) in handler.extents.items():
            if rows * cols > MAX_CELLS:
                raise SheetTooLarge(f"arket «{title}» bruker {rows} rader og {cols} kolonner")
        self._sheets = handler.sheets
        self._marks = handler.marks

    def marks(self, title: str) -> Callable[[int, int], int | None]:
        """(row, column) → the row mark of a cell's font colour (row_marks.py), or None.

        The same shape as fast_xlsx.NumberFormats.marks: calamine_read.py asks for it by name, so
        an .ods file whose rows were sorted one column alone is caught as an .xlsx is.
        """
        sheet = self._marks.get(title, {})
        return lambda row, col: sheet.get((row, col))

    def __call__(self, title: str, row: int, col: int) -> str:
        if title not in self._sheets:
            return UNKNOWN_FORMAT  # calamine knows a sheet content.xml did not show
        marked = self._sheets[title]
        if marked is None:
            return UNKNOWN_FORMAT
        return marked.get((row, col), "General")


def _ods_scan(data: bytes) -> _OdsHandler:
    handler = _OdsHandler()
    parser = make_parser()
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as stream:
        parser.parse(stream)  # streamed from the zip: memory stays at the parser's buffer
    return handler


class _OdsHandler(ContentHandler):
    """Walks content.xml once: data styles, cell styles, then each table's cells by position."""

    def __init__(self) -> None:
        super().__init__()
        self.sheets: dict[str, dict[tuple[int, int], str] | None] = {}
        self._decimals: dict[str, int] = {}
        """Percentage data style → decimal places."""
        self._cell_styles: dict[str, str] = {}
        """Cell style → its data style."""
        self._in_percent_style: str | None = None
        self._title = ""
        self._row = self._col = 1
        self._row_repeat = 1
        self._column_styles: list[str] = []
        self.extents: dict[str, tuple[int, int]] = {}
        """Sheet → (last row, last column) holding a value: what calamine would allocate."""
        self.marks: dict[str, dict[tuple[int, int], int]] = {}
        """Sheet → (row, column) → row mark (row_marks.py) of the cells read.py reads."""
        self._style_marks: dict[str, int] = {}
        """Cell style → the row mark its font colour encodes."""
        self._style: str | None = None

    def startElementNS(
        self, name: tuple[str | None, str], qname: str | None, attrs: AttributesNSImpl
    ) -> None:
        if name in _CELLS:
            self._cell(attrs)
        elif name == (_TABLE, "table-row"):
            self._col = 1
            self._row_repeat = _repeat(attrs, "number-rows-repeated")
        elif name == (_TABLE, "table-column"):
            style = attrs.get((_TABLE, "default-cell-style-name"), "")
            room = MAX_COLS - len(self._column_styles)
            repeat = min(_repeat(attrs, "number-columns-repeated"), max(room, 0))
            self._column_styles.extend([style] * repeat)
        elif name == (_TABLE, "table"):
            self._title = attrs.get((_TABLE, "name"), "")
            self._row, self._column_styles = 1, []
            self.sheets.setdefault(self._title, {})
        elif name == (_STYLE, "style"):
            self._style = attrs.get((_STYLE, "name"), "")
            data_style = attrs.get((_STYLE, "data-style-name"))
            if data_style is not None:
                self._cell_styles[self._style] = data_style
        elif name == (_STYLE, "text-properties") and self._style is not None:
            mark = row_marks.mark_of(attrs.get((_FO, "color"), "").lstrip("#"))
            if mark is not None:
                self._style_marks[self._style] = mark
        elif name == (_NUMBER, "percentage-style"):
            self._in_percent_style = attrs.get((_STYLE, "name"), "")
            self._decimals[self._in_percent_style] = 0
        elif name == (_NUMBER, "number") and self._in_percent_style is not None:
            places = attrs.get((_NUMBER, "decimal-places"), "0")
            self._decimals[self._in_percent_style] = int(places) if places.isdigit() else 0

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        if name == (_TABLE, "table-row"):
            self._row += self._row_repeat
        elif name == (_STYLE, "style"):
            self._style = None
        elif name == (_NUMBER, "percentage-style"):
            self._in_percent_style = None

    def _cell(self, attrs: AttributesNSImpl) -> None:
        first_col, repeat = self._col, _repeat(attrs, "number-columns-repeated")
        self._col += repeat
        kind = attrs.get((_OFFICE, "value-type"))
        if kind is not None:  # a value, repeated: counted, never expanded
            rows, cols = self.extents.get(self._title, (0, 0))
            last = (self._row + self._row_repeat - 1, self._col - 1)
            self.extents[self._title] = (max(rows, last[0]), max(cols, last[1]))
        if self._row > MAX_ROWS or first_col > MAX_COLS:
            return
        style = attrs.get((_TABLE, "style-name"))
        if style is None and first_col <= len(self._column_styles):
            style = self._column_styles[first_col - 1]
        last_row = min(self._row + self._row_repeat, MAX_ROWS + 1)
        last_col = min(self._col, MAX_COLS + 1)
        mark = self._style_marks.get(style or "")
        if mark is None and kind != "percentage":
            return
        places = [(r, c) for r in range(self._row, last_row) for c in range(first_col, last_col)]
        if mark is not None:  # empty cells too: a sort moves their formatting as well
            self.marks.setdefault(self._title, {}).update(dict.fromkeys(places, mark))
        if kind != "percentage":
            return
        marked = self.sheets.get(self._title)
        if marked is None:
            return  # already too many: the sheet is unknown
        fmt = percent_format(min(self._decimals.get(self._cell_styles.get(style or "", ""), 0), 9))
        for place in places:
            marked[place] = fmt
        if len(marked) > MAX_MARKED:
            self.sheets[self._title] = None


def _repeat(attrs: AttributesNSImpl, local: str) -> int:
    """A repeat count; anything but a positive number counts once, as LibreOffice reads it."""
    text = attrs.get((_TABLE, local), "1")
    return int(text) if text.isdigit() and text != "0" and len(text) < 10 else 1


_ONE_CELL = frozenset({0x0006, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0207})
"""BIFF8 records of one cell (FORMULA, BLANK, NUMBER, LABEL, BOOLERR, RK, LABELSST): row, col."""
_CELL_RUNS = frozenset({0x00BD, 0x00BE})
"""MULRK and MULBLANK: a row, its first column, …, its last column in the record's last bytes."""
_BOF, _EOF = 0x0809, 0x000A


def check_xls_extent(data: bytes) -> None:
    """SheetTooLarge when a sheet's cells span more than MAX_CELLS, before calamine reads it.

    The cell records of the BIFF stream are scanned for their row and column; nothing is
    expanded, so a small file that places one cell far away costs nothing here.
    """
    import xlrd.compdoc  # only for .xls files

    try:
        doc = xlrd.compdoc.CompDoc(data, logfile=io.StringIO())
        stream = doc.get_named_stream("Workbook") or doc.get_named_stream("Book")
    except Exception:  # not readable as OLE2: calamine gives the finding
        return
    if not stream:
        return
    pos, sheet, rows, cols = 0, 0, 0, 0
    view = memoryview(stream)
    while pos + 4 <= len(view):
        kind, size = (
            int.from_bytes(view[pos : pos + 2], "little"),
            int.from_bytes(view[pos + 2 : pos + 4], "little"),
        )
        body = view[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if kind == _BOF:
            sheet, rows, cols = sheet + 1, 0, 0
        elif (kind in _ONE_CELL and size >= 4) or (kind in _CELL_RUNS and size >= 6):
            row = int.from_bytes(body[0:2], "little")
            col = int.from_bytes(body[-2:] if kind in _CELL_RUNS else body[2:4], "little")
            rows, cols = max(rows, row + 1), max(cols, col + 1)
            if rows * cols > MAX_CELLS:
                raise SheetTooLarge(f"ark nr. {sheet - 1} bruker {rows} rader og {cols} kolonner")


class XlsFormats:
    """The number formats of an .xls file's cells, read with xlrd on the first lookup.

    xlrd is the one maintained reader of the .xls format records (BIFF XF and FORMAT); it parses
    only .xls since 2.0. Sheets are loaded one at a time, when read.py first asks about them.
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._book: Any = None
        self._failed = False

    def __call__(self, title: str, row: int, col: int) -> str:
        book = self._open()
        if book is None:
            return UNKNOWN_FORMAT
        try:
            sheet = book.sheet_by_name(title)
            xf = book.xf_list[sheet.cell_xf_index(row - 1, col - 1)]
            return str(book.format_map[xf.format_key].format_str) or "General"
        except Exception:  # a sheet or cell xlrd does not see as calamine does
            return UNKNOWN_FORMAT

    def _open(self) -> Any:
        if self._book is None and not self._failed:
            import xlrd  # only for .xls files

            try:
                self._book = xlrd.open_workbook(
                    file_contents=self._data,
                    formatting_info=True,
                    on_demand=True,
                    ragged_rows=True,
                    logfile=io.StringIO(),  # xlrd writes its warnings to stdout otherwise
                )
            except Exception:  # xlrd refuses some files calamine reads: formats unknown
                self._failed = True
        return self._book
