"""A unit's action plan as its own workbook: what the implementation meeting works from.

Real date cells, Norwegian headers, a filter, a frozen header and column widths, holding only that
unit; linked from the unit's page. Text from the skjema is written as text, never as a formula.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from statuskart.local_requirements import LocalRequirement
from statuskart.pages import catalogue_of, plain_reason, plan_path
from statuskart.report import ReportModel, UnitView
from statuskart.workbook import layout as L
from statuskart.xlsx_table import Sheet, write_tables

COLUMNS: tuple[tuple[str, float, bool], ...] = (
    ("Rang", 7, False),
    ("Krav", 10, False),
    ("Tittel", 34, False),
    ("Status", 18, False),
    ("Tiltak", 50, False),
    ("Eget tiltak", 11, False),
    ("Ansvarlig", 20, True),
    ("Frist", 12, False),
    ("Risiko", 10, False),
    ("Hvorfor nå", 40, False),
)
"""(header, width, holds free text that some audiences may not see)."""


def write_action_plans(model: ReportModel, docs_dir: Path, cache: Path | None = None) -> list[Path]:
    """Write one plan per unit page, with the same plain-words reasons as the page.

    ``cache``: a folder of plans by content; an unchanged plan is copied from there instead of
    written again (a rebuild after one changed skjema redoes one plan, not a thousand). Plans
    this build did not use are removed from it.
    """
    written = []
    used: set[str] = set()
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    for unit in model.units:
        catalogue = catalogue_of(model, unit.score.unit.pathway)
        why = [plain_reason(a, catalogue) for a in unit.score.actions]
        path = docs_dir / plan_path(unit)
        path.parent.mkdir(parents=True, exist_ok=True)
        if cache is None:
            _write_plan(unit, why, model.shows_text, path)
        else:
            content = repr((code, unit.score.actions, unit.local, why, model.shows_text))
            key = hashlib.sha256(content.encode("utf-8")).hexdigest()
            kept = cache / f"{key}.xlsx"
            if not kept.is_file():
                cache.mkdir(parents=True, exist_ok=True)
                _write_plan(unit, why, model.shows_text, kept)
            shutil.copyfile(kept, path)
            used.add(kept.name)
        written.append(path)
    if cache is not None and cache.is_dir():
        for old in cache.glob("*.xlsx"):
            if old.name not in used:
                old.unlink(missing_ok=True)
    return written


def _write_plan(unit: UnitView, reasons: Sequence[str], shows_text: bool, path: Path) -> None:
    """One plan: A4 landscape, wrapped text, header repeated on every printed page."""
    columns = [c for c in COLUMNS if shows_text or not c[2]]
    sheet = Sheet(
        "Tiltaksplan",
        [name for name, _, _ in columns],
        [width for _, width, _ in columns],
        ["DD.MM.YYYY" if name == "Frist" else None for name, _, _ in columns],
        wrap=True,
        print_landscape=True,
    )
    rows: list[list[Any]] = []
    for action, why in zip(unit.score.actions, reasons, strict=True):
        values = {
            "Rang": action.rank,
            "Krav": action.requirement_id,
            "Tittel": action.title,
            "Status": action.status or "Ubesvart",
            "Tiltak": action.text,
            "Eget tiltak": "Ja" if action.own_plan else "Nei",
            "Ansvarlig": action.owner or "",
            "Frist": action.due,
            "Risiko": action.risk or "",
            "Hvorfor nå": why,
        }
        rows.append([values[name] for name, _, _ in columns])
    tables = [(sheet, rows)]
    if shows_text and unit.local:
        tables.append(_local_table(unit.local))
    write_tables(path, tables)


LOCAL_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Krav", 10),
    ("Tittel", 34),
    ("Status", 18),
    ("Tiltak", 50),
    ("Ansvarlig", 20),
    ("Frist", 12),
    ("Risiko", 10),
)


def _local_table(local: Sequence[LocalRequirement]) -> tuple[Sheet, list[list[Any]]]:
    """The unit's own requirements («Egne krav») on a sheet of their own, in skjema order.

    They are the unit's work too, so the meeting sees them; but they have no priority or
    dependencies to rank by, so they stay apart from the ranked plan. Only in builds that show
    free text: everything in them was typed by the unit.
    """
    sheet = Sheet(
        L.LOCAL_HEADING,
        [name for name, _ in LOCAL_COLUMNS],
        [width for _, width in LOCAL_COLUMNS],
        ["DD.MM.YYYY" if name == "Frist" else None for name, _ in LOCAL_COLUMNS],
        wrap=True,
    )
    rows: list[list[Any]] = []
    for item in local:
        a = item.answer
        rows.append([item.id, item.title, a.status or "Ubesvart", a.action, a.owner, a.due, a.risk])
    return sheet, rows
