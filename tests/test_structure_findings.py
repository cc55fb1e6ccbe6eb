"""Findings that lead to the fix when the structure breaks: the cause, where it is, nothing else."""

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from statuskart.catalog.load import load_catalogs
from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.core.findings import TEXT_LEFT_OUT, finding, without_typed_text
from statuskart.pipeline.run import check_files
from statuskart.validate.skjema_type import skjema_unit_types
from statuskart.workbook import layout as L
from statuskart.workbook.write import HEADER_ROW, build_template, save_workbook

from .conftest import META, TODAY, WorkbookFactory, column, meta_row, raw_of


def check(*paths):
    return check_files(list(paths), load_catalogs(), TODAY)


def codes(report):
    return Counter(f.code for f in report.findings)


def only(report, code):
    found = [f for f in report.findings if f.code == code]
    assert len(found) == 1, (code, report.findings)
    return found[0]


# --- the ID header ---------------------------------------------------------------------------


def test_renamed_id_header_names_the_sheet_row_and_the_typed_header(
    filled_workbook: WorkbookFactory,
) -> None:
    def rename(wb):
        wb[L.CHECKLIST_SHEET].cell(HEADER_ROW, column("id")).value = "Nr.<b>"

    (report,) = check(filled_workbook(edit=rename))
    assert report.status == "rejected"
    assert list(codes(report)) == ["id-column-missing"]
    f = report.findings[0]
    assert (f.sheet, f.cell, f.severity) == (L.CHECKLIST_SHEET, f"A{HEADER_ROW}", "error")
    assert f"«{L.CHECKLIST_SHEET}», overskriftsraden er rad {HEADER_ROW}" in f.message
    assert "«Nr.<b>»" in f.message  # as typed: the site and the copy escape it where it lands
    assert "«ID»" in f.message and "«ID»" in f.fix
    assert without_typed_text(f).detail == TEXT_LEFT_OUT  # a typed header is free text


def test_deleted_id_header_points_at_the_blank_header_cell(
    filled_workbook: WorkbookFactory,
) -> None:
    def delete(wb):
        ws = wb[L.CHECKLIST_SHEET]
        ws.insert_cols(1)  # a column of the user's own first, so the ID column is B
        ws.cell(HEADER_ROW, 1).value = "Notat"
        ws.cell(HEADER_ROW, column("id") + 1).value = None

    (report,) = check(filled_workbook(edit=delete))
    f = only(report, "id-column-missing")
    assert f.cell == f"B{HEADER_ROW}"  # the blank one left of the known headers, not «Notat»
    assert "«Notat»" in f.message and "no-checklist-sheet" not in codes(report)


def test_renamed_sheet_without_id_header_is_still_the_checklist(
    filled_workbook: WorkbookFactory,
) -> None:
    def rename(wb):
        ws = wb[L.CHECKLIST_SHEET]
        ws.title = "Ark1"
        ws.cell(HEADER_ROW, column("id")).value = "Nummer"

    (report,) = check(filled_workbook(edit=rename))
    f = only(report, "id-column-missing")
    assert (f.sheet, f.cell) == ("Ark1", f"A{HEADER_ROW}") and "«Ark1»" in f.message


def test_a_sheet_with_no_checklist_headers_is_still_no_checklist(
    filled_workbook: WorkbookFactory,
) -> None:
    def blank(wb):
        ws = wb[L.CHECKLIST_SHEET]
        for c in range(1, len(L.COLUMNS) + 1):
            ws.cell(HEADER_ROW, c).value = "x" if c == 1 else None

    (report,) = check(filled_workbook(edit=blank))
    assert list(codes(report)) == ["no-checklist-sheet"]
    assert f"«{L.CHECKLIST_SHEET}»" in report.findings[0].message


# --- the front sheet -------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["delete", "rename"])
def test_missing_front_sheet_is_one_finding_not_one_per_field(
    filled_workbook: WorkbookFactory, how
) -> None:
    def edit(wb):
        if how == "delete":
            del wb[L.FRONT_SHEET]
        else:
            wb[L.FRONT_SHEET].title = "Ark1"

    (report,) = check(filled_workbook(edit=edit))
    assert report.status == "rejected" and report.submission is None
    found = codes(report)
    assert found["front-sheet-missing"] == 1
    assert not found["missing-metadata"] and not found["missing-metadata-optional"]
    f = only(report, "front-sheet-missing")
    assert f.severity == "error" and f"«{L.FRONT_SHEET}»" in f.message
    for field in L.META_FIELDS:  # every field that cannot be read is named
        assert f"«{field.label}»" in f.message


def test_fields_on_the_checklist_sheet_need_no_front_sheet(
    filled_workbook: WorkbookFactory,
) -> None:
    """A one-sheet variant: the fields are above the table; only the empty ones are findings."""

    def one_sheet(wb):
        del wb[L.FRONT_SHEET]
        ws = wb[L.CHECKLIST_SHEET]
        labels = [("HF eller institusjon", META["hf"]), ("Enhet", "U"), ("Periode", "2026-T1")]
        for i, (label, value) in enumerate(labels):
            ws.cell(3, 1 + 2 * i).value = label
            ws.cell(3, 2 + 2 * i).value = value

    (report,) = check(filled_workbook(edit=one_sheet))
    assert "front-sheet-missing" not in codes(report)
    assert report.submission is not None and report.submission.meta.unit == "U"
    assert codes(report)["missing-metadata-optional"] == 2  # unit type and «Utfylt av»


# --- a skjema for another unit type ----------------------------------------------------------


def typed_skjema(tmp_path, tsb, made_for, front, *, stamped=True, drop=None, answer=True):
    wb = build_template(tsb, {**META, "unit_type": front}, unit_type=made_for)
    ws = wb[L.CHECKLIST_SHEET]
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        if str(row[0].value or "").startswith("TSB") and answer:
            row[column("status") - 1].value = "Implementert"
        if row[0].value == drop:
            row[0].value = None
            for cell in row:
                cell.value = None
    if not stamped:
        stamp = wb[L.STAMP_SHEET]
        for row in stamp.iter_rows():
            if row[0].value == "unit_type":
                row[1].value = None
    path = tmp_path / f"{made_for}-{front}-{stamped}-{drop}.xlsx"
    save_workbook(wb, path)
    return path


@pytest.mark.parametrize("stamped", [True, False])
def test_wrong_unit_type_is_one_finding(tmp_path: Path, tsb: Catalogue, stamped) -> None:
    (report,) = check(typed_skjema(tmp_path, tsb, "akutt", "døgn", stamped=stamped))
    assert report.status == "rejected"
    assert "requirement-missing" not in codes(report)
    f = only(report, "unit-type-mismatch")
    assert (f.sheet, f.cell) == (L.FRONT_SHEET, f"B{meta_row('unit_type')}")
    missing = [r.id for r in tsb.requirements if r.counts_for_unit("døgn")]
    missing = [rid for rid in missing if not tsb.by_id[rid].applies_to("akutt")]
    assert len(missing) > 8  # enough that the message names eight and counts the rest
    assert "laget for enhetstypen «akutt», men forsiden sier «døgn»" in f.message
    assert f"{len(missing)} krav som gjelder for døgn" in f.message
    assert ", ".join(missing[:8]) + f" og {len(missing) - 8} til" in f.message
    assert "--unit-type" in f.fix


def test_a_row_the_unit_deleted_is_still_its_own_finding(tmp_path: Path, tsb: Catalogue) -> None:
    kept = next(r.id for r in tsb.requirements if r.counts_for_unit("akutt"))
    (report,) = check(typed_skjema(tmp_path, tsb, "akutt", "døgn", drop=kept))
    assert only(report, "requirement-missing").detail == kept
    assert only(report, "unit-type-mismatch").severity == "error"


def test_a_skjema_with_every_row_the_type_needs_is_fine(tmp_path: Path, tsb: Catalogue) -> None:
    # A døgn skjema has all rows; a poliklinikk unit using it just answers more.
    (report,) = check(typed_skjema(tmp_path, tsb, "døgn", "poliklinikk"))
    assert "unit-type-mismatch" not in codes(report) and report.submission is not None
    (report,) = check(typed_skjema(tmp_path, tsb, "poliklinikk", "poliklinikk"))
    assert report.status == "ok", report.findings


def test_inferred_type_needs_rows_matching_a_type(tmp_path: Path, tsb: Catalogue) -> None:
    raw = raw_of(typed_skjema(tmp_path, tsb, "akutt", "døgn", stamped=False))
    assert skjema_unit_types(raw, tsb) == ("akutt",)
    raw = raw_of(typed_skjema(tmp_path, tsb, None, "døgn", stamped=False))
    assert skjema_unit_types(raw, tsb) == ()  # every row: made for all types
    drop = next(r.id for r in tsb.requirements if r.applies_to("akutt"))
    raw = raw_of(typed_skjema(tmp_path, tsb, "akutt", "døgn", stamped=False, drop=drop))
    assert skjema_unit_types(raw, tsb) == ()  # a deleted row: no type's rows, no guess


def test_template_stamps_its_unit_type(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "poli.xlsx"
    result = runner.invoke(
        main, ["template", "--pathway", "tsb", "--unit-type", "poliklinikk", "-o", str(out)]
    )  # no HF, unit or period: the unit type is still checked
    assert result.exit_code == 0, result.output
    stamp = load_workbook(out)[L.STAMP_SHEET]
    assert {r[0]: r[1] for r in stamp.iter_rows(values_only=True)}["unit_type"] == "poliklinikk"
    wb = load_workbook(out)
    wb[L.FRONT_SHEET].cell(meta_row("unit_type"), 2).value = "Døgn"
    for row in wb[L.CHECKLIST_SHEET].iter_rows(min_row=HEADER_ROW + 1):
        if str(row[0].value or "").startswith("TSB"):
            row[column("status") - 1].value = "Implementert"
    wb.save(out)
    result = runner.invoke(main, ["validate", str(out)])
    assert result.output.count("passer ikke sammen") == 1
    assert "Raden for krav" not in result.output  # no «Raden for krav … mangler»


# --- every row finding names its requirement -------------------------------------------------


def test_row_findings_name_their_requirement(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    answers = {
        "TSB-04": "ja",
        "TSB-08": "Tja",
        "TSB-09": {"status": "Påbegynt", "due": "01.01.2020"},
        "TSB-10": {"status": "Påbegynt", "due": "snart", "risk": "kanskje"},
    }
    timed = next(r.id for r in tsb.requirements if r.time_limits and r.id not in answers)
    answers[timed] = {"status": "Påbegynt", "share": "mye"}
    (report,) = check(filled_workbook(answers, meta={"date": "en gang"}))
    seen = set()
    for f in report.findings:
        if f.sheet == L.CHECKLIST_SHEET:
            assert f.requirement and f.message.count(f.requirement) >= 1, f
            seen.add(f.code)
        else:
            assert not f.requirement and not f.message.startswith("TSB")
    assert {
        "status-normalised",
        "status-invalid",
        "due-in-past",
        "unparseable-date",
        "risk-invalid",
        "share-invalid",
    } <= seen
    due = next(f for f in report.findings if f.code == "due-in-past")
    assert due.message.startswith("TSB-09: Fristen 01.01.2020 er passert")


def test_requirement_is_named_once_and_whole() -> None:
    f = finding("status-empty", "x.xlsx", detail="TSB-10", requirement="TSB-10")
    assert f.message.count("TSB-10") == 1  # the template names it: no prefix
    f = finding("status-empty", "x.xlsx", detail="TSB-10", requirement="TSB-1")
    assert f.message.startswith("TSB-1: ")  # «TSB-1» is not named by «TSB-10»
    f = finding("due-in-past", "x.xlsx", detail="01.01.2020")
    assert f.message.startswith("Fristen") and f.requirement == ""
    hidden = without_typed_text(finding("risk-invalid", "x", detail="<i>", requirement="EGEN-2"))
    assert hidden.message.startswith("EGEN-2: ") and TEXT_LEFT_OUT in hidden.message
