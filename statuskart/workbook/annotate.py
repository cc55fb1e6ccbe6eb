"""Annotate: a copy of the user's own workbook with the cells in question marked and commented.

Adds a «Tilbakemelding» sheet listing every finding with a link to its cell. The original file is
only read, never written; copies keep the inputs' folder layout below the output folder, keep the
user's own cell notes, and text from a workbook is always written as text, never as a formula.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from statuskart.core import messages as msg
from statuskart.core.errors import StatuskartError
from statuskart.core.findings import SEVERITY_ORDER, Finding
from statuskart.workbook import fit
from statuskart.workbook.guarded import read_input_bytes
from statuskart.workbook.sniff import sniff
from statuskart.workbook.styles import body_font
from statuskart.workbook.write import save_workbook

FEEDBACK_SHEET = "Tilbakemelding"
FEEDBACK_WIDTHS = (12.0, 18.0, 24.0, 44.0, 38.0)
"""Alvorlighet, Kode, Celle, Melding, Slik retter du det: narrow enough for A4 portrait at
about 75 % (8 pt text), with the two long columns wrapped."""
FILLS = {
    "error": PatternFill("solid", fgColor="E06666"),
    "warning": PatternFill("solid", fgColor="F6A04D"),
    "info": PatternFill("solid", fgColor="6FA8DC"),
}
"""Marks for the cells in question: red, orange and blue, each far from the pale yellow of the
input cells (styles.INPUT_FILL) and the grey of rows not asked, on screen and in print."""
UNREADABLE = {
    "not-a-spreadsheet",
    "legacy-format",
    "encrypted",
    "too-large",
    "corrupt-file",
    "unsafe-content",
    "no-read-access",
}
CELL_REF = re.compile(r"^[A-Z]{1,3}[1-9][0-9]{0,6}$")
COMMENTS_PART = re.compile(r"^xl/(?:comments/)?comments?\d*\.xml$")
EMPTY_COMMENTS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<authors/><commentList/></comments>"
)

OnError = Callable[[str, str], None]

ANNOTATED_SUFFIX = ".tilbakemelding.xlsx"
"""The copy with findings beside each flagged cell; never read back as an input."""


def annotated_name(path: str) -> str:
    """File name of the annotated copy: «skjema.xlsx» → «skjema.tilbakemelding.xlsx»."""
    return Path(path).stem + ANNOTATED_SUFFIX


def annotated_path(path: str, roots: Sequence[Path | str] = ()) -> Path:
    """Where the copy goes below the output folder, keeping the inputs' folder layout.

    The path is relative to the input folder the file was found in, so 2026-T1/x.xlsx and
    2026-T2/x.xlsx stay apart; files given directly go at the top.
    """
    source = Path(path)
    for root in map(Path, roots):
        if not root.is_dir():
            continue
        try:
            rel = source.relative_to(root)
        except ValueError:
            continue
        return rel.parent / annotated_name(path)
    return Path(annotated_name(path))


def annotate_files(
    files: Iterable[tuple[str, Sequence[Finding]]],
    out_dir: Path,
    roots: Sequence[Path | str] = (),
    on_error: OnError | None = None,
) -> list[Path]:
    """Write an annotated copy of every readable file with findings; return the copies' paths.

    A file that cannot be annotated is reported through ``on_error(path, reason)`` and the batch
    goes on. No copy is ever written over an input file.
    """
    files = list(files)
    inputs = {_resolved(Path(p)) for p, _ in files}
    used: set[Path] = set()
    written = []
    for path, findings in files:
        if not findings or any(f.code in UNREADABLE for f in findings):
            continue
        target = _unique(out_dir / annotated_path(path, roots), used)
        if _resolved(target) in inputs:
            if on_error is not None:
                on_error(path, msg.ANNOTATE_WOULD_OVERWRITE.format(target=target))
            continue
        try:
            annotate_workbook(path, findings, target)
        except StatuskartError as exc:
            if on_error is not None:
                on_error(path, str(exc))
            continue
        except Exception as exc:  # openpyxl raises anything on odd files; one must not stop all
            if on_error is not None:
                on_error(path, msg.ANNOTATE_UNREADABLE.format(error=type(exc).__name__))
            continue
        used.add(target)
        written.append(target)
    return written


def _unique(target: Path, used: set[Path]) -> Path:
    """Two inputs that map to the same copy (same name given directly) get «-2», «-3», …."""
    candidate, n = target, 2
    while candidate in used:
        stem = target.name[: -len(ANNOTATED_SUFFIX)]
        candidate = target.with_name(f"{stem}-{n}{ANNOTATED_SUFFIX}")
        n += 1
    return candidate


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def annotate_workbook(path: str, findings: Sequence[Finding], target: Path) -> None:
    """Mark each finding's cell, add a note, and append the «Tilbakemelding» sheet."""
    data = read_input_bytes(path)
    if isinstance(data, Finding):
        raise StatuskartError(data.message)
    kind = sniff(data)
    if kind.ok and kind.format != "xlsx":  # openpyxl writes .xlsx only; the findings still count
        raise StatuskartError(msg.ANNOTATE_XLSX_ONLY.format(kind=kind.detail))
    wb = load_keeping_notes(data)
    findings = sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if _has_cell(wb, f):
            by_cell.setdefault((str(f.sheet), str(f.cell)), []).append(f)
    for (sheet, ref), items in by_cell.items():
        cell = _anchor(wb[sheet], ref)
        cell.fill = FILLS[items[0].severity]
        text = "\n\n".join(
            f"{msg.SEVERITY_LABELS[f.severity].upper()}: {f.message}\n{f.fix}" for f in items
        )
        own = cell.comment
        if own is not None and own.text.strip():  # the user's own note stays, ours goes below
            cell.comment = Comment(
                f"{own.text.rstrip()}\n\n{msg.ANNOTATE_NOTE_HEADING}\n{text}",
                own.author or "statuskart",
                width=320,
                height=200,
            )
        else:
            cell.comment = Comment(text, "statuskart", width=320, height=160)
    _feedback_sheet(wb, findings)
    wb.active = 0
    save_workbook(wb, target)


def _feedback_sheet(wb: Workbook, findings: Sequence[Finding]) -> None:
    if FEEDBACK_SHEET in wb.sheetnames:
        del wb[FEEDBACK_SHEET]
    ws = wb.create_sheet(FEEDBACK_SHEET, 0)
    _text_row(ws, 1, ["Alvorlighet", "Kode", "Celle", "Melding", "Slik retter du det"])
    for c in ws[1]:
        c.font = body_font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, f in enumerate(findings, start=2):
        values = [msg.SEVERITY_LABELS[f.severity], f.code, f.location, f.message, f.fix]
        _text_row(ws, row, values)
        for cell in ws[row]:
            cell.alignment = wrap
        ws.row_dimensions[row].height = fit.row_height(zip(values, FEEDBACK_WIDTHS, strict=True))
        if _has_cell(wb, f):
            link = ws.cell(row, 3)
            # An internal link (location), not an external «#…» target, which is stored as a
            # relationship to a file and not followed the same way by every spreadsheet app.
            location = f"{quote_sheetname(str(f.sheet))}!{f.cell}"
            link.hyperlink = Hyperlink(ref=link.coordinate, location=location)
            link.font = body_font(color="0563C1", underline="single")
    for letter, width in zip("ABCDE", FEEDBACK_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = fit.SIDE_MARGIN_INCHES


def _text_row(ws: Worksheet, row: int, values: Sequence[str]) -> None:
    """Write a row of text; openpyxl would store a value starting with «=» as a formula."""
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row, column)
        cell.value = value
        cell.data_type = "s"


def _has_cell(wb: Workbook, f: Finding) -> bool:
    return f.sheet in wb.sheetnames and bool(f.cell) and CELL_REF.match(str(f.cell)) is not None


def _anchor(ws: Worksheet, ref: str) -> Any:
    """The cell that can carry a note: the top-left cell when ``ref`` is inside a merged range."""
    for merged in ws.merged_cells.ranges:
        if ref in merged:
            return ws.cell(merged.min_row, merged.min_col)
    return ws[ref]


def load_keeping_notes(data: bytes) -> Workbook:
    """Open a workbook for editing; survive comment parts openpyxl cannot read.

    Gnumeric writes ``<authors/>`` with comments that point at author 0, and openpyxl's reader
    fails on that. Then the author list is repaired (the notes are kept); if that still fails,
    the workbook is opened without its notes rather than not at all.
    """
    try:
        return _load(data)
    except Exception:
        repaired = _rewrite_comments(data, _pad_authors)
        if repaired is None:
            raise
    try:
        return _load(repaired)
    except Exception:
        stripped = _rewrite_comments(data, lambda _xml: EMPTY_COMMENTS)
        assert stripped is not None
        return _load(stripped)


def _load(data: bytes) -> Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_workbook(io.BytesIO(data))


def _rewrite_comments(data: bytes, fix: Callable[[bytes], bytes]) -> bytes | None:
    """A copy of the zip with every comments part passed through ``fix``; None if it has none."""
    out = io.BytesIO()
    changed = False
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info)
            if COMMENTS_PART.match(info.filename):
                part, changed = fix(part), True
            dst.writestr(info, part)
    return out.getvalue() if changed else None


def _pad_authors(xml: bytes) -> bytes:
    """Give the comments part as many (empty) authors as its comments refer to."""
    ids = [int(i) for i in re.findall(rb'authorId="(\d{1,4})"', xml)]
    have = len(re.findall(rb"<(?:\w+:)?author\s*>|<(?:\w+:)?author\s*/>", xml))
    missing = max([*ids, -1]) + 1 - have
    if missing <= 0:
        return xml
    prefix_match = re.search(rb"<(\w+:)?authors\b", xml)
    prefix = (prefix_match.group(1) or b"") if prefix_match else b""
    extra = b"".join(b"<" + prefix + b"author></" + prefix + b"author>" for _ in range(missing))
    empty = rb"<(?:\w+:)?authors\s*/>"
    if re.search(empty, xml):
        return re.sub(
            empty, b"<" + prefix + b"authors>" + extra + b"</" + prefix + b"authors>", xml, count=1
        )
    return re.sub(rb"(</(?:\w+:)?authors>)", extra + rb"\1", xml, count=1)
