"""The reader builds cells only for the columns a check reads, and the checks see no difference.

A catalogue row's cells are its ID, title and answers (layout.CATALOGUE_ROW_COLUMNS); the
catalogue's own text columns are not built. These tests hold the validate stage to that list,
and compare every sample skjema and corpus file read that way with the same file read with
every column, finding by finding.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import zipfile
from collections.abc import Callable
from copy import copy
from pathlib import Path
from typing import Any

import pytest
from openpyxl.workbook.workbook import Workbook

from statuskart.catalog.load import load_catalogs
from statuskart.catalog.model import Catalogue
from statuskart.validate.model import FileReport
from statuskart.validate.rules import report_unread, validate_submission
from statuskart.workbook import fast_xlsx, row_marks
from statuskart.workbook import layout as L
from statuskart.workbook.raw import RawCell, ReadResult, raw_cells
from statuskart.workbook.read import read_workbook
from statuskart.workbook.sniff import sniff
from tests.conftest import TODAY, WorkbookFactory, column, row_of

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = sorted((ROOT / "checklists").glob("*/*.xlsx"))
VALIDATE = ROOT / "statuskart" / "validate"
LOCAL_ROWS_ONLY = {"local_requirements.py"}
"""Modules that read only «Egne krav» rows, which keep every column."""
DYNAMIC_KEYS = {("rules.py", "_moved_answers")}
"""Functions that read a row by a computed key: the marked columns (checked below)."""
EVERY_COLUMN = frozenset(c.key for c in L.COLUMNS)


def _row_reads(tree: ast.AST) -> list[tuple[str, ast.expr]]:
    """(function, key expression) of each ``x.cells.get(k)``, ``x.cells[k]``, ``x.value(k)``."""
    found: list[tuple[str, ast.expr]] = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            target = node.func
            on_cells = isinstance(target.value, ast.Attribute) and target.value.attr == "cells"
            if (target.attr == "get" and on_cells) or target.attr == "value":
                found.append((function, node.args[0]))
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "cells"
        ):
            found.append((function, node.slice))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "")
    return found


def test_checks_read_only_the_columns_the_reader_builds() -> None:
    """Every column key a check reads from a catalogue row is in CATALOGUE_ROW_COLUMNS."""
    literal: set[str] = set()
    dynamic: set[tuple[str, str]] = set()
    for path in sorted(VALIDATE.glob("*.py")):
        if path.name in LOCAL_ROWS_ONLY:
            continue
        for function, key in _row_reads(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                literal.add(key.value)
            else:
                dynamic.add((path.name, function))
    assert literal, "the scan found no reads: has the RawRow interface changed?"
    assert literal <= L.CATALOGUE_ROW_COLUMNS, literal - L.CATALOGUE_ROW_COLUMNS
    assert dynamic == DYNAMIC_KEYS
    assert set(row_marks.MARKED_COLUMNS) <= L.CATALOGUE_ROW_COLUMNS
    assert set(L.REQUIRED_COLUMNS) <= L.CATALOGUE_ROW_COLUMNS
    assert L.CATALOGUE_ROW_COLUMNS <= EVERY_COLUMN
    # What is left out is the catalogue's own text, never something a unit answers.
    assert {c.key for c in L.COLUMNS if c.is_input} <= L.CATALOGUE_ROW_COLUMNS


def _outcome(result: ReadResult, catalogues: dict[str, Catalogue]) -> FileReport:
    """Findings and answers of one file, as the rest of the pipeline sees them."""
    if result.raw is None:
        return report_unread(result)
    return validate_submission(result.raw, catalogues, TODAY)


def _same_either_way(paths: list[Path], monkeypatch: pytest.MonkeyPatch) -> int:
    """Assert each file validates alike with trimmed rows and with every cell; count raws."""
    catalogues = load_catalogs()
    trimmed = {p: read_workbook(p) for p in paths}
    with monkeypatch.context() as patch:
        patch.setattr(L, "CATALOGUE_ROW_COLUMNS", EVERY_COLUMN)
        full = {p: read_workbook(p) for p in paths}
    read = 0
    for path in paths:
        small, whole = trimmed[path], full[path]
        assert _outcome(small, catalogues) == _outcome(whole, catalogues), path.name
        if small.raw is None or whole.raw is None:
            assert small == whole, path.name
            continue
        read += 1
        assert dataclasses.replace(small.raw, rows=()) == dataclasses.replace(whole.raw, rows=())
        assert [r.row for r in small.raw.rows] == [r.row for r in whole.raw.rows], path.name
        for a, b in zip(small.raw.rows, whole.raw.rows, strict=True):
            assert a.cells == {k: c for k, c in b.cells.items() if k in L.CATALOGUE_ROW_COLUMNS}
    return read


def test_sample_skjemas_validate_the_same_with_every_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(SAMPLE) >= 70
    assert _same_either_way(SAMPLE, monkeypatch) == len(SAMPLE)


def test_corpus_validates_the_same_with_every_cell(
    corpus: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _same_either_way(corpus, monkeypatch)


def _sort_alone(key: str, tsb: Catalogue) -> Callable[[Workbook], None]:
    """An edit that sorts one column on its own, each value with its font (its row mark)."""

    def edit(wb: Workbook) -> None:
        ws: Any = wb[L.CHECKLIST_SHEET]  # openpyxl's stubs type a copied font as a proxy
        rows = [row_of(tsb, r.id) for r in tsb.requirements]
        cells = [(ws.cell(r, column(key)).value, copy(ws.cell(r, column(key)).font)) for r in rows]
        cells.sort(key=lambda pair: str(pair[0]), reverse=True)
        for r, (value, font) in zip(rows, cells, strict=True):
            ws.cell(r, column(key)).value = value
            ws.cell(r, column(key)).font = font

    return edit


def _own_rows_in_text_columns(wb: Workbook) -> None:
    """«Egne krav» rows filled only in columns a catalogue row's cells leave out."""
    ws = wb[L.CHECKLIST_SHEET]
    rows = [r for r in range(1, ws.max_row + 1) if L.is_local_id(ws.cell(r, 1).value)]
    for r, key in zip(rows, ("text", "source", "applies", "phase"), strict=False):
        ws.cell(r, column(key)).value = f"Eget krav i «{key}»"


def _text_changed(wb: Workbook) -> None:
    """The catalogue's text and source edited, a title changed, an ID pasted over another."""
    ws = wb[L.CHECKLIST_SHEET]
    for r in range(10, 20):
        ws.cell(r, column("text")).value = "Endret"
        ws.cell(r, column("source")).value = None
    ws.cell(22, column("title")).value = "En annen tittel"
    ws.cell(25, column("id")).value = ws.cell(24, column("id")).value


def test_edited_skjemas_validate_the_same_with_every_cell(
    filled_workbook: WorkbookFactory, tsb: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = {
        r.id: {"status": "Påbegynt" if i % 2 else "Implementert", "comment": f"Svar {i}"}
        for i, r in enumerate(tsb.requirements)
    }
    paths = [
        filled_workbook(answers, edit=_sort_alone(key, tsb))
        for key in ("id", "title", "status", "comment", "text")
    ]
    paths += [
        filled_workbook(answers, edit=_own_rows_in_text_columns),
        filled_workbook(answers, edit=_text_changed),
    ]
    catalogues = load_catalogs()
    codes = [{f.code for f in _outcome(read_workbook(p), catalogues).findings} for p in paths]
    assert "row-title-mismatch" in codes[0] and "row-title-mismatch" in codes[1]
    assert "answers-moved" in codes[2] and "answers-moved" in codes[3]
    own = read_workbook(paths[5]).raw
    assert own is not None  # the rows filled in «Fase» alone stay out, as a blank row's do
    assert [row.cells["text"].value for row in own.local_rows[:1]] == ["Eget krav i «text»"]
    assert [row.value("source") for row in own.local_rows] == [None, "Eget krav i «source»", None]
    assert _same_either_way(paths, monkeypatch) == len(paths)


def test_raw_cells_are_the_cells_raw_cell_builds() -> None:
    refs = ["A1", "B7", "C9"]
    values = [None, 0.8, "tekst"]
    formats = ["General", "0%", "General"]
    marks = [None, 12, 3]
    built = raw_cells("Ark", refs, values, formats, marks)
    expected = [RawCell("Ark", *f) for f in zip(refs, values, formats, marks, strict=True)]
    assert built == expected
    assert [hash(c) for c in built] == [hash(c) for c in expected]
    with pytest.raises(dataclasses.FrozenInstanceError):
        built[0].value = 1  # type: ignore[misc]
    assert raw_cells("Ark", [], [], [], []) == []


def test_sheet_marks_by_column_equal_marks_by_cell(tmp_path: Path) -> None:
    cells = {b"C5": b"2", b"C6": b"007", b"C7": b"", b"C1500": b"1", b"AA5": b"1"}
    marks = (None, 4, 9, None, None, None, None, 11)
    table = fast_xlsx.XfTable(formats=("General",) * len(marks), marks=marks)
    lookup = fast_xlsx.SheetMarks("Ark", cells, lambda: table)
    rows = [5, 6, 7, 8, 1500]
    for col in (3, 27, 70):
        assert lookup.column(rows, col) == [lookup(row, col) for row in rows]
    assert lookup.column(rows, 3) == [9, 11, None, None, 4]
    assert lookup.column([5], 27) == [4]
    assert lookup.column([], 3) == []
    unmapped = fast_xlsx.SheetMarks("Ark", None, lambda: table)
    with pytest.raises(fast_xlsx.UnmappedCell):
        unmapped.column([5], 3)


def test_scanned_parts_read_as_the_archive_does() -> None:
    data = SAMPLE[0].read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    verdict = sniff(data)
    assert verdict.entries  # the directory sniff read, handed on
    for parts in (fast_xlsx.ScannedParts(data), fast_xlsx.ScannedParts(data, verdict.entries)):
        assert parts.namelist() == archive.namelist()
        entries = list(parts.entries())
        assert [name for name, _ in entries] == archive.namelist()
        for name, content in entries:
            assert content == archive.read(name)
    for name in parts.namelist():
        assert parts.read(name) == archive.read(name)
    with pytest.raises(KeyError):
        parts.read("xl/none.xml")
