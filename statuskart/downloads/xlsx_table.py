"""One way to write a download workbook: table sheets, written with XlsxWriter, ready to print.

The national downloads hold about 170,000 requirement rows and a plan per unit; XlsxWriter's
constant-memory mode writes them at about twice openpyxl's write-only speed, row by row, without
holding cells. Every text goes in with ``write_string``: never a formula, a number or a link,
whatever it starts with (plus safe_cell's apostrophe, for other programs). Fixed document dates
keep the bytes the same for the same table. Written to a temporary name and renamed, so a file
is whole or absent.

Printed, every sheet is A4 (landscape when the table is wider than a portrait page) with the
header row on every page, gridlines, page numbers and fitted to the page width only, so a long
table runs over as many pages as it needs at a readable size. LibreOffice and Gnumeric do not
grow rows to fit wrapped text, and XlsxWriter cannot measure text, so each row with wrapped text
gets a height estimated from its text and column widths (workbook/fit.py, the skjema's rule).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import isinf, isnan
from pathlib import Path
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]  # no stubs published
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

try:  # private, and only in the XlsxWriter versions the fast row writer is made for
    from xlsxwriter.utility import _preserve_whitespace, _utf16_truncate
    from xlsxwriter.utility import _utf16_len as _excel_length
except ImportError:  # older XlsxWriter (3.1 is allowed): XlsxWriter writes every row itself
    _preserve_whitespace = _excel_length = _utf16_truncate = None

from statuskart.core.serialise import safe_cell
from statuskart.downloads.table_pieces import PieceStore
from statuskart.workbook import fit

FIXED_CREATED = dt.datetime(2000, 1, 1)  # noqa: DTZ001 - a document date, not a moment
HEADER_STYLE = {"bold": True, "bg_color": "#DCE6F1", "text_wrap": True, "valign": "top"}
WRAP_STYLE = {"text_wrap": True, "valign": "top"}
TOP_STYLE = {"valign": "top"}
A4 = 9
"""XlsxWriter's paper code for A4."""
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.75, "bottom": 0.6}
"""Page margins in inches: narrow sides for the wide tables, room above for the page header."""
HEADER_MARGIN = 0.3
PAGE_NUMBERS = "&CSide &P av &N"
"""Footer: «Side 2 av 5» (&P page, &N pages)."""
HEADER_LIMIT = 255
"""Excel's longest header or footer, in UTF-16 code units, codes included."""
_WORD_JOINER = "\u2060"
FAST_ROWS = True
"""Write the data rows with ``_Rows`` (tests compare it with XlsxWriter's own)."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """How the table sheet looks and prints."""

    name: str
    headers: Sequence[str]
    widths: Sequence[float]
    formats: Sequence[str | None]
    """Number format per column for numbers and dates (None: General)."""
    wrap: Sequence[bool] = ()
    """Per column: wrap its text and make rows tall enough for it (missing: no wrap)."""
    header: str = ""
    """Printed page header in Excel's header codes; page_header() makes one from plain text."""
    footer: str = PAGE_NUMBERS


def page_header(left: str, right: str = "") -> str:
    """Plain texts as the left and right parts of a page header, escaped and within Excel's limit.

    ``&`` starts a header code in Excel, so a unit called «Rus & psykiatri» is written with
    ``&&``; a header over 255 characters is dropped by XlsxWriter, so the longer part is
    shortened (with «…») until it fits.
    """
    parts = [_printable(left)[:HEADER_LIMIT], _printable(right)[:HEADER_LIMIT]]

    def codes() -> str:
        left_text, right_text = (_escape(p) for p in parts)
        return (f"&L{left_text}" if left_text else "") + (f"&R{right_text}" if right_text else "")

    while _utf16_len(codes()) > HEADER_LIMIT:
        longest = max(range(len(parts)), key=lambda i: len(parts[i]))
        parts[longest] = parts[longest].removesuffix("…")[:-1].rstrip() + "…"
    return codes()


def _printable(text: str) -> str:
    """One line: control characters (line breaks, tabs) become spaces."""
    return "".join(" " if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 else c for c in text).strip()


def _escape(text: str) -> str:
    """``&`` doubled; a word joiner after it where XlsxWriter would see an image code.

    XlsxWriter counts «&G» and «&[Picture]» as image placeholders, even in «&&G», and drops a
    header whose count is wrong; the invisible joiner keeps «R&G» a header and prints as «R&G».
    """
    doubled = text.replace("&", "&&")
    return doubled.replace("&&G", f"&&{_WORD_JOINER}G").replace("&&[", f"&&{_WORD_JOINER}[")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True, slots=True)
class Pieces:
    """A big table's rows as pieces (table_pieces.py), and where their XML is kept by builds."""

    rows: Sequence[Sequence[Sequence[Any]]]
    digests: Sequence[bytes]
    """Each piece's digest (table_pieces.digest of its rows as the table holds them)."""
    store: PieceStore
    prepare: Callable[[Sequence[Sequence[Any]]], Sequence[Sequence[Any]]] = list
    """Turns a piece's rows into the rows written (only for a piece that is written)."""


def write_table(
    path: Path, sheet: Sheet, rows: Iterable[Sequence[Any]], pieces: Pieces | None = None
) -> Path:
    """Write ``rows`` under a bold, filtered, frozen header; return ``path``.

    ``pieces``: the same rows in pieces, whose XML the last build may have kept (then ``rows``
    is not read).
    """
    return write_tables(path, [(sheet, rows)], pieces=pieces)


def write_tables(
    path: Path,
    tables: Sequence[tuple[Sheet, Iterable[Sequence[Any]]]],
    *,
    small: bool = False,
    pieces: Pieces | None = None,
) -> Path:
    """One sheet per (sheet, rows), in order; return ``path``.

    ``small``: a workbook that fits in memory (a unit's plan), put together there instead of in
    ten temporary files; removing those was most of the time of a thousand plans.
    ``pieces``: the one sheet's rows in pieces (``write_table``).
    """
    partial = path.with_name(f".{path.name}.partial")
    book = xlsxwriter.Workbook(str(partial), {"constant_memory": True, "strings_to_urls": False})
    if small:
        book.in_memory = True  # after the constructor, which would turn constant_memory off
    try:
        book.set_properties({"created": FIXED_CREATED})
        header = book.add_format(HEADER_STYLE)
        for sheet, rows in tables:
            _sheet(book, header, sheet, rows, small, pieces)
    finally:
        book.close()
    os.replace(partial, path)
    return path


def copy_redated(kept: Path, path: Path, old: str, new: str, sheets: int | None) -> bool:
    """Copy the small workbook ``kept`` to ``path``, its page headers ending ``new``, not ``old``.

    Zipped again as XlsxWriter zips a small workbook, so the copy has the bytes the workbook
    written with ``new`` would have (tested). ``old`` must end the page header of each of
    ``sheets`` sheets (None: of every sheet it has) and be nowhere else in the file; otherwise
    (a name or cell that holds it, a header cut short, a damaged file) nothing is written and
    False comes back, for the caller to write the workbook anew. Both must need no XML escaping
    (dates do not).
    """
    old_bytes, new_bytes = old.encode("utf-8"), new.encode("utf-8")
    ending = old_bytes + b"</oddHeader>"
    try:
        with zipfile.ZipFile(kept) as source:
            entries = [(info.filename, source.read(info)) for info in source.infolist()]
    except (OSError, zipfile.BadZipFile, EOFError, zlib.error):
        return False
    found = {name for name, data in entries if old_bytes in data}
    if sheets is None:
        sheets = sum(1 for name, _ in entries if _WORKSHEET.fullmatch(name))
    if len(found) != sheets or not all(name.startswith("xl/worksheets/sheet") for name in found):
        return False
    for name, data in entries:
        if name in found and (data.count(old_bytes), data.count(ending)) != (1, 1):
            return False
    partial = path.with_name(f".{path.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as out:
            for name, data in entries:
                info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(info, data.replace(old_bytes, new_bytes) if name in found else data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)  # gone after the rename; a full disk leaves no litter
    return True


class _MemorySheet(Worksheet):  # type: ignore[misc]  # XlsxWriter publishes no types
    """A constant-memory worksheet whose rows wait in memory instead of a temporary file.

    The same rows, written the same way (inline strings, a row at a time): only where they wait
    until the sheet is put together differs, so the sheet's XML is the same.
    """

    def _initialize(self, init_data: dict[str, Any]) -> None:
        super()._initialize({**init_data, "constant_memory": False})  # no temporary file
        self.constant_memory = True
        self.row_data_fh = self.fh = io.StringIO()

    def _opt_close(self) -> None:
        """Nothing to close: the rows stay in memory until the sheet is assembled."""

    def _opt_reopen(self) -> None:
        self.fh = self.row_data_fh

    def _write_optimized_sheet_data(self) -> None:
        if self.dim_rowmin is None:
            self._xml_empty_tag("sheetData")
        else:
            self._xml_start_tag("sheetData")
            self.fh.write(self.row_data_fh.getvalue())
            self._xml_end_tag("sheetData")


FAST_ROWS_FOR = ("3.3.1",)
"""XlsxWriter versions whose cell XML ``_Rows`` writes byte for byte (tested); with
any other version every row is written by XlsxWriter's own code."""
_SPECIAL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x")
"""Text that XlsxWriter escapes as _xHHHH_ (control characters, and its own escape)."""
_MARKUP = re.compile("[&<>]")
_WORKSHEET = re.compile(r"xl/worksheets/sheet\d+\.xml")


def fast_rows() -> bool:
    """True when this XlsxWriter is one the fast row writer was checked against, byte for byte."""
    known = xlsxwriter.__version__ in FAST_ROWS_FOR
    return FAST_ROWS and known and _preserve_whitespace is not None


class _Rows:
    """Writes a constant-memory sheet's data rows straight to its row file, a write per batch.

    XlsxWriter's per-cell API (write_string and friends, then a flush per row) was most of the
    national tables' CPU: about 10 µs a cell, 170,000 rows of 15. This writes the cells these
    tables hold (text, numbers, dates, formatted blanks) as XlsxWriter would, and keeps the
    worksheet's own bookkeeping (dimensions, last row, format indices in first-use order) as
    its calls would. A column's values repeat (names, statuses, ids), so each distinct value's
    cell XML and wrapped line count are made once per column. Three differences, on purpose
    (the tests put them back and compare with XlsxWriter's bytes): a big table's texts are
    shared strings; a cell right after another has no reference (SHORT_CELLS); and a text that
    looks like rich-text XML («<r>…</r>») is escaped like any other, where XlsxWriter would copy
    it into the file as XML.
    """

    LIMIT = 50_000
    """Distinct values remembered per column; past it the column's memory starts afresh."""

    def __init__(
        self, ws: Any, sheet: Sheet, styles: Sequence[Any], texts: Sequence[Any], *, shared: bool
    ) -> None:
        self.ws = ws
        self.shared = shared
        self.strings = ws.str_table
        self.styles, self.texts = styles, texts
        columns = len(sheet.headers)
        self.names = [xl_col_to_name(c) for c in range(columns)]
        self.wraps = [c < len(sheet.wrap) and sheet.wrap[c] for c in range(columns)]
        self.widths = list(sheet.widths)
        self.known: list[dict[Any, tuple[str, int, int]]] = [{} for _ in range(columns)]
        self.xf: dict[int, int] = {}
        self.out: list[str] = []
        # The formats a cell may have, numbered in a fixed order: a kept piece names those it
        # used first by these numbers (``piece``, ``replay``).
        self.by_role = list({id(f): f for f in (*styles, *texts)}.values())
        self.role = {id(f): i for i, f in enumerate(self.by_role)}
        self.recording: Effects | None = None

    def _index(self, cell_format: Any) -> int:
        """The format's XF index, asked of XlsxWriter at its first use, as a cell would."""
        key = id(cell_format)
        found = self.xf.get(key)
        if found is None:
            found = self.xf[key] = cell_format._get_xf_index()
            if self.recording is not None:
                self.recording.formats.append(self.role[key])
        return found

    def _tail(self, col: int, value: Any) -> tuple[str, int, int]:
        """A value's cell XML after its reference, lines wrapped to, and shared strings used.

        Lines: 1 unless wrapped text. Shared: 1 for a shared string (the table counts cells,
        so each later cell with it counts too, in row()), else 0.
        """
        if isinstance(value, str):
            text = _excel_text(self.ws, safe_cell(str(value)))
            lines = _lines(value, self.widths[col]) if self.wraps[col] else 1
            style = self._index(self.texts[col])
            if self.shared and not (text.startswith("<r>") and text.endswith("</r>")):
                # The table's count is of cells: this one now, each later one in row().
                new = self.strings.unique_count
                index = self.strings._get_shared_string_index(text)
                if self.recording is not None and index == new:
                    self.recording.strings.append(text)
                return f' s="{style}" t="s"><v>{index}</v></c>', lines, 1
            return _text_tail(self.ws, style, text), lines, 0
        date = isinstance(value, dt.date)
        number = self.ws._convert_date_time(value) if date else _number(value)
        return f' s="{self._index(self.styles[col])}"><v>{number:.16G}</v></c>', 1, 0

    def row(self, row: int, values: Sequence[Any]) -> None:
        """One data row (0-based ``row``), as tall as its wrapped texts need."""
        ws = self.ws
        if ws._check_dimensions(row, len(values) - 1):  # XlsxWriter drops it too (no room)
            return
        if self.recording is not None:
            self.recording.rows.append(row)
        r1 = str(row + 1)
        names, known = self.names, self.known
        cells: list[str] = []
        lines = 1
        last = -2  # the column of the cell before, in this row
        for col, value in enumerate(values):
            kind = type(value)
            if value is None or value == "":
                if not self.wraps[col]:
                    continue
                # A blank that wraps, so that what someone types there later wraps too.
                tail = f' s="{self._index(self.texts[col])}"/>'
            elif kind is bool:
                text = "Ja" if value else "Nei"
                tail = (
                    f' s="{self._index(self.texts[col])}" t="inlineStr"><is><t>{text}</t></is></c>'
                )
            else:
                seen = known[col]
                cached = kind in _CACHED
                found = seen.get(value) if cached else None
                if found is None:
                    found = self._tail(col, value)
                    if cached:
                        if len(seen) >= self.LIMIT:
                            seen.clear()
                        seen[value] = found
                else:
                    self.strings.count += found[2]
                tail = found[0]
                if found[1] > lines:
                    lines = found[1]
            if col == last + 1 and SHORT_CELLS:
                cells.append("<c" + tail)
            else:
                cells.append(f'<c r="{names[col]}{r1}"{tail}')
            last = col
        height = _points(lines)
        if not cells and height is None:
            return  # nothing XlsxWriter would write either
        self.out.append(_row_xml(ws, r1, height, empty=not cells))
        if cells:
            self.out.append("".join(cells))
            self.out.append("</row>")
        ws.previous_row = row
        if self.recording is not None:
            self.recording.previous = row
        elif len(self.out) > 3000:
            self.flush()

    def flush(self) -> None:
        """Write the rows held so far into the sheet's row file."""
        self.ws.fh.write("".join(self.out))
        self.out.clear()

    def piece(self, start: int, rows: Sequence[Sequence[Any]]) -> tuple[str, Effects]:
        """Write ``rows`` from row ``start`` on; their XML, and what they did to the workbook."""
        self.flush()
        effects = self.recording = Effects()
        count = self.strings.count
        try:
            for i, values in enumerate(rows):
                self.row(start + i, values)
        finally:
            self.recording = None
        effects.refs = self.strings.count - count
        xml = "".join(self.out)
        self.ws.fh.write(xml)
        self.out.clear()
        return xml, effects

    def replay(self, xml: str, effects: Effects, columns: int) -> None:
        """Put a kept piece's XML in, and do to the workbook what writing its rows did.

        The caller keeps a piece only for the same rows, first row, shared strings and formats
        before it, so writing them again would give this XML and these effects.
        """
        for text in effects.strings:
            self.strings._get_shared_string_index(text)
        self.strings.count += effects.refs - len(effects.strings)
        for role in effects.formats:
            self._index(self.by_role[role])
        for row in effects.rows[:1] + effects.rows[-1:]:  # the first and last set the bounds
            self.ws._check_dimensions(row, columns - 1)
        if effects.previous is not None:
            self.ws.previous_row = effects.previous
        self.flush()
        self.ws.fh.write(xml)


@dataclass(slots=True)
class Effects:
    """What writing a piece's rows did besides its XML, to be done again when it is kept."""

    strings: list[str] = field(default_factory=list)
    """Texts it added to the shared strings, in order."""
    formats: list[int] = field(default_factory=list)
    """Formats (``_Rows.by_role``) it used first, in order: each gets the next XF index."""
    refs: int = 0
    """Cells of it that hold a shared string."""
    rows: list[int] = field(default_factory=list)
    """Rows it wrote or kept room for (the sheet's bounds), in order."""
    previous: int | None = None
    """The last row it wrote, if any."""

    def encode(self, xml: str) -> bytes:
        """The effects as a line of JSON, then the XML: what a piece store keeps."""
        head = {"s": self.strings, "f": self.formats, "c": self.refs, "r": self.rows}
        head["p"] = self.previous
        line = json.dumps(head, separators=(",", ":"))  # ASCII: \\u escapes for every other
        return line.encode("ascii") + b"\n" + xml.encode("utf-8", "surrogatepass")

    @classmethod
    def decode(cls, data: bytes, roles: int) -> tuple[str, Effects] | None:
        """``encode``'s XML and effects; None for anything else (it is then written anew)."""
        line, _, xml = data.partition(b"\n")
        try:
            head = json.loads(line)
            effects = cls(list(head["s"]), list(head["f"]), head["c"], list(head["r"]), head["p"])
            text = xml.decode("utf-8", "surrogatepass")
        except (ValueError, KeyError, TypeError):
            return None
        kinds = (
            all(type(t) is str for t in effects.strings)
            and all(type(f) is int and 0 <= f < roles for f in effects.formats)
            and type(effects.refs) is int
            and all(type(r) is int for r in effects.rows)
            and (effects.previous is None or type(effects.previous) is int)
        )
        return (text, effects) if kinds else None


SHORT_CELLS = True
"""A cell right after the one before it in its row is written without its reference («B7»).

ECMA-376 makes a cell's reference optional: a cell without one is in the column after the cell
before it (Excel, LibreOffice and openpyxl read it so). Each row's own references were what
deflate could not compress: kravstatus.xlsx is a quarter of the size without them. The first
cell of a row, and any after a gap, keep theirs."""
_CACHED = (str, int, float, dt.date)
"""Value types whose cell XML is remembered by value (bool is written before the lookup: True
equals 1)."""


def _points(lines: int) -> float | None:
    """The row height for this many lines of wrapped text, None for one line (as _height)."""
    if lines <= 1:
        return None
    return min(fit.MAX_ROW_POINTS, lines * fit.LINE_POINTS + fit.PADDING_POINTS)


def _excel_text(ws: Any, text: str) -> str:
    """The text as Excel can hold it: cut at 32,767 UTF-16 units, as write_string cuts it."""
    if len(text) > ws.xls_strmax // 2 and _excel_length(text) > ws.xls_strmax:
        return str(_utf16_truncate(text, ws.xls_strmax))
    return text


def _text_tail(ws: Any, style: int, text: str) -> str:
    """An inline string cell after its reference, as XlsxWriter's constant-memory mode writes it."""
    if _SPECIAL.search(text):
        text = ws._escape_control_characters(text)
    preserve = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
    if _MARKUP.search(text):
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f' s="{style}" t="inlineStr"><is><t{preserve}>{text}</t></is></c>'


def _number(value: Any) -> Any:
    """A number cell's value as write_number stores it; NaN and infinity refused as it does."""
    if isinstance(value, Fraction):
        return float(value)
    if isnan(value) or isinf(value):
        raise TypeError("NAN/INF not supported in write_number()")
    return value


def _row_xml(ws: Any, r1: str, points: float | None, *, empty: bool) -> str:
    """A <row> start tag (or an empty row) as XlsxWriter's _write_row writes it after set_row."""
    height = ws.default_row_height if points is None else int(points * 4.0 / 3.0 + 0.5)
    attributes = f'<row r="{r1}"'
    if height == 0:
        height = ws.default_row_height
        hidden = True
    else:
        hidden = False
    custom = height != ws.original_row_height or height != ws.default_row_height
    if custom:
        attributes += f' ht="{height * 0.75:.16g}"'
    if hidden:
        attributes += ' hidden="1"'
    if custom:
        attributes += ' customHeight="1"'
    return attributes + ("/>" if empty else ">")


def _sheet(
    book: Any,
    header: Any,
    sheet: Sheet,
    rows: Iterable[Sequence[Any]],
    small: bool = False,
    pieces: Pieces | None = None,
) -> None:
    """One table sheet; ``small``: its rows wait in memory, and every text is written inline.

    A big table's texts go into the workbook's shared strings: a national kravstatus repeats
    its few thousand names, statuses and ids 170,000 times, and the file is 15 % smaller.
    """
    kind = _MemorySheet if small else None
    shared = not small
    ws = book.add_worksheet(sheet.name[:31], worksheet_class=kind)
    wraps = [i < len(sheet.wrap) and sheet.wrap[i] for i in range(len(sheet.headers))]
    # Every cell at the top of its row, so a row made tall by one wrapped text still reads
    # across; blank cells only where they would wrap (nothing to align otherwise).
    wrapped, top = book.add_format(WRAP_STYLE), book.add_format(TOP_STYLE)
    texts = [wrapped if w else top for w in wraps]
    styles = [
        book.add_format({**(WRAP_STYLE if w else TOP_STYLE), "num_format": f}) if f else text
        for f, w, text in zip(sheet.formats, wraps, texts, strict=True)
    ]
    for col, width in enumerate(sheet.widths):
        ws.set_column(col, col, width)
    ws.set_row(0, fit.row_height(zip(sheet.headers, sheet.widths, strict=True)))
    ws.write_row(0, 0, list(sheet.headers), header)
    measured = [(col, sheet.widths[col]) for col, w in enumerate(wraps) if w]
    count = 0
    if fast_rows() and ws.excel_version == 2007:
        ws._write_single_row(1)  # the header row, written as XlsxWriter writes it
        direct = _Rows(ws, sheet, styles, texts, shared=shared)
        if pieces is not None and shared:
            count = _pieced(direct, pieces, len(sheet.headers))
        else:
            for count, row in enumerate(rows, start=1):
                direct.row(count, row)
        direct.flush()
    else:
        for count, row in enumerate(rows, start=1):
            height = _height(row, measured)
            if height is not None:
                ws.set_row(count, height)
            for col, value in enumerate(row):
                _write(ws, count, col, value, styles[col], texts[col], wraps[col])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(count, 1), len(sheet.headers) - 1)
    # The table and nothing else: a long last text (a checksum) that spills to the right on
    # screen would otherwise widen the printed page and shrink everything on it.
    ws.print_area(0, 0, max(count, 1), len(sheet.headers) - 1)
    _print_setup(ws, sheet)


def _pieced(direct: _Rows, pieces: Pieces, columns: int) -> int:
    """Write the pieces' rows, each piece's XML kept from the last build if it may be; the count.

    A piece's XML depends on its rows, its first row and, through the shared strings' and
    formats' numbers, on the strings and formats the rows before it used first. So it is kept
    under a key of all four: the digest of its rows, its first row and digests of those two
    states, which are made from each piece's effects as the pieces go.
    """
    strings, formats = hashlib.sha256(), hashlib.sha256()
    start = 1
    for rows, digest in zip(pieces.rows, pieces.digests, strict=True):
        state = digest + start.to_bytes(8, "big") + strings.digest() + formats.digest()
        key = hashlib.sha256(state).digest()
        data = pieces.store.get(key)
        kept = Effects.decode(data, len(direct.by_role)) if data is not None else None
        if kept is not None and len(kept[1].rows) <= len(rows):
            xml, effects = kept
            direct.replay(xml, effects, columns)
        else:
            xml, effects = direct.piece(start, pieces.prepare(rows))
            pieces.store.put(key, effects.encode(xml))
        for text in effects.strings:
            encoded = text.encode("utf-8", "surrogatepass")
            strings.update(len(encoded).to_bytes(8, "big") + encoded)
        formats.update(b"".join(f.to_bytes(4, "big") for f in effects.formats))
        start += len(rows)
    return start - 1


def _height(row: Sequence[Any], measured: Sequence[tuple[int, float]]) -> float | None:
    """The row's height in points when a wrapped text needs more than one line, else None."""
    return _points(
        max((_lines(row[c], w) for c, w in measured if isinstance(row[c], str)), default=1)
    )


@functools.lru_cache(maxsize=8192)
def _lines(text: str, width: float) -> int:
    """Lines of ``text`` as written (safe_cell's apostrophe too), by the skjema's rule.

    Remembered: the national tables repeat each HF and unit name many times.
    """
    return fit.line_count(safe_cell(text), width)


def _print_setup(ws: Any, sheet: Sheet) -> None:
    """A4, landscape when wide, header row on every page, fitted to the page width only."""
    ws.set_paper(A4)
    portrait_points = fit.A4_PORTRAIT_POINTS - (MARGINS["left"] + MARGINS["right"]) * 72
    if sum(fit.width_points(w) for w in sheet.widths) > portrait_points:
        ws.set_landscape()
    ws.set_margins(**MARGINS)
    ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as the rows need
    ws.repeat_rows(0)
    ws.hide_gridlines(0)  # 0: gridlines on screen and on paper, so wrapped rows stay apart
    if sheet.header:
        ws.set_header(sheet.header, {"margin": HEADER_MARGIN})
    if sheet.footer:
        ws.set_footer(sheet.footer, {"margin": HEADER_MARGIN})


def _write(ws: Any, row: int, col: int, value: Any, style: Any, text: Any, wrap: bool) -> None:
    if value is None or value == "":
        if wrap:  # so that what someone types there later wraps too
            ws.write_blank(row, col, None, text)
        return
    if isinstance(value, str):
        ws.write_string(row, col, safe_cell(value), text)
    elif isinstance(value, bool):
        ws.write_string(row, col, "Ja" if value else "Nei", text)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, value, style)
    else:
        ws.write_number(row, col, value, style)
