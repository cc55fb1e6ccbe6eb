"""A sheet's first rows as values, number formats and row marks, from either reading backend.

Both backends (openpyxl for .xlsx, python-calamine for .ods/.xls and the fast .xlsx path) offer
the surface in backend.py; ``grid_of`` turns one of their sheets into the same Grid, which is all
the parser in read.py looks at.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any

from openpyxl.utils import get_column_letter

from statuskart.workbook import row_marks
from statuskart.workbook.calamine_read import CalamineSheet
from statuskart.workbook.raw import RawCell, raw_cells

MAX_COLS = 40
_LETTERS = tuple(get_column_letter(i) for i in range(1, MAX_COLS + 1))


@dataclass(frozen=True, slots=True)
class Grid:
    """A sheet's first rows as values, with the number formats of the cells holding numbers."""

    title: str
    values: list[tuple[Any, ...]]
    formats: dict[tuple[int, int], str]
    marks: Callable[[int, int], int | None] | None = None
    """(row, column) → the cell's row mark, looked up only for the answer cells that need it."""

    def cell(self, row: int, col: int, *, marked: bool = False) -> RawCell:
        """The RawCell at 1-based ``row``/``col`` (None beyond what the sheet has)."""
        line = self.values[row - 1] if 0 < row <= len(self.values) else ()
        value = line[col - 1] if 0 < col <= len(line) else None
        letter = _LETTERS[col - 1] if 0 < col <= MAX_COLS else get_column_letter(col)
        fmt = self.formats.get((row, col), "General") if self.formats else "General"
        mark = self.marks(row, col) if marked and self.marks is not None else None
        return RawCell(self.title, f"{letter}{row}", value, fmt, mark)

    def rows_cells(
        self,
        rows: Sequence[int],
        columns: Mapping[str, int],
        marked: Container[str],
        keys: Sequence[Container[str]] | None = None,
    ) -> list[dict[str, RawCell]]:
        """``cell`` for ``rows`` × ``columns`` (key → 0-based index); marks for keys in ``marked``.

        ``keys``: per row, the column keys whose cells are wanted (default: all); a cell no one
        reads is never built. Marks are still looked up on every row of a marked column, as
        when every cell was built: a sheet whose marks cannot be mapped fails the same way
        (fast_xlsx.UnmappedCell sends the file to openpyxl).

        Built a column at a time (raw_cells), for each group of rows wanting the same keys, with
        the per-cell work inside ``map`` (C); each row's dict is then zipped from its cells.
        """
        if not rows:
            return []
        values, title = self.values, self.title
        lines = [values[row - 1] if 0 < row <= len(values) else () for row in rows]
        numbers = list(map(str, rows))
        by_column: dict[int, dict[int, str]] = {}
        for (row, col), fmt in self.formats.items():
            by_column.setdefault(col, {})[row] = fmt
        marks_of = {
            key: self.column_marks(rows, index + 1)
            for key, index in columns.items()
            if key in marked
        }
        groups: dict[int, tuple[Container[str], list[int]]] = {}  # rows asking for the same keys
        for i, wanted in enumerate(keys if keys is not None else [columns] * len(rows)):
            groups.setdefault(id(wanted), (wanted, []))[1].append(i)
        out: list[dict[str, RawCell]] = [{} for _ in rows]
        for wanted, places in groups.values():
            names = [key for key in columns if key in wanted]
            if not names:
                continue
            here = [lines[i] for i in places]
            width = min(map(len, here))
            here_rows = [rows[i] for i in places]
            here_numbers = [numbers[i] for i in places]
            built: list[list[RawCell]] = []
            for key in names:
                index = columns[key]
                col = index + 1
                letter = _LETTERS[index] if col <= MAX_COLS else get_column_letter(col)
                formats = by_column.get(col)
                marks = marks_of.get(key)
                built.append(
                    raw_cells(
                        title,
                        list(map(letter.__add__, here_numbers)),
                        map(itemgetter(index), here)
                        if index < width
                        else [line[index] if index < len(line) else None for line in here],
                        repeat("General")
                        if formats is None
                        else map(formats.get, here_rows, repeat("General")),
                        repeat(None) if marks is None else map(marks.__getitem__, places),
                    )
                )
            for i, cells in zip(places, zip(*built, strict=True), strict=True):
                out[i] = dict(zip(names, cells, strict=True))
        return out

    def column_marks(self, rows: Sequence[int], col: int) -> list[int | None]:
        """The row marks of column ``col`` (1-based) on ``rows``: the ``marks`` lookup per cell."""
        marks = self.marks
        if marks is None:
            return [None] * len(rows)
        column = getattr(marks, "column", None)
        if column is not None:  # a backend's batch lookup (fast_xlsx.SheetMarks)
            return list(column(rows, col))
        return [marks(row, col) for row in rows]


def grid_of(ws: Any, max_rows: int) -> Grid:
    """The sheet's first ``max_rows`` rows (at most MAX_COLS columns) as a Grid."""
    if isinstance(ws, CalamineSheet):  # the same grid, built without a cell object per value
        return Grid(ws.title, *ws.grid(max_rows, MAX_COLS), ws.marks())
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # some writers declare A1:XFD1048576; read what is really there
    values: list[tuple[Any, ...]] = []
    formats: dict[tuple[int, int], str] = {}
    marks: dict[tuple[int, int], int] = {}
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=max_rows, max_col=MAX_COLS), start=1):
        line = tuple(cell.value for cell in row)
        values.append(line)
        for c, (cell, value) in enumerate(zip(row, line, strict=True), start=1):
            if isinstance(value, int | float) and not isinstance(value, bool):
                fmt = getattr(cell, "number_format", None)
                if fmt and fmt != "General":
                    formats[(r, c)] = str(fmt)
            font = getattr(cell, "font", None)
            mark = row_marks.mark_of(getattr(getattr(font, "color", None), "rgb", None))
            if mark is not None:
                marks[(r, c)] = mark
    return Grid(ws.title, values, formats, lambda r, c: marks.get((r, c)))
