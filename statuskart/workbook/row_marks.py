"""Row marks: each answer cell's font colour names the requirement its row was written for.

Excel and LibreOffice carry a cell's formatting with its value when they sort, cut or copy it. The
blank skjema gives the answer cells of requirement number *n* (its place in the catalogue version,
from 1) a near-black font colour that encodes *n* (#0000nn: the eye cannot tell it from black). A
column sorted on its own then shows: its cells carry other requirements' marks, and those rows no
longer carry their own. A copied answer (fill down, copy and paste) leaves the source's mark in
place, so copying an answer is not mistaken for moving it.
"""

from __future__ import annotations

import re

MARKED_COLUMNS = ("status", "share", "comment", "action", "owner", "due", "risk")
"""The answer columns a user can sort or cut on their own."""
FIRST_MARKED_TEMPLATE = 3
"""Skjemas from this template version on carry marks; older ones have plain black answers."""
MAX_MARK = 0xFFFF

_ARGB = re.compile(r"(?:[0-9A-F]{2})?00([0-9A-F]{4})")


def mark_colour(number: int) -> str:
    """The RGB font colour for the answers of requirement ``number`` (1-based)."""
    if not 0 < number <= MAX_MARK:
        raise ValueError(number)
    return f"00{number:04X}"


def mark_of(colour: object) -> int | None:
    """The requirement number a font colour («FF00002A», «00002A») encodes, or None."""
    if not isinstance(colour, str):
        return None
    found = _ARGB.fullmatch(colour.strip().upper())
    number = int(found.group(1), 16) if found else 0
    return number or None


def carries_marks(template_version: object) -> bool:
    """True for skjemas written with row marks (template version 3 or later)."""
    try:
        return int(str(template_version)) >= FIRST_MARKED_TEMPLATE
    except ValueError:
        return False
