"""Read stage: a filled workbook file → RawSubmission (cell values as typed, with their cells).

Finds sheets, columns and fields by header text and defined names, never by position. The file is
opened through guarded.py and each sheet seen as a Grid (grid.py); nothing is interpreted here
(the validate stage does that), and a file that cannot be opened yields findings, not errors.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from zipfile import ZipInfo

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.defined_name import DefinedName

from statuskart.core import messages as msg
from statuskart.core.findings import Finding, finding
from statuskart.workbook import carry_record, row_marks
from statuskart.workbook import layout as L
from statuskart.workbook.backend import Book
from statuskart.workbook.grid import Grid, grid_of
from statuskart.workbook.guarded import failure_finding, file_digest, open_any, read_input_bytes
from statuskart.workbook.raw import RawCell, RawRow, RawSubmission, ReadResult
from statuskart.workbook.sniff import sniff

MAX_ROWS = 1000
"""Rows read per sheet; a checklist has about 50, so anything past this is noise or an attack."""
META_SCAN_ROWS = 30
"""Rows of the checklist sheet searched for front-sheet labels (a one-sheet variant of the form).
The header row itself is looked for in all MAX_ROWS rows: a sort can move it anywhere."""
FRONT_SCAN_ROWS = 60
STAMP_READ = (*L.STAMP_KEYS, carry_record.STAMP_KEY)
"""Stamp keys read: the layout's, and the seal of a pre-filled skjema's carry record."""


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
        quick = _read_fast(data, name, digest, verdict.entries)
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


def _read_opened(opener: Callable[[], Book], name: str, digest: str) -> RawSubmission | Finding:
    wb = opener()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read(wb, name, digest)
    finally:
        wb.close()


def _read_fast(
    data: bytes, name: str, digest: str, entries: Sequence[ZipInfo] = ()
) -> RawSubmission | None:
    """The calamine path (fast_xlsx.py) when it applies and finds a stamped skjema, else None.

    Anything unusual — a declined file, an error, no checklist, no stamp sheet — goes to the
    openpyxl path, which gives the findings.
    """
    from statuskart.workbook.fast_xlsx import fast_book

    try:
        book = fast_book(data, entries)
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


def _find_checklist(wb: Book) -> tuple[Any, Grid, int, dict[str, int]] | None:
    wanted = {L.normalise_label(n) for n in L.CHECKLIST_SHEET_ALIASES}
    sheets = sorted(wb.worksheets, key=lambda ws: L.normalise_label(ws.title) not in wanted)
    for ws in sheets:
        if ws.title == L.STAMP_SHEET:
            continue
        grid = grid_of(ws, MAX_ROWS + 1)
        for index, row in enumerate(grid.values[:MAX_ROWS]):
            columns = _header_columns(row)
            if "id" in columns and ("status" in columns or L.normalise_label(ws.title) in wanted):
                return ws, grid, index + 1, columns
    return None


def _checklist_without_id(wb: Book, name: str) -> Finding | None:
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
            (r, line, _header_columns(line))
            for r, line in enumerate(grid_of(ws, MAX_ROWS).values, 1)
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


def _read(wb: Book, name: str, digest: str) -> RawSubmission | Finding:
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
    kept = [
        row_no
        for row_no, line in enumerate(values[header_row:MAX_ROWS], start=header_row + 1)
        if any(v not in (None, "") and not (isinstance(v, str) and not v.strip()) for v in line)
    ]
    kinds = [_row_kind(values[row_no - 1], columns) for row_no in kept]
    read_keys = {"catalogue": L.CATALOGUE_ROW_COLUMNS, "local": columns, None: ()}
    cells = grid.rows_cells(kept, columns, marked, [read_keys[kind] for kind in kinds])
    read = list(zip(kept, cells, kinds, strict=True))
    rows = tuple(RawRow(n, c) for n, c, kind in read if kind == "catalogue")
    local_rows = tuple(RawRow(n, c) for n, c, kind in read if kind == "local")
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
        carry=_read_carry(wb),
    )


def _row_kind(line: tuple[Any, ...], columns: Mapping[str, int]) -> str | None:
    """«catalogue», «local» (a filled «Egne krav» row) or None (the block's heading, a blank one).

    Decided on the values, before any cell is built: a catalogue row's cells are only those in
    L.CATALOGUE_ROW_COLUMNS, a local row's are all, and a blank «EGEN-n» row has just its ID.
    """
    index = columns["id"]
    rid = line[index] if index < len(line) else None
    try:
        kind = _id_kind(rid)
    except TypeError:  # an unhashable value: no backend gives one
        kind = _id_kind.__wrapped__(rid)
    if kind != "local":
        return kind
    filled = any(
        _filled(line[i]) for k, i in columns.items() if k not in ("id", "phase") and i < len(line)
    )
    return "local" if filled else None


@functools.lru_cache(maxsize=4096)
def _id_kind(rid: Any) -> str | None:
    """What an ID cell's value makes its row: None, «local» or «catalogue».

    None for the «Egne krav» heading, «local» for an «EGEN-n» ID (decided on the row's other
    values), «catalogue» for the rest. Cached: every skjema has the same IDs. Values that
    compare equal (1, 1.0, True) share an entry; no number or bool is a heading or a local ID.
    """
    if L.is_local_heading(rid):
        return None
    return "local" if L.is_local_id(rid) else "catalogue"


def _filled(value: Any) -> bool:
    return value not in (None, "") and not (isinstance(value, str) and not value.strip())


def _read_meta(wb: Book, checklist: str, checklist_grid: Grid) -> dict[str, RawCell]:
    """Front-sheet fields: by defined name first, then by a label with the value to its right."""
    head = Grid(checklist, checklist_grid.values[:META_SCAN_ROWS], checklist_grid.formats)
    grids: dict[str, Grid] = {checklist: head}

    def grid_for(title: str) -> Grid:
        if title not in grids:
            grids[title] = grid_of(wb[title], FRONT_SCAN_ROWS)
        return grids[title]

    meta: dict[str, RawCell] = {}
    for f in L.META_FIELDS:
        dest = _defined_cell(wb, f.name)
        if dest is None or dest[0] not in wb.sheetnames:
            continue
        title, col, row = dest
        meta[f.key] = grid_for(title).cell(row, col)
    for title in [*_front_titles(wb), checklist]:
        grid = grid_for(title)
        for r, cells in enumerate(grid.values, start=1):
            keys = _label_keys(cells[:-1])
            if keys.count(None) == len(keys):
                continue  # most rows hold no label: passed without a loop in Python
            for c, key in enumerate(keys, start=1):
                if key is None or (key in meta and meta[key].value not in (None, "")):
                    continue
                meta[key] = grid.cell(r, c + 1)
    return meta


def _label_keys(values: Sequence[Any]) -> list[str | None]:
    """The front-sheet field each value names as a label (L.meta_key), None for the rest."""
    try:
        return list(map(_label_key, values))
    except TypeError:  # an unhashable value: no backend gives one, but the answer is the same
        return [L.meta_key(v) if isinstance(v, str) else None for v in values]


@functools.lru_cache(maxsize=4096)
def _label_key(value: Any) -> str | None:
    """L.meta_key of a text, None for any other value; cached so ``map`` stays in C.

    A number and a bool that compare equal share an entry: both give None.
    """
    return L.meta_key(value) if isinstance(value, str) else None


def _front_titles(wb: Book) -> list[str]:
    """The workbook's sheets named as a front sheet («Forside», «Framside», «Front»)."""
    return list(_front_titles_of(tuple(wb.sheetnames)))


@functools.lru_cache(maxsize=64)
def _front_titles_of(titles: tuple[str, ...]) -> tuple[str, ...]:
    """_front_titles by the sheet titles: the skjemas of a round share them."""
    wanted = {L.normalise_label(n) for n in L.FRONT_SHEET_ALIASES}
    return tuple(t for t in titles if L.normalise_label(t) in wanted)


def _defined_cell(wb: Book, name: str) -> tuple[str, int, int] | None:
    defined = wb.defined_names.get(name)
    if defined is None:
        return None
    text = getattr(defined, "attr_text", None)
    if not isinstance(text, str):  # not openpyxl's shape: ask the object itself
        return _first_cell(defined)
    return _cell_of_reference(text)


@functools.lru_cache(maxsize=256)
def _cell_of_reference(text: str) -> tuple[str, int, int] | None:
    """The first cell a defined name's reference («'Forside'!$B$5») points at, or None.

    Cached by the reference text: openpyxl tokenizes the formula for ``destinations``, and
    every skjema names the same cells.
    """
    return _first_cell(DefinedName(name="_", attr_text=text))


def _first_cell(defined: Any) -> tuple[str, int, int] | None:
    try:
        title, ref = next(iter(defined.destinations))
        min_col, min_row, _, _ = range_boundaries(ref.replace("$", ""))
    except (StopIteration, ValueError, TypeError):
        return None
    if min_col is None or min_row is None:
        return None
    return title, min_col, min_row


def _read_stamp(wb: Book) -> dict[str, str]:
    if L.STAMP_SHEET not in wb.sheetnames:
        return _stamp_fallback(wb)
    out: dict[str, str] = {}
    for row in grid_of(wb[L.STAMP_SHEET], 10).values:
        if len(row) >= 2 and row[0] in STAMP_READ and row[1] is not None:
            out[str(row[0])] = str(row[1])
    return out


def _read_carry(wb: Book) -> tuple[tuple[Any, ...], ...]:
    """The carry record's rows (carry_record.py), as values; empty when there is no record."""
    if carry_record.RECORD_SHEET not in wb.sheetnames:
        return ()
    grid = grid_of(wb[carry_record.RECORD_SHEET], carry_record.MAX_RECORD_ROWS)
    return tuple(tuple(row[:3]) for row in grid.values)


def _stamp_fallback(wb: Book) -> dict[str, str]:
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
