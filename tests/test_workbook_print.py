"""The blank skjema on screen and on paper: row heights, print setup, sorting under protection."""

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from statuskart.catalog.model import Catalogue
from statuskart.workbook import fit
from statuskart.workbook import layout as L
from statuskart.workbook.write import HEADER_ROW, PAGE_BREAK_AFTER, write_template

from .conftest import column, fits_to_page


@pytest.fixture
def template(tmp_path: Path, tsb: Catalogue) -> tuple[Path, Workbook]:
    path = write_template(tsb, tmp_path / "skjema.xlsx", {"hf": "Helse Bergen HF"})
    return path, load_workbook(path)


def test_line_count_wraps_words_and_counts_newlines() -> None:
    assert fit.line_count("", 10) == 1
    assert fit.line_count("kort", 10) == 1
    assert fit.line_count("ord " * 20, 10) >= 8  # 80 characters in a column of about 9
    assert fit.line_count("a\nb\nc", 40) == 3
    assert fit.row_height([("a\nb\nc", 40)]) > fit.row_height([("a", 40)])


def test_a_long_text_wraps_alike_whether_remembered_or_not() -> None:
    short, long = "ord " * 100, "ord " * (fit.CACHED_CHARS // 4 + 1)  # under and over the limit
    for text in (short, long):
        assert fit.line_count(text, 10) == fit.line_count(text, 10) == fit._wrapped_lines(text, 8)
    assert (fit.line_count(short, 10), fit.line_count(long, 10)) == (50, 251)  # two words a line
    assert fit.line_count(12345, 2) == fit.line_count("12345", 2) == 5  # numbers wrap as text


def test_every_checklist_row_is_as_tall_as_its_longest_text(
    template: tuple[Path, Workbook], tsb: Catalogue
) -> None:
    _, wb = template
    ws = wb[L.CHECKLIST_SHEET]
    widths = {c.key: c.width for c in L.COLUMNS}
    for i, req in enumerate(tsb.requirements):
        height = ws.row_dimensions[HEADER_ROW + 1 + i].height
        assert height is not None, req.id
        lines = fit.line_count(req.text, widths["text"])
        assert height >= lines * fit.LINE_POINTS, req.id
    long_req = max(tsb.requirements, key=lambda r: len(r.text))
    short_req = min(tsb.requirements, key=lambda r: len(r.text) + len(r.title))
    row = {r.id: HEADER_ROW + 1 + i for i, r in enumerate(tsb.requirements)}
    assert ws.row_dimensions[row[long_req.id]].height > ws.row_dimensions[row[short_req.id]].height
    assert ws.row_dimensions[HEADER_ROW].height >= 2 * fit.LINE_POINTS  # wrapped header labels


def test_front_sheet_and_guide_rows_have_heights_and_print_on_one_page(
    template: tuple[Path, Workbook],
) -> None:
    _, wb = template
    for name in (L.FRONT_SHEET, L.GUIDE_SHEET):
        ws = wb[name]
        filled = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value]
        assert filled and all(ws.row_dimensions[r].height for r in filled), name
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 1, name
        assert fits_to_page(ws), name
        assert ws.page_setup.orientation == "portrait"
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4


def test_checklist_prints_landscape_in_two_page_columns_at_readable_size(
    template: tuple[Path, Workbook],
) -> None:
    _, wb = template
    ws = wb[L.CHECKLIST_SHEET]
    setup = ws.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == ws.PAPERSIZE_A4
    assert not fits_to_page(ws)  # fitting would ignore the break
    scale = setup.scale
    assert scale is not None and scale * fit.FONT_POINTS / 100 >= 7  # text size in points
    split = column(PAGE_BREAK_AFTER)
    assert [b.id for b in ws.col_breaks.brk] == [split]
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert ws.print_title_cols == "$A:$A"
    # Each page column, ID repeated on the second, fits the printable width at that scale.
    widths = [c.width for c in L.COLUMNS]
    margin = ws.page_margins.left
    assert margin is not None
    usable = fit.A4_LANDSCAPE_POINTS - 2 * margin * 72
    for group in (widths[:split], [widths[0], *widths[split:]]):
        assert sum(fit.width_points(w) for w in group) * scale / 100 <= usable


def test_protected_checklist_allows_sort_and_filter_and_title_is_apart(
    template: tuple[Path, Workbook], tsb: Catalogue
) -> None:
    path, wb = template
    ws = wb[L.CHECKLIST_SHEET]
    assert ws.protection.sheet
    assert ws.protection.sort is False and ws.protection.autoFilter is False  # False = allowed
    last = HEADER_ROW + len(tsb.requirements)
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:{chr(ord('A') + len(L.COLUMNS) - 1)}{last}"
    # An empty row between the title block and the header: auto-detected ranges stop there.
    assert all(c.value is None for c in ws[HEADER_ROW - 1])
    assert ws.cell(1, 1).value and ws.cell(2, 1).value
    xml = _sheet_xml(path, 2)
    assert 'sort="0"' in xml and 'autoFilter="0"' in xml


def _sheet_xml(path, index):
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml").decode()


def _soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


def _pdf_pages(xlsx, tmp_path):
    done = subprocess.run(
        [
            _soffice(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(xlsx),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "pdf" / (xlsx.stem + ".pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


@pytest.mark.slow
@pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_libreoffice_prints_front_and_guide_on_one_page_and_every_column(
    template: tuple[Path, Workbook], tmp_path: Path, tsb: Catalogue
) -> None:
    path, _ = template
    pages = _pdf_pages(path, tmp_path)
    front, checklist, guide = pages[0], pages[1:-1], pages[-1]
    assert "Statuskartleggingsskjema" in front and "Mål for skår" in front
    assert "Slik fyller du ut skjemaet" in guide and "Om resultatet" in guide
    text = "\n".join(checklist)
    for label in ("Beskrivelse", "Forløpstid", "Kilde", "Status", "Ansvarlig", "Frist", "Risiko"):
        assert label in text, label
    assert "Andel innen" in text and "helsedirektoratet.no" in text
    assert f"{L.LOCAL_HEADING}\n" in text and f"EGEN-{L.LOCAL_ROWS}" in text
    # Kilde prints with the requirement, not on a page of its own.
    assert all("Beskrivelse" in p for p in checklist if "Kilde" in p)
    for req in tsb.requirements:  # the ID column repeats on the answer pages: every id twice
        assert text.count(req.id) >= 2, req.id
    answer_pages = [p for p in checklist if "Ansvarlig" in p]
    assert answer_pages and all("Beskrivelse" not in p for p in answer_pages)
    assert all("Status" in p for p in answer_pages)  # header row repeated on every page
