"""A unit's action plan as its own workbook: what the implementation meeting works from.

Real date cells, Norwegian headers, a filter, a frozen header and column widths, holding only that
unit; linked from the unit's page. Text from the skjema is written as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from statuskart.local_requirements import LocalRequirement
from statuskart.pages import catalogue_of, plain_reason, plan_path
from statuskart.report import ReportModel, UnitView
from statuskart.serialise import safe_cell
from statuskart.workbook import layout as L
from statuskart.workbook.write import save_workbook

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
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def write_action_plans(model: ReportModel, docs_dir: Path) -> list[Path]:
    """Write one plan per unit page, with the same plain-words reasons as the page."""
    written = []
    for unit in model.units:
        catalogue = catalogue_of(model, unit.score.unit.pathway)
        why = [plain_reason(a, catalogue) for a in unit.score.actions]
        path = docs_dir / plan_path(unit)
        path.parent.mkdir(parents=True, exist_ok=True)
        save_workbook(_plan(unit, why, model.shows_text), path)
        written.append(path)
    return written


def _plan(unit: UnitView, reasons: Sequence[str], shows_text: bool) -> Workbook:
    """One plan, written in openpyxl's write-only mode (a thousand of them in a national build)."""
    columns = [c for c in COLUMNS if shows_text or not c[2]]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Tiltaksplan")
    for col, (_, width, _) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(unit.score.actions) + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"
    header = []
    for name, _, _ in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        header.append(cell)
    ws.append(header)
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
        row = []
        for name, _, _ in columns:
            cell = WriteOnlyCell(ws, value=safe_cell(values[name]))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # typed text stays text, whatever it starts with
            if name == "Frist" and cell.value is not None:
                cell.number_format = "DD.MM.YYYY"
            cell.alignment = WRAP
            row.append(cell)
        ws.append(row)
    if shows_text and unit.local:
        _local_sheet(wb, unit.local)
    return wb


LOCAL_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Krav", 10),
    ("Tittel", 34),
    ("Status", 18),
    ("Tiltak", 50),
    ("Ansvarlig", 20),
    ("Frist", 12),
    ("Risiko", 10),
)


def _local_sheet(wb: Workbook, local: Sequence[LocalRequirement]) -> None:
    """The unit's own requirements («Egne krav») on a sheet of their own, in skjema order.

    They are the unit's work too, so the meeting sees them; but they have no priority or
    dependencies to rank by, so they stay apart from the ranked plan. Only in builds that show
    free text: everything in them was typed by the unit.
    """
    ws = wb.create_sheet(L.LOCAL_HEADING)
    for col, (_, width) in enumerate(LOCAL_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    header = []
    for name, _ in LOCAL_COLUMNS:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        header.append(cell)
    ws.append(header)
    for item in local:
        a = item.answer
        values = (item.id, item.title, a.status or "Ubesvart", a.action, a.owner, a.due, a.risk)
        row = []
        for (name, _), value in zip(LOCAL_COLUMNS, values, strict=True):
            cell = WriteOnlyCell(ws, value=safe_cell(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"
            if name == "Frist" and cell.value is not None:
                cell.number_format = "DD.MM.YYYY"
            cell.alignment = WRAP
            row.append(cell)
        ws.append(row)
