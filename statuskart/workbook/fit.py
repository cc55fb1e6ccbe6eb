"""Sizing for the blank skjema: row heights from text length, print scale from column widths.

LibreOffice and Gnumeric do not grow rows to fit wrapped text on open (Excel does only for rows it
lays out itself), so the writer sets every height. Estimates err on the tall side: a row too tall
leaves white space, a row too short hides text on screen and in print.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Iterable, Sequence

LINE_POINTS = 15.0
"""Height of one line of 11 pt text in points (Excel's default row height)."""
PADDING_POINTS = 3.0
CHARS_PER_WIDTH = 0.95
"""Characters per line per unit of column width. A width unit is one «0» of Calibri 11; the
fallback fonts LibreOffice uses without Carlito are wider, so this stays below one."""
MAX_ROW_POINTS = 409.0
"""Excel's largest row height."""

A4_LANDSCAPE_POINTS = 842.0
A4_PORTRAIT_POINTS = 595.0
SIDE_MARGIN_INCHES = 0.4
FONT_POINTS = 11.0
PRINT_MARGIN_PERCENT = 4


def line_count(text: object, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` units wide (word wrap, explicit newlines)."""
    if text is None or text == "":
        return 1
    words, per_line = str(text), max(1, int(width * CHARS_PER_WIDTH) - 1)
    if len(words) <= CACHED_CHARS:
        return _cached_lines(words, per_line)
    return _wrapped_lines(words, per_line)


CACHED_CHARS = 2_000
"""Texts up to this long are remembered: every skjema of a catalogue wraps the same requirement
texts (~20 ms a skjema under cProfile), and a user's long comment is not worth keeping."""


def _wrapped_lines(text: str, per_line: int) -> int:
    return sum(
        max(1, len(textwrap.wrap(part, per_line, break_long_words=True)))
        for part in text.split("\n")
    )


_cached_lines = functools.lru_cache(maxsize=4096)(_wrapped_lines)


def row_height(cells: Iterable[tuple[object, float]], font_points: float = FONT_POINTS) -> float:
    """Row height in points that shows every (text, column width) pair in full."""
    lines = max((line_count(text, width) for text, width in cells), default=1)
    scale = font_points / FONT_POINTS
    return min(MAX_ROW_POINTS, math.ceil(lines * LINE_POINTS * scale + PADDING_POINTS))


def width_points(width: float) -> float:
    """Printed width of a column in points: Excel's pixel rule (7 px per unit + 5) at 96 dpi."""
    return (math.trunc(width * 7 + 5)) * 72 / 96


def print_scale(page_groups: Sequence[Sequence[float]], page_points: float) -> int:
    """Largest whole percent at which each group of column widths fits the page width.

    PRINT_MARGIN_PERCENT below the exact fit: LibreOffice lays columns out a little wider than
    Excel's pixel rule, and a group that misses by a point is split over two pages.
    """
    usable = page_points - 2 * SIDE_MARGIN_INCHES * 72
    widest = max(sum(width_points(w) for w in group) for group in page_groups)
    return max(10, min(100, math.floor(usable / widest * 100) - PRINT_MARGIN_PERCENT))
