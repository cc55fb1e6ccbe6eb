"""Reading back what users do to the skjema: sort, insert rows above, type numbers."""

from copy import copy

from statuskart.catalog.model import Catalogue
from statuskart.pipeline.run import check_files
from statuskart.workbook import layout as L
from statuskart.workbook.write import HEADER_ROW

from .conftest import TODAY, WorkbookFactory, column, meta_row, raw_of


def _answers(path, catalogues):
    (report,) = check_files([path], catalogues, TODAY)
    assert report.submission is not None, report.findings
    return report, {a.requirement_id: a for a in report.submission.answers}


def _statuses(tsb):
    labels = tsb.scale.labels
    return {req.id: labels[i % 4] for i, req in enumerate(tsb.requirements)}


def test_rows_sorted_descending_read_by_id(
    filled_workbook: WorkbookFactory, tsb: Catalogue, catalogues: dict[str, Catalogue]
) -> None:
    statuses = _statuses(tsb)

    def sort_descending(wb):
        ws = wb[L.CHECKLIST_SHEET]
        first, last = HEADER_ROW + 1, HEADER_ROW + len(tsb.requirements)
        # as Excel and LibreOffice sort: each cell's formatting goes with its value
        rows = [[(c.value, copy(c.font)) for c in ws[r]] for r in range(first, last + 1)]
        rows.sort(key=lambda r: r[0][0], reverse=True)
        for r, values in enumerate(rows, start=first):
            for c, (v, font) in enumerate(values, start=1):
                ws.cell(r, c).value, ws.cell(r, c).font = v, font

    path = filled_workbook(statuses, edit=sort_descending)
    raw = raw_of(path)
    ids = [row.value("id") for row in raw.rows]
    assert ids == sorted(ids, reverse=True) and ids[0] != tsb.requirements[0].id
    report, answers = _answers(path, catalogues)
    assert {k: a.status for k, a in answers.items()} == statuses
    assert not [f for f in report.findings if f.severity == "error"]


def test_header_far_down_is_found(
    filled_workbook: WorkbookFactory, tsb: Catalogue, catalogues: dict[str, Catalogue]
) -> None:
    statuses = _statuses(tsb)

    def push_down(wb):
        wb[L.CHECKLIST_SHEET].insert_rows(1, 43 - HEADER_ROW)

    path = filled_workbook(statuses, edit=push_down)
    raw = raw_of(path)
    assert raw.header_row == 43
    assert len(raw.rows) == len(tsb.requirements)
    _, answers = _answers(path, catalogues)
    assert {k: a.status for k, a in answers.items()} == statuses


def test_percent_formatted_target_and_comment_read_as_typed(
    filled_workbook: WorkbookFactory, tsb: Catalogue, catalogues: dict[str, Catalogue]
) -> None:
    first = tsb.requirements[0].id

    def percent(wb):
        front = wb[L.FRONT_SHEET]
        front.cell(meta_row("target"), 2).number_format = "0%"
        ws = wb[L.CHECKLIST_SHEET]
        ws.cell(HEADER_ROW + 1, column("comment")).number_format = "0%"
        ws.cell(HEADER_ROW + 2, column("comment")).number_format = "0.0%"

    path = filled_workbook(
        {
            first: {"status": "Implementert", "comment": 0.8},
            tsb.requirements[1].id: {"status": "Implementert", "comment": 0.125},
        },
        meta={"target": 0.8},
        edit=percent,
    )
    raw = raw_of(path)
    assert raw.meta["target"].number_format == "0%"
    report, answers = _answers(path, catalogues)
    assert report.submission.meta.target == 80
    assert answers[first].comment == "80 %"
    assert answers[tsb.requirements[1].id].comment == "12,5 %"


def test_target_typed_as_text_or_plain_number(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue]
) -> None:
    for typed in ("80 %", "80%", "80", 80):
        report, _ = _answers(filled_workbook(meta={"target": typed}), catalogues)
        assert report.submission.meta.target == 80, typed
