"""The skjema's input help: input messages, validation, structure lock, unit types, long answers.

What a unit sees while typing must agree with what the reader accepts: a value the cell lets
through is read as typed, and one it refuses is one the reader would refuse too.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from statuskart.catalog.model import UNIT_TYPES, Catalogue
from statuskart.cli.commands import main
from statuskart.core import messages as msg
from statuskart.core.errors import CatalogError
from statuskart.validate.rules import validate_submission
from statuskart.validate.typed_values import unit_type
from statuskart.workbook import input_help as ih
from statuskart.workbook import layout as L
from statuskart.workbook import read as R
from statuskart.workbook.styles import SHARE_FORMAT
from statuskart.workbook.write import HEADER_ROW, write_template

from .conftest import (
    SYSTEM_PYTHON,
    TODAY,
    WorkbookFactory,
    column,
    has_uno,
    meta_row,
    raw_of,
    row_of,
)

SCRIPT = Path(__file__).with_name("lo_input.py")


@pytest.fixture
def skjema(tmp_path: Path, tsb: Catalogue) -> Path:
    return write_template(tsb, tmp_path / "skjema.xlsx")


def _validations(ws: Worksheet) -> list[DataValidation]:
    return list(ws.data_validations.dataValidation)


def _at(ws: Worksheet, ref: str) -> DataValidation:
    """The one validation that covers ``ref``."""
    found = [dv for dv in _validations(ws) if ref in dv.sqref]
    assert len(found) == 1, (ref, found)
    return found[0]


def _prompt(ws: Worksheet, ref: str) -> str:
    """The input message of the validation that covers ``ref``: the help a user sees."""
    prompt = _at(ws, ref).prompt
    assert prompt is not None, ref
    return prompt


def _letter(key: str) -> str:
    return chr(ord("A") + column(key) - 1)


def test_every_validated_cell_says_what_to_type_within_excels_limits(
    tmp_path: Path, catalogues: dict[str, Catalogue]
) -> None:
    for catalogue in catalogues.values():
        wb = load_workbook(write_template(catalogue, tmp_path / f"{catalogue.id}.xlsx"))
        validations = [dv for ws in wb.worksheets for dv in _validations(ws)]
        assert len(validations) == 7, catalogue.id  # status, risk, frist, andel; type, dato, mål
        for dv in validations:
            assert dv.showInputMessage and dv.showErrorMessage and dv.allow_blank, dv.sqref
            assert dv.promptTitle and dv.prompt and dv.errorTitle and dv.error, dv.sqref
            assert len(dv.promptTitle) <= 32 and len(dv.errorTitle) <= 32, dv.promptTitle
            assert len(dv.prompt) <= 255 and len(dv.error) <= 255, dv.prompt
            assert len(dv.formula1 or "") <= 255, dv.formula1


def test_answer_columns_are_validated_on_every_requirement_row(
    skjema: Path, tsb: Catalogue
) -> None:
    ws = load_workbook(skjema)[L.CHECKLIST_SHEET]
    first, last = HEADER_ROW + 1, HEADER_ROW + len(tsb.requirements)
    local_first = last + 3
    for key in ("status", "risk", "due", "share"):
        for row in (first, last):
            assert _at(ws, f"{_letter(key)}{row}").promptTitle, (key, row)
    for key in ("status", "risk", "due"):  # the unit's own rows too, but they have no share
        assert _at(ws, f"{_letter(key)}{local_first}").prompt
    assert not [dv for dv in _validations(ws) if f"{_letter('share')}{local_first}" in dv.sqref]
    assert _at(ws, f"{_letter('status')}{first}").formula1 == '"' + ",".join(tsb.scale.labels) + '"'
    assert "«Veiledning»" in _prompt(ws, f"{_letter('status')}{first}")
    assert "dd.mm.åååå" in _prompt(ws, f"{_letter('due')}{first}")


def test_share_accepts_0_to_100_percent_as_the_percent_cell_stores_it(
    skjema: Path, tsb: Catalogue
) -> None:
    ws = load_workbook(skjema)[L.CHECKLIST_SHEET]
    timed = next(r for r in tsb.requirements if r.time_limits)
    cell = ws.cell(row_of(tsb, timed.id), column("share"))
    assert cell.number_format == SHARE_FORMAT  # 80 % is stored 0.8, so the bounds are 0 and 1
    dv = _at(ws, cell.coordinate)
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", "1")
    assert dv.prompt is not None and dv.error is not None
    assert "80 %" in dv.prompt and "80 %" in dv.error
    assert "Grått felt" in dv.prompt  # the whole column is covered, so a sort cannot lose it


def test_front_sheet_type_date_and_target_are_validated(skjema: Path) -> None:
    ws = load_workbook(skjema)[L.FRONT_SHEET]
    unit = _at(ws, f"B{meta_row('unit_type')}")
    assert unit.type == "list" and unit.formula1 == '"' + ",".join(UNIT_TYPES) + '"'
    assert all(t in _prompt(ws, f"B{meta_row('unit_type')}") for t in UNIT_TYPES)
    assert _at(ws, f"B{meta_row('date')}").type == "date"
    assert "dd.mm.åååå" in _prompt(ws, f"B{meta_row('date')}")
    target = _at(ws, f"B{meta_row('target')}")
    assert (target.type, target.operator, target.formula1, target.formula2) == (
        "decimal",
        "between",
        "0",
        "100",
    )
    assert "0 til 100" in _prompt(ws, f"B{meta_row('target')}")
    help_text = ws.cell(meta_row("unit_type"), 3).value
    assert isinstance(help_text, str) and all(t in help_text for t in UNIT_TYPES)


@pytest.mark.parametrize(
    ("typed", "number_format", "read_as"),
    [(0, "General", 0.0), (75, "General", 75.0), (100, "General", 100.0), (0.8, "0%", 80.0)],
)
def test_a_target_the_cell_lets_through_is_read_as_typed(
    filled_workbook: WorkbookFactory,
    catalogues: dict[str, Catalogue],
    typed: float,
    number_format: str,
    read_as: float,
) -> None:
    def fmt(wb: Workbook) -> None:
        wb[L.FRONT_SHEET].cell(meta_row("target"), 2).number_format = number_format

    low, high = (float(b) for b in ih.TARGET_RANGE)
    assert low <= typed <= high  # the front sheet's validation lets it through
    path = filled_workbook(meta={"target": typed}, edit=fmt)
    report = validate_submission(raw_of(path), catalogues, TODAY)
    assert report.submission is not None
    assert report.submission.meta.target == read_as
    assert not [f for f in report.findings if f.code == "target-invalid"]


def test_a_share_the_cell_lets_through_is_read_as_the_percent_typed(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue], tsb: Catalogue
) -> None:
    timed = [r.id for r in tsb.requirements if r.time_limits][:3]
    low, high = (float(b) for b in ih.SHARE_RANGE)
    typed = dict(zip(timed, (low, 0.8, high), strict=True))
    path = filled_workbook({rid: {"status": "Påbegynt", "share": v} for rid, v in typed.items()})
    report = validate_submission(raw_of(path), catalogues, TODAY)
    assert report.submission is not None
    shares = {a.requirement_id: a.share for a in report.submission.answers}
    assert [shares[rid] for rid in timed] == [0.0, 80.0, 100.0]


def test_structure_is_locked_without_password_and_both_readers_read_it(
    filled_workbook: WorkbookFactory,
) -> None:
    path = filled_workbook({"TSB-08": {"status": "Påbegynt", "share": 0.5}})
    wb = load_workbook(path)
    assert wb.security is not None and wb.security.lockStructure
    assert not wb.security.workbookPassword and not wb.security.workbook_password
    with zipfile.ZipFile(path) as z:
        assert '<workbookProtection lockStructure="1"' in z.read("xl/workbook.xml").decode()
    assert R._read_fast(path.read_bytes(), str(path), "d") is not None  # the calamine path
    assert R.read_workbook(path) == R.read_workbook(path, fast=False)


def test_choice_lists_excel_cannot_show_are_refused_or_shortened() -> None:
    with pytest.raises(CatalogError, match="«Ja, delvis»"):
        ih.choice_list("status", ("Ja", "Ja, delvis", "Nei"))
    with pytest.raises(CatalogError, match="høyst 255"):
        ih.choice_list("status", tuple(f"Trinn nummer {i}" for i in range(20)))
    many = tuple(f"T{i:03d}" for i in range(45))  # fits the 255-character list, not the error
    dv = ih.choice_list("status", many)
    assert dv.formula1 is not None and len(dv.formula1) <= 255
    assert dv.error == msg.SKJEMA_CHOICES_TOO_LONG


def test_a_message_over_excels_limit_is_caught_before_writing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    help_text = msg.SKJEMA_INPUT_HELP["due"]
    monkeypatch.setitem(msg.SKJEMA_INPUT_HELP, "due", help_text._replace(title="F" * 33))
    with pytest.raises(ValueError, match="32"):
        ih.date_input("due")
    monkeypatch.setitem(msg.SKJEMA_INPUT_HELP, "due", help_text._replace(prompt="x" * 256))
    with pytest.raises(ValueError, match="255"):
        ih.date_input("due")


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("Poliklinikk", "poliklinikk"), ("DØGN", "døgn"), (" Ambulant  Team ", "ambulant")],
)
def test_unit_type_is_read_in_any_case_and_spacing(typed: str, canonical: str) -> None:
    assert unit_type(typed) == canonical
    assert unit_type("sykehjem") is None


@pytest.mark.parametrize("typed", ["Poliklinikk", "DØGN", "  vurderingsenhet "])
def test_cli_template_takes_unit_type_in_any_case(
    tmp_path: Path, runner: CliRunner, typed: str, tsb: Catalogue
) -> None:
    out = tmp_path / "t.xlsx"
    result = runner.invoke(main, ["template", "-o", str(out), "--unit-type", typed])
    assert result.exit_code == 0, result.output
    canonical = unit_type(typed)
    wb = load_workbook(out)
    assert wb[L.FRONT_SHEET].cell(meta_row("unit_type"), 2).value == canonical
    ws = wb[L.CHECKLIST_SHEET]
    ids = [ws.cell(r, 1).value for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    expected = [r.id for r in tsb.requirements if r.applies_to(canonical)]
    assert ids[: len(expected)] == expected


def test_cli_help_lists_every_unit_type(runner: CliRunner) -> None:
    result = runner.invoke(main, ["template", "--help"])
    flat = " ".join(result.output.split())
    assert all(t in flat for t in UNIT_TYPES), flat
    assert "Store og små bokstaver" in flat


def _row_tags(path: Path) -> dict[int, str]:
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet2.xml").decode()
    return {int(m[1]): m[0] for m in re.finditer(r'<row r="(\d+)"[^>]*>', xml)}


def test_answer_rows_start_at_the_fitted_height_and_may_grow(skjema: Path, tsb: Catalogue) -> None:
    tags = _row_tags(skjema)
    last = HEADER_ROW + len(tsb.requirements)
    answer_rows = [*range(HEADER_ROW + 1, last + 1), *range(last + 3, last + 3 + L.LOCAL_ROWS)]
    for row in answer_rows:  # a height, but not a custom one: the apps refit it on an edit
        assert ' ht="' in tags[row] and "customHeight" not in tags[row], tags[row]
    assert 'customHeight="1"' in tags[HEADER_ROW] and 'customHeight="1"' in tags[1]
    ws = load_workbook(skjema)[L.CHECKLIST_SHEET]
    assert all(ws.row_dimensions[row].height for row in answer_rows)


def test_guide_says_how_to_show_a_long_answer(skjema: Path) -> None:
    ws = load_workbook(skjema)[L.GUIDE_SHEET]
    lines = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    long_answers = lines["Lange svar"]
    assert isinstance(long_answers, str)
    assert "Excel" in long_answers and "LibreOffice" in long_answers
    assert "Optimal høyde" in long_answers


@pytest.mark.slow
@pytest.mark.skipif(not has_uno(), reason="LibreOffice with python3-uno is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_libreoffice_shows_messages_refuses_bad_values_and_grows_a_long_answer(
    skjema: Path, tsb: Catalogue, tmp_path: Path
) -> None:
    first = HEADER_ROW + 1
    timed = row_of(tsb, next(r for r in tsb.requirements if r.time_limits).id)
    share = f"{L.CHECKLIST_SHEET}!{_letter('share')}{timed}"
    target = f"{L.FRONT_SHEET}!B{meta_row('target')}"
    status = f"{L.CHECKLIST_SHEET}!{_letter('status')}{first}"
    comment = ("Dagens praksis beskrevet med mange ord, rad for rad. " * 12)[:600] + " SLUTTORD"
    spec = {
        "messages": {
            "status": status,
            "share": share,
            "due": f"{L.CHECKLIST_SHEET}!{_letter('due')}{first}",
            "risk": f"{L.CHECKLIST_SHEET}!{_letter('risk')}{first}",
            "unit_type": f"{L.FRONT_SHEET}!B{meta_row('unit_type')}",
            "date": f"{L.FRONT_SHEET}!B{meta_row('date')}",
            "target": target,
        },
        "typed": {
            share: ["80 %", "0 %", "100 %", "150 %", "80", "mye"],
            target: ["75", "0", "100", "150", "-1", "mange"],
            status: ["Implementert", "Ferdig"],
        },
        "long_answer": {
            "sheet_name": L.CHECKLIST_SHEET,
            "comment": f"{_letter('comment')}{first}",
            "row": first,
            "other": first + 1,
            "text": comment,
        },
    }
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    pdf = tmp_path / "utfylt.pdf"
    done = subprocess.run(
        [str(a) for a in (SYSTEM_PYTHON, SCRIPT, skjema, spec_file, tmp_path / "p", pdf)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    for key, (title, prompt, shown) in out["messages"].items():
        expected = msg.SKJEMA_INPUT_HELP[key]
        assert shown and title == expected.title and prompt, key
    marked = {ref: {t: bad for t, (_, bad) in vals.items()} for ref, vals in out["invalid"].items()}
    assert out["invalid"][share]["80 %"][0] == pytest.approx(0.8)  # stored as the fraction
    assert marked[share] == {
        "80 %": False,
        "0 %": False,
        "100 %": False,
        "150 %": True,
        "80": True,  # 8000 % in LibreOffice: refused, the error asks for «80 %»
        "mye": True,
    }
    assert marked[target] == {
        "75": False,
        "0": False,
        "100": False,
        "150": True,
        "-1": True,
        "mange": True,
    }
    assert marked[status] == {"Implementert": False, "Ferdig": True}
    rows = out["rows"]
    assert rows["optimal"] and rows["after"][0] > rows["before"][0]  # the row grew to the text
    assert rows["after"][1] == rows["before"][1]  # other rows keep the height they were given
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "SLUTTORD" in text  # the end of the long comment prints
