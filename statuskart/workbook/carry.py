"""The next round's skjema for one unit: the blank skjema with last round's answers carried in.

Takes plain data (the pipeline decides what to carry, from validated files): answers by
requirement ID, a note on rows whose requirement changed or whose frist has passed, and removed
requirements with their old answer. Each carried row is marked in a way every app shows (a fill
colour and a text in the «Overført» column), and the skjema keeps a hidden record of what was
carried (carry_record.py) so a return where nothing was touched can be told apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from statuskart.catalog.model import Catalogue
from statuskart.core import messages as msg
from statuskart.core.atomic import refuse_existing
from statuskart.workbook import carry_record as record
from statuskart.workbook import fit
from statuskart.workbook import layout as L
from statuskart.workbook.styles import (
    BORDER,
    HEADER_FILL,
    INPUT_FILL,
    UNLOCKED,
    WRAP_TOP,
    body_font,
)
from statuskart.workbook.write import (
    HEADER_ROW,
    PAGE_BREAK_AFTER,
    build_template,
    save_workbook,
    text_only,
)

CARRIED_FILL = PatternFill("solid", fgColor="DDEBF7")
"""Pale blue on carried answer cells: seen in Excel, LibreOffice and Gnumeric, and in print."""
CHECK_FILL = PatternFill("solid", fgColor="FCE4D6")
"""Pale orange on what must be looked at: a changed requirement's note, a passed frist."""
CHANGED_FILL = PatternFill("solid", fgColor=INPUT_FILL.fgColor, bgColor=INPUT_FILL.fgColor)
"""A carried cell the leader changed looks like any cell typed in (conditional formatting;
a differential style's solid fill takes its colour from bgColor in Excel, fgColor elsewhere)."""
MIRROR_OFFSET = 10
"""The carried values sit in the record sheet at their own row, this many columns further right."""
MIRROR_NAME = "statuskart_overfort"
"""Defined name of the mirror; the conditional formatting reads it with INDEX(…; ROW(); COLUMN())
so no formula refers to another sheet directly (Excel 2007 refuses that in a rule)."""
NOTE_WIDTH = 30.0
"""Narrow enough that the answers and the note print on one page width at 7 pt or more."""
SUMMARY_NAME = "runde-oversikt.xlsx"
"""The adviser's list the round's folder holds beside the skjemas; input gathering skips it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CarriedAnswer:
    """Last round's answer to one requirement, and what the leader must look at in it."""

    requirement_id: str
    status: str | None = None
    share: float | None = None
    """0–100, as read; written as a percentage cell."""
    comment: str | None = None
    action: str | None = None
    owner: str | None = None
    due: dt.date | None = None
    risk: str | None = None
    changed: str = ""
    """What changed in the requirement since the answer was given (bokmål), empty if nothing."""
    due_passed: bool = False

    def values(self) -> dict[str, object]:
        """The answer by column key (carry_record.ANSWER_KEYS)."""
        return {key: getattr(self, key) for key in record.ANSWER_KEYS}


@dataclass(frozen=True, slots=True, kw_only=True)
class RemovedAnswer:
    """A requirement of last round that the new catalogue no longer has, with its old answer."""

    requirement_id: str
    title: str
    answer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Carry:
    """Everything carried into one unit's skjema."""

    from_period: str
    from_date: dt.date | None
    answers: Sequence[CarriedAnswer]
    removed: Sequence[RemovedAnswer] = ()


def build_carried(
    catalogue: Catalogue,
    meta: Mapping[str, object],
    carry: Carry,
    *,
    unit_type: str | None = None,
) -> Workbook:
    """The blank skjema (write.build_template) with ``carry`` written in and recorded.

    Answers to requirements the skjema has no row for (another unit type) are left out.
    """
    front = {key: inert(value) for key, value in meta.items()}
    wb = build_template(catalogue, {**front, "date": carry.from_date}, unit_type=unit_type)
    ws = wb[L.CHECKLIST_SHEET]
    rows = _requirement_rows(ws)
    scale = set(catalogue.scale.labels)
    written: dict[str, str] = {}
    mirror: dict[tuple[int, int], object] = {}
    for answer in carry.answers:
        row = rows.get(answer.requirement_id)
        if row is None:
            continue
        values = {key: inert(value) for key, value in answer.values().items()}
        if values["status"] not in scale:
            values["status"] = None
        timed = catalogue.by_id[answer.requirement_id].time_limits
        if not timed:
            values["share"] = None
        mirror.update(_fill_row(ws, row, values))
        _note(ws, row, answer, carry.from_period)
        written[answer.requirement_id] = record.answer_digest(values)
    _note_column(ws, max(rows.values(), default=HEADER_ROW))
    _guide(wb[L.GUIDE_SHEET], carry)
    _record(wb, carry, written, meta, catalogue.version)
    _unmark_when_changed(wb, ws, mirror, max(rows.values(), default=HEADER_ROW))
    text_only(wb)  # a carried «=HYPERLINK(…)» comment stays the text it was
    return wb


def inert(value: object) -> object:
    """``value`` with the control characters a worksheet cell cannot hold made spaces.

    Last round's skjema is untrusted: a text with U+0007 in it must not stop the whole round.
    """
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(" ", value)
    return value


def write_carried(
    catalogue: Catalogue,
    path: Path,
    meta: Mapping[str, object],
    carry: Carry,
    *,
    unit_type: str | None = None,
) -> Path:
    """Write the pre-filled skjema to ``path``; OutputError if it exists (never overwritten)."""
    refuse_existing([path], msg.TEMPLATE_EXISTS_HINT)
    save_workbook(build_carried(catalogue, meta, carry, unit_type=unit_type), path)
    return path


def _requirement_rows(ws: Worksheet) -> dict[str, int]:
    id_col = [c.key for c in L.COLUMNS].index("id") + 1
    out: dict[str, int] = {}
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        value = ws.cell(row=row, column=id_col).value
        if value is None or L.is_local_heading(value):
            break
        out[str(value)] = row
    return out


def _column(key: str) -> int:
    return [c.key for c in L.COLUMNS].index(key) + 1


def _fill_row(
    ws: Worksheet, row: int, values: Mapping[str, object]
) -> dict[tuple[int, int], object]:
    """Write the carried values, marked; return them by (row, column) for the mirror."""
    written: dict[tuple[int, int], object] = {}
    for key, value in values.items():
        if value is None or value == "":
            continue
        cell = ws.cell(row=row, column=_column(key))
        cell.value = value / 100 if key == "share" and isinstance(value, int | float) else value  # type: ignore[assignment]
        cell.fill = CARRIED_FILL
        written[(row, _column(key))] = cell.value
    return written


def _unmark_when_changed(
    wb: Workbook, ws: Worksheet, mirror: Mapping[tuple[int, int], object], last: int
) -> None:
    """The blue mark goes when the leader changes a carried cell, in Excel and LibreOffice alike.

    Each carried value is mirrored in the record sheet at its own row, MIRROR_OFFSET columns to
    the right; one rule over the answer columns compares each cell with its mirror (EXACT, so a
    change of case counts) and shows a changed one as an ordinary input cell.
    """
    if not mirror:
        return
    hidden = wb[record.RECORD_SHEET]
    for (row, col), value in mirror.items():
        hidden.cell(row=row, column=col + MIRROR_OFFSET).value = value  # type: ignore[assignment]
    first = min(col for _, col in mirror)
    end = max(col for _, col in mirror)
    top = get_column_letter(1 + MIRROR_OFFSET)
    right = get_column_letter(end + MIRROR_OFFSET)
    area = f"{quote_sheetname(hidden.title)}!${top}$1:${right}${last}"
    wb.defined_names[MIRROR_NAME] = DefinedName(MIRROR_NAME, attr_text=area)
    cell = f"{get_column_letter(first)}{HEADER_ROW + 1}"
    carried = f"INDEX({MIRROR_NAME},ROW(),COLUMN())"
    rule = FormulaRule(  # type: ignore[no-untyped-call]
        formula=[f'AND({carried}<>"",NOT(EXACT({cell},{carried})))'], fill=CHANGED_FILL
    )
    ws.conditional_formatting.add(f"{cell}:{get_column_letter(end)}{last}", rule)


def _note(ws: Worksheet, row: int, answer: CarriedAnswer, period: str) -> None:
    lines = [msg.CARRIED_NOTE.format(period=period)]
    if answer.changed:
        lines.append(msg.CARRIED_CHANGED.format(what=answer.changed))
    if answer.due_passed and answer.due is not None:
        lines.append(msg.CARRIED_DUE_PASSED.format(due=answer.due.strftime("%d.%m.%Y")))
        ws.cell(row=row, column=_column("due")).fill = CHECK_FILL
    cell = ws.cell(row=row, column=len(L.COLUMNS) + 1, value="\n".join(lines))
    cell.alignment = WRAP_TOP
    cell.border = BORDER
    cell.fill = CHECK_FILL if answer.changed or answer.due_passed else CARRIED_FILL
    texts = [(ws.cell(row=row, column=c + 1).value, col.width) for c, col in enumerate(L.COLUMNS)]
    height = fit.row_height([*texts, (cell.value, NOTE_WIDTH)])
    ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 0, height)


def _note_column(ws: Worksheet, last: int) -> None:
    """The «Overført» column after the answers, unlocked like the rest of the rows.

    Sorting whole rows then still works under sheet protection; the reader ignores its header.
    """
    col = len(L.COLUMNS) + 1
    letter = get_column_letter(col)
    header = ws.cell(row=HEADER_ROW, column=col, value=msg.CARRIED_COLUMN)
    header.font = body_font(bold=True, color="FFFFFF")
    header.fill = HEADER_FILL
    header.alignment = Alignment(wrap_text=True, vertical="center")
    header.border = BORDER
    ws.column_dimensions[letter].width = NOTE_WIDTH
    for row in range(HEADER_ROW + 1, last + 1):
        ws.cell(row=row, column=col).protection = UNLOCKED
    ws.auto_filter.ref = f"A{HEADER_ROW}:{letter}{last}"
    area = str(ws.print_area or "").rsplit("$", 1)[-1]
    if area.isdigit():
        ws.print_area = f"A1:{letter}{area}"
    # The note prints beside the answers, in their page column (write._checklist_print).
    widths = [c.width for c in L.COLUMNS]
    split = [c.key for c in L.COLUMNS].index(PAGE_BREAK_AFTER) + 1
    groups = [widths[:split], [widths[0], *widths[split:], NOTE_WIDTH]]
    ws.page_setup.scale = fit.print_scale(groups, fit.A4_LANDSCAPE_POINTS)


def _guide(ws: Worksheet, carry: Carry) -> None:
    """How to confirm or change a carried answer, and the removed requirements' old answers."""
    row = ws.max_row + 2
    lines: list[tuple[str, str]] = [(msg.CARRIED_GUIDE_TITLE, "")]
    lines += [(a, b.format(period=carry.from_period)) for a, b in msg.CARRIED_GUIDE_LINES]
    if carry.removed:
        lines += [("", ""), (msg.CARRIED_REMOVED_TITLE, msg.CARRIED_REMOVED_NOTE)]
        lines += [(r.requirement_id, f"{r.title}. {r.answer}") for r in carry.removed]
    widths = (ws.column_dimensions["A"].width, ws.column_dimensions["B"].width)
    for offset, (a, b) in enumerate(lines):
        first = ws.cell(row=row + offset, column=1, value=a or None)
        first.font = body_font(bold=a in (msg.CARRIED_GUIDE_TITLE, msg.CARRIED_REMOVED_TITLE))
        first.alignment = WRAP_TOP
        if b:
            ws.cell(row=row + offset, column=2, value=b).alignment = WRAP_TOP
        ws.row_dimensions[row + offset].height = fit.row_height(zip((a, b), widths, strict=True))
    # The heading runs on into column B, as the sheet's own title does.
    heading = ws.cell(row=row, column=1)
    heading.font = body_font(size=12, bold=True, color="1F4E79")
    heading.alignment = Alignment(vertical="top")
    ws.row_dimensions[row].height = fit.row_height([("", 1.0)], font_points=12)


def _record(
    wb: Workbook,
    carry: Carry,
    digests: Mapping[str, str],
    meta: Mapping[str, object],
    version: str,
) -> None:
    """The hidden record and its seal in the stamp (carry_record.py), bound to the skjema's unit."""
    kept = record.CarryRecord(
        from_period=carry.from_period,
        from_date=carry.from_date,
        rows=dict(digests),
        hf=str(meta.get("hf") or ""),
        unit=str(meta.get("unit") or ""),
        period=str(meta.get("period") or ""),
        version=version,
    )
    lines = record.record_lines(kept)
    ws = wb.create_sheet(record.RECORD_SHEET)
    for row, line in enumerate(lines, start=1):
        for col, value in enumerate(line, start=1):
            if value:
                ws.cell(row=row, column=col, value=value).data_type = "s"
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
    stamp = wb[L.STAMP_SHEET]
    row = len(L.STAMP_KEYS) + 1
    stamp.cell(row=row, column=1, value=record.STAMP_KEY)
    stamp.cell(row=row, column=2, value=record.record_digest(lines))
