import datetime as dt
import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import Workbook

from statuskart.catalog.load import load_catalogs
from statuskart.catalog.model import Catalogue
from statuskart.pipeline.run import check_files
from statuskart.workbook import layout as L
from statuskart.workbook.read import read_workbook
from statuskart.workbook.write import HEADER_ROW

from .conftest import TODAY, WorkbookFactory, column, meta_row, row_of, worksheet


def check(*paths):
    return check_files(list(paths), load_catalogs(), TODAY)


def codes(report):
    return Counter(f.code for f in report.findings)


def only(report, code):
    found = [f for f in report.findings if f.code == code]
    assert found, (code, report.findings)
    return found[0]


def test_clean_workbook_is_ok(filled_workbook: WorkbookFactory) -> None:
    (report,) = check(filled_workbook())
    assert report.status == "ok", report.findings
    sub = report.submission
    assert sub.meta.unit == "Poliklinikk for rus Sentrum"
    assert sub.meta.rhf == "Helse Vest RHF"
    assert sub.catalogue_id == "tsb"
    assert all(a.status == "Implementert" for a in sub.answers)


def test_typed_status_variants_are_normalised(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    path = filled_workbook(
        {
            "TSB-01": "implementert ",
            "TSB-02": "IMPLEMENTERT",
            "TSB-03": "ja",
            "TSB-04": "delvis",
            "TSB-05": "Påbyrja",
            "TSB-06": {"status": "N/A", "comment": "Gjelder ikkje"},
            "TSB-07": {"status": "ikke relevant", "comment": "Ikke oss"},
        }
    )
    (report,) = check(path)
    answers = {a.requirement_id: a.status for a in report.submission.answers}
    assert answers["TSB-01"] == answers["TSB-02"] == answers["TSB-03"] == "Implementert"
    assert answers["TSB-04"] == "Delvis implementert"
    assert answers["TSB-05"] == "Påbegynt"
    assert answers["TSB-06"] == answers["TSB-07"] == "Ikke aktuelt"
    assert report.status == "warnings"
    note = only(report, "status-normalised")
    assert note.severity == "info"
    assert note.cell == f"H{row_of(tsb, 'TSB-03')}"


def test_invalid_status_is_an_error_at_the_cell(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    """A bad cell costs that cell, not the unit: the requirement is unanswered, the rest used."""
    (report,) = check(filled_workbook({"TSB-08": "Delvis ok"}))
    assert report.status == "warnings" and report.submission is not None
    answers = {a.requirement_id: a for a in report.submission.answers}
    assert answers["TSB-08"].status is None and answers["TSB-08"].points is None
    assert answers["TSB-09"].status == "Implementert"
    f = only(report, "status-invalid")
    assert f.severity == "error"
    assert (f.sheet, f.cell) == (L.CHECKLIST_SHEET, f"H{row_of(tsb, 'TSB-08')}")
    assert "«Delvis ok»" in f.message and "Ikke startet" in f.fix


def test_empty_status_is_unanswered_not_zero(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    (report,) = check(filled_workbook({"TSB-10": None}))
    assert report.status == "warnings"
    f = only(report, "status-empty")
    assert f.severity == "warning" and f.cell == f"H{row_of(tsb, 'TSB-10')}"
    answer = next(a for a in report.submission.answers if a.requirement_id == "TSB-10")
    assert answer.status is None and answer.points is None


@pytest.mark.parametrize(
    ("key", "label"),
    [("unit", "Enhet"), ("hf", "HF eller institusjon"), ("period", "Periode / runde")],
)
def test_missing_required_metadata(filled_workbook: WorkbookFactory, key, label) -> None:
    (report,) = check(filled_workbook(meta={key: None}))
    f = only(report, "missing-metadata")
    assert report.status == "rejected"
    assert (f.sheet, f.cell) == (L.FRONT_SHEET, f"B{meta_row(key)}")
    assert label in f.message


def test_missing_rhf_is_inferred_from_hf(filled_workbook: WorkbookFactory) -> None:
    (report,) = check(filled_workbook(meta={"rhf": None}))
    assert report.submission.meta.rhf == "Helse Vest RHF"
    assert only(report, "rhf-inferred").severity == "info"


def test_metadata_found_by_label_when_rows_move(filled_workbook: WorkbookFactory) -> None:
    def move(wb):
        front = wb[L.FRONT_SHEET]
        front.insert_rows(2, amount=3)  # defined names now point at the wrong rows

    (report,) = check(filled_workbook(edit=move))
    assert report.submission is not None, report.findings
    assert report.submission.meta.unit == "Poliklinikk for rus Sentrum"


def test_columns_found_by_header_text(filled_workbook: WorkbookFactory, tsb: Catalogue) -> None:
    def shuffle(wb):
        ws = wb[L.CHECKLIST_SHEET]
        ws.insert_cols(1)  # every column moves one to the right
        ws.cell(L_HEADER, column("status") + 1).value = "  STATUS  "
        ws.cell(L_HEADER, column("comment") + 1).value = "Kommentar"
        ws.column_dimensions["H"].hidden = True

    L_HEADER = 3
    (report,) = check(
        filled_workbook({"TSB-09": {"status": "Påbegynt", "comment": "Tekst"}}, edit=shuffle)
    )
    assert report.status == "ok", report.findings
    answer = next(a for a in report.submission.answers if a.requirement_id == "TSB-09")
    assert answer.status == "Påbegynt" and answer.comment == "Tekst"
    assert answer.cell == f"{L.CHECKLIST_SHEET}!I{row_of(tsb, 'TSB-09')}"


def test_deleted_duplicate_and_unknown_rows(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    def mangle(wb):
        ws = wb[L.CHECKLIST_SHEET]
        ws.delete_rows(row_of(tsb, "TSB-06"))  # a unit row; an HF row may be left out
        last = ws.max_row + 1
        ws.cell(last, 1).value = "TSB-02"
        ws.cell(last, column("status")).value = "Påbegynt"
        ws.cell(last + 1, 1).value = "TSB-99"
        ws.cell(last + 1, column("status")).value = "Implementert"

    (report,) = check(filled_workbook(edit=mangle))
    found = codes(report)
    assert (
        found["requirement-missing"] == 1
        and found["duplicate-id"] == 1
        and found["unknown-id"] == 1
    )
    assert "TSB-06" in only(report, "requirement-missing").message
    assert "TSB-02" in only(report, "duplicate-id").message
    assert report.status == "rejected"


def test_comment_action_owner_due_and_risk(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    path = filled_workbook(
        {
            "TSB-11": {"status": "Ikke aktuelt"},
            "TSB-12": {"status": "Påbegynt", "action": "Lage rutine"},
            "TSB-13": {
                "status": "Påbegynt",
                "action": "Lage rutine",
                "owner": "Leder",
                "due": "01.02.2026",
            },
            "TSB-14": {"status": "Påbegynt", "action": "X", "owner": "Leder", "due": "snart"},
            "TSB-15": {"status": "Påbegynt", "risk": "kanskje"},
            "TSB-16": {
                "status": "Delvis",
                "action": "Y",
                "owner": "Leder",
                "due": "1.2.27",
                "risk": "HØY",
            },
        }
    )
    (report,) = check(path)
    found = codes(report)
    assert found["na-without-reason"] == 1
    assert found["action-without-owner"] == 1 and found["action-without-due"] == 1
    assert found["unparseable-date"] == 1 and found["risk-invalid"] == 1
    assert found["due-in-past"] == 1  # 01.02.2026 is before the skjema's date 30.04.2026
    assert only(report, "due-in-past").cell == f"M{row_of(tsb, 'TSB-13')}"
    answers = {a.requirement_id: a for a in report.submission.answers}
    assert answers["TSB-16"].due == dt.date(2027, 2, 1) and answers["TSB-16"].risk == "høy"
    assert answers["TSB-13"].due == dt.date(2026, 2, 1)


def test_free_text_is_kept_exactly(filled_workbook: WorkbookFactory) -> None:
    text = "  <script>alert(1)</script>\n{{ x }} **fet**  "
    (report,) = check(filled_workbook({"TSB-20": {"status": "Påbegynt", "comment": text}}))
    answer = next(a for a in report.submission.answers if a.requirement_id == "TSB-20")
    assert answer.comment == text


def test_stamp_missing_retired_and_unknown(filled_workbook: WorkbookFactory) -> None:
    def drop_stamp(wb):  # the sheet and its fallbacks (tests/test_stamp.py has the fallbacks)
        del wb[L.STAMP_SHEET]
        for name in L.STAMP_DEFINED_NAMES.values():
            del wb.defined_names[name]
        wb.custom_doc_props.props = []

    (report,) = check(filled_workbook(edit=drop_stamp))
    assert only(report, "missing-stamp").severity == "warning"
    assert report.submission.catalogue_id == "tsb"

    def stamp(cat, version):
        def edit(wb):
            wb[L.STAMP_SHEET]["B1"] = cat
            wb[L.STAMP_SHEET]["B2"] = version

        return edit

    (retired,) = check(filled_workbook(edit=stamp("tsb", "2019.1")))
    assert only(retired, "catalogue-version-retired").severity == "warning"
    (unknown_version,) = check(filled_workbook(edit=stamp("tsb", "1999")))
    assert only(unknown_version, "catalogue-version-unknown")
    (unknown,) = check(filled_workbook(edit=stamp("kreft", "1")))
    assert only(unknown, "unknown-catalogue").severity == "error"


def test_no_checklist_sheet_and_missing_status_column(filled_workbook: WorkbookFactory) -> None:
    def rename(wb):
        ws = wb[L.CHECKLIST_SHEET]
        ws.title = "Ark1"
        ws.cell(HEADER_ROW, column("status")).value = "Vurdering"

    (report,) = check(filled_workbook(edit=rename))
    assert only(report, "no-checklist-sheet").severity == "error"

    def drop_status(wb):
        wb[L.CHECKLIST_SHEET].cell(HEADER_ROW, column("status")).value = None

    (report,) = check(filled_workbook(edit=drop_status))
    assert "Status" in only(report, "missing-column").message


def test_duplicate_submission_names_both_files(filled_workbook: WorkbookFactory) -> None:
    a = filled_workbook(name="a.xlsx")
    b = filled_workbook(name="b.xlsx")
    reports = check(a, b)
    for r in reports:
        f = only(r, "duplicate-submission")
        assert str(a) in f.message and str(b) in f.message
        assert r.status == "rejected"


def test_period_disagreeing_with_folder(filled_workbook: WorkbookFactory, tmp_path: Path) -> None:
    path = filled_workbook()
    folder = tmp_path / "2025-T3"
    folder.mkdir()
    moved = path.rename(folder / path.name)
    (report,) = check(moved)
    assert only(report, "period-folder-mismatch").severity == "warning"


# --- hostile and broken files ------------------------------------------------------------------


def zip_bytes(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


def workbook_bytes():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def hostile_files():
    good = workbook_bytes()
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
            for i in range(1, 10)
        )
        + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    bomb = dict(parts)
    bomb["xl/worksheets/sheet1.xml"] = b"<" + b" " * (120 * 2**20) + b"/>"
    entity = dict(parts)
    entity["xl/worksheets/sheet1.xml"] = laughs
    return {
        "zip-bomb.xlsx": (zip_bytes(bomb), "too-large"),
        "entities.xlsx": (zip_bytes(entity), "unsafe-content"),
        "truncated.xlsx": (good[: len(good) // 2], "corrupt-file"),
        "encrypted.xlsx": (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\0" * 500
            + "EncryptedPackage".encode("utf-16-le")
            + b"\0" * 500,
            "encrypted",
        ),
        "bilde.xlsx": (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "not-a-spreadsheet"),
        "tom.xlsx": (b"", "not-a-spreadsheet"),
        "gammel.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000, "legacy-format"),
        "skadet.xls": (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") + b"\0" * 1000,
            "corrupt-file",
        ),
        "regneark.ods": (
            zip_bytes(
                {
                    "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                    "content.xml": b"<x/>",
                }
            ),
            "corrupt-file",  # .ods is read (python-calamine); this one is broken
        ),
        "mal.ots": (
            zip_bytes(
                {
                    "mimetype": b"application/vnd.oasis.opendocument.spreadsheet-template",
                    "content.xml": b"<x/>",
                }
            ),
            "legacy-format",
        ),
    }


@pytest.mark.parametrize("name", sorted(hostile_files()))
def test_hostile_files_get_a_clean_finding(tmp_path: Path, name) -> None:
    data, code = hostile_files()[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = read_workbook(path)
    assert result.raw is None
    assert [f.code for f in result.findings] == [code]
    assert result.findings[0].severity == "error"


def test_far_away_cell_does_not_exhaust_memory(tmp_path: Path) -> None:
    wb = Workbook()
    worksheet(wb)["A1"] = "ID"
    worksheet(wb)["XFD1048576"] = "x"
    path = tmp_path / "sparse.xlsx"
    wb.save(path)
    (report,) = check(path)
    assert report.status == "rejected"


def test_one_bad_file_does_not_stop_the_others(
    tmp_path: Path, filled_workbook: WorkbookFactory
) -> None:
    good = filled_workbook()
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    reports = check(tmp_path)
    assert {r.path: r.status for r in reports} == {
        str(tmp_path / "bad.xlsx"): "rejected",
        str(good): "ok",
    }


def test_every_corpus_file_is_read_or_cleanly_refused(corpus: list[Path]) -> None:
    reports = check(corpus[0].parent)  # the folder, as a user would give it
    assert sorted(r.path for r in reports) == [str(p) for p in corpus]  # each file, once
    assert len(reports) == 81  # the corpus README's count
    for r in reports:
        assert r.status in ("ok", "warnings", "rejected")
        assert r.status != "rejected" or any(f.severity == "error" for f in r.findings), r.path
        for f in r.findings:
            assert f.message and f.fix and f.file == r.path
