"""Read stage: a filled workbook file → RawSubmission (cell values as typed, with their cells).

Finds sheets, columns and fields by header text and defined names, never by position. Nothing is
interpreted here (validation.py does that); a file that cannot be opened yields findings, not
errors.
"""

from __future__ import annotations

import hashlib
import io
import stat
import warnings
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook

from statuskart.core import messages as msg
from statuskart.core.findings import Finding, finding
from statuskart.workbook import layout as L
from statuskart.workbook import row_marks
from statuskart.workbook.sniff import MAX_FILE_BYTES, check_size, sniff

MAX_ROWS = 1000
"""Rows read per sheet; a checklist has about 50, so anything past this is noise or an attack."""
MAX_COLS = 40
META_SCAN_ROWS = 30
"""Rows of the checklist sheet searched for front-sheet labels (a one-sheet variant of the form).
The header row itself is looked for in all MAX_ROWS rows: a sort can move it anywhere."""
FRONT_SCAN_ROWS = 60
_LETTERS = tuple(get_column_letter(i) for i in range(1, MAX_COLS + 1))


@dataclass(frozen=True, slots=True)
class RawCell:
    """A value as the user left it, and where it is."""

    sheet: str
    cell: str
    value: Any
    number_format: str = "General"
    """The cell's number format, kept for numbers only: 0.8 formatted «0%» was typed as «80 %»."""
    mark: int | None = None
    """The row mark of an answer cell (row_marks.py): the requirement its formatting came from."""


@dataclass(frozen=True, slots=True)
class _Grid:
    """A sheet's first rows as values, with the number formats of the cells holding numbers."""

    title: str
    values: list[tuple[Any, ...]]
    formats: dict[tuple[int, int], str]
    marks: Callable[[int, int], int | None] | None = None
    """(row, column) → the cell's row mark, looked up only for the answer cells that need it."""

    def cell(self, row: int, col: int, *, marked: bool = False) -> RawCell:
        """The RawCell at 1-based ``row``/``col`` (None beyond what the sheet has)."""
        line = self.values[row - 1] if 0 < row <= len(self.values) else ()
        value = line[col - 1] if 0 < col <= len(line) else None
        letter = _LETTERS[col - 1] if 0 < col <= MAX_COLS else get_column_letter(col)
        fmt = self.formats.get((row, col), "General") if self.formats else "General"
        mark = self.marks(row, col) if marked and self.marks is not None else None
        return RawCell(self.title, f"{letter}{row}", value, fmt, mark)


@dataclass(frozen=True, slots=True)
class RawRow:
    """One checklist row: column key → RawCell (only the columns the sheet has)."""

    row: int
    cells: Mapping[str, RawCell]

    def value(self, key: str) -> Any:
        """The value in column ``key``, or None when the column or cell is missing."""
        cell = self.cells.get(key)
        return None if cell is None else cell.value


@dataclass(frozen=True, slots=True, kw_only=True)
class RawSubmission:
    """Everything read from one workbook, uninterpreted."""

    path: str
    sha256: str
    sheet: str
    """Name of the checklist sheet."""
    header_row: int
    columns: Mapping[str, str]
    """Column key → column letter."""
    meta: Mapping[str, RawCell]
    """Front-sheet field key → cell (fields that were found)."""
    stamp: Mapping[str, str]
    rows: tuple[RawRow, ...]
    """Requirement rows (everything but the «Egne krav» block)."""
    findings: tuple[Finding, ...] = field(default=())
    local_rows: tuple[RawRow, ...] = field(default=())
    """Rows of the unit's own requirements (ID «EGEN-n») that the unit filled in."""
    front_sheet: str | None = L.FRONT_SHEET
    """Title of the front sheet, None when the workbook has none (deleted or renamed): then the
    fields it holds are missing because the sheet is, not because they were left empty."""


@dataclass(frozen=True, slots=True)
class ReadResult:
    """Outcome of reading one file: the raw submission if it could be read, and findings."""

    path: str
    sha256: str
    raw: RawSubmission | None
    findings: tuple[Finding, ...]


def file_digest(data: bytes) -> str:
    """sha256 hex digest, shown as provenance on the site."""
    return hashlib.sha256(data).hexdigest()


def read_input_bytes(path: Path | str) -> bytes | Finding:
    """The file's bytes, size-checked with ``stat()`` first so a huge file is never loaded.

    At most the size limit plus one byte is read, in case the file grows after the check.
    """
    name = str(path)
    try:
        info = Path(path).stat()
        if not stat.S_ISREG(info.st_mode):  # opening a FIFO would wait for a writer forever
            return finding("not-a-spreadsheet", name, detail=msg.NOT_A_REGULAR_FILE)
        verdict = check_size(info.st_size)
        if not verdict.ok:
            return finding(verdict.code, name, detail=verdict.detail)
        with Path(path).open("rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        return finding("no-read-access", name)
    except OSError as exc:
        return finding("corrupt-file", name, detail=msg.os_reason(exc, reading=True))


def read_guarded(path: Path | str) -> bytes | Finding:
    """The file's bytes if it passes the pre-parse checks (size, zip, format), else a finding.

    The one way into a workbook file: the skjema reader and the unit register both use it.
    """
    data = read_input_bytes(path)
    if isinstance(data, Finding):
        return data
    verdict = sniff(data)
    if not verdict.ok:
        return finding(verdict.code, str(path), detail=verdict.detail)
    if verdict.format != "xlsx":  # callers open these bytes with openpyxl
        return finding("legacy-format", str(path), detail=verdict.detail)
    return data


def open_any(data: bytes, kind: str) -> Any:
    """Open checked bytes of the sniffed ``kind``: openpyxl for xlsx, python-calamine otherwise.

    Both give read.py the same shape: sheets by title, whose first rows ``_grid`` reads.
    """
    if kind == "xlsx":
        return open_guarded(data)
    from statuskart.workbook.calamine_read import open_calamine  # only for .ods/.xls files

    return open_calamine(data, kind)


def open_guarded(data: bytes) -> Workbook:
    """Open checked bytes read-only with values only; defusedxml guards the XML (see module)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about every extension it drops
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)


def failure_finding(exc: Exception, name: str) -> Finding:
    """The finding for an exception raised while openpyxl opened or read a workbook."""
    unsafe = _defused_cause(exc)
    if unsafe is not None:
        return finding("unsafe-content", name, detail=type(unsafe).__name__)
    from statuskart.workbook.calamine_read import SheetTooLarge  # python-calamine loads late

    if isinstance(exc, SheetTooLarge):
        return finding("too-large", name, detail=str(exc))
    if isinstance(exc, zipfile.BadZipFile | EOFError):
        return finding("corrupt-file", name, detail=str(exc))
    detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    return finding("corrupt-file", name, detail=detail)


def read_workbook(path: Path | str, *, fast: bool = True) -> ReadResult:
    """Read one file; every failure becomes a finding naming the file, sheet and cell.

    ``fast``: try the calamine path for .xlsx first (same result, see fast_xlsx.py).
    """
    name = str(path)
    data = read_input_bytes(path)
    if isinstance(data, Finding):
        return ReadResult(name, "", None, (data,))
    digest = file_digest(data)
    verdict = sniff(data)
    if not verdict.ok:
        return ReadResult(name, digest, None, (finding(verdict.code, name, detail=verdict.detail),))
    if verdict.format == "xlsx" and fast:
        quick = _read_fast(data, name, digest)
        if quick is not None:
            return ReadResult(name, digest, quick, quick.findings)
    try:
        raw = _read_opened(lambda: open_any(data, verdict.format), name, digest)
    except Exception as exc:  # openpyxl raises anything from KeyError to TypeError on broken parts
        return ReadResult(name, digest, None, (failure_finding(exc, name),))
    except BaseException as exc:  # a Rust panic in calamine is a BaseException (pyo3)
        if type(exc).__name__ != "PanicException":
            raise
        return ReadResult(name, digest, None, (failure_finding(Exception(str(exc)), name),))
    if isinstance(raw, Finding):
        return ReadResult(name, digest, None, (raw,))
    return ReadResult(name, digest, raw, raw.findings)


def _read_opened(opener: Callable[[], Any], name: str, digest: str) -> RawSubmission | Finding:
    wb = opener()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read(wb, name, digest)
    finally:
        wb.close()


def _read_fast(data: bytes, name: str, digest: str) -> RawSubmission | None:
    """The calamine path (fast_xlsx.py) when it applies and finds a stamped skjema, else None.

    Anything unusual — a declined file, an error, no checklist, no stamp sheet — goes to the
    openpyxl path, which gives the findings.
    """
    from statuskart.workbook.fast_xlsx import fast_book

    try:
        book = fast_book(data)
        if book is None:
            return None
        raw = _read_opened(lambda: book, name, digest)
    except BaseException as exc:
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        return None
    if isinstance(raw, Finding) or raw.stamp.get(L.STAMP_SOURCE_KEY) == "fallback" or not raw.stamp:
        return None
    return raw


def _defused_cause(exc: BaseException) -> BaseException | None:
    """Openpyxl wraps parser errors in ValueError; find a defusedxml refusal in the chain."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DefusedXmlException):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _grid(ws: Any, max_rows: int) -> _Grid:
    from statuskart.workbook.calamine_read import CalamineSheet

    if isinstance(ws, CalamineSheet):  # the same grid, built without a cell object per value
        return _Grid(ws.title, *ws.grid(max_rows, MAX_COLS), ws.mark_at)
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # some writers declare A1:XFD1048576; read what is really there
    values: list[tuple[Any, ...]] = []
    formats: dict[tuple[int, int], str] = {}
    marks: dict[tuple[int, int], int] = {}
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=max_rows, max_col=MAX_COLS), start=1):
        line = tuple(cell.value for cell in row)
        values.append(line)
        for c, (cell, value) in enumerate(zip(row, line, strict=True), start=1):
            if isinstance(value, int | float) and not isinstance(value, bool):
                fmt = getattr(cell, "number_format", None)
                if fmt and fmt != "General":
                    formats[(r, c)] = str(fmt)
            font = getattr(cell, "font", None)
            mark = row_marks.mark_of(getattr(getattr(font, "color", None), "rgb", None))
            if mark is not None:
                marks[(r, c)] = mark
    return _Grid(ws.title, values, formats, lambda r, c: marks.get((r, c)))


def _header_columns(row: tuple[Any, ...]) -> dict[str, int]:
    lookup = L.column_lookup()
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        if value is None:
            continue
        key = lookup.get(L.normalise_label(value))
        if key is not None and key not in found:
            found[key] = index
    return found


def _find_checklist(wb: Any) -> tuple[Any, _Grid, int, dict[str, int]] | None:
    wanted = {L.normalise_label(n) for n in L.CHECKLIST_SHEET_ALIASES}
    sheets = sorted(wb.worksheets, key=lambda ws: L.normalise_label(ws.title) not in wanted)
    for ws in sheets:
        if ws.title == L.STAMP_SHEET:
            continue
        grid = _grid(ws, MAX_ROWS + 1)
        for index, row in enumerate(grid.values[:MAX_ROWS]):
            columns = _header_columns(row)
            if "id" in columns and ("status" in columns or L.normalise_label(ws.title) in wanted):
                return ws, grid, index + 1, columns
    return None


def _checklist_without_id(wb: Any, name: str) -> Finding | None:
    """The finding for a checklist whose ID header was renamed or deleted, if that is the case.

    A row with two or more known column headers is the checklist's header row even without
    «ID»; the user is pointed at that row (at the first header statuskart does not know, or the
    first blank one among the known), not told that the sheet is missing.
    """
    wanted = {L.normalise_label(n) for n in L.CHECKLIST_SHEET_ALIASES}
    sheets = sorted(wb.worksheets, key=lambda ws: L.normalise_label(ws.title) not in wanted)
    for ws in sheets:
        if ws.title == L.STAMP_SHEET:
            continue
        headers = [
            (r, line, _header_columns(line)) for r, line in enumerate(_grid(ws, MAX_ROWS).values, 1)
        ]
        row_no, row, known = max(headers, key=lambda h: len(h[2]), default=(0, (), {}))
        if len(known) < 2 or "id" in known:  # not a checklist, or one that fails for another reason
            continue
        unknown = [(i, v) for i, v in enumerate(row) if _filled(v) and i not in known.values()]
        # The ID column's place: a blank header among the known ones (the deleted «ID»), else a
        # header statuskart does not know (the renamed one), else the whole row.
        inside = [i for i in range(max(known.values())) if i not in known.values()]
        blank = [i for i in inside if not _filled(row[i])]
        spot = next(iter(blank + inside), unknown[0][0] if unknown else None)
        detail = msg.ID_HEADER_WHERE.format(sheet=ws.title, row=row_no)
        if unknown:
            typed = ", ".join(f"«{v}»" for _, v in unknown)
            detail += msg.ID_HEADER_UNKNOWN.format(headers=typed)
        cell = (
            f"{get_column_letter(spot + 1)}{row_no}" if spot is not None else f"{row_no}:{row_no}"
        )
        return finding("id-column-missing", name, sheet=ws.title, cell=cell, detail=detail)
    return None


def _read(wb: Any, name: str, digest: str) -> RawSubmission | Finding:
    # ``wb`` is an openpyxl Workbook or a CalamineBook with the same reading surface.
    found = _find_checklist(wb)
    if found is None:
        headless = _checklist_without_id(wb, name)
        if headless is not None:
            return headless
        titles = ", ".join(f"«{t}»" for t in wb.sheetnames if t != L.STAMP_SHEET) or "ingen"
        return finding("no-checklist-sheet", name, detail=titles)
    ws, grid, header_row, columns = found
    findings: list[Finding] = []
    for key in L.REQUIRED_COLUMNS:
        if key not in columns:
            label = next(c.label for c in L.COLUMNS if c.key == key)
            findings.append(
                finding(
                    "missing-column",
                    name,
                    sheet=ws.title,
                    cell=f"{header_row}:{header_row}",
                    detail=label,
                )
            )
    values = grid.values
    marked = set(row_marks.MARKED_COLUMNS)
    if len(values) > MAX_ROWS and any(v not in (None, "") for v in values[MAX_ROWS]):
        findings.append(finding("too-many-rows", name, sheet=ws.title, detail=MAX_ROWS))
    rows = tuple(
        RawRow(
            row_no,
            {key: grid.cell(row_no, i + 1, marked=key in marked) for key, i in columns.items()},
        )
        for row_no, line in enumerate(values[header_row:MAX_ROWS], start=header_row + 1)
        if any(v not in (None, "") and not (isinstance(v, str) and not v.strip()) for v in line)
    )
    rows, local_rows = _split_local(rows)
    letters = {key: get_column_letter(i + 1) for key, i in columns.items()}
    return RawSubmission(
        path=name,
        sha256=digest,
        sheet=ws.title,
        header_row=header_row,
        columns=letters,
        meta=_read_meta(wb, ws.title, grid),
        stamp=_read_stamp(wb),
        rows=rows,
        findings=tuple(findings),
        local_rows=local_rows,
        front_sheet=next(iter(_front_titles(wb)), None),
    )


def _split_local(rows: tuple[RawRow, ...]) -> tuple[tuple[RawRow, ...], tuple[RawRow, ...]]:
    """Catalogue rows apart from the «Egne krav» block, whose heading row is dropped.

    Of the block's rows only those the unit filled in are kept: a blank one has just its ID.
    """
    catalogue: list[RawRow] = []
    local: list[RawRow] = []
    for row in rows:
        if L.is_local_heading(row.value("id")):
            continue
        if not L.is_local_id(row.value("id")):
            catalogue.append(row)
        elif any(_filled(c.value) for k, c in row.cells.items() if k not in ("id", "phase")):
            local.append(row)
    return tuple(catalogue), tuple(local)


def _filled(value: Any) -> bool:
    return value not in (None, "") and not (isinstance(value, str) and not value.strip())


def _read_meta(wb: Any, checklist: str, checklist_grid: _Grid) -> dict[str, RawCell]:
    """Front-sheet fields: by defined name first, then by a label with the value to its right."""
    head = _Grid(checklist, checklist_grid.values[:META_SCAN_ROWS], checklist_grid.formats)
    grids: dict[str, _Grid] = {checklist: head}

    def grid_of(title: str) -> _Grid:
        if title not in grids:
            grids[title] = _grid(wb[title], FRONT_SCAN_ROWS)
        return grids[title]

    meta: dict[str, RawCell] = {}
    for f in L.META_FIELDS:
        dest = _defined_cell(wb, f.name)
        if dest is None or dest[0] not in wb.sheetnames:
            continue
        title, col, row = dest
        meta[f.key] = grid_of(title).cell(row, col)
    lookup = L.meta_lookup()
    for title in [*_front_titles(wb), checklist]:
        grid = grid_of(title)
        for r, cells in enumerate(grid.values, start=1):
            for c, value in enumerate(cells[:-1], start=1):
                key = lookup.get(L.normalise_label(value)) if isinstance(value, str) else None
                if key is None or (key in meta and meta[key].value not in (None, "")):
                    continue
                meta[key] = grid.cell(r, c + 1)
    return meta


def _front_titles(wb: Any) -> list[str]:
    """The workbook's sheets named as a front sheet («Forside», «Framside», «Front»)."""
    wanted = {L.normalise_label(n) for n in L.FRONT_SHEET_ALIASES}
    return [t for t in wb.sheetnames if L.normalise_label(t) in wanted]


def _defined_cell(wb: Any, name: str) -> tuple[str, int, int] | None:
    defined = wb.defined_names.get(name)
    if defined is None:
        return None
    try:
        title, ref = next(iter(defined.destinations))
        min_col, min_row, _, _ = range_boundaries(ref.replace("$", ""))
    except (StopIteration, ValueError, TypeError):
        return None
    if min_col is None or min_row is None:
        return None
    return title, min_col, min_row


def _read_stamp(wb: Any) -> dict[str, str]:
    if L.STAMP_SHEET not in wb.sheetnames:
        return _stamp_fallback(wb)
    out: dict[str, str] = {}
    for row in _grid(wb[L.STAMP_SHEET], 10).values:
        if len(row) >= 2 and row[0] in L.STAMP_KEYS and row[1] is not None:
            out[str(row[0])] = str(row[1])
    return out


def _stamp_fallback(wb: Any) -> dict[str, str]:
    """Pathway and version from the defined names, else the custom document properties."""
    out: dict[str, str] = {}
    properties = {
        p.name: p.value for p in getattr(wb, "custom_doc_props", ()) if isinstance(p.value, str)
    }
    for key in L.STAMP_FALLBACK_KEYS:
        defined = wb.defined_names.get(L.STAMP_DEFINED_NAMES[key])
        text = str(getattr(defined, "attr_text", "") or "").strip()
        if len(text) >= 2 and text[0] == text[-1] == '"':
            out[key] = text[1:-1].replace('""', '"')
        elif isinstance(properties.get(L.STAMP_PROPERTY_PREFIX + key), str):
            out[key] = properties[L.STAMP_PROPERTY_PREFIX + key]
    if out:
        out[L.STAMP_SOURCE_KEY] = "fallback"
    return out
