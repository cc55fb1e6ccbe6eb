"""Template stage: Catalogue (+ optional unit metadata) → blank statuskartleggingsskjema (.xlsx).

Titles and headers are locked; the requirement rows are unlocked so Excel lets users sort them under
sheet protection, and input cells are told apart by colour and say what to type (input_help.py).
The sheets themselves are locked against deletion and renaming. Fields carry defined names and the
sheet a hidden stamp, so the reader can find everything even after users move rows and columns.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from statuskart.catalog.model import RISK_LEVELS, Catalogue, Requirement
from statuskart.core import messages as msg
from statuskart.core.atomic import refuse_existing, write_atomic
from statuskart.core.errors import ConfigError, OutputError
from statuskart.core.version import __version__
from statuskart.workbook import checklist_parts as parts
from statuskart.workbook import fit, row_marks
from statuskart.workbook import layout as L
from statuskart.workbook.input_help import (
    SHARE_RANGE,
    TARGET_RANGE,
    choice_list,
    date_input,
    number_between,
)
from statuskart.workbook.styles import (
    BORDER,
    DATE_FORMAT,
    HEADER_FILL,
    PHASE_FILL,
    WRAP_TOP,
    body_font,
    input_cell,
    paint,
)

HEADER_ROW = 4
"""Row of the checklist header; rows 1–2 carry the title and a one-line instruction, and row 3 is
left empty so that a sort or filter that guesses the table's extent (LibreOffice's «Sorter
stigende», Excel's «Sorter» without a selection) stops there and never takes the title rows."""
PAGE_BREAK_AFTER = "source"
"""The checklist prints in two page columns: the requirement (ID … Kilde), then the answers,
with the ID column repeated. Twelve columns on one A4 width would print at under 5 pt."""

FIXED_TIME = (2000, 1, 1, 0, 0, 0)
HF_ROW_FILL = PatternFill("solid", fgColor="E7E6E6")
"""Grey for rows the HF answers once (scope: hf): only the unit answering for the HF fills them."""
HF_ROW_FONT = body_font(color="595959", italic=True)


def build_template(
    catalogue: Catalogue,
    meta: Mapping[str, object] | None = None,
    *,
    unit_type: str | None = None,
) -> Workbook:
    """Build the blank skjema in memory; ``meta`` pre-fills front-sheet fields by key.

    With ``unit_type``, requirements that do not apply to that type of unit are left out, so a
    unit never has to answer them (validation and scoring skip them for that type too).
    """
    wb = Workbook()
    front = wb.active
    assert front is not None
    front.title = L.FRONT_SHEET
    _front_sheet(wb, front, catalogue, meta or {})
    _checklist_sheet(wb, wb.create_sheet(L.CHECKLIST_SHEET), catalogue, unit_type)
    _guide_sheet(wb.create_sheet(L.GUIDE_SHEET), catalogue)
    _stamp_sheet(wb.create_sheet(L.STAMP_SHEET), catalogue, unit_type)
    _stamp_fallbacks(wb, catalogue)
    wb.active = 0
    # No password, like the sheets: it only stops a sheet being deleted or renamed by accident.
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.creator = f"statuskart {__version__}"
    wb.properties.title = f"Statuskartleggingsskjema – {catalogue.title}"
    text_only(wb)
    return wb


def text_only(wb: Workbook) -> None:
    """Every value written as text or a number, never as a formula.

    openpyxl makes any text that starts with «=» a formula: a trust's catalogue title or a
    --unit option like «=HYPERLINK("https://…?u="&Forside!B7)» would become a live link that
    sends the unit's name away. The skjema has no formulas of its own.
    """
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def write_template(
    catalogue: Catalogue, path: Path | str, meta: Mapping[str, object] | None = None
) -> Path:
    """Write the blank skjema to ``path``; OutputError if it exists or cannot be written.

    An existing file is never replaced: it may be a skjema someone has already filled in.
    """
    path = Path(path)
    _refuse_control_characters(meta or {})
    if path.is_dir():
        raise OutputError(msg.OUTPUT_IS_DIR.format(path=path))
    refuse_existing([path], msg.TEMPLATE_EXISTS_HINT)
    unit_type = (meta or {}).get("unit_type")
    wb = build_template(catalogue, meta, unit_type=str(unit_type) if unit_type else None)
    save_workbook(wb, path)
    return path


def _refuse_control_characters(meta: Mapping[str, object]) -> None:
    """A front-sheet value with a control character cannot be stored in a worksheet cell."""
    labels = {f.key: f.label for f in L.META_FIELDS}
    for key, value in meta.items():
        bad = next((ch for ch in str(value) if ord(ch) < 32 or 127 <= ord(ch) < 160), None)
        if bad is not None:
            raise ConfigError(
                msg.FRONT_FIELD_CONTROL.format(field=labels.get(key, key), code=f"U+{ord(bad):04X}")
            )


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save with fixed timestamps (same input, same bytes), atomically: never half a file."""
    buffer = io.BytesIO()
    wb.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>2000-01-01T00:00:00Z",
                    data,
                )
            dst.writestr(
                zipfile.ZipInfo(info.filename, date_time=FIXED_TIME),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    write_atomic(path, out.getvalue())


def _protect(ws: Worksheet) -> None:
    # No password: protection only stops accidental edits of questions (ecosystem §3.2).
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.sort = False


def _front_sheet(
    wb: Workbook, ws: Worksheet, catalogue: Catalogue, meta: Mapping[str, object]
) -> None:
    ws["A1"] = "Statuskartleggingsskjema"
    ws["A1"].font = body_font(size=16, bold=True, color="1F4E79")
    ws["A2"] = f"Nasjonalt pasientforløp: {catalogue.title} (katalogversjon {catalogue.version})"
    ws["A3"] = "Fyll ut de gule feltene. Felt merket * må fylles ut. Se arket «Veiledning»."
    ws["A3"].font = body_font(italic=True)
    first = 5
    for offset, field in enumerate(L.META_FIELDS):
        row = first + offset
        label = ws.cell(row=row, column=1, value=field.label + (" *" if field.required else ""))
        label.font = body_font(bold=True)
        label.alignment = WRAP_TOP
        input_cell(ws, row, 2)
        value = meta.get(field.key)
        if value is not None:
            ws.cell(row=row, column=2).value = value  # type: ignore[assignment]
        if field.key == "date":
            ws.cell(row=row, column=2).number_format = DATE_FORMAT
        help_text = _unit_type_help(catalogue) if field.key == "unit_type" else field.help
        help_cell = ws.cell(row=row, column=3, value=help_text)
        help_cell.font = body_font(color="555555")
        help_cell.alignment = WRAP_TOP  # beside its label, not at the foot of a tall row
        ref = f"{quote_sheetname(ws.title)}!$B${row}"
        wb.defined_names[field.name] = DefinedName(field.name, attr_text=ref)
    keys = [f.key for f in L.META_FIELDS]
    for key, dv in (
        ("unit_type", choice_list("unit_type", catalogue.unit_types)),
        ("date", date_input("date")),
        ("target", number_between("target", TARGET_RANGE)),
    ):
        ws.add_data_validation(dv)
        dv.add(f"B{first + keys.index(key)}")
    widths = {"A": 24.0, "B": 40.0, "C": 60.0}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    for row in range(first, first + len(L.META_FIELDS)):
        texts = [(ws.cell(row=row, column=c + 1).value, w) for c, w in enumerate(widths.values())]
        ws.row_dimensions[row].height = fit.row_height(texts)
    ws.row_dimensions[1].height = fit.row_height([("", 1.0)], font_points=16)
    _one_page(ws, "portrait")
    _protect(ws)


def _unit_type_help(catalogue: Catalogue) -> str:
    """The Enhetstype hint names the pathway's types only: BUP is not offered avrusning."""
    return msg.FRONT_UNIT_TYPE_HELP.format(types=msg.or_list(list(catalogue.unit_types)))


def _one_page(ws: Worksheet, orientation: Literal["portrait", "landscape"]) -> None:
    """A4, shrunk to one page: the front sheet and the guide are read as one printed page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = fit.SIDE_MARGIN_INCHES


def _time_limit_text(req: Requirement) -> str:
    return "\n".join(t.describe() for t in req.time_limits)


def _checklist_sheet(
    wb: Workbook, ws: Worksheet, catalogue: Catalogue, unit_type: str | None
) -> None:
    requirements = [r for r in catalogue.requirements if r.applies_to(unit_type)]
    ws["A1"] = f"Statuskartlegging – {catalogue.title}"
    ws["A1"].font = body_font(size=14, bold=True, color="1F4E79")
    ws["A2"] = (
        "Velg status for hvert krav. Skriv dagens praksis, og planlagt tiltak med "
        "ansvarlig og frist der kravet ikke er implementert."
    )
    left_out = len(catalogue.requirements) - len(requirements)
    if left_out:
        ws["A2"] = str(ws["A2"].value) + msg.TEMPLATE_UNIT_TYPE_NOTE.format(
            unit_type=unit_type, left_out=left_out
        )
    ws["A2"].font = body_font(italic=True)
    ws.row_dimensions[1].height = fit.row_height([("", 1.0)], font_points=14)
    for col_no, col in enumerate(L.COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col_no, value=col.label)
        cell.font = body_font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(col_no)].width = col.width
    keys = [c.key for c in L.COLUMNS]
    first = HEADER_ROW + 1
    last = first + len(requirements) - 1
    numbers = {r.id: n for n, r in enumerate(catalogue.requirements, start=1)}
    for row, req in enumerate(requirements, start=first):
        values = {
            "id": req.id,
            "phase": catalogue.phase_title(req.phase),
            "title": req.title,
            "text": req.text,
            "applies": msg.HF_ROW_APPLIES if req.hf_scope else ", ".join(req.unit_types),
            "time_limit": _time_limit_text(req),
            "source": parts.source_text(req),
        }
        for col_no, col in enumerate(L.COLUMNS, start=1):
            if col.key == "share":
                parts.write_share(ws, row, col_no, req)
                continue
            if col.is_input:
                input_cell(ws, row, col_no)
                continue
            cell = ws.cell(row=row, column=col_no, value=values.get(col.key))
            if col.key == "source":
                parts.link_source(cell, req)
            paint(cell, alignment=WRAP_TOP, border=BORDER)
            if req.hf_scope:
                paint(cell, fill=HF_ROW_FILL, font=HF_ROW_FONT)
            elif col.key in ("id", "phase"):
                paint(cell, fill=PHASE_FILL)
        paint(ws.cell(row=row, column=keys.index("due") + 1), number_format=DATE_FORMAT)
        _mark_answers(ws, row, numbers[req.id])
        ws.row_dimensions[row].height = fit.row_height(
            (values.get(c.key), c.width) for c in L.COLUMNS if not c.is_input
        )
    ws.row_dimensions[HEADER_ROW].height = fit.row_height((c.label, c.width) for c in L.COLUMNS)
    parts.unlock_rows(ws, first, last, len(L.COLUMNS))
    # One empty row apart, so that a sort or filter that guesses the table stops before it.
    local_first = last + 3
    local_last = parts.write_local_block(ws, last + 2)
    parts.let_rows_grow(ws, [*range(first, last + 1), *range(local_first, local_last + 1)])
    for key, dv, local in (
        ("status", choice_list("status", catalogue.scale.labels), True),
        ("risk", choice_list("risk", RISK_LEVELS), True),
        ("due", date_input("due"), True),
        ("share", number_between("share", SHARE_RANGE), False),  # own rows have no share
    ):
        letter = get_column_letter(keys.index(key) + 1)
        ws.add_data_validation(dv)
        dv.add(f"{letter}{first}:{letter}{last}")
        if local:
            dv.add(f"{letter}{local_first}:{letter}{local_last}")
    ws.freeze_panes = f"C{first}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(L.COLUMNS))}{last}"
    _checklist_print(ws, local_last)
    _protect(ws)


def _mark_answers(ws: Worksheet, row: int, number: int) -> None:
    """The row mark (row_marks.py) on the row's answer cells, over whatever font they have."""
    colour = row_marks.mark_colour(number)
    keys = [c.key for c in L.COLUMNS]
    for key in row_marks.MARKED_COLUMNS:
        paint(ws.cell(row=row, column=keys.index(key) + 1), font=body_font(color=colour))


def _checklist_print(ws: Worksheet, last: int) -> None:
    """A4 landscape in two page columns at a fixed scale (≥ 7 pt), ID column and header repeated.

    A fixed scale, not «fit to width»: Excel and LibreOffice ignore manual page breaks when
    fitting, and would shrink all twelve columns onto one page.
    """
    split = [c.key for c in L.COLUMNS].index(PAGE_BREAK_AFTER) + 1
    widths = [c.width for c in L.COLUMNS]
    groups = [widths[:split], [widths[0], *widths[split:]]]
    ws.print_area = f"A1:{get_column_letter(len(L.COLUMNS))}{last}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_title_cols = "A:A"
    ws.col_breaks.append(Break(id=split))
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.scale = fit.print_scale(groups, fit.A4_LANDSCAPE_POINTS)
    ws.page_setup.pageOrder = "overThenDown"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    ws.page_margins.left = ws.page_margins.right = fit.SIDE_MARGIN_INCHES


def _guide_sheet(ws: Worksheet, catalogue: Catalogue) -> None:
    lines: list[tuple[str, str]] = [
        ("Slik fyller du ut skjemaet", ""),
        ("1.", "Fyll ut forsiden: HF eller institusjon, enhet, enhetstype og periode må være med."),
        (
            "2.",
            "Gå gjennom arket «Statuskartlegging» rad for rad. Velg status fra "
            "nedtrekkslisten i kolonnen Status.",
        ),
        (
            "3.",
            "Beskriv dagens praksis kort i kommentarfeltet. Ved «Ikke aktuelt» må du skrive "
            "hvorfor.",
        ),
        (
            "4.",
            "Der kravet ikke er implementert: skriv planlagt tiltak, ansvarlig (en rolle, "
            "ikke nødvendigvis et navn) og frist (dd.mm.åååå).",
        ),
        ("5.", "Vurder risikoen for mangelfull gjennomføring: lav, middels eller høy."),
        (
            "6.",
            "Ikke endre ID-kolonnen, og ikke slett rader eller arket «Statuskartlegging». "
            "Du kan endre kolonnebredder og sortere, men sorter alltid hele rader: merk hele "
            "tabellen først. Sorteres én kolonne alene, havner svarene på feil krav, og "
            "statuskart avviser skjemaet til sorteringen er angret.",
        ),
        (
            "7.",
            "Lagre som .xlsx (Excel-arbeidsbok) eller .ods (LibreOffice) uten passord, og "
            "send filen til den som samler inn skjemaene. Bruk ikke det gamle .xls-formatet: "
            "der kan ikke statuskart se om svar er flyttet.",
        ),
        ("", ""),
        ("Svarskala", ""),
    ]
    lines += [(step.label, step.description) for step in catalogue.scale.steps]
    lines += [
        ("", ""),
        (
            "Prioritet",
            "Kravene har prioritet "
            + ", ".join(f"{name} (vekt {weight:g})" for name, weight in catalogue.priorities)
            + ". Vekten brukes når enhetens skår regnes ut.",
        ),
        *(
            [("Besvares av HF", msg.HF_ROW_GUIDE)]
            if any(r.hf_scope for r in catalogue.requirements)
            else []
        ),
        (msg.PURPOSE_TITLE, f"{msg.PURPOSE_NOTE} Kilde: {msg.PURPOSE_SOURCE}"),
        ("Om resultatet", "Skriv ikke pasientopplysninger eller navn på pasienter i skjemaet."),
        *msg.SKJEMA_GUIDE_LINES,
    ]
    widths = (22.0, 100.0)
    for row, (a, b) in enumerate(lines, start=1):
        first = ws.cell(row=row, column=1, value=a)
        first.font = body_font(bold=not b or a in catalogue.scale.labels)
        first.alignment = WRAP_TOP
        ws.cell(row=row, column=2, value=b).alignment = WRAP_TOP
        ws.row_dimensions[row].height = fit.row_height(zip((a, b), widths, strict=True))
    ws["A1"].font = body_font(size=14, bold=True, color="1F4E79")
    ws["A1"].alignment = Alignment(vertical="top")  # the heading may run on into column B
    ws.row_dimensions[1].height = fit.row_height([("", 1.0)], font_points=14)
    ws.column_dimensions["A"].width = widths[0]
    ws.column_dimensions["B"].width = widths[1]
    _one_page(ws, "portrait")
    _protect(ws)


def _stamp_sheet(ws: Worksheet, catalogue: Catalogue, unit_type: str | None = None) -> None:
    values = (
        catalogue.id,
        catalogue.version,
        L.TEMPLATE_VERSION,
        f"statuskart {__version__}",
        unit_type,  # the type whose rows the skjema has (None: all rows)
    )
    for row, (key, value) in enumerate(zip(L.STAMP_KEYS, values, strict=True), start=1):
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=value)
    ws.sheet_state = "veryHidden"
    _protect(ws)


def _stamp_fallbacks(wb: Workbook, catalogue: Catalogue) -> None:
    """Pathway and catalogue version also as document properties and constant defined names."""
    values = {"catalogue_id": catalogue.id, "catalogue_version": catalogue.version}
    for key in L.STAMP_FALLBACK_KEYS:
        wb.custom_doc_props.append(  # type: ignore[attr-defined]
            StringProperty(name=L.STAMP_PROPERTY_PREFIX + key, value=values[key])
        )
        name = L.STAMP_DEFINED_NAMES[key]
        constant = '"' + values[key].replace('"', '""') + '"'
        wb.defined_names[name] = DefinedName(name, attr_text=constant)
