"""What the read stage hands on: cell values exactly as the user left them, and where they are.

Nothing here is interpreted (the validate stage does that); a file that could not be read is a
ReadResult with findings and no RawSubmission.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from itertools import repeat
from typing import Any

from statuskart.core.findings import Finding
from statuskart.workbook import layout as L


@dataclass(frozen=True, slots=True)
class RawCell:
    """A value as the user left it, and where it is."""

    sheet: str
    cell: str
    value: Any
    number_format: str = "General"
    """The cell's number format, kept for numbers only: 0.8 formatted «0%» was typed as «80 %»."""
    mark: int | None = None
    """The row mark of an answer cell (row_marks.py): the requirement its formatting came from."""

    def __init__(
        self,
        sheet: str,
        cell: str,
        value: Any,
        number_format: str = "General",
        mark: int | None = None,
    ) -> None:
        # The dataclass's own __init__ of a frozen class calls object.__setattr__ per field: a
        # skjema has about 900 cells, and that made building them half of assembling the rows.
        # The slots' own setters do the same at half the cost, and the class stays frozen.
        _set_sheet(self, sheet)
        _set_cell(self, cell)
        _set_value(self, value)
        _set_number_format(self, number_format)
        _set_mark(self, mark)


_FIELDS = ("sheet", "cell", "value", "number_format", "mark")
_set_sheet, _set_cell, _set_value, _set_number_format, _set_mark = (
    RawCell.__dict__[name].__set__ for name in _FIELDS
)


def raw_cells(
    sheet: str,
    refs: Sequence[str],
    values: Iterable[Any],
    formats: Iterable[str],
    marks: Iterable[int | None],
) -> list[RawCell]:
    """``RawCell(sheet, ref, value, fmt, mark)`` for each ref in ``refs``, in one go.

    ``values``, ``formats`` and ``marks`` give at least one item per ref (``repeat`` will do).

    The checklist's cells are built a column at a time: the slots' setters run over the whole
    column inside ``map`` (C), with no Python frame per cell, which RawCell() cannot avoid.
    The cells are the ones RawCell() would give (tests/test_read_columns.py compares them).
    """
    cells: list[RawCell] = list(map(_new_object, repeat(RawCell, len(refs))))
    _run(map(_set_sheet, cells, repeat(sheet)))
    _run(map(_set_cell, cells, refs))
    _run(map(_set_value, cells, values))
    _run(map(_set_number_format, cells, formats))
    _run(map(_set_mark, cells, marks))
    return cells


_new_object = object.__new__
_run = deque[object](maxlen=0).extend
"""Exhausts an iterator in C (itertools' «consume» recipe)."""
if tuple(f.name for f in fields(RawCell)) != _FIELDS:  # raw_cells sets exactly these
    raise AssertionError("RawCell's fields changed: update _FIELDS and raw_cells")


@dataclass(frozen=True, slots=True)
class RawRow:
    """One checklist row: column key → RawCell (only the columns the sheet has)."""

    row: int
    cells: Mapping[str, RawCell]

    def value(self, key: str) -> Any:
        """The value in column ``key``, or None when the column or cell is missing."""
        cell = self.cells.get(key)
        return None if cell is None else cell.value


@dataclass(frozen=True, slots=True, kw_only=True)
class RawSubmission:
    """Everything read from one workbook, uninterpreted."""

    path: str
    sha256: str
    sheet: str
    """Name of the checklist sheet."""
    header_row: int
    columns: Mapping[str, str]
    """Column key → column letter."""
    meta: Mapping[str, RawCell]
    """Front-sheet field key → cell (fields that were found)."""
    stamp: Mapping[str, str]
    rows: tuple[RawRow, ...]
    """Requirement rows (everything but the «Egne krav» block)."""
    findings: tuple[Finding, ...] = field(default=())
    local_rows: tuple[RawRow, ...] = field(default=())
    """Rows of the unit's own requirements (ID «EGEN-n») that the unit filled in."""
    front_sheet: str | None = L.FRONT_SHEET
    """Title of the front sheet, None when the workbook has none (deleted or renamed): then the
    fields it holds are missing because the sheet is, not because they were left empty."""
    carry: tuple[tuple[Any, ...], ...] = field(default=())
    """Rows of the hidden carry record of a pre-filled skjema (carry_record.py), uninterpreted."""


@dataclass(frozen=True, slots=True)
class ReadResult:
    """Outcome of reading one file: the raw submission if it could be read, and findings."""

    path: str
    sha256: str
    raw: RawSubmission | None
    findings: tuple[Finding, ...]
