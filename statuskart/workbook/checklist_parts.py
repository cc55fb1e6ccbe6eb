"""Parts of the checklist sheet beyond one row per requirement: Kilde, share, «Egne krav» rows.

Kept apart from write.py so each module stays small; write.py calls these while it lays out the
«Statuskartlegging» sheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.worksheet import Worksheet

from statuskart.catalog.model import Requirement
from statuskart.core import messages as msg
from statuskart.workbook import fit
from statuskart.workbook import layout as L
from statuskart.workbook.styles import (
    BORDER,
    DATE_FORMAT,
    NOT_ASKED_FILL,
    PHASE_FILL,
    SHARE_FORMAT,
    UNLOCKED,
    WRAP_TOP,
    input_cell,
    paint,
)


class GrowingRow(RowDimension):
    """A row height written without ``customHeight``: a starting height, not a fixed one.

    openpyxl marks every height custom, and Excel and LibreOffice never refit a custom row, so a
    long comment typed later stayed hidden on screen and in print. Without the mark both open the
    row at this height and fit it again when a cell in it is edited.
    """

    @property
    def customHeight(self) -> bool:
        return False


def let_rows_grow(ws: Worksheet, rows: Iterable[int]) -> None:
    """Make the height each of ``rows`` was given a starting height that grows with an answer."""
    for row in rows:
        ws.row_dimensions[row] = GrowingRow(ws, index=row, ht=ws.row_dimensions[row].height)


def source_text(req: Requirement) -> str:
    """The source as a short cell text: the host of a URL, marked when it is not official.

    The full address is the cell's hyperlink; a long URL would make every row several lines tall.
    """
    source = req.source.strip()
    try:
        host = urlsplit(source).hostname or ""
    except ValueError:
        host = ""
    short = host.removeprefix("www.") if host else source
    return short if req.official_source else f"{short}\n{msg.SKJEMA_SECONDARY_SOURCE}"


def link_source(cell: Cell, req: Requirement) -> None:
    """Link the Kilde cell to the full address when its text fits on one line.

    LibreOffice shows a linked cell on one line whatever its wrapping, so a secondary source
    («host», «(sekundærkilde)» on two lines) stays plain text and prints in full.
    """
    if req.source.strip().startswith(("https://", "http://")) and "\n" not in str(cell.value):
        cell.hyperlink = req.source.strip()
        # Calibri as the rest of the sheet: a font without a name prints in LibreOffice's default
        cell.font = Font(name="Calibri", size=11, color="1F4E79", underline="single")


def write_share(ws: Worksheet, row: int, column: int, req: Requirement) -> None:
    """The share cell: an input where the requirement has a forløpstid, greyed out elsewhere."""
    if req.time_limits:
        input_cell(ws, row, column)
        paint(ws.cell(row=row, column=column), number_format=SHARE_FORMAT)
        return
    paint(ws.cell(row=row, column=column), fill=NOT_ASKED_FILL, border=BORDER)


def unlock_rows(ws: Worksheet, first: int, last: int, columns: int) -> None:
    """Unlock every cell of the requirement rows, so that sorting works under sheet protection.

    Excel refuses to sort a range that holds locked cells on a protected sheet, whatever the
    «Sorter» permission says; title and header rows stay locked. An edited or lost ID is still
    caught by the reader (unknown ID, requirement missing).
    """
    for row in ws.iter_rows(min_row=first, max_row=last, max_col=columns):
        for cell in row:
            paint(cell, protection=UNLOCKED)


def write_local_block(ws: Worksheet, start: int) -> int:
    """The «Egne krav» block from row ``start`` (a heading, then blank rows); return its last row.

    The ID is written and stays locked, so a unit's own rows are always told apart from catalogue
    rows; title, text and the answer columns are for the unit to fill in.
    """
    keys = [c.key for c in L.COLUMNS]
    heading = ws.cell(row=start, column=1, value=L.LOCAL_HEADING)
    heading.font = Font(name="Calibri", bold=True, size=12, color="1F4E79")
    note = ws.cell(row=start, column=keys.index("title") + 1, value=msg.SKJEMA_LOCAL_NOTE)
    note.font = Font(name="Calibri", italic=True)
    note.alignment = Alignment(wrap_text=False, vertical="top")
    ws.row_dimensions[start].height = fit.row_height([("", 1.0)], font_points=12)
    first = start + 1
    for row in range(first, first + L.LOCAL_ROWS):
        for col_no, col in enumerate(L.COLUMNS, start=1):
            if col.key in L.LOCAL_INPUT_COLUMNS:
                input_cell(ws, row, col_no)
                continue
            value = {
                "id": f"{L.LOCAL_ID_PREFIX}{row - start}",
                "phase": msg.SKJEMA_LOCAL_PHASE,
            }.get(col.key)
            cell = ws.cell(row=row, column=col_no, value=value)
            fill = PHASE_FILL if col.key in ("id", "phase") else NOT_ASKED_FILL
            paint(cell, border=BORDER, alignment=WRAP_TOP, fill=fill)
        paint(ws.cell(row=row, column=keys.index("due") + 1), number_format=DATE_FORMAT)
        ws.row_dimensions[row].height = 2 * fit.LINE_POINTS + fit.PADDING_POINTS
    return first + L.LOCAL_ROWS - 1
