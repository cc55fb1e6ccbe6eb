"""«Egne krav», Kilde and «Andel innen forløpstid» in the skjema: written, read and validated."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from statuskart.catalog.load import load_catalogs
from statuskart.catalog.model import Catalogue
from statuskart.core.findings import TEXT_LEFT_OUT, without_typed_text
from statuskart.pipeline.run import check_files
from statuskart.score.scoring import score_submission
from statuskart.validate.typed_values import parse_share
from statuskart.workbook import layout as L
from statuskart.workbook.checklist_parts import source_text
from statuskart.workbook.styles import SHARE_FORMAT
from statuskart.workbook.write import HEADER_ROW, write_template

from .conftest import TODAY, WorkbookFactory, column, raw_of, row_of

TIMED = "TSB-25"  # a unit row with a forløpstid (TSB-01–05 are HF rows)
"""A requirement with a forløpstid (Henvisning vurdert innen 10 virkedager)."""
UNTIMED = "TSB-01"


def local_row(catalogue, n: int) -> int:
    """Sheet row of «EGEN-n» in a new skjema: after the last requirement, a blank row, a heading."""
    return HEADER_ROW + len(catalogue.requirements) + 2 + n


def fill_local(catalogue, entries):
    """An edit callback writing {n: {column key: value}} into the «Egne krav» rows."""

    def edit(wb):
        ws = wb[L.CHECKLIST_SHEET]
        for n, fields in entries.items():
            for key, value in fields.items():
                ws.cell(local_row(catalogue, n), column(key)).value = value

    return edit


def check(*paths):
    (report,) = check_files(list(paths), load_catalogs(), TODAY)
    return report


def at(report, code):
    found = [f for f in report.findings if f.code == code]
    assert found, (code, [f.code for f in report.findings])
    return found


def test_template_has_local_block_source_and_share_columns(tmp_path: Path, tsb: Catalogue) -> None:
    wb = load_workbook(write_template(tsb, tmp_path / "s.xlsx"))
    ws = wb[L.CHECKLIST_SHEET]
    heading = local_row(tsb, 0)
    assert ws.cell(heading - 1, 1).value is None  # a blank row keeps the block off the table
    assert ws.cell(heading, 1).value == L.LOCAL_HEADING
    ids = [ws.cell(local_row(tsb, n), 1).value for n in range(1, L.LOCAL_ROWS + 1)]
    assert ids == [f"EGEN-{n}" for n in range(1, L.LOCAL_ROWS + 1)]
    assert ws.cell(local_row(tsb, L.LOCAL_ROWS + 1), 1).value is None
    first = local_row(tsb, 1)
    assert ws.cell(first, column("id")).protection.locked  # the ID marks the row as local
    for key in L.LOCAL_INPUT_COLUMNS:
        assert not ws.cell(first, column(key)).protection.locked, key
    assert ws.cell(first, column("share")).protection.locked  # no forløpstid, no share
    # The status dropdown and date check cover the local rows too.
    status_letter = get_column_letter(column("status"))
    status_dv = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert f"{status_letter}{first}" in status_dv.sqref
    # Kilde: short text, the full address as the link; sekundærkilde marked.
    official = tsb.by_id[UNTIMED]
    cell = ws.cell(row_of(tsb, UNTIMED), column("source"))
    assert official.official_source
    assert cell.value == "helsedirektoratet.no"
    assert cell.hyperlink is not None and cell.hyperlink.target == official.source
    secondary = next(r for r in tsb.requirements if not r.official_source)
    text = ws.cell(row_of(tsb, secondary.id), column("source")).value
    assert text == source_text(secondary) and source_text(secondary).endswith("(sekundærkilde)")
    # The share is an input only where there is a forløpstid, shown as a percentage.
    timed = ws.cell(row_of(tsb, TIMED), column("share"))
    assert tsb.by_id[TIMED].time_limits and timed.number_format == SHARE_FORMAT
    assert timed.fill.fgColor.rgb.endswith("FFF8DC")
    assert ws.cell(row_of(tsb, UNTIMED), column("share")).fill.fgColor.rgb.endswith("D9D9D9")
    guide = " ".join(str(c.value) for row in wb[L.GUIDE_SHEET].iter_rows() for c in row)
    assert "Helsedirektoratet" in guide and "(NLOD)" in guide and "Egne krav" in guide


def test_blank_local_rows_are_not_read_and_filled_ones_are(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    blank = raw_of(filled_workbook())
    assert blank.local_rows == ()
    assert [r.value("id") for r in blank.rows] == [r.id for r in tsb.requirements]
    path = filled_workbook(edit=fill_local(tsb, {2: {"title": "Eget mål"}}))
    (row,) = raw_of(path).local_rows
    assert (row.row, row.value("id")) == (local_row(tsb, 2), "EGEN-2")
    assert row.value("title") == "Eget mål"


def test_local_rows_are_validated_like_others_but_never_unknown_ids(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    path = filled_workbook(
        edit=fill_local(
            tsb,
            {
                1: {
                    "title": "Pårørendesamtale",
                    "text": "Innen to uker",
                    "status": "Påbegynt",
                    "action": "Lage rutine",
                    "owner": "Enhetsleder",
                    "due": "01.03.2027",
                },
                3: {"title": "Brukerundersøkelse", "status": "Tja", "due": "snart"},
                4: {"title": "Med andel", "status": "Implementert", "share": 0.8},
                5: {"title": "Uten status"},
            },
        )
    )
    report = check(path)
    assert report.status == "warnings"
    (no_status,) = at(report, "status-empty")  # a unit's own row must be answered too
    assert no_status.cell == f"{get_column_letter(column('status'))}{local_row(tsb, 5)}"
    assert "unknown-id" not in {f.code for f in report.findings}
    local = report.submission.local
    assert [r.id for r in local] == ["EGEN-1", "EGEN-3", "EGEN-4", "EGEN-5"]
    first = local[0]
    assert (first.title, first.text) == ("Pårørendesamtale", "Innen to uker")
    assert (first.answer.status, first.answer.action, first.answer.owner) == (
        "Påbegynt",
        "Lage rutine",
        "Enhetsleder",
    )
    assert first.answer.due.isoformat() == "2027-03-01"
    row3 = local_row(tsb, 3)
    (bad_status,) = at(report, "status-invalid")
    assert bad_status.cell == f"{get_column_letter(column('status'))}{row3}"
    (bad_date,) = at(report, "unparseable-date")
    assert bad_date.cell == f"{get_column_letter(column('due'))}{row3}"
    (share,) = at(report, "share-without-time-limit")
    assert share.cell == f"{get_column_letter(column('share'))}{local_row(tsb, 4)}"
    assert local[2].answer.share is None
    # Never part of the catalogue's answers.
    assert all(not a.requirement_id.startswith("EGEN") for a in report.submission.answers)


def test_local_requirements_do_not_change_the_score(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    answers = {"TSB-08": "Delvis implementert", "TSB-09": "Ikke startet"}
    plain = check(filled_workbook(answers)).submission
    entries = {n: {"title": f"Lokalt {n}", "status": "Ikke startet"} for n in range(1, 6)}
    with_local = check(filled_workbook(answers, edit=fill_local(tsb, entries))).submission
    assert len(with_local.local) == 5
    a, b = score_submission(plain, tsb), score_submission(with_local, tsb)
    assert (a.score, a.band, a.coverage) == (b.score, b.band, b.coverage)
    assert a.results == b.results and a.actions == b.actions


@pytest.mark.parametrize(
    ("value", "number_format", "share"),
    [(0.8, "0 %", 80.0), ("80 %", "General", 80.0), (80, "General", 80.0), ("0,5", "@", 50.0)],
)
def test_share_typed_as_people_do(
    filled_workbook: WorkbookFactory, tsb: Catalogue, value, number_format, share
) -> None:
    def typed(wb):
        cell = wb[L.CHECKLIST_SHEET].cell(row_of(tsb, TIMED), column("share"))
        cell.value, cell.number_format = value, number_format

    report = check(filled_workbook(edit=typed))
    answer = next(a for a in report.submission.answers if a.requirement_id == TIMED)
    assert answer.share == share
    assert not [f for f in report.findings if f.code.startswith("share")]
    result = next(r for r in score_submission(report.submission, tsb).results if r.share)
    assert (result.requirement_id, result.share) == (TIMED, share)


@pytest.mark.parametrize(
    ("value", "shown"), [("mye", "mye"), ("150", "150"), (1.5, "150 %"), (80, "8000 %")]
)
def test_share_out_of_range_or_text_is_a_finding_at_its_cell(
    filled_workbook: WorkbookFactory, tsb: Catalogue, value, shown
) -> None:
    path = filled_workbook({TIMED: {"status": "Implementert", "share": value}})
    report = check(path)
    (f,) = at(report, "share-invalid")
    cell = f"{get_column_letter(column('share'))}{row_of(tsb, TIMED)}"
    assert (f.file, f.sheet, f.cell, f.detail) == (str(path), L.CHECKLIST_SHEET, cell, shown)
    answer = next(a for a in report.submission.answers if a.requirement_id == TIMED)
    assert answer.share is None and answer.status == "Implementert"


def test_share_on_a_row_without_forlopstid_is_a_finding(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    report = check(filled_workbook({UNTIMED: {"status": "Implementert", "share": 0.9}}))
    (f,) = at(report, "share-without-time-limit")
    assert f.cell == f"{get_column_letter(column('share'))}{row_of(tsb, UNTIMED)}"
    assert f.detail == UNTIMED
    assert all(a.share is None for a in report.submission.answers)
    # The detail is the requirement's ID, not typed text: a regional build may show it.
    assert without_typed_text(f) == f
    (invalid,) = at(
        check(filled_workbook({TIMED: {"status": "Implementert", "share": "x"}})), "share-invalid"
    )
    assert without_typed_text(invalid).detail == TEXT_LEFT_OUT


def test_parse_share_rules() -> None:
    assert parse_share(0.8, "0%") == 80.0
    assert parse_share("1 %") == 1.0
    assert parse_share("0,8") == 80.0
    assert parse_share(100) == 100.0
    for bad in ("", "mye", 101, -0.1, float("nan"), True, None):
        with pytest.raises(ValueError):
            parse_share(bad)


def test_sample_fills_local_rows_and_shares(tmp_path: Path, tsb: Catalogue) -> None:
    from statuskart.sample.checklists import write_samples

    write_samples(tsb, tmp_path, units=12, rounds=1, seed=1)
    reports = check_files([tmp_path], load_catalogs(), TODAY)
    subs = [r.submission for r in reports if r.submission]
    assert sum(bool(s.local) for s in subs) >= 2
    shares = [a.share for s in subs for a in s.answers if a.share is not None]
    assert shares and all(0 <= v <= 100 for v in shares)
    codes = Counter(f.code for r in reports for f in r.findings)
    assert codes["share-invalid"] == codes["share-without-time-limit"] == codes["unknown-id"] == 0
