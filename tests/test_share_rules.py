"""The share of patients within the forløpstid: one typed value, one reading, from every file type.

«80 %» typed into the percent-formatted share cell is 0.8, «80» there is 80 (shown 8000 %), and
the cell's number format is what tells them apart, so .ods and .xls must carry it as .xlsx does
(cell_formats.py). Fast tests of the rules; tests/test_share_formats.py types into LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from defusedxml import DefusedXmlException

from statuskart.core.findings import Finding
from statuskart.downloads.export import NUMBER_FORMATS
from statuskart.validate.local_requirements import share_of
from statuskart.validate.typed_values import AmbiguousShare, parse_share
from statuskart.workbook import cell_formats
from statuskart.workbook.calamine_read import open_calamine
from statuskart.workbook.cell_formats import OdsFormats, XlsFormats, percent_format
from statuskart.workbook.cell_text import UNKNOWN_FORMAT, cell_text, is_percent, percent_number
from statuskart.workbook.raw import RawCell
from statuskart.workbook.sniff import SheetTooLarge
from statuskart.workbook.styles import SHARE_FORMAT

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

DATA = Path(__file__).parent / "data"
PLAIN, PERCENT, OLD_NB, OLD_PLAIN = "General", SHARE_FORMAT, "0,%", "0 %"
"""OLD_*: what skjemas before the escaped space carry (OLD_NB after Norwegian LibreOffice)."""


@pytest.mark.parametrize(
    ("value", "number_format", "share"),
    [
        (0.8, PERCENT, 80.0),  # «80 %» typed into the share cell
        (0.8, OLD_NB, 80.0),
        (0.8, OLD_PLAIN, 80.0),
        (0.8, "0.00%", 80.0),
        (1, PERCENT, 100.0),
        (0, PERCENT, 0.0),
        (0.005, PERCENT, 0.5),  # «0,5 %»: a percentage already, not a fraction
        (0.8, PLAIN, 80.0),  # a fraction in a plain cell
        (1, PLAIN, 100.0),
        (0, PLAIN, 0.0),
        (0.005, PLAIN, 0.5),
        (1.5, PLAIN, 1.5),  # above 1 in a plain cell: the percentage
        (80, PLAIN, 80.0),
        (100, PLAIN, 100.0),
        (0.8, UNKNOWN_FORMAT, 80.0),  # 0–1 means the same share in every format
        (1, UNKNOWN_FORMAT, 100.0),
        (0, UNKNOWN_FORMAT, 0.0),
        ("80 %", PLAIN, 80.0),
        ("80%", PLAIN, 80.0),
        ("80\u00a0%", PLAIN, 80.0),
        ("80\u202f%", PLAIN, 80.0),
        (" 80 ", PLAIN, 80.0),
        ("+80", PLAIN, 80.0),
        ("80,5", PLAIN, 80.5),
        ("80.5 %", PLAIN, 80.5),
        ("0,5 %", PLAIN, 0.5),
        ("0,5", PLAIN, 50.0),
        (".5", PLAIN, 50.0),
        ("5.", PLAIN, 5.0),
        ("1", PLAIN, 100.0),
        ("1 %", PLAIN, 1.0),
        ("100 %", PLAIN, 100.0),
        ("0 %", PLAIN, 0.0),
        ("80 %", PERCENT, 80.0),  # text keeps its own % whatever the cell's format
    ],
)
def test_share_is_read_as_typed(value: Any, number_format: str, share: float) -> None:
    got = parse_share(value, number_format)
    assert got == pytest.approx(share) and isinstance(got, float)


@pytest.mark.parametrize(
    ("value", "number_format"),
    [
        (1.5, PERCENT),  # «150 %»
        (80, PERCENT),  # «80» in the percent cell: 8000 %
        (80, OLD_NB),
        (-0.05, PERCENT),  # «−5 %»
        (1.01, PERCENT),
        (100.5, PLAIN),
        (101, PLAIN),
        (-0.1, PLAIN),
        (-5, UNKNOWN_FORMAT),  # negative is refused outright, not as ambiguous
        (float("nan"), PLAIN),
        (float("nan"), UNKNOWN_FORMAT),
        (float("inf"), PLAIN),
        (float("-inf"), PERCENT),
        (10**400, PLAIN),  # a cell value no float holds
        (True, PLAIN),
        (False, PERCENT),
        (None, PLAIN),
        (dt.date(2026, 1, 1), PLAIN),
        ("", PLAIN),
        ("mye", PLAIN),
        ("150 %", PLAIN),
        ("101", PLAIN),
        ("-5 %", PLAIN),
        ("\u22125 %", PLAIN),
        ("1_0", PLAIN),
        ("1e2", PLAIN),
        ("nan", PLAIN),
        ("inf", PLAIN),
        ("\u0668\u0660", PLAIN),  # Arabic-Indic «80»: not the digits a skjema expects
        ("%80", PLAIN),
        ("80 %%", PLAIN),
        ("80 % ca", PLAIN),
        ("1.2.3", PLAIN),
    ],
)
def test_what_is_not_a_share_is_refused(value: Any, number_format: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_share(value, number_format)
    assert type(caught.value) is ValueError  # a plain refusal, not «format unknown»


@pytest.mark.parametrize("value", [1.0000001, 1.5, 80, 100])
def test_a_number_above_one_in_a_cell_of_unknown_format_is_ambiguous(value: float) -> None:
    # 80 is 8000 % in the percent cell (refused from .xlsx) or 80 % in a plain one: take neither.
    with pytest.raises(AmbiguousShare):
        parse_share(value, UNKNOWN_FORMAT)
    assert parse_share(value, PLAIN) == pytest.approx(value)


def test_default_format_is_plain() -> None:
    assert parse_share(80) == 80.0 and parse_share(0.8) == 80.0


@pytest.mark.parametrize(
    ("number_format", "percent"),
    [
        (SHARE_FORMAT, True),
        ("0%", True),
        (OLD_PLAIN, True),
        (OLD_NB, True),  # Norwegian LibreOffice's «0 %» after a save: still a percent
        ('0" "%', True),
        ("0.00%", True),
        ("0%;-0%", True),
        ("General", False),
        (UNKNOWN_FORMAT, False),
        ('0"%"', False),  # a quoted % is a literal sign: no × 100
        ("0\\%", False),
        ("0;0%", False),  # only the first section counts for a positive number
    ],
)
def test_percent_formats_old_and_new(number_format: str, percent: bool) -> None:
    assert is_percent(number_format) is percent


def test_share_format_has_no_bare_space() -> None:
    # A bare space is a thousands separator to nb-NO LibreOffice: «0 %» came back as «0,%».
    assert SHARE_FORMAT == "0\\ %" and NUMBER_FORMATS["percent"] == SHARE_FORMAT


def test_old_and_new_formats_show_and_read_the_same() -> None:
    for fmt in (SHARE_FORMAT, OLD_PLAIN, OLD_NB, '0" "%', percent_format(0)):
        cell = RawCell("Statuskartlegging", "I29", 0.8, fmt)
        assert (cell_text(cell), percent_number(cell)) == ("80 %", 80.0)
    assert cell_text(RawCell("Forside", "B12", 0.805, percent_format(2))) == "80,50 %"
    assert cell_text(RawCell("Statuskartlegging", "I29", 80, UNKNOWN_FORMAT)) == "80"


def _share_findings(value: Any, number_format: str) -> tuple[float | None, list[Finding]]:
    found: list[Finding] = []
    cell = RawCell("Statuskartlegging", "I42", value, number_format)
    raw: Any = SimpleNamespace(path="skjema.xls")
    return share_of(raw, cell, "TSB-36", True, found), found


def test_unknown_format_gives_its_own_finding() -> None:
    share, (f,) = _share_findings(80, UNKNOWN_FORMAT)
    assert share is None
    assert (f.code, f.file, f.sheet, f.cell, f.detail) == (
        "share-format-unknown",
        "skjema.xls",
        "Statuskartlegging",
        "I42",
        "80",
    )
    assert "8000 %" in f.message and ".xlsx" in f.fix
    share, (f,) = _share_findings(80, PERCENT)
    assert (share, f.code, f.detail) == (None, "share-invalid", "8000 %")
    assert _share_findings(0.8, UNKNOWN_FORMAT) == (80.0, [])


# --- .ods: percentage cells from content.xml -------------------------------------------------

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"'
)
STYLES = (
    '<number:percentage-style style:name="N2"><number:number number:decimal-places="2"/>'
    "<number:text>%</number:text></number:percentage-style>"
    '<number:percentage-style style:name="N0"><number:number number:decimal-places="0"/>'
    "</number:percentage-style>"
    '<number:number-style style:name="N9"><number:number number:decimal-places="3"/>'
    "</number:number-style>"
    '<style:style style:name="ce2" style:family="table-cell" style:data-style-name="N2"/>'
    '<style:style style:name="ce0" style:family="table-cell" style:data-style-name="N0"/>'
    '<style:style style:name="ce9" style:family="table-cell" style:data-style-name="N9"/>'
)


def _pct(style: str = "", columns: str = "") -> str:
    extra = f' table:style-name="{style}"' if style else ""
    extra += f' table:number-columns-repeated="{columns}"' if columns else ""
    return f'<table:table-cell office:value-type="percentage" office:value="0.8"{extra}/>'


def _ods(tables: str, styles: str = STYLES) -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}>'
        f"<office:automatic-styles>{styles}</office:automatic-styles>"
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return out.getvalue()


def test_ods_percentage_cells_by_position_with_repeats_and_decimals() -> None:
    float_cell = '<table:table-cell office:value-type="float" office:value="80"/>'
    sheet = (
        '<table:table table:name="Ark">'
        '<table:table-column table:number-columns-repeated="2"/>'
        '<table:table-column table:default-cell-style-name="ce2"/>'
        "<table:table-row>"
        f"{float_cell}{_pct('ce0')}{_pct()}"
        "</table:table-row>"
        '<table:table-row table:number-rows-repeated="2"><table:table-cell/>'
        f"{_pct('ce2', '2')}"
        "</table:table-row>"
        '<table:table-row table:number-rows-repeated="0"><table:covered-table-cell/>'
        '<table:covered-table-cell office:value-type="percentage" office:value="1"/>'
        "</table:table-row>"
        "<table:table-row>"
        f'<table:table-cell table:number-columns-repeated="x"/>{_pct("ce9")}'
        "</table:table-row>"
        "</table:table>"
    )
    formats = OdsFormats(_ods(sheet))
    assert [formats("Ark", 1, c) for c in (1, 2, 3)] == ["General", "0%", "0.00%"]
    assert [formats("Ark", r, c) for r in (2, 3) for c in (1, 2, 3, 4)] == [
        "General",
        "0.00%",
        "0.00%",
        "General",
    ] * 2
    # a repeat of 0 counts once, as does a count that is not a number
    assert [formats("Ark", 4, c) for c in (1, 2)] == ["General", "0%"]
    assert [formats("Ark", 5, c) for c in (1, 2, 3)] == ["General", "0%", "General"]
    assert formats("Ark", 6, 2) == "General"
    assert formats("Ikke her", 1, 2) == UNKNOWN_FORMAT


def test_ods_cells_past_what_is_read_are_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    # huge sheets are refused by their extent (below); here the marking pass alone is bounded
    monkeypatch.setattr(cell_formats, "MAX_CELLS", 10**12)
    far_row = f'<table:table-row table:number-rows-repeated="{cell_formats.MAX_ROWS - 1}"/>'
    wide = f'<table:table-cell table:number-columns-repeated="{cell_formats.MAX_COLS - 1}"/>'
    sheet = (
        '<table:table table:name="A">'
        f"{far_row}<table:table-row>{_pct(columns='2000000')}"
        f"</table:table-row><table:table-row>{_pct()}</table:table-row>"
        f"<table:table-row>{wide}{_pct()}{_pct()}</table:table-row></table:table>"
        '<table:table table:name="B"><table:table-row '
        'table:number-rows-repeated="1048576">'
        f"{_pct(columns='16384')}</table:table-row></table:table>"
    )
    formats = OdsFormats(_ods(sheet))
    last = cell_formats.MAX_ROWS
    assert formats("A", last, 1) == formats("A", last, cell_formats.MAX_COLS) == "0%"
    assert formats("A", last + 1, 1) == "General"  # never asked by read.py, never kept
    marked = formats._sheets
    assert marked is not None and len(marked["A"] or {}) == cell_formats.MAX_COLS
    assert len(marked["B"] or {}) == cell_formats.MAX_ROWS * cell_formats.MAX_COLS
    monkeypatch.setattr(cell_formats, "MAX_MARKED", 100)
    crowded = OdsFormats(_ods(sheet))
    assert crowded("A", last, 1) == "0%" and crowded("B", 1, 1) == UNKNOWN_FORMAT


def test_ods_sheet_spanning_more_than_a_skjema_is_refused_before_calamine() -> None:
    rows = '<table:table-row table:number-rows-repeated="40000">'
    cells = '<table:table-cell table:number-columns-repeated="1000" office:value-type="float"/>'
    sheet = f'<table:table table:name="Stor">{rows}{cells}</table:table-row></table:table>'
    with pytest.raises(SheetTooLarge, match="«Stor» bruker 40000 rader og 1000 kolonner"):
        OdsFormats(_ods(sheet))
    # LibreOffice's own trailing filler (empty repeated cells) is no value and costs nothing
    filler = (
        '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    OdsFormats(_ods(f'<table:table table:name="Tom">{filler}</table:table>'))


def test_ods_with_an_entity_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_ods(""))) as src, zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", src.read("mimetype"))
        text = src.read("content.xml").decode()
        head, _, body = text.partition("?>")
        z.writestr("content.xml", f'{head}?><!DOCTYPE x [<!ENTITY a "aaaa">]>{body}')
    with pytest.raises(DefusedXmlException):
        OdsFormats(out.getvalue())("Ark", 1, 1)


def test_ods_and_xls_saved_by_libreoffice_carry_their_percent_cells() -> None:
    # Saved by LibreOffice (nb-NO) from a sheet whose B and C cells hold 0.8 in «0 %», «0%»,
    # «0\ %», «0" "%», «0,%», «0<nbsp>%» and General: the first and the last two came back «0,%».
    ods = OdsFormats((DATA / "percent-formats.ods").read_bytes())
    xls = XlsFormats((DATA / "percent-formats.xls").read_bytes())
    for row in range(1, 7):
        for col in (2, 3):
            assert is_percent(ods("S", row, col)) and is_percent(xls("S", row, col))
    assert ods("S", 7, 2) == xls("S", 7, 2) == "General"
    assert [xls("S", r, 2) for r in (1, 2, 3)] == [OLD_NB, "0%", SHARE_FORMAT]
    assert xls("S", 99, 2) == xls("Ikke her", 1, 2) == UNKNOWN_FORMAT


@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_calamine_grid_gives_percent_cells_their_format(kind: str) -> None:
    book = open_calamine((DATA / f"percent-formats.{kind}").read_bytes(), kind)
    try:
        values, formats = book["S"].grid(10, 5)
    finally:
        book.close()
    assert values[2][1] == 0.8 and is_percent(formats[(3, 2)])
    assert (7, 2) not in formats and (3, 1) not in formats  # General and text: nothing kept


def test_xls_that_xlrd_cannot_open_has_unknown_formats() -> None:
    formats = XlsFormats(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert formats("S", 1, 1) == formats("S", 2, 2) == UNKNOWN_FORMAT
    assert cell_formats.unknown_formats("S", 1, 1) == UNKNOWN_FORMAT
