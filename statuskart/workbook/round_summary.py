"""The round's summary workbook: the adviser's list of who gets which skjema, for mail merge.

Takes plain rows (pipeline/next_round.py plans them) and writes one sheet that prints on A4
landscape; typed names stay text (write.text_only), never a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

from statuskart.core import messages as msg
from statuskart.workbook import fit
from statuskart.workbook.carry import inert
from statuskart.workbook.styles import body_font
from statuskart.workbook.write import save_workbook, text_only

SUMMARY_WIDTHS = (14.0, 22.0, 26.0, 12.0, 14.0, 34.0, 11.0, 9.0, 38.0)
"""Column widths of the summary: narrow enough to print on A4 landscape at 7 pt or more."""


def write_round_summary(rows: Sequence[Sequence[object]], path: Path) -> None:
    """The adviser's list for mail merge: unit, HF, contact role, file, counts and why.

    Rows are as high as their wrapped text (LibreOffice does not grow them when opening an
    .xlsx), and it prints on A4 landscape pages, header repeated, all columns on one page width.
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = msg.ROUND_SUMMARY_SHEET
    ws.append(list(msg.ROUND_SUMMARY_HEADERS))
    for values in rows:
        ws.append([inert(v) for v in values])  # a control character cannot sit in a cell
    text_only(wb)  # a unit or HF named «=…» stays text
    for number, row in enumerate(ws.iter_rows(), start=1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if number == 1:
                cell.font = body_font(bold=True)
        texts = [(cell.value, width) for cell, width in zip(row, SUMMARY_WIDTHS, strict=True)]
        ws.row_dimensions[number].height = fit.row_height(texts)
    for letter, width in zip("ABCDEFGHI", SUMMARY_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.scale = fit.print_scale([SUMMARY_WIDTHS], fit.A4_LANDSCAPE_POINTS)
    ws.page_margins.left = ws.page_margins.right = fit.SIDE_MARGIN_INCHES
    save_workbook(wb, path)
