"""Download workbooks on paper: row heights, A4 one page wide, header row and page header.

The quick tests read the settings back with openpyxl; the slow one prints a built site's action
plan and kravstatus.xlsx in LibreOffice (through its own API, tests/lo_rows.py) and checks that
every row is as tall as LibreOffice needs for its text, and the pages' size and count.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from statuskart.catalog.model import Catalogue
from statuskart.downloads.xlsx_table import HEADER_LIMIT, Sheet, page_header, write_table
from statuskart.pipeline.build import run_build
from statuskart.sample.checklists import write_samples
from statuskart.workbook import fit

from .conftest import SYSTEM_PYTHON, TODAY, fits_to_page, has_uno, page_texts, worksheet

LONG = "Opplæring av alle behandlere i løpet av halvåret, med oppfølging hver måned. " * 3
SCRIPT = Path(__file__).with_name("lo_rows.py")


def _table(tmp_path: Path, rows, wrap=(True, True, False), header: str = "") -> Path:
    sheet = Sheet(
        "Tabell",
        ["Krav", "Tiltak", "Frist"],
        [10, 30, 12],
        [None, None, "DD.MM.YYYY"],
        wrap=wrap,
        header=header,
    )
    return write_table(tmp_path / "tabell.xlsx", sheet, rows)


def _header_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    found = re.search(r"<oddHeader>(.*?)</oddHeader>", xml)
    return found.group(1) if found else ""


def test_rows_are_as_tall_as_their_longest_wrapped_text(tmp_path: Path) -> None:
    path = _table(
        tmp_path, [("TSB-01", LONG, None), ("TSB-02", "Kort", None), ("TSB-03", None, None)]
    )
    ws = worksheet(load_workbook(path))
    tall = ws.row_dimensions[2].height
    assert tall >= fit.line_count(LONG, 30) * fit.LINE_POINTS > 3 * fit.LINE_POINTS
    assert ws.row_dimensions[3].height is None  # one line: the default height
    assert ws.row_dimensions[1].height >= fit.LINE_POINTS  # the header row too
    cell = ws.cell(2, 2)
    assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
    assert ws.cell(2, 1).alignment.vertical == "top"  # every cell reads from the top
    assert not ws.cell(2, 3).alignment.wrap_text


def test_unwrapped_column_sets_no_height(tmp_path: Path) -> None:
    path = _table(tmp_path, [("TSB-01", LONG, None)], wrap=(True, False, False))
    ws = worksheet(load_workbook(path))
    assert ws.row_dimensions[2].height is None and not ws.cell(2, 2).alignment.wrap_text


def test_sheet_prints_a4_landscape_one_page_wide_with_header_row_and_page_numbers(
    tmp_path: Path,
) -> None:
    rows = [(f"TSB-{n:02}", LONG, None) for n in range(60)]
    path = _table(tmp_path, rows, header=page_header("Handlingsplan – Enhet A", "Runde 2026-T1"))
    ws = worksheet(load_workbook(path))
    setup = ws.page_setup
    assert str(setup.paperSize) == ws.PAPERSIZE_A4
    assert fits_to_page(ws)
    assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0  # width only, never one page
    assert ws.print_title_rows == "$1:$1" and ws.print_area == "'Tabell'!$A$1:$C$61"
    assert ws.print_options.gridLines
    assert 0.25 <= ws.page_margins.left <= 0.75 and ws.page_margins.top >= ws.page_margins.header
    assert page_texts(ws) == ("Handlingsplan – Enhet A", "Runde 2026-T1", "Side &P av &N")
    # 52 width units fit a portrait page; a table wider than that prints landscape.
    assert setup.orientation in (None, "portrait")
    wide = Sheet("Bred", ["A", "B"], [60, 60], [None, None], wrap=(True, True))
    assert (
        worksheet(load_workbook(write_table(tmp_path / "b.xlsx", wide, []))).page_setup.orientation
        == "landscape"
    )


def test_page_header_escapes_ampersands_and_keeps_xlsxwriter_from_dropping_it(
    tmp_path: Path,
) -> None:
    header = page_header("Handlingsplan – Rus & psykiatri R&G &[Picture] &P\n", "Runde 2026-T1")
    assert "Rus && psykiatri" in header and "&&P" in header and "\n" not in header
    path = _table(tmp_path, [], header=header)
    xml = _header_xml(path)
    assert "Rus &amp;&amp; psykiatri R&amp;&amp;\u2060G" in xml  # written, and «&&» is «&»


@pytest.mark.parametrize("name", ["Å" * 400, "&" * 400, "\U0001f600" * 400])
def test_long_page_header_is_shortened_to_excels_limit_not_dropped(tmp_path: Path, name) -> None:
    header = page_header(f"Handlingsplan – {name}", "Runde 2026-T1 · Laget 24.11.2026")
    assert len(header.encode("utf-16-le")) // 2 <= HEADER_LIMIT
    assert "…&R" in header and header.endswith("Runde 2026-T1 · Laget 24.11.2026")
    assert "Handlingsplan" in _header_xml(_table(tmp_path, [], header=header))


# --- LibreOffice ---------------------------------------------------------------------------


def _pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) in points of each page of a LibreOffice PDF (its page objects are plain)."""
    data = pdf.read_bytes()
    pages = re.findall(rb"/Type\s*/Page(?![s\w])(.*?)>>", data, re.S)
    sizes = []
    for body in pages:
        box = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", body)
        assert box, "every page states its size"
        x0, y0, x1, y1 = (float(v) for v in box.groups())
        sizes.append((x1 - x0, y1 - y0))
    return sizes


@pytest.mark.slow
@pytest.mark.skipif(not has_uno(), reason="LibreOffice with python3-uno is not installed")
def test_libreoffice_prints_plan_and_kravstatus_readably(tmp_path: Path, tsb: Catalogue) -> None:
    write_samples(tsb, tmp_path / "skjema", units=3, rounds=1, seed=4)
    site = tmp_path / "site"
    run_build([tmp_path / "skjema"], site, today=TODAY)
    plan = max(
        (site / "nedlastinger" / "tiltaksplan").glob("*.xlsx"), key=lambda p: p.stat().st_size
    )
    status = site / "nedlastinger" / "kravstatus.xlsx"
    plan_rows = worksheet(load_workbook(plan)).max_row - 1
    status_sheet = load_workbook(status, read_only=True).active
    assert status_sheet is not None
    status_rows = status_sheet.max_row - 1
    assert plan_rows >= 15  # enough to need more than one page at a readable size
    done = subprocess.run(
        [
            str(SYSTEM_PYTHON),
            str(SCRIPT),
            str(tmp_path / "profile"),
            str(tmp_path),
            str(plan),
            str(status),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    sheet = report[plan.name]["Tiltaksplan"]
    assert sheet["short"] == [] and sheet["rows"] == plan_rows + 1  # no text runs into the next row
    left, _, right = sheet["header"]
    assert left.startswith("Handlingsplan – ") and right.startswith("Runde ")
    assert right.endswith(f"Laget {TODAY.strftime('%d.%m.%Y')}")
    assert sheet["footer"][1].startswith("Side ") and sheet["landscape"]
    krav = report[status.name]["kravstatus"]
    assert krav["short"] == [] and krav["landscape"]
    counts = {}
    for name, rows in ((plan.stem, plan_rows), (status.stem, status_rows)):
        pages = _pdf_pages(tmp_path / f"{name}.pdf")
        assert all(_a4_landscape(size) for size in pages), (name, pages[:1])
        # One page wide (not split into page columns) and not shrunk onto one page: between
        # 4 and 40 rows on each page.
        assert math.ceil(rows / 40) <= len(pages) <= math.ceil(rows / 4), (name, len(pages))
        counts[name] = len(pages)
    assert counts[plan.stem] >= 2, counts


def _a4_landscape(size: tuple[float, float]) -> bool:
    return math.isclose(size[0], 841.9, abs_tol=1) and math.isclose(size[1], 595.3, abs_tol=1)


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _inlined(path: Path) -> dict[str, bytes]:
    """The workbook's parts as XlsxWriter's own constant-memory rows would have written them.

    The big tables keep their texts in xl/sharedStrings.xml, and a cell right after another
    has no reference: with each string put back into its cells as inline text, every cell's
    reference written out, and the shared strings' part, content type and relationship gone,
    the two must be the same bytes.
    """
    parts = _members(path)
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = _with_references(parts[name].decode()).encode()
    table = parts.pop("xl/sharedStrings.xml", None)
    if table is None:
        return parts
    strings = re.findall(r"<si>(<t(?: [^>]*)?>.*?</t>)</si>", table.decode(), re.S)
    assert len(strings) == int(re.search(rb'uniqueCount="(\d+)"', table)[1])  # type: ignore[index]
    cells = re.findall(rb't="s"><v>', b"".join(v for k, v in parts.items() if "worksheets" in k))
    assert int(re.search(rb' count="(\d+)"', table)[1]) == len(cells)  # type: ignore[index]
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = re.sub(
            r' t="s"><v>(\d+)</v>',
            lambda m: f' t="inlineStr"><is>{strings[int(m[1])]}</is>',
            parts[name].decode(),
        ).encode()
    parts["[Content_Types].xml"] = re.sub(
        rb'<Override PartName="/xl/sharedStrings.xml"[^>]*/>', b"", parts["[Content_Types].xml"]
    )
    rels = parts["xl/_rels/workbook.xml.rels"]
    parts["xl/_rels/workbook.xml.rels"] = re.sub(
        rb"<Relationship [^>]*sharedStrings[^>]*/>", b"", rels
    )
    return parts


def _with_references(sheet: str) -> str:
    """Every cell with its reference: one without is in the column after the cell before it."""
    from openpyxl.utils import column_index_from_string, get_column_letter

    def row(found: re.Match[str]) -> str:
        last = 0

        def cell(c: re.Match[str]) -> str:
            nonlocal last
            if c[1]:
                last = column_index_from_string(c[2])
                return c[0]
            last += 1
            return f'<c r="{get_column_letter(last)}{found[1]}"'

        return re.sub(r'<c( r="([A-Z]+)\d+")?(?=[ />])', cell, found[0])

    return re.sub(r'<row r="(\d+)"[^>]*?(?<!/)>.*?</row>', row, sheet, flags=re.S)


ODD_TEXTS = (
    "Rus & psykiatri <ambulant>",
    ' "sitat" ',
    "  innrykk",
    "slutt\t",
    "linje\nlinje",
    "kontroll\x01tegn\x1f",
    "_x0041_ ser ut som en kode",
    "ikke et tegn \ufffe\uffff",
    "=SUM(A1:A2)",
    "æøå ÆØÅ – «»",
    LONG,
    "x" * 40_000,  # over Excel's 32,767 characters: cut as XlsxWriter cuts it
    "\U0001f600" * 20_000,  # the limit counts UTF-16 units: two per emoji
)
RICH_LOOKING = "<r>ser ut som rik tekst</r>"
"""XlsxWriter's constant-memory mode copies such a text into the sheet unescaped, as XML."""


def test_fast_rows_write_the_same_bytes_as_xlsxwriter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The faster row writer changes nothing in the file, for every kind of cell the tables use."""
    import datetime as dt

    import xlsxwriter  # type: ignore[import-untyped]

    from statuskart.downloads import xlsx_table

    major, minor = (int(n) for n in xlsxwriter.__version__.split(".")[:2])
    if (major, minor) < (3, 3):  # the lowest-versions run: XlsxWriter writes every row itself
        assert not xlsx_table.fast_rows()
        pytest.skip(f"XlsxWriter {xlsxwriter.__version__}: no fast rows to compare")
    rows: list[tuple[object, object, object]] = []
    numbers = (0, 1, -3, 0.1, 2 / 3, 1e-7, 123456789.123, 10**15, True, False)
    for i, text in enumerate(ODD_TEXTS * 3):
        rows.append((text, numbers[i % len(numbers)], dt.date(2026, 1 + i % 12, 1 + i % 28)))
        rows.append((None, None, None))
        rows.append(("", i, None))
    (tmp_path / "fast").mkdir()
    (tmp_path / "slow").mkdir()
    fast = _table(tmp_path / "fast", rows)
    monkeypatch.setattr(xlsx_table, "FAST_ROWS", False)
    slow = _table(tmp_path / "slow", rows)
    assert "xl/sharedStrings.xml" in _members(fast)
    assert _inlined(fast) == _members(slow)
    strings = _members(fast)["xl/sharedStrings.xml"].decode()
    assert "Rus &amp; psykiatri &lt;ambulant&gt;" in strings
    # Another XlsxWriter writes every row itself: check its cell XML, then add it to the list.
    assert xlsxwriter.__version__ in xlsx_table.FAST_ROWS_FOR, "fast rows not tested here"


@pytest.mark.parametrize("fast", [True, False])
def test_small_workbook_is_made_in_memory_with_the_same_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    """A plan put together in memory: the same parts as through temporary files, and no file."""
    import tempfile

    from statuskart.downloads import xlsx_table

    monkeypatch.setattr(xlsx_table, "FAST_ROWS", fast)
    rows = [(text, i, None) for i, text in enumerate(ODD_TEXTS)] + [(None, None, None)]
    sheets: list[tuple[Sheet, list[tuple[Any, ...]]]] = [
        (Sheet("Tiltaksplan", ["Krav", "Tiltak", "Frist"], [10, 30, 12], [None, None, None]), rows),
        (Sheet("Egne krav", ["Krav"], [10], [None], wrap=[True]), [("E-1",), ("",)]),
    ]
    on_disk = xlsx_table.write_tables(tmp_path / "disk.xlsx", sheets)
    made: list[object] = []
    real = tempfile.mkstemp

    def counted(*args: object, **kwargs: object) -> object:
        made.append(args)
        return real(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(tempfile, "mkstemp", counted)
    in_memory = xlsx_table.write_tables(tmp_path / "memory.xlsx", sheets, small=True)
    assert made == []
    assert "xl/sharedStrings.xml" not in _members(in_memory)  # texts inline in a small one
    assert _inlined(in_memory) == _inlined(on_disk)


def test_cells_without_references_read_back_in_their_columns(tmp_path: Path) -> None:
    """A cell after a gap keeps its reference; the ones right after another are read in order."""
    import datetime as dt

    rows = [
        ("a", None, dt.date(2026, 3, 1)),
        (None, "b", None),
        (None, None, dt.date(2026, 3, 2)),
        ("c", 2, dt.date(2026, 3, 3)),
        (None, None, None),
        ("", 0.5, None),
    ]
    path = _table(tmp_path, rows, wrap=(False, False, False))
    book = load_workbook(path)
    read = [
        tuple(v.date() if isinstance(v, dt.datetime) else v for v in row)
        for row in book.worksheets[0].iter_rows(min_row=2, max_row=7, max_col=3, values_only=True)
    ]
    assert read == [tuple(None if v == "" else v for v in row) for row in rows]


def test_fast_rows_escape_text_that_looks_like_rich_text(tmp_path: Path) -> None:
    """Typed «<r>…</r>» stays that text: escaped, where XlsxWriter would write it as XML."""
    import openpyxl

    from statuskart.downloads import xlsx_table

    if not xlsx_table.fast_rows():
        pytest.skip("XlsxWriter writes every row itself here")
    injected = "<r><t>x</t></r></is></c><c r='Z9'><v>1</v></c><is><r>"
    path = _table(tmp_path, [(RICH_LOOKING, 1, None), (f"<r>{injected}</r>", 2, None)])
    sheet = _members(path)["xl/worksheets/sheet1.xml"].decode()
    assert "&lt;r&gt;ser ut som rik tekst&lt;/r&gt;" in sheet  # inline: not a shared string
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert rows[1:] == [(RICH_LOOKING, 1, None), (f"<r>{injected}</r>", 2, None)]


def test_fast_rows_write_the_national_tables_as_xlsxwriter_does(
    tmp_path: Path, tsb: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A built site's downloads: every workbook the same, byte for byte, without the fast rows."""
    from statuskart.downloads import xlsx_table

    write_samples(tsb, tmp_path / "in", units=4, rounds=2, seed=3, mistakes=True)
    run_build([tmp_path / "in"], tmp_path / "fast", today=TODAY)
    monkeypatch.setattr(xlsx_table, "FAST_ROWS", False)
    run_build([tmp_path / "in"], tmp_path / "slow", today=TODAY)
    books = sorted(p.relative_to(tmp_path / "fast") for p in (tmp_path / "fast").rglob("*.xlsx"))
    assert len(books) > 4
    for book in books:
        assert _inlined(tmp_path / "fast" / book) == _members(tmp_path / "slow" / book), book
    plans = [b for b in books if "tiltaksplan" in b.parts]
    assert plans and not any(
        "xl/sharedStrings.xml" in _members(tmp_path / "fast" / b) for b in plans
    )
