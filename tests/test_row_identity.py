"""Every answer belongs to the requirement it was typed for, or there is a finding.

A column sorted alone or an ID pasted over another row leaves valid, unique IDs on rows that hold
other requirements' answers; the title beside the ID gives it away. Whole rows in any order read
the same.
"""

from __future__ import annotations

import random
from copy import copy

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from statuskart.catalog.model import Catalogue
from statuskart.workbook import layout as L
from statuskart.workbook.row_marks import MAX_MARK, mark_colour, mark_of

from .conftest import WorkbookFactory, column, row_of
from .test_validation import check, codes, only


def _answers(tsb):
    return {
        r.id: {"status": "Implementert" if i % 3 else "Ikke startet", "comment": f"Svar på {r.id}"}
        for i, r in enumerate(tsb.requirements)
        if not r.hf_scope
    }


def test_id_column_sorted_alone_is_an_error_and_nothing_is_scored(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    def sort_ids(wb):
        ws = wb[L.CHECKLIST_SHEET]
        rows = [row_of(tsb, r.id) for r in tsb.requirements]
        ids = sorted((ws.cell(r, 1).value for r in rows), reverse=True)
        for r, rid in zip(rows, ids, strict=True):
            ws.cell(r, 1).value = rid

    (report,) = check(filled_workbook(_answers(tsb), edit=sort_ids))
    moved = [f for f in report.findings if f.code == "row-title-mismatch"]
    assert report.status == "rejected" and report.submission is None
    # Every row but the one that sorts onto itself (if any) is named, by its ID cell.
    assert len(moved) >= len(tsb.requirements) - 1
    first = moved[0]
    assert first.cell == f"A{row_of(tsb, tsb.requirements[0].id)}"
    assert "har tittelen til" in first.message and "sortert alene" in first.message
    assert "requirement-missing" not in codes(report)


def test_pasted_id_names_both_requirements_and_keeps_the_right_row(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    def paste(wb):
        ws = wb[L.CHECKLIST_SHEET]
        ws.cell(row_of(tsb, "TSB-51"), 1).value = "TSB-06"

    (report,) = check(filled_workbook(_answers(tsb), edit=paste))
    finding = only(report, "row-title-mismatch")
    assert finding.cell == f"A{row_of(tsb, 'TSB-51')}"
    assert "TSB-06" in finding.message and "TSB-51" in finding.message
    assert "duplicate-id" not in codes(report)
    # TSB-51's own row lost its ID: the requirement is missing, never given TSB-06's answer.
    assert "TSB-51" in only(report, "requirement-missing").message
    assert report.status == "rejected"


def test_whole_rows_in_any_order_read_the_same(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    answers = _answers(tsb)
    (before,) = check(filled_workbook(answers))

    def shuffle(wb):
        ws = wb[L.CHECKLIST_SHEET]
        rows = [row_of(tsb, r.id) for r in tsb.requirements]
        width = range(1, len(L.COLUMNS) + 1)
        lines = [[(ws.cell(r, c).value, copy(ws.cell(r, c).font)) for c in width] for r in rows]
        random.Random(7).shuffle(lines)
        for r, line in zip(rows, lines, strict=True):
            for c, (value, font) in enumerate(line, start=1):
                ws.cell(r, c).value, ws.cell(r, c).font = value, font

    (after,) = check(filled_workbook(answers, edit=shuffle))
    assert after.status == before.status == "ok", after.findings
    strip = lambda s: [(a.requirement_id, a.status, a.comment) for a in s.answers]  # noqa: E731
    assert strip(after.submission) == strip(before.submission)


def test_edited_title_is_a_warning_and_the_id_decides(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    def edit(wb):
        ws = wb[L.CHECKLIST_SHEET]
        ws.cell(row_of(tsb, "TSB-08"), column("title")).value = "Vår egen overskrift"

    (report,) = check(filled_workbook(_answers(tsb), edit=edit))
    finding = only(report, "row-title-changed")
    assert finding.severity == "warning" and "TSB-08" in finding.message
    assert finding.cell == f"{get_column_letter(column('title'))}{row_of(tsb, 'TSB-08')}"
    assert report.submission is not None


def test_unknown_id_is_quoted_as_typed(filled_workbook: WorkbookFactory, tsb: Catalogue) -> None:
    def edit(wb):
        wb[L.CHECKLIST_SHEET].cell(row_of(tsb, "TSB-08"), 1).value = "tsb 99 "

    (report,) = check(filled_workbook(_answers(tsb), edit=edit))
    assert "«tsb 99 »" in only(report, "unknown-id").message


def _move(ws, src, dst, *, keep_source):
    """What a sort, cut or copy does to a cell in Excel and LibreOffice: value and font go along."""
    value, font = ws[src].value, copy(ws[src].font)
    ws[dst].value, ws[dst].font = value, font
    if not keep_source:  # cut: the source is left empty, in the default font
        ws[src].value, ws[src].font = None, Font()


def _status_cell(tsb, rid):
    return f"{get_column_letter(column('status'))}{row_of(tsb, rid)}"


def test_answer_column_sorted_alone_is_found_by_the_row_marks(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    def sort_statuses(wb):
        ws = wb[L.CHECKLIST_SHEET]
        cells = [_status_cell(tsb, r.id) for r in tsb.requirements]
        saved = [(ws[c].value, copy(ws[c].font)) for c in cells]
        order = sorted(range(len(cells)), key=lambda i: str(saved[i][0] or "~"))
        for c, i in zip(cells, order, strict=True):
            ws[c].value, ws[c].font = saved[i]

    (report,) = check(filled_workbook(_answers(tsb), edit=sort_statuses))
    moved = only(report, "answers-moved")
    assert moved.severity == "error" and "«Status»" in moved.message
    assert "sortert alene" in moved.message and "har svaret til" in moved.message
    assert report.submission is None


def test_cut_and_pasted_answer_is_a_warning_and_a_copied_one_is_fine(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    def cut(wb):
        ws = wb[L.CHECKLIST_SHEET]
        _move(ws, _status_cell(tsb, "TSB-08"), _status_cell(tsb, "TSB-09"), keep_source=False)

    def copied(wb):
        ws = wb[L.CHECKLIST_SHEET]
        _move(ws, _status_cell(tsb, "TSB-08"), _status_cell(tsb, "TSB-09"), keep_source=True)

    (report,) = check(filled_workbook(_answers(tsb), edit=cut))
    pasted = only(report, "answer-pasted")
    assert pasted.cell == _status_cell(tsb, "TSB-09")
    assert "TSB-08" in pasted.message and "TSB-09" in pasted.message
    assert report.submission is not None and "answers-moved" not in codes(report)
    (report,) = check(filled_workbook(_answers(tsb), edit=copied))
    assert not {"answer-pasted", "answers-moved"} & set(codes(report))


def test_marks_are_only_trusted_for_the_version_and_layout_that_wrote_them(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    def sort_and_restamp(version, template):
        def edit(wb):
            ws = wb[L.CHECKLIST_SHEET]
            a, b = _status_cell(tsb, "TSB-08"), _status_cell(tsb, "TSB-09")
            font_a, font_b, value_b = copy(ws[a].font), copy(ws[b].font), ws[b].value
            ws[a].value, ws[a].font, ws[b].value, ws[b].font = "Påbegynt", font_b, value_b, font_a
            stamp = wb[L.STAMP_SHEET]
            stamp["B2"], stamp["B3"] = version, template

        return edit

    (report,) = check(filled_workbook(_answers(tsb), edit=sort_and_restamp(tsb.version, "3")))
    assert "answers-moved" in codes(report)
    for version, template in ((tsb.version, "2"), ("2019.1", "3")):
        (report,) = check(filled_workbook(_answers(tsb), edit=sort_and_restamp(version, template)))
        assert "answers-moved" not in codes(report)


def test_row_mark_colours_round_trip() -> None:
    for number in (1, 2, 60, 255, 256, MAX_MARK):
        assert mark_of("FF" + mark_colour(number)) == number == mark_of(mark_colour(number))
    for colour in (None, "FF000000", "000000", "FF1F4E79", "FFFF0000", 7, "theme"):
        assert mark_of(colour) is None


def test_blank_title_or_unmarked_cells_give_no_finding(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    def edit(wb):
        ws = wb[L.CHECKLIST_SHEET]
        ws.cell(row_of(tsb, "TSB-08"), column("title")).value = None  # the title cleared
        for rid in ("TSB-01", "TSB-08"):  # formatting replaced, e.g. pasted from elsewhere
            ws[_status_cell(tsb, rid)].font = Font()
        ws[_status_cell(tsb, "TSB-01")].value = "Implementert"

    (report,) = check(filled_workbook(_answers(tsb), edit=edit))
    assert not {"row-title-changed", "answer-pasted", "answers-moved"} & set(codes(report))
    assert report.submission is not None


def test_an_empty_cell_cut_and_pasted_is_no_finding(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    def edit(wb):
        ws = wb[L.CHECKLIST_SHEET]
        comment = lambda rid: f"{get_column_letter(column('comment'))}{row_of(tsb, rid)}"  # noqa: E731
        ws[comment("TSB-08")].value = None
        _move(ws, comment("TSB-08"), comment("TSB-09"), keep_source=False)

    (report,) = check(filled_workbook(_answers(tsb), edit=edit))
    assert "answer-pasted" not in codes(report)


def test_many_moved_answers_are_named_three_and_counted(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    def reverse_statuses(wb):
        ws = wb[L.CHECKLIST_SHEET]
        cells = [_status_cell(tsb, r.id) for r in tsb.requirements]
        saved = [(ws[c].value, copy(ws[c].font)) for c in cells]
        for c, (value, font) in zip(cells, reversed(saved), strict=True):
            ws[c].value, ws[c].font = value, font

    (report,) = check(filled_workbook(_answers(tsb), edit=reverse_statuses))
    moved = only(report, "answers-moved")
    named = moved.message.count("har svaret til")
    total = int(moved.message.split(" og ")[-1].split(" til")[0]) + named
    # every row holds a status (HF rows too, by the fixture's default); reversing leaves only the
    # middle row of an odd number in place
    assert named == 3 and total == len(tsb.requirements) - len(tsb.requirements) % 2
    assert moved.cell == _status_cell(tsb, tsb.requirements[0].id)


def test_titles_of_an_earlier_version_are_the_requirements_own(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    earlier = next(v for v in tsb.versions if v.version != tsb.version)

    def unknown_version(wb):
        wb[L.STAMP_SHEET]["B2"] = "9999.9"  # not a loaded version: read against the current one

    (report,) = check(filled_workbook(catalogue=earlier, edit=unknown_version))
    assert "catalogue-version-unknown" in codes(report)
    assert "row-title-changed" not in codes(report) and "row-title-mismatch" not in codes(report)


def test_three_moved_answers_are_all_named_and_four_name_one_more(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    def rotate(count):
        def edit(wb):
            ws = wb[L.CHECKLIST_SHEET]
            cells = [_status_cell(tsb, r.id) for r in tsb.requirements[10 : 10 + count]]
            saved = [(ws[c].value, copy(ws[c].font)) for c in cells]
            for c, (value, font) in zip(cells, saved[1:] + saved[:1], strict=True):
                ws[c].value, ws[c].font = value, font

        return edit

    statuses = {
        r.id: ("Påbegynt", "Implementert", "Ikke startet", "Delvis")[i % 4]
        for i, r in enumerate(tsb.requirements)
    }
    (three,) = check(filled_workbook(statuses, edit=rotate(3)))
    message = only(three, "answers-moved").message
    named = message.split(" står ikke lenger")[0]
    assert named.count("har svaret til") == 3 and " og " not in named.split(")")[-1]
    (four,) = check(filled_workbook(statuses, edit=rotate(4)))
    assert "og 1 til" in only(four, "answers-moved").message
