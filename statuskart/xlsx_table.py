"""One way to write a download workbook: a single table sheet, written with XlsxWriter.

The national downloads hold about 170,000 requirement rows and a plan per unit; XlsxWriter's
constant-memory mode writes them at about twice openpyxl's write-only speed, row by row, without
holding cells. Every text goes in with ``write_string``: never a formula, a number or a link,
whatever it starts with (plus safe_cell's apostrophe, for other programs). Fixed document dates
keep the bytes the same for the same table. Written to a temporary name and renamed, so a file
is whole or absent.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]  # no stubs published

from statuskart.serialise import safe_cell

FIXED_CREATED = dt.datetime(2000, 1, 1)  # noqa: DTZ001 - a document date, not a moment
HEADER_STYLE = {"bold": True, "bg_color": "#DCE6F1"}


@dataclass(frozen=True, slots=True)
class Sheet:
    """How the table sheet looks and prints."""

    name: str
    headers: Sequence[str]
    widths: Sequence[float]
    formats: Sequence[str | None]
    """Number format per column for numbers and dates (None: General)."""
    wrap: bool = False
    print_landscape: bool = False


def write_table(path: Path, sheet: Sheet, rows: Iterable[Sequence[Any]]) -> Path:
    """Write ``rows`` under a bold, filtered, frozen header; return ``path``."""
    return write_tables(path, [(sheet, rows)])


def write_tables(path: Path, tables: Sequence[tuple[Sheet, Iterable[Sequence[Any]]]]) -> Path:
    """One sheet per (sheet, rows), in order; return ``path``."""
    partial = path.with_name(f".{path.name}.partial")
    book = xlsxwriter.Workbook(str(partial), {"constant_memory": True, "strings_to_urls": False})
    try:
        book.set_properties({"created": FIXED_CREATED})
        header = book.add_format(HEADER_STYLE)
        for sheet, rows in tables:
            _sheet(book, header, sheet, rows)
    finally:
        book.close()
    os.replace(partial, path)
    return path


def _sheet(book: Any, header: Any, sheet: Sheet, rows: Iterable[Sequence[Any]]) -> None:
    ws = book.add_worksheet(sheet.name[:31])
    base = {"text_wrap": True, "valign": "top"} if sheet.wrap else {}
    text = book.add_format(base) if base else None
    styles = [book.add_format({**base, "num_format": f}) if f else text for f in sheet.formats]
    for col, width in enumerate(sheet.widths):
        ws.set_column(col, col, width)
    ws.write_row(0, 0, list(sheet.headers), header)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            _write(ws, count, col, value, styles[col], text)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(count, 1), len(sheet.headers) - 1)
    if sheet.print_landscape:
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)


def _write(ws: Any, row: int, col: int, value: Any, style: Any, text: Any) -> None:
    if value is None or value == "":
        if text is not None:
            ws.write_blank(row, col, None, text)
        return
    if isinstance(value, str):
        ws.write_string(row, col, safe_cell(value), text)
    elif isinstance(value, bool):
        ws.write_string(row, col, "Ja" if value else "Nei", text)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, value, style)
    else:
        ws.write_number(row, col, value, style)
