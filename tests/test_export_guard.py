"""The download guard: text a spreadsheet would run as a formula is neutralised (OWASP ASVS 1.2.10).

Rule (downloads/export.py, shown on the site under «Nedlastinger»): a text cell starting with
= + - @, tab, CR or NUL gets a leading apostrophe in CSV and XLSX; numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from statuskart.core.serialise import safe_cell
from statuskart.downloads.write import write_all
from statuskart.model.report import build_report
from statuskart.score.scoring import score_submission
from statuskart.validate.model import FileReport

from .conftest import worksheet
from .rules_support import make_catalogue, make_submission
from .shipped import download_csv

PLAN = '=HYPERLINK("http://x.invalid","klikk")'


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r", "\0"])
def test_every_formula_trigger_is_neutralised(first) -> None:
    """Export guard: text starting with any of = + - @ tab CR NUL gets a leading apostrophe."""
    assert safe_cell(f"{first}1+1") == f"'{first}1+1"


@pytest.mark.parametrize("value", ["Lage rutine", "a=b", " =1", "", "'=1", "1-2"])
def test_ordinary_text_is_unchanged(value) -> None:
    """Export guard: only the first character matters; ordinary text is left exactly as typed."""
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [-5, -0.5, 0, 87.5, None, dt.date(2026, 4, 30)])
def test_numbers_stay_numbers(value) -> None:
    """Export guard: a negative score or gain is a number, not text; it must not become text."""
    assert safe_cell(value) == value and type(safe_cell(value)) is type(value)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("export")
    cat = make_catalogue(
        tmp, [{"id": "E-01", "priority": "kritisk"}, {"id": "E-02", "priority": "normal"}]
    )
    sub = make_submission(
        {"E-01": "Ikke startet", "E-02": "Implementert"},
        unit="@Enhet",
        plans={"E-01": {"action": PLAN, "owner": "+47 leder", "due": dt.date(2026, 9, 1)}},
    )
    file = FileReport(path=sub.path, sha256="0", status="ok", submission=sub, findings=())
    model = build_report(
        [file],
        [score_submission(sub, cat)],
        {"rules": cat},
        build_date=dt.date(2026, 5, 1),
        version="test",
        method_version="1.0",
    )
    write_all(model, tmp)
    return tmp / "nedlastinger"


def csv_rows(folder, name):
    return list(csv.DictReader(io.StringIO(download_csv(folder, name)), delimiter=";"))


def xlsx_rows(path):
    ws = worksheet(load_workbook(path))
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2)]


def test_csv_downloads_are_guarded(downloads: Path) -> None:
    """Export guard: the unit's own plan, owner and unit name cannot run in Excel from CSV."""
    (action,) = csv_rows(downloads, "tiltak")
    assert action["Tiltak"] == "'" + PLAN and action["Ansvarlig"] == "'+47 leder"
    assert action["Enhet"] == "'@Enhet" and action["Krav"] == "E-01"
    (unit,) = csv_rows(downloads, "enheter")
    assert unit["Enhet"] == "'@Enhet"


def test_xlsx_downloads_are_guarded_and_numbers_stay_numbers(downloads: Path) -> None:
    """Export guard: in XLSX the text keeps its apostrophe and is text; scores stay numeric."""
    (action,) = xlsx_rows(downloads / "tiltak.xlsx")
    assert action["Tiltak"].value == "'" + PLAN and action["Tiltak"].data_type == "s"
    assert action["Ansvarlig"].value == "'+47 leder"
    assert action["Rang"].value == 1 and action["Gevinst"].value == pytest.approx(3.0)
    (unit,) = xlsx_rows(downloads / "enheter.xlsx")
    assert unit["Enhet"].value == "'@Enhet"
    assert unit["Skår"].value == pytest.approx(25.0)  # 1 of weight 3 + 1 → 25
