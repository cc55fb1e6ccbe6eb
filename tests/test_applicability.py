"""Requirements that do not apply to a unit's type: left out of its skjema, never asked for."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.pipeline.run import check_files
from statuskart.workbook import layout as L
from statuskart.workbook.write import HEADER_ROW, write_template

from .conftest import TODAY, WorkbookFactory, column, raw_of, row_of, submission_of

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run


def _not_for(tsb, unit_type):
    return [r.id for r in tsb.requirements if not r.applies_to(unit_type)]


def test_template_for_a_unit_type_leaves_out_what_does_not_apply(
    tmp_path: Path, tsb: Catalogue
) -> None:
    excluded = _not_for(tsb, "avrusning")
    assert excluded  # the catalogue has requirements that avrusning units don't answer
    path = write_template(tsb, tmp_path / "a.xlsx", {"unit_type": "avrusning"})
    raw = raw_of(path)
    ids = [row.value("id") for row in raw.rows]
    assert ids == [r.id for r in tsb.requirements if r.applies_to("avrusning")]
    ws = load_workbook(path)[L.CHECKLIST_SHEET]
    assert f"{len(excluded)} krav" in ws["A2"].value and "avrusning" in ws["A2"].value
    assert ws.auto_filter.ref.endswith(str(HEADER_ROW + len(ids)))
    full = raw_of(write_template(tsb, tmp_path / "b.xlsx"))
    assert len(full.rows) == len(tsb.requirements)


def test_cli_template_unit_type_then_filled_validates_clean(
    tmp_path: Path, runner: CliRunner, catalogues: dict[str, Catalogue], tsb: Catalogue
) -> None:
    out = tmp_path / "skjema.xlsx"
    args = ["template", "-o", str(out), "--hf", "Helse Bergen HF", "--unit", "Avrusning Nord"]
    result = runner.invoke(main, [*args, "--unit-type", "avrusning", "--period", "2026-T1"])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    ws = wb[L.CHECKLIST_SHEET]
    asked = [r for r in tsb.requirements if r.applies_to("avrusning")]
    for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(asked)):  # the requirement rows only
        ws.cell(r, column("status")).value = "Implementert"
    wb.save(out)
    (report,) = check_files([out], catalogues, TODAY)
    # Only what the template options left out (no --rhf, no «Utfylt av»): nothing is missing.
    codes = {f.code for f in report.findings}
    assert codes == {"rhf-inferred", "missing-metadata-optional"}, report.findings
    done = {a.requirement_id for a in submission_of(report).answers if a.status == "Implementert"}
    assert done == {r.id for r in asked}


def test_no_missing_or_empty_findings_for_requirements_outside_the_unit_type(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue], tsb: Catalogue
) -> None:
    excluded = _not_for(tsb, "avrusning")
    applying = next(r.id for r in tsb.requirements if r.counts_for_unit("avrusning"))
    answers = {rid: None for rid in excluded[1:]}  # kept in the sheet, left blank
    answers[applying] = None  # blank, but it applies: still reported

    def drop_first_excluded(wb):
        wb[L.CHECKLIST_SHEET].delete_rows(row_of(tsb, excluded[0]))

    path = filled_workbook(answers, meta={"unit_type": "avrusning"}, edit=drop_first_excluded)
    (report,) = check_files([path], catalogues, TODAY)
    empty = [f.message for f in report.findings if f.code == "status-empty"]
    missing = [f.message for f in report.findings if f.code == "requirement-missing"]
    assert len(empty) == 1 and applying in empty[0]
    assert missing == []
    # The same blanks in a poliklinikk's skjema are reported: the rule is the unit type.
    path = filled_workbook(answers, meta={"unit_type": "poliklinikk"}, edit=drop_first_excluded)
    (report,) = check_files([path], catalogues, TODAY)
    codes = [f.code for f in report.findings]
    assert codes.count("requirement-missing") == 1
    assert codes.count("status-empty") == len(excluded)
