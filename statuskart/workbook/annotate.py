"""Annotate: a copy of the user's own workbook with the cells in question marked and commented.

Adds a «Tilbakemelding» sheet listing every finding with a link to its cell. The original file is
only read, never written.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import quote_sheetname

from statuskart import messages as msg
from statuskart.findings import SEVERITY_ORDER, Finding
from statuskart.workbook.write import save_workbook

FEEDBACK_SHEET = "Tilbakemelding"
FILLS = {
    "error": PatternFill("solid", fgColor="F4B6B6"),
    "warning": PatternFill("solid", fgColor="FFE08A"),
    "info": PatternFill("solid", fgColor="CFE2F3"),
}


def annotated_name(path: str) -> str:
    """File name of the annotated copy: «skjema.xlsx» → «skjema.tilbakemelding.xlsx»."""
    return Path(path).stem + ".tilbakemelding.xlsx"


def annotate_files(files: Iterable[tuple[str, Sequence[Finding]]], out_dir: Path) -> list[Path]:
    """Write an annotated copy of every readable file with findings; return the copies' paths."""
    written = []
    for path, findings in files:
        if not findings or not _has_workbook(findings):
            continue
        target = out_dir / annotated_name(path)
        if target.resolve() == Path(path).resolve():
            continue  # never overwrite an input
        annotate_workbook(path, findings, target)
        written.append(target)
    return written


def _has_workbook(findings: Sequence[Finding]) -> bool:
    unreadable = {
        "not-a-spreadsheet",
        "legacy-format",
        "encrypted",
        "too-large",
        "corrupt-file",
        "unsafe-content",
    }
    return not any(f.code in unreadable for f in findings)


def annotate_workbook(path: str, findings: Sequence[Finding], target: Path) -> None:
    """Mark each finding's cell, add a note, and append the «Tilbakemelding» sheet."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(io.BytesIO(Path(path).read_bytes()))
    findings = sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.sheet in wb.sheetnames and f.cell and f.cell[0].isalpha():
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    for (sheet, ref), items in by_cell.items():
        cell = wb[sheet][ref]
        cell.fill = FILLS[items[0].severity]
        text = "\n\n".join(
            f"{msg.SEVERITY_LABELS[f.severity].upper()}: {f.message}\n{f.fix}" for f in items
        )
        cell.comment = Comment(text, "statuskart", width=320, height=160)
    if FEEDBACK_SHEET in wb.sheetnames:
        del wb[FEEDBACK_SHEET]
    ws = wb.create_sheet(FEEDBACK_SHEET, 0)
    ws.append(["Alvorlighet", "Kode", "Celle", "Melding", "Slik retter du det"])
    for c in ws[1]:
        c.font = Font(bold=True)
    for f in findings:
        ws.append([msg.SEVERITY_LABELS[f.severity], f.code, f.location, f.message, f.fix])
        if f.sheet in wb.sheetnames and f.cell and f.cell[0].isalpha():
            link = ws.cell(ws.max_row, 3)
            link.hyperlink = f"#{quote_sheetname(f.sheet)}!{f.cell}"
            link.font = Font(color="0563C1", underline="single")
    for letter, width in zip("ABCDE", (12, 24, 26, 70, 60), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    wb.active = 0
    save_workbook(wb, target)
