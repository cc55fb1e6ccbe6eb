import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from statuskart.catalog.load import load_catalogs
from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.core.serialise import to_data
from statuskart.pipeline.run import check_files, score_files
from statuskart.workbook import layout as L
from statuskart.workbook.annotate import FILLS
from statuskart.workbook.write import HEADER_ROW

from .conftest import TODAY, WorkbookFactory, row_of


def test_help_and_version(runner: CliRunner) -> None:
    assert runner.invoke(main, ["--version"]).output.startswith("statuskart ")
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "Vis versjonen og avslutt." in result.output  # Click 8.2 gave its English text here
    assert "Show the version" not in result.output
    for command in ("template", "sample", "validate", "score", "build", "serve"):
        assert command in result.output
        helped = runner.invoke(main, [command, "--help"], prog_name="statuskart")
        assert helped.exit_code == 0
        assert helped.output.startswith(f"Bruk: statuskart {command} [VALG]")
        assert "Valg:" in helped.output and "Vis denne hjelpeteksten og avslutt." in helped.output
        for english in ("Usage:", "Options:", "Show this message", "[default:"):
            assert english not in helped.output, (command, english)


def test_usage_errors_are_bokmal_with_exit_code_2(runner: CliRunner) -> None:
    cases = {
        ("build", "--nope"): "Feil: Ukjent valg «--nope».",
        ("score", "--format", "xml"): "Feil: Ugyldig verdi for '--format': «xml» er ikke blant",
        ("score", "--top", "x"): "«x» er ikke et gyldig heltall.",
        ("sample", "--units", "0"): "0 er utenfor området 1<=x<=5000.",
        ("nosuch",): "Feil: Ukjent kommando «nosuch».",
    }
    for args, expected in cases.items():
        result = runner.invoke(main, list(args))
        assert result.exit_code == 2, args
        assert expected in result.stderr, (args, result.stderr)
        assert "Error" not in result.stderr


def test_validate_exit_codes_and_text(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    good = filled_workbook()
    result = runner.invoke(main, ["validate", str(good), "--today", "2026-11-24"])
    assert result.exit_code == 0
    assert result.output.startswith("OK ")
    bad = filled_workbook({"TSB-08": "Tja"})
    result = runner.invoke(main, ["validate", str(bad), "--today", "2026-11-24"])
    assert result.exit_code == 1
    # one bad status costs that cell, not the file: still used, but validate says it has errors
    assert (
        result.output.startswith("OK med merknader")
        and "[feil] Statuskartlegging!H" in result.output
    )
    assert "Slik retter du det:" in result.output
    missing = runner.invoke(main, ["validate", str(tmp_path / "finnes-ikke")])
    assert missing.exit_code == 2 and missing.stderr.startswith("Feil: Finner ikke")
    usage = runner.invoke(main, ["validate", "--format", "xml", str(good)])
    assert usage.exit_code == 2


def test_validate_json_equals_library(runner: CliRunner, filled_workbook: WorkbookFactory) -> None:
    path = filled_workbook({"TSB-01": "ja", "TSB-06": None})  # TSB-06: a unit row
    result = runner.invoke(
        main, ["validate", "--format", "json", "--today", "2026-11-24", str(path)]
    )
    assert result.exit_code == 0
    expected = to_data(check_files([path], load_catalogs(), TODAY))
    assert json.loads(result.output) == expected
    record = expected[0]
    assert record["sha256"] and record["status"] == "warnings"
    assert {f["code"] for f in record["findings"]} == {"status-normalised", "status-empty"}


def test_score_formats(runner: CliRunner, filled_workbook: WorkbookFactory) -> None:
    path = filled_workbook({"TSB-01": "Ikke startet", "TSB-02": "Påbegynt"})
    table = runner.invoke(main, ["score", str(path)])
    assert table.exit_code == 0
    assert "Poliklinikk for rus Sentrum" in table.output and "dekning 100\u00a0%" in table.output
    data = json.loads(runner.invoke(main, ["score", "--format", "json", str(path)]).output)
    reports = check_files([path], load_catalogs(), TODAY)
    assert data["scores"] == to_data(score_files(reports, load_catalogs()))
    out = runner.invoke(main, ["score", "--format", "csv", str(path)]).output
    rows = list(csv.DictReader(io.StringIO(out), delimiter=";"))
    first = next(r for r in rows if r["Krav"] == "TSB-01")
    assert first["Status"] == "Ikke startet" and first["Poeng"] == "0"
    assert first["Celle"] == f"Statuskartlegging!H{HEADER_ROW + 1}"
    assert first["Enhet"] == "Poliklinikk for rus Sentrum"
    started = next(r for r in rows if r["Krav"] == "TSB-02")
    assert started["Poeng"] == "0,33"  # comma decimals, as Norwegian Excel reads them


def test_score_lists_rejected_files_as_not_scored(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    filled_workbook()
    (tmp_path / "x.xlsx").write_bytes(b"garbage")
    result = runner.invoke(main, ["score", str(tmp_path)])
    assert "Ikke skåret:" in result.output and "x.xlsx" in result.output


def test_csv_export_is_formula_safe(runner: CliRunner, filled_workbook: WorkbookFactory) -> None:
    path = filled_workbook(meta={"unit": "@SUM(1+1)"})
    rows = runner.invoke(main, ["score", "--format", "csv", str(path)]).output
    assert "'@SUM(1+1)" in rows


def test_annotate_writes_marked_copy_and_keeps_original(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path, tsb: Catalogue
) -> None:
    path = filled_workbook({"TSB-08": "Tja", "TSB-09": None})
    before = path.read_bytes()
    out = tmp_path / "tilbakemelding"
    result = runner.invoke(main, ["validate", str(path), "--annotate", str(out)])
    assert result.exit_code == 1
    assert path.read_bytes() == before
    copy = out / (path.stem + ".tilbakemelding.xlsx")
    wb = load_workbook(copy)
    assert wb.sheetnames[0] == "Tilbakemelding"
    cell = wb[L.CHECKLIST_SHEET][f"H{row_of(tsb, 'TSB-08')}"]
    assert cell.comment is not None and "Tja" in cell.comment.text
    assert cell.fill.fgColor.rgb == FILLS["error"].fgColor.rgb
    feedback = list(wb["Tilbakemelding"].iter_rows(min_row=2, values_only=True))
    assert {r[1] for r in feedback} == {"status-invalid", "status-empty"}
    status = f"H{row_of(tsb, 'TSB-08')}"
    assert wb["Tilbakemelding"]["C2"].value == f"{L.CHECKLIST_SHEET}!{status}"
    link = wb["Tilbakemelding"]["C2"].hyperlink
    assert (link.target, link.location) == (None, f"'{L.CHECKLIST_SHEET}'!{status}")


def test_the_cli_leaves_click_as_it_found_it(runner: CliRunner) -> None:
    import click.core

    result = runner.invoke(main, ["--help"])
    assert "Bruk:" in result.output  # bokmål while the CLI runs …
    # … and Click's own texts afterwards (click.core imports gettext as _ without re-exporting)
    assert click.core._("Usage:") == "Usage:"  # type: ignore[attr-defined]


def test_today_is_a_date_in_either_spelling(
    runner: CliRunner, filled_workbook: WorkbookFactory
) -> None:
    path = filled_workbook()
    for spelling in ("2026-11-24", "24.11.2026"):
        assert runner.invoke(main, ["validate", str(path), "--today", spelling]).exit_code == 0
    bad = runner.invoke(main, ["validate", str(path), "--today", "31.02.2026"])
    assert bad.exit_code == 2 and "«31.02.2026» er ikke en dato" in bad.stderr
