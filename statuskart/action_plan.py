"""A unit's action plan as its own workbook: what the implementation meeting works from.

Real date cells, Norwegian headers, a filter, a frozen header and column widths, holding only that
unit; linked from the unit's page. Text from the skjema is written as text, never as a formula.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from pathlib import Path

from statuskart.pages import catalogue_of, plain_reason, plan_path
from statuskart.report import ReportModel, UnitView
from statuskart.xlsx_table import Sheet, write_table

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
            content = repr((code, unit.score.actions, why, model.shows_text)).encode("utf-8")
            key = hashlib.sha256(content).hexdigest()
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
    rows = []
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
    write_table(path, sheet, rows)
