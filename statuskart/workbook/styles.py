"""Cell styles of the blank skjema, shared by the sheet writers (write.py, checklist_parts.py)."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
PHASE_FILL = PatternFill("solid", fgColor="E8EEF4")
NOT_ASKED_FILL = PatternFill("solid", fgColor="D9D9D9")
"""An answer cell that does not apply to its row (a share where there is no forløpstid)."""
THIN = Side(style="thin", color="B0B7BF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
SHARE_FORMAT = "0\\ %"
"""«80 %» typed into the share cell is stored as 0.8, as Excel and LibreOffice do for percents.

The space is escaped: a bare «0 %» is read by Norwegian LibreOffice as a thousands separator and
saved back as «0,%» (shown as 0 %), while «0\\ %» shows 80 % in LibreOffice (nb-NO and en-US),
Gnumeric and Excel, and comes back unchanged from .xlsx, .ods and .xls (test_share_formats.py).
"""


def body_font(**style: Any) -> Font:
    """Calibri, the workbook's own font, with ``style`` on top.

    A Font without a name makes LibreOffice fall back to a serif face, so headings and grey rows
    printed in another typeface than the cells around them.
    """
    return Font(name="Calibri", size=style.pop("size", 11), **style)


def input_cell(ws: Worksheet, row: int, column: int) -> None:
    """Style a cell as something the user fills in: unlocked, pale yellow, bordered."""
    cell = ws.cell(row=row, column=column)
    cell.protection = Protection(locked=False)
    cell.fill = INPUT_FILL
    cell.border = BORDER
    cell.alignment = WRAP_TOP
