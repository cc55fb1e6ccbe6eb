"""validate --annotate: layout kept, user notes kept, text stays text, odd files survive."""

import io
import re
import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.comments import Comment

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.core.findings import finding
from statuskart.workbook import layout as L
from statuskart.workbook.annotate import annotate_files, annotate_workbook

from .conftest import WorkbookFactory, column, fits_to_page, meta_row, row_of

EVIL = '=HYPERLINK("http://evil.example/steal","Klikk her")'


def test_user_note_is_kept_and_ours_appended(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path, tsb: Catalogue
) -> None:
    status = f"H{row_of(tsb, 'TSB-08')}"

    def note(wb):
        wb[L.CHECKLIST_SHEET][status].comment = Comment("Sjekk med Per før levering", "Kari")

    path = filled_workbook({"TSB-08": "Tja"}, edit=note)
    out = tmp_path / "ut"
    result = runner.invoke(main, ["validate", str(path), "--annotate", str(out)])
    assert result.exit_code == 1
    copy = load_workbook(out / "skjema-0.tilbakemelding.xlsx")
    comment = copy[L.CHECKLIST_SHEET][status].comment
    assert comment.text.startswith("Sjekk med Per før levering\n\nFra statuskart:\nFEIL:")
    assert "«Tja»" in comment.text and comment.author == "Kari"


def test_copies_keep_the_folder_layout(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    root = tmp_path / "checklists"
    for period in ("2026-T1", "2026-T2"):
        made = filled_workbook({"TSB-08": "Tja"}, meta={"period": period}, name=f"{period}.xlsx")
        (root / period).mkdir(parents=True)
        shutil.move(made, root / period / "enhet.xlsx")
    out = tmp_path / "ut"
    result = runner.invoke(main, ["validate", str(root), "--annotate", str(out)])
    assert "Skrev 2 kommenterte kopier" in result.stderr
    t1 = out / "2026-T1" / "enhet.tilbakemelding.xlsx"
    t2 = out / "2026-T2" / "enhet.tilbakemelding.xlsx"
    periods = {load_workbook(p)[L.FRONT_SHEET].cell(meta_row("period"), 2).value for p in (t1, t2)}
    assert periods == {"2026-T1", "2026-T2"}

    # Given directly, both go at the top, and the second does not overwrite the first.
    direct = tmp_path / "direkte"
    files = [str(root / "2026-T1" / "enhet.xlsx"), str(root / "2026-T2" / "enhet.xlsx")]
    result = runner.invoke(main, ["validate", *files, "--annotate", str(direct)])
    assert sorted(p.name for p in direct.iterdir()) == [
        "enhet-2.tilbakemelding.xlsx",
        "enhet.tilbakemelding.xlsx",
    ]


def test_never_writes_over_an_input(filled_workbook: WorkbookFactory, tmp_path: Path) -> None:
    a = filled_workbook({"TSB-08": "Tja"}, name="a.xlsx")
    victim = shutil.copy(a, tmp_path / "a.tilbakemelding.xlsx")
    before = Path(victim).read_bytes()
    f = finding("status-invalid", str(a), sheet=L.CHECKLIST_SHEET, cell="G10", detail="Tja")
    errors: list[tuple[str, str]] = []
    written = annotate_files(
        [(str(a), [f]), (str(victim), [])], tmp_path, on_error=lambda *e: errors.append(e)
    )
    assert written == [] and Path(victim).read_bytes() == before
    assert errors and "ville ha erstattet" in errors[0][1]


def test_text_from_a_workbook_stays_text(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path, tsb: Catalogue
) -> None:
    status = row_of(tsb, "TSB-08")

    def typed(wb):  # what Excel stores when a user types ' before =HYPERLINK(…)
        cell = wb[L.CHECKLIST_SHEET].cell(status, column("status"))
        cell.value = EVIL
        cell.data_type = "s"

    path = filled_workbook(edit=typed)
    out = tmp_path / "ut"
    runner.invoke(main, ["validate", str(path), "--annotate", str(out)])
    copy_path = out / "skjema-0.tilbakemelding.xlsx"
    wb = load_workbook(copy_path)
    cell = wb[L.CHECKLIST_SHEET].cell(status, column("status"))
    assert (cell.value, cell.data_type) == (EVIL, "s")

    # A finding whose text itself starts with «=» is written as text on «Tilbakemelding».
    f = finding("status-invalid", str(path), sheet=L.CHECKLIST_SHEET, cell=f"H{status}")
    hostile = f.__class__(**{**{k: getattr(f, k) for k in f.__slots__}, "message": EVIL})
    annotate_workbook(str(path), [hostile], tmp_path / "direct.xlsx")
    sheet = load_workbook(tmp_path / "direct.xlsx")["Tilbakemelding"]
    assert (sheet["D2"].value, sheet["D2"].data_type) == (EVIL, "s")
    with zipfile.ZipFile(tmp_path / "direct.xlsx") as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"HYPERLINK" in xml


def test_merged_front_cell_gets_its_note_on_the_top_left_cell(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    row = meta_row("unit")

    def merge(wb):
        wb[L.FRONT_SHEET].merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)

    path = filled_workbook(edit=merge)
    out = tmp_path / "ut"
    result = runner.invoke(main, ["validate", str(path), "--annotate", str(out)])
    assert f"{L.FRONT_SHEET}!B{row}" in result.output  # the finding points into the merge
    assert "Kunne ikke" not in result.stderr and "Traceback" not in result.stderr
    front = load_workbook(out / "skjema-0.tilbakemelding.xlsx")[L.FRONT_SHEET]
    note = front.cell(row, 1).comment
    assert note is not None and "Enhet" in note.text


def gnumeric_authors(path: Path) -> None:
    """Rewrite the comments part as Gnumeric saves it: an empty <authors/> list."""
    data = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(data, "w") as dst:
        for info in src.infolist():
            part = src.read(info)
            if "comments" in info.filename and info.filename.endswith(".xml"):
                part = re.sub(rb"<authors>.*?</authors>", b"<authors/>", part)
            dst.writestr(info, part)
    path.write_bytes(data.getvalue())


def test_empty_comment_authors_and_one_bad_file_do_not_stop_the_batch(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path, tsb: Catalogue
) -> None:
    status = f"H{row_of(tsb, 'TSB-08')}"

    def note(wb):
        wb[L.CHECKLIST_SHEET][status].comment = Comment("Min egen merknad", "Kari")

    gnumeric = filled_workbook({"TSB-08": "Tja"}, edit=note, name="gnumeric.xlsx")
    gnumeric_authors(gnumeric)
    with zipfile.ZipFile(gnumeric) as z:
        assert any(b"<authors/>" in z.read(n) for n in z.namelist() if "comments" in n)
    blocked = filled_workbook({"TSB-08": "Tja"}, meta={"unit": "B"}, name="blokkert.xlsx")
    last = filled_workbook({"TSB-08": "Tja"}, meta={"unit": "C"}, name="siste.xlsx")
    out = tmp_path / "ut"
    (out / "blokkert.tilbakemelding.xlsx").mkdir(parents=True)  # cannot be replaced by a file
    result = runner.invoke(
        main, ["validate", str(gnumeric), str(blocked), str(last), "--annotate", str(out)]
    )
    assert "Traceback" not in result.stderr
    assert f"Kunne ikke lage kommentert kopi av {blocked}: " in result.stderr
    assert "Skrev 2 kommenterte kopier" in result.stderr
    copy = load_workbook(out / "gnumeric.tilbakemelding.xlsx")[L.CHECKLIST_SHEET][status]
    assert copy.comment.text.startswith("Min egen merknad\n\nFra statuskart:")
    assert (out / "siste.tilbakemelding.xlsx").is_file()


def test_feedback_sheet_prints_portrait_wrapped_with_internal_links(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path, tsb: Catalogue
) -> None:
    path = filled_workbook({"TSB-08": "Tja", "TSB-09": None})
    out = tmp_path / "ut"
    runner.invoke(main, ["validate", str(path), "--annotate", str(out)])
    copy = out / "skjema-0.tilbakemelding.xlsx"
    ws = load_workbook(copy)["Tilbakemelding"]
    setup = ws.page_setup
    assert setup.orientation == "portrait" and str(setup.paperSize) == ws.PAPERSIZE_A4
    assert fits_to_page(ws) and setup.fitToWidth == 1
    assert setup.fitToHeight == 0  # as many pages down as needed
    assert ws.print_title_rows == "$1:$1"
    links = [link for r in range(2, ws.max_row + 1) if (link := ws.cell(r, 3).hyperlink)]
    assert links
    sheets = load_workbook(copy).sheetnames
    for link in links:
        assert link.target is None  # no external «#…» relationship
        assert link.location is not None
        sheet, ref = link.location.rsplit("!", 1)
        assert sheet.strip("'") in sheets and re.fullmatch(r"[A-Z]+[0-9]+", ref)
    assert f"'{L.CHECKLIST_SHEET}'!H{row_of(tsb, 'TSB-08')}" in [link.location for link in links]
    for r in range(2, ws.max_row + 1):
        assert ws.cell(r, 4).alignment.wrap_text and ws.cell(r, 5).alignment.wrap_text
        assert ws.row_dimensions[r].height
    with zipfile.ZipFile(copy) as z:
        rels = [n for n in z.namelist() if "worksheets/_rels" in n]
        external = re.findall(
            rb'Target="([^"]*)"[^>]*TargetMode="External"', b"".join(z.read(n) for n in rels)
        )
    # The only external links are the skjema's own Kilde links to the catalogue's sources.
    assert {t.decode() for t in external} <= {r.source for r in tsb.requirements}


def test_no_annotated_copy_for_ods_with_a_clear_reason(tmp_path: Path) -> None:
    from .test_workbook_formats import _minimal_ods

    path = tmp_path / "egen.ods"
    path.write_bytes(_minimal_ods())
    errors = []
    written = annotate_files(
        [(str(path), [finding("status-empty", str(path), sheet="Statuskartlegging", cell="B3")])],
        tmp_path / "ut",
        on_error=lambda p, reason: errors.append(reason),
    )
    assert written == [] and len(errors) == 1
    assert ".xlsx" in errors[0] and "OpenDocument" in errors[0]


def test_every_note_names_its_requirement(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path, tsb: Catalogue
) -> None:
    """Frist, andel, risiko, status: a note far right of the ID column still says which krav."""
    timed = next(r.id for r in tsb.requirements if r.time_limits)
    answers = {
        "TSB-08": "Tja",
        "TSB-09": {"status": "Påbegynt", "due": "01.01.2020", "risk": "kanskje"},
        timed: {"status": "Påbegynt", "share": "mye", "due": "snart"},
    }
    path = filled_workbook(answers)
    out = tmp_path / "ut"
    runner.invoke(main, ["validate", str(path), "--annotate", str(out)])
    copy = load_workbook(out / "skjema-0.tilbakemelding.xlsx")
    ws = copy[L.CHECKLIST_SHEET]
    notes = {
        cell.coordinate: cell.comment.text
        for row in ws.iter_rows()
        for cell in row
        if cell.comment is not None
    }
    assert len(notes) == 5  # status, frist and risiko of TSB-09, andel and frist
    for ref, text in notes.items():
        rid = ws.cell(ws[ref].row, column("id")).value
        assert isinstance(rid, str)
        for part in text.split("\n\n"):  # every finding in the note, not just the first
            assert rid in part.split("\n")[0], (ref, part)
    feedback = copy["Tilbakemelding"]
    for celle, message in feedback.iter_rows(min_row=2, min_col=3, max_col=4, values_only=True):
        assert isinstance(celle, str) and isinstance(message, str)
        if celle.startswith(f"{L.CHECKLIST_SHEET}!"):
            rid = ws.cell(ws[celle.split("!")[1]].row, column("id")).value
            assert isinstance(rid, str) and rid in message, (celle, message)


def _rgb(fill) -> tuple[int, ...]:
    colour = fill.fgColor.rgb[-6:]
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def test_marks_are_far_from_every_fill_the_skjema_uses() -> None:
    """The old warning mark (FFE08A) was 85 from the input cells' FFF8DC: too close to see."""
    from statuskart.workbook import styles
    from statuskart.workbook.annotate import FILLS
    from statuskart.workbook.write import HF_ROW_FILL

    def distance(a, b):
        return sum((x - y) ** 2 for x, y in zip(_rgb(a), _rgb(b), strict=True)) ** 0.5

    skjema = [styles.INPUT_FILL, styles.NOT_ASKED_FILL, styles.PHASE_FILL, HF_ROW_FILL]
    marks = list(FILLS.values())
    for mark in marks:
        for used in skjema:
            assert distance(mark, used) >= 100, (mark.fgColor.rgb, used.fgColor.rgb)
        for other in (m for m in marks if m is not mark):  # the note says which; still apart
            assert distance(mark, other) >= 60, (mark.fgColor.rgb, other.fgColor.rgb)
        assert max(_rgb(mark)) - min(_rgb(mark)) >= 90  # a colour, not a grey or a cream
