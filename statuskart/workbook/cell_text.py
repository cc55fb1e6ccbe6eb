"""Validation helper: a cell's value as the person saw it, using the number format it was shown in.

Excel and LibreOffice turn «80 %» typed into a cell into the number 0.8 formatted as a percentage;
the reader keeps that format (RawCell.number_format) so free text and the target come out as typed.
No I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from statuskart.workbook.raw import RawCell

_QUOTED = re.compile(r'"[^"]*"|\\.')
UNKNOWN_FORMAT = "\x00unknown"
"""The number format of a cell whose file does not tell it (no real format holds a NUL).

typed.parse_share reads such a number only where every format would give the same share."""


def is_percent(number_format: str) -> bool:
    """True for a number format that shows the value times 100 with a percent sign."""
    first_section = _QUOTED.sub("", number_format).split(";")[0]
    return "%" in first_section


def _decimals(number_format: str) -> int:
    section = _QUOTED.sub("", number_format).split(";")[0]
    _, _, fraction = section.partition(".")
    return len(re.match(r"[0#?]*", fraction).group()) if fraction else 0  # type: ignore[union-attr]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def plain_text(value: Any) -> str | None:
    """Free text exactly as typed; numbers and dates turned into text; blank → None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text if text.strip() else None


def cell_text(cell: RawCell | None) -> str | None:
    """The text the user saw: 0.8 in a «0%» cell is «80 %» (bokmål: space, decimal comma)."""
    if cell is None:
        return None
    if _is_number(cell.value) and is_percent(cell.number_format):
        shown = f"{cell.value * 100:.{_decimals(cell.number_format)}f}".replace(".", ",")
        return f"{shown} %"
    return plain_text(cell.value)


def percent_number(cell: RawCell) -> float | None:
    """A percent-formatted number as the percentage typed (0.8 → 80.0); None for anything else."""
    if _is_number(cell.value) and is_percent(cell.number_format):
        return round(float(cell.value) * 100, 9)
    return None
