"""The calamine path for .xlsx gives exactly what openpyxl gives, or steps aside."""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from pathlib import Path

import pytest
from openpyxl.styles import numbers
from openpyxl.workbook.workbook import Workbook

from statuskart.catalog.model import Catalogue
from statuskart.workbook import read as R
from statuskart.workbook.fast_xlsx import (
    _CELL_TAG,
    _PLAIN_CELL,
    _only_plain,
    _scan,
    _scan_tags,
    fast_book,
)
from statuskart.workbook.guarded import open_guarded
from statuskart.workbook.sniff import MAX_CELLS, sniff
from tests.conftest import WorkbookFactory, column, row_of

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = sorted((ROOT / "checklists").glob("*/*.xlsx"))  # the skjemas in round folders


def _both(data: bytes, name: str) -> tuple[object, object] | None:
    """The reader's raw result on the calamine book and on openpyxl's, or None if declined."""
    try:
        book = fast_book(data)
    except Exception:
        return None
    if book is None:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            slow = R._read_opened(lambda: open_guarded(data), name, "d")
        except Exception:
            return None
        try:
            quick = R._read_opened(lambda: book, name, "d")
        except Exception:  # e.g. cells without references: read.py falls back to openpyxl
            return None
        return quick, slow


def test_sample_set_takes_the_fast_path_and_reads_identically() -> None:
    assert len(SAMPLE) >= 70
    for path in SAMPLE:
        data = path.read_bytes()
        quick = R._read_fast(data, str(path), "d")
        assert quick is not None, path  # every stamped skjema of ours qualifies
        assert R.read_workbook(path) == R.read_workbook(path, fast=False), path


@pytest.fixture(scope="module")
def corpus_xlsx(corpus: list[Path]) -> list[Path]:
    """The corpus files that are .xlsx inside, whatever their name says."""
    return [p for p in corpus if sniff(p.read_bytes()).format == "xlsx"]


def test_corpus_reads_identically_on_both_paths(corpus_xlsx: list[Path]) -> None:
    compared = 0
    for path in corpus_xlsx:
        assert R.read_workbook(path) == R.read_workbook(path, fast=False), path.name
        pair = _both(path.read_bytes(), str(path))
        if pair is not None:
            compared += 1
            assert pair[0] == pair[1], path.name
    assert compared >= 30  # most corpus workbooks are compared cell by cell, not only declined


def test_dates_come_out_as_openpyxl_gives_them(filled_workbook: WorkbookFactory) -> None:
    path = filled_workbook({"TSB-08": {"status": "Ikke startet", "due": dt.date(2027, 3, 1)}})
    quick = R.read_workbook(path)
    assert quick.raw is not None
    due = next(r for r in quick.raw.rows if r.value("id") == "TSB-08").value("due")
    assert due == dt.datetime(2027, 3, 1)  # noqa: DTZ001 - openpyxl's naive datetime
    assert quick == R.read_workbook(path, fast=False)


def test_number_formats_come_from_the_styles(
    filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    """Calamine gives no formats, and «80 %» typed in a comment must stay «80 %»."""

    def percent(wb: Workbook) -> None:
        cell = wb["Statuskartlegging"].cell(row_of(tsb, "TSB-08"), column("comment"))
        cell.value = 0.8
        cell.number_format = numbers.FORMAT_PERCENTAGE

    path = filled_workbook(edit=percent)
    assert R._read_fast(path.read_bytes(), str(path), "d") is not None
    result = R.read_workbook(path)
    assert result == R.read_workbook(path, fast=False)
    comment = next(r for r in result.raw.rows if r.value("id") == "TSB-08").cells["comment"]  # type: ignore[union-attr]
    assert comment.number_format == "0%"


def test_1904_dates_and_huge_ranges_go_to_openpyxl(filled_workbook: WorkbookFactory) -> None:
    def epoch_1904(wb: object) -> None:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904

        wb.epoch = CALENDAR_MAC_1904  # type: ignore[attr-defined]

    def far_cell(wb: object) -> None:
        wb["Veiledning"]["XFD1048576"] = "x"  # type: ignore[index]

    for edit in (epoch_1904, far_cell):
        path = filled_workbook(edit=edit)
        assert fast_book(path.read_bytes()) is None, edit.__name__
        assert R.read_workbook(path).raw is not None


def test_a_skjema_without_stamp_sheet_is_read_by_openpyxl(filled_workbook: WorkbookFactory) -> None:
    """The fallback stamp lives in document properties, which only openpyxl reads."""

    def drop_stamp(wb: object) -> None:
        del wb["statuskart"]  # type: ignore[attr-defined]

    path = filled_workbook(edit=drop_stamp)
    assert R._read_fast(path.read_bytes(), str(path), "d") is None
    result = R.read_workbook(path)
    assert result.raw is not None and result.raw.stamp.get("catalogue_id") == "tsb"


def _sheets(path: Path) -> list[bytes]:
    """The worksheet parts of an .xlsx, or none when the archive is broken (the reader's case)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            return [archive.read(n) for n in names if n.lower().startswith("xl/worksheets/")]
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return []


def _general(part: bytes) -> tuple[dict[bytes, bytes] | None, bool]:
    """_scan's answer as the tag-by-tag scan gives it: the styles, and its extent's verdict."""
    styles, extent = _scan_tags(part)
    return styles, extent > MAX_CELLS


def test_plain_cell_scan_equals_the_general_one() -> None:
    """The regex-only scan of plain cell tags gives what the tag-by-tag scan gives."""
    sheets = [sheet for path in SAMPLE[:10] for sheet in _sheets(path)]
    assert len(sheets) >= 10  # every skjema of ours has its sheets
    for sheet in sheets:
        assert _scan(sheet) == _general(sheet)
    odd = b'<c r="B2" t="s" s="4"><v>1</v></c><c r="AA10" s="2"/><c r="Z3"/>'
    assert _scan_tags(odd) == ({b"B2": b"4", b"AA10": b"2", b"Z3": b""}, 270)
    assert _scan(odd) == _general(odd) == ({b"B2": b"4", b"AA10": b"2", b"Z3": b""}, False)


def test_plain_cell_scan_equals_the_general_one_on_the_corpus(corpus_xlsx: list[Path]) -> None:
    scanned = 0
    for path in corpus_xlsx:
        for sheet in _sheets(path):
            assert _scan(sheet) == _general(sheet), path.name
            scanned += 1
    assert scanned >= 50
    plain = b'<c r="B2" s="4" t="s"><v>1</v></c><c r="AA10" s="2" /><c r="Z3"/>'
    assert _scan_tags(plain) == ({b"B2": b"4", b"AA10": b"2", b"Z3": b""}, 270)
    assert _scan(plain) == _general(plain) == ({b"B2": b"4", b"AA10": b"2", b"Z3": b""}, False)


def _archive_parts(path: Path) -> list[bytes]:
    """Every part of an .xlsx, or none when the archive is broken (the reader's case)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return [archive.read(info) for info in archive.infolist()]
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, NotImplementedError, RuntimeError):
        return []


FAR_PARTS = (
    # plain tags: short references (no extent), long ones near and far, on either axis
    b'<c r="A1" s="1"/><c r="ZZ9"/><c r="A99"/>',
    b'<c r="A999"/><c r="ZZ1"/>',  # 999 × 702: near
    b'<c r="A1000"/><c r="ZZZ1"/>',  # 1,000 × 18,278: far
    b'<c r="XFD1048576"/>',
    b'<c r="B2"/><c r="XFD1"/><c r="A123"/>',  # 123 × 16,384: far
    b'<c r="B2"/><c r="XFD1"/><c r="A122"/>',  # 122 × 16,384: just under
    b'<c r="A2000001"/>',  # 2,000,001 × 1: just over
    b'<c r="A1"/><c r="A1" s="3"/>',  # a repeated reference keeps its last style
    # no cell tag: passed after one search, unless a prefixed or odd tag may be there
    b'<cellXfs count="1"><xf numFmtId="0"/></cellXfs><color rgb="FF000000"/><cols><col/></cols>',
    b'<a:clrScheme name="x"/><dc:creator>a</dc:creator><cfRule type="x"/>',
    b'<x:c r="XFD1048576"/>',
    b"<c r='XFD1048576'/>",
    b'<c\tr="XFD1048576"/>',
    b"<c>1</c>",
    b"",
)


def test_part_verdicts_equal_the_general_scan(corpus_xlsx: list[Path]) -> None:
    """Every part of the sample and corpus files, and far or odd ones, as _scan_tags decides."""
    parts = [*FAR_PARTS, *(part for p in [*SAMPLE[:5], *corpus_xlsx] for part in _archive_parts(p))]
    verdicts = set()
    for part in parts:
        assert _scan(part) == _general(part), part[:200]
        verdicts.add(_scan(part)[1])
    assert verdicts == {True, False}
    far = [False, False, True, True, True, False, True]
    assert [_scan(part)[1] for part in FAR_PARTS[:7]] == far
    assert _scan(FAR_PARTS[7]) == ({b"A1": b"3"}, False)
    assert [_scan(part)[1] for part in FAR_PARTS[10:14]] == [True, True, True, False]


ODD_TAGS = (
    b'<c r="A1"/>',
    b'<c r="A1" s="2" t="s"><v>0</v></c><col min="1"/><cols></cols>',
    b'<c r="A1"/><c>x</c>',
    b'<c r="A1"/><c/>',
    b'<c r="A1"/><c\tr="B2"/>',
    b'<c r="A1"/><c\nr="B2"/>',
    b'<c r="A1"/><c\rr="B2"/>',
    b'<c r="A1"/><x:c r="B2"/>',
    b'<c r="A1"/><x:cols/>',
    b'<c r="A1"/><a:clrScheme/><dc:creator>x</dc:creator>',
    b'<c r="A1"/><x:c/>',
    b'<c r="A1"/><x:c>',
    b'<c r="A1"/><is><t>a:c</t></is>',
    b'<c r="A1"/>:c',
    b'<c r="A1"/><is><t>Merk:c</t></is>',
    b'<c r="A1"/><c-x r="B2"/>',
    b'<c r="A1"/><c\xc3\xa5 r="B2"/>',
    b'<c r="A1"/><c  r="B2"/>',
    b"<c r=\"A1\"/><c r='B2'/>",
    b'<c r="A1"/><c',
    b"",
)


def test_plain_verdict_equals_counting_every_cell_tag(corpus_xlsx: list[Path]) -> None:
    """_only_plain's shortcut decides as counting _CELL_TAG's matches does, tag shape by shape."""
    sheets = [*ODD_TAGS, *(s for p in [*SAMPLE[:5], *corpus_xlsx] for s in _sheets(p))]
    verdicts = set()
    for sheet in sheets:
        plain = len(_PLAIN_CELL.findall(sheet))
        verdict = _only_plain(sheet, plain)
        assert verdict == (len(_CELL_TAG.findall(sheet)) == plain), sheet[:200]
        verdicts.add(verdict)
    assert verdicts == {True, False}


def test_raw_cell_init_sets_every_field_and_stays_frozen() -> None:
    """RawCell's hand-written __init__ (fast setters) behaves as the generated one would."""
    import dataclasses
    import pickle

    from statuskart.workbook.raw import RawCell

    names = [f.name for f in dataclasses.fields(RawCell)]
    full = RawCell("Ark", "B7", 0.8, "0%", 12)
    assert [getattr(full, n) for n in names] == ["Ark", "B7", 0.8, "0%", 12]
    short = RawCell(sheet="Ark", cell="B7", value="x")
    assert (short.number_format, short.mark) == (
        RawCell.__dataclass_fields__["number_format"].default,
        RawCell.__dataclass_fields__["mark"].default,
    )
    assert dataclasses.replace(short, mark=3) == RawCell("Ark", "B7", "x", "General", 3)
    assert hash(full) == hash(RawCell("Ark", "B7", 0.8, "0%", 12))
    assert pickle.loads(pickle.dumps(full)) == full
    with pytest.raises(dataclasses.FrozenInstanceError):
        full.value = 1  # type: ignore[misc]


def _parts(data: bytes) -> tuple[object, object]:
    """(openpyxl classes' workbook part, the plain parse's), each an outcome or error name."""
    import io

    from statuskart.workbook.fast_xlsx import plain_workbook_part, workbook_part

    def outcome(parse: object) -> object:
        try:
            part = parse(zipfile.ZipFile(io.BytesIO(data)))  # type: ignore[operator]
        except Exception as exc:
            return type(exc).__name__
        if part is None:
            return None
        names = {k: v.attr_text for k, v in part.defined_names.items()}
        return part.date1904, part.sheets, names

    return outcome(workbook_part), outcome(plain_workbook_part)


def test_plain_workbook_part_reads_as_openpyxl_or_declines(corpus_xlsx: list[Path]) -> None:
    """Where the plain parse answers, it answers as openpyxl's classes do, errors included."""
    compared = 0
    for path in [*SAMPLE[:5], *corpus_xlsx]:
        slow, quick = _parts(path.read_bytes())
        if quick is not None:
            assert quick == slow, path.name
            compared += isinstance(quick, tuple)
    assert compared >= 40


def _rewritten(data: bytes, part: str, old: bytes, new: bytes) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            dst.writestr(info, content.replace(old, new) if info.filename == part else content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("part", "old", "new"),
    [
        ("xl/workbook.xml", b'sheetId="1"', b'sheetId=" 1"'),  # int() takes it; left to openpyxl
        ("xl/workbook.xml", b'sheetId="1"', b'sheetId="x"'),
        ("xl/workbook.xml", b'<definedName name="sk_rhf"', b'<definedName odd="1" name="sk_rhf"'),
        ("xl/workbook.xml", b"<workbookPr />", b'<workbookPr date1904="true" />'),
        ("xl/workbook.xml", b"<workbookPr />", b'<workbookPr date1904="False" />'),
        ("xl/workbook.xml", b"<workbookPr />", b'<workbookPr date1904="0" />'),
        ("xl/workbook.xml", b'r:id="rId1"', b'r:id="rId99"'),
        ("xl/_rels/workbook.xml.rels", b'Target="', b'Odd="1" Target="'),
        ("[Content_Types].xml", b"<Override ", b'<Override Odd="1" '),
    ],
)
def test_plain_workbook_part_on_unusual_shapes(part: str, old: bytes, new: bytes) -> None:
    data = SAMPLE[0].read_bytes()
    zipped = zipfile.ZipFile(SAMPLE[0])
    assert old in zipped.read(part), (part, old)
    slow, quick = _parts(_rewritten(data, part, old, new))
    assert quick is None or quick == slow, (quick, slow)


def _entries_or_error(data: bytes) -> list[tuple[str, bytes]] | str:
    """ScannedParts.entries over ``data``, or the name of the error it raises."""
    from statuskart.workbook.fast_xlsx import ScannedParts

    try:
        return list(ScannedParts(data).entries())
    except Exception as exc:
        return type(exc).__name__


def _zipfile_entries_or_error(data: bytes) -> list[tuple[str, bytes]] | str:
    """What ZipFile.read gives for every entry, or the name of the error it raises."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        return [(info.filename, archive.read(info)) for info in archive.infolist()]
    except Exception as exc:
        return type(exc).__name__


def test_entries_unpack_as_zipfile_reads(corpus_xlsx: list[Path], tmp_path: Path) -> None:
    """Each entry's bytes, or the error, as ZipFile.read gives them: plain, damaged, unusual."""
    source = SAMPLE[0].read_bytes()
    with zipfile.ZipFile(SAMPLE[0]) as archive:
        infos = archive.infolist()
    sheet = next(i for i in infos if i.filename.startswith("xl/worksheets/sheet"))
    body = sheet.header_offset + 30 + len(sheet.filename)  # the sample writes no extra field
    central = source.rfind(sheet.filename.encode()) - 46  # its central directory header
    assert source[central : central + 4] == b"PK\1\2"

    def changed(offset: int, new: bytes) -> bytes:
        return source[:offset] + new + source[offset + len(new) :]

    stored = tmp_path / "lagret.xlsx"
    with zipfile.ZipFile(SAMPLE[0]) as src, zipfile.ZipFile(stored, "w") as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info), compress_type=zipfile.ZIP_STORED)
    repeated = tmp_path / "dobbel.xlsx"
    with zipfile.ZipFile(SAMPLE[0]) as src, zipfile.ZipFile(repeated, "w") as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # «Duplicate name»
            out.writestr(sheet.filename, b"<worksheet/>")
    cases = {
        "plain": source,
        "stored": stored.read_bytes(),
        "repeated name": repeated.read_bytes(),
        "damaged stream": changed(
            body + 40, bytes(b ^ 0xFF for b in source[body + 40 : 48 + body])
        ),
        "wrong crc": changed(central + 16, b"\0\0\0\0"),
        "wrong size": changed(central + 24, (sheet.file_size - 1).to_bytes(4, "little")),
        "encrypted": changed(central + 8, b"\1"),
        "other local name": changed(sheet.header_offset + 30, b"X"),
        "bad signature": changed(sheet.header_offset, b"PK\5\6"),
        "local flags": changed(sheet.header_offset + 6, b"\1\10"),
        **{p.name: p.read_bytes() for p in corpus_xlsx},
    }
    outcomes = set()
    for name, data in cases.items():
        expected = _zipfile_entries_or_error(data)
        assert _entries_or_error(data) == expected, name
        outcomes.add(expected if isinstance(expected, str) else "read")
    assert {"read", "BadZipFile", "RuntimeError"} <= outcomes


def test_last_styles_memo_gives_each_part_its_own_table() -> None:
    """The one-entry memo in front of _xf_table answers for the part it is given, in any order."""
    from statuskart.workbook.fast_xlsx import _last_xf_table, _xf_table

    def styles(fmt: str) -> bytes:
        return (
            b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<numFmts count="1"><numFmt numFmtId="164" formatCode="' + fmt.encode() + b'"/>'
            b'</numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>'
            b"</styleSheet>"
        )

    first, second = styles("0.0%"), styles("0.00")
    for part in (first, second, first, first, second, b""):
        assert _last_xf_table(part) == _xf_table(part)
    assert _last_xf_table(first).formats == ("General", "0.0%")
    assert _last_xf_table(bytes(bytearray(second))).formats == ("General", "0.00")  # equal bytes
