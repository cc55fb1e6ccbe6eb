import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.workbook import layout as L
from statuskart.workbook.read import read_workbook
from statuskart.workbook.write import HEADER_ROW, write_template

from .conftest import column


@pytest.fixture
def template_path(tmp_path: Path, tsb: Catalogue) -> Path:
    return write_template(tsb, tmp_path / "skjema.xlsx", {"hf": "Helse Bergen HF"})


def test_template_sheets_names_and_stamp(template_path: Path, tsb: Catalogue) -> None:
    wb = load_workbook(template_path)
    assert wb.sheetnames == [L.FRONT_SHEET, L.CHECKLIST_SHEET, L.GUIDE_SHEET, L.STAMP_SHEET]
    assert wb[L.STAMP_SHEET].sheet_state == "veryHidden"
    stamp = {r[0].value: r[1].value for r in wb[L.STAMP_SHEET].iter_rows(max_col=2)}
    assert stamp["catalogue_id"] == "tsb"
    assert stamp["catalogue_version"] == tsb.version
    assert stamp["template_version"] == L.TEMPLATE_VERSION
    for field in L.META_FIELDS:
        sheet, ref = next(iter(wb.defined_names[field.name].destinations))
        assert sheet == L.FRONT_SHEET
        assert not wb[sheet][ref.replace("$", "")].protection.locked
    sheet, ref = next(iter(wb.defined_names["sk_hf"].destinations))
    assert wb[sheet][ref.replace("$", "")].value == "Helse Bergen HF"


def test_checklist_rows_protection_and_dropdowns(template_path: Path, tsb: Catalogue) -> None:
    wb = load_workbook(template_path)
    ws = wb[L.CHECKLIST_SHEET]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header == [c.label for c in L.COLUMNS]
    ids = [ws.cell(HEADER_ROW + 1 + i, 1).value for i in range(len(tsb.requirements))]
    assert ids == [r.id for r in tsb.requirements]
    assert ws.protection.sheet
    first = HEADER_ROW + 1
    last = HEADER_ROW + len(tsb.requirements)
    # Titles and headers locked; every cell of the requirement rows unlocked, since Excel sorts
    # no range with a locked cell on a protected sheet.
    for col in range(1, len(L.COLUMNS) + 1):
        assert ws.cell(HEADER_ROW, col).protection.locked
        for row in (first, last):
            assert not ws.cell(row, col).protection.locked, (row, col)
    assert ws.cell(1, 1).protection.locked
    assert ws.freeze_panes == f"C{first}"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    formulas = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert '"' + ",".join(tsb.scale.labels) + '"' in formulas
    assert '"lav,middels,høy"' in formulas
    assert ws.cell(first, column("text")).alignment.wrap_text
    guide = "\n".join(str(c.value) for row in wb[L.GUIDE_SHEET].iter_rows() for c in row if c.value)
    for step in tsb.scale.steps:
        assert step.label in guide and step.description in guide


def test_template_is_valid_ooxml_and_deterministic(tmp_path: Path, tsb: Catalogue) -> None:
    a = write_template(tsb, tmp_path / "a.xlsx")
    b = write_template(tsb, tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert z.testzip() is None
        assert "[Content_Types].xml" in z.namelist()


def test_blank_template_reads_back_as_unanswered(template_path: Path, tsb: Catalogue) -> None:
    result = read_workbook(template_path)
    assert result.raw is not None
    assert len(result.raw.rows) == len(tsb.requirements)
    assert result.raw.stamp["catalogue_id"] == "tsb"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_and_resaves_template(template_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "lo"
    done = subprocess.run(
        [
            "libreoffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(template_path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = read_workbook(out / "skjema.xlsx")
    assert result.raw is not None
    assert result.raw.stamp["catalogue_id"] == "tsb"
    assert result.raw.meta["hf"].value == "Helse Bergen HF"


def test_cli_template(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "t.xlsx"
    result = runner.invoke(
        main,
        [
            "template",
            "--pathway",
            "phv",
            "-o",
            str(out),
            "--unit",
            "Allmennpsykiatrisk poliklinikk",
            "--unit-type",
            "poliklinikk",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Psykisk helsevern voksne" in result.output
    wb = load_workbook(out)
    sheet, ref = next(iter(wb.defined_names["sk_enhet"].destinations))
    assert wb[sheet][ref.replace("$", "")].value == "Allmennpsykiatrisk poliklinikk"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pathway", "ukjent"], "Feil: Ukjent forløp «ukjent»"),
        (["--unit-type", "sykehjem"], "Feil: Ukjent enhetstype «sykehjem»"),
    ],
)
def test_cli_template_bad_input(tmp_path: Path, runner: CliRunner, args, message) -> None:
    result = runner.invoke(main, ["template", "-o", str(tmp_path / "x.xlsx"), *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(message)


def test_cli_template_unwritable_output(tmp_path: Path, runner: CliRunner) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    result = runner.invoke(main, ["template", "-o", str(blocker / "skjema.xlsx")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Feil: Kan ikke skrive til")
    assert "Traceback" not in result.output
