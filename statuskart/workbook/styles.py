"""Cell styles of the blank skjema, shared by the sheet writers (write.py, checklist_parts.py)."""

from __future__ import annotations

import copy
import functools
import weakref
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.styleable import StyleableObject
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
PHASE_FILL = PatternFill("solid", fgColor="E8EEF4")
NOT_ASKED_FILL = PatternFill("solid", fgColor="D9D9D9")
"""An answer cell that does not apply to its row (a share where there is no forløpstid)."""
THIN = Side(style="thin", color="B0B7BF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "DD.MM.YYYY"
SHARE_FORMAT = "0\\ %"
"""«80 %» typed into the share cell is stored as 0.8, as Excel and LibreOffice do for percents.

The space is escaped: a bare «0 %» is read by Norwegian LibreOffice as a thousands separator and
saved back as «0,%» (shown as 0 %), while «0\\ %» shows 80 % in LibreOffice (nb-NO and en-US),
Gnumeric and Excel, and comes back unchanged from .xlsx, .ods and .xls (test_share_formats.py).
"""


UNLOCKED = Protection(locked=False)


@functools.lru_cache(maxsize=256)
def body_font(**style: Any) -> Font:
    """Calibri, the workbook's own font, with ``style`` on top; one object per style.

    A Font without a name makes LibreOffice fall back to a serif face, so headings and grey rows
    printed in another typeface than the cells around them. The same object each time lets
    ``paint`` know it again; like every style here it is never changed once made.
    """
    return Font(name="Calibri", size=style.pop("size", 11), **style)


def paint(cell: StyleableObject, **styles: Any) -> None:
    """Set the cell's style attributes (font, fill, border, …) in the order given.

    The same as ``cell.fill = …`` and so on, but each step is looked up first: openpyxl hashes
    the whole style object on every assignment, a skjema makes ~4,000 of them, and that was half
    the time it took to write one. A step is known by the cell's style before it, the attribute
    and the value object itself (kept alive beside the result, so its id is never reused), per
    workbook, since a style's numbers index that workbook's own lists.
    """
    styled: Any = cell  # openpyxl's StyleArray (_style) is what is looked up and copied
    steps = _STEPS.setdefault(cell.parent.parent, {})
    for name, value in styles.items():
        before = styled._style  # None until the cell gets its first style
        key = (tuple(before) if before else None, name, id(value))
        known = steps.get(key)
        if known is None:
            setattr(cell, name, value)
            steps[key] = (copy.copy(styled._style), value)
        else:
            styled._style = copy.copy(known[0])


_STEPS: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], tuple[Any, Any]]] = (
    weakref.WeakKeyDictionary()
)


def input_cell(ws: Worksheet, row: int, column: int) -> None:
    """Style a cell as something the user fills in: unlocked, pale yellow, bordered."""
    cell = ws.cell(row=row, column=column)
    paint(cell, protection=UNLOCKED, fill=INPUT_FILL, border=BORDER, alignment=WRAP_TOP)
