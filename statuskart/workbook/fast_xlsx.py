"""Fast path for .xlsx: python-calamine's cell values plus openpyxl's workbook part.

openpyxl's read-only parser spends about 20 ms on a skjema, most of it turning XML into cell
objects; calamine reads the same values in a few. Calamine gives no number formats, no defined
names and no document properties, so:

- a numeric cell's number format is looked up in the styles when the reader meets one
  (NumberFormats; «0 %» is how «80 %» was typed);
- the path is taken only for the 1900 date system (openpyxl's workbook part tells);
- no part whose cell references span more than ``MAX_CELLS`` (calamine allocates the whole used
  range: a lone cell at XFD1048576 aborted the process with an out-of-memory error); every part
  of the archive is scanned, wherever the relationships put a sheet.

Defined names come from the workbook part, read as openpyxl's own classes read it (or by them,
when its shape is unusual). read.py falls back to openpyxl
whenever this path declines, fails, or the file has no stamp sheet (the fallback stamp lives in
document properties). tests/test_fast_xlsx.py proves both paths give identical results on the
sample set and on every corpus file.
"""

from __future__ import annotations

import functools
import io
import itertools
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any, Protocol

from defusedxml.ElementTree import fromstring
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.packaging.workbook import WorkbookPackage
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.properties import WorkbookProperties
from openpyxl.xml.constants import (
    ARC_CONTENT_TYPES,
    ARC_STYLE,
    ARC_WORKBOOK,
    REL_NS,
    XLSM,
    XLSX,
    XLTM,
    XLTX,
)

from statuskart.workbook import row_marks
from statuskart.workbook.calamine_read import CalamineBook
from statuskart.workbook.sniff import MAX_CELLS, unpack


def fast_book(data: bytes, entries: Sequence[zipfile.ZipInfo] = ()) -> CalamineBook | None:
    """A calamine-backed workbook for these checked .xlsx bytes, or None to use openpyxl.

    ``entries``: the zip directory sniff read (Sniffed.entries), so it is not parsed again.
    """
    parts = ScannedParts(data, entries)
    sheets: dict[str, dict[bytes, bytes] | None] = {}
    # Every part, not only xl/worksheets/: calamine loads a sheet from wherever the workbook's
    # relationships point (a far cell in «xl/other/sheet1.xml» aborted the process), and how it
    # resolves a target is its own business. Sniffing bounds the bytes this reads.
    for name, content in parts.entries():
        styles, too_large = _scan(content)
        if too_large:
            return None
        sheets[name] = styles  # a repeated name: the last entry's, the one ZipFile.read gives
    part = plain_workbook_part(parts) or workbook_part(parts.archive())
    if part.date1904:
        return None
    by_title = {title: sheets.get(target) for title, target in part.sheets}
    styles_part = next((n for n in parts.namelist() if n.lower() == "xl/styles.xml"), None)
    formats = NumberFormats(parts, styles_part, by_title)
    return CalamineBook(data, defined_names=part.defined_names, as_openpyxl=True, formats=formats)


class Parts(Protocol):
    """What this module reads of an archive: a zipfile.ZipFile, or ScannedParts over one."""

    def namelist(self) -> list[str]:
        """The part names, in archive order (duplicates too)."""
        ...

    def read(self, name: str) -> bytes:
        """The unpacked bytes of part ``name``."""
        ...


class ScannedParts:
    """An archive whose entries are each unpacked once for _scan, and a few of them kept.

    The workbook part, its relationships, the content types and the styles are read again after
    the scan; they are kept from it instead of being unpacked twice (ZipFile.read is mostly
    Python). Other parts (the sheets) are not kept: memory stays at one part at a time. The zip
    directory is sniff's (``entries``) when given; a ZipFile is opened only when one is needed.
    """

    def __init__(self, data: bytes, entries: Sequence[zipfile.ZipInfo] = ()) -> None:
        self._data = data
        self._zip: zipfile.ZipFile | None = None
        self._infos = list(entries) or self.archive().infolist()
        self._names = [info.filename for info in self._infos]
        self._kept: dict[str, bytes] = {}

    def archive(self) -> zipfile.ZipFile:
        """A ZipFile over the bytes, opened on first use (a read that unpack declines, openpyxl)."""
        if self._zip is None:
            self._zip = zipfile.ZipFile(io.BytesIO(self._data))
        return self._zip

    def namelist(self) -> list[str]:
        """The part names, in archive order (a copy, as ZipFile.namelist gives)."""
        return list(self._names)

    def entries(self) -> Iterator[tuple[str, bytes]]:
        """(name, unpacked bytes) of every entry in archive order, a repeated name each time.

        The bytes ZipFile.read gives for that entry: sniff.unpack's when it can vouch for them
        (size and CRC-32 as the directory states), else ZipFile's own, errors included. A part
        read again keeps the last entry of its name, as ZipFile.read(name) reads that one.
        """
        data = self._data
        for info in self._infos:
            content = unpack(data, info)
            if content is None:
                content = self.archive().read(info)
            if info.filename in _READ_AGAIN:
                self._kept[info.filename] = content
            yield info.filename, content

    def read(self, name: str) -> bytes:
        """Part ``name``: the kept bytes, else unpacked from the archive (as ZipFile.read)."""
        kept = self._kept.get(name)
        return kept if kept is not None else self.archive().read(name)


_READ_AGAIN = frozenset((ARC_CONTENT_TYPES, ARC_WORKBOOK, "xl/_rels/workbook.xml.rels", ARC_STYLE))
"""The parts read again after the scan, named as Excel, LibreOffice and openpyxl name them (a
part named otherwise is unpacked again); at most these four are held at once."""


@dataclass(frozen=True, slots=True)
class WorkbookPart:
    """What the reader needs of xl/workbook.xml: date system, global defined names, sheets."""

    date1904: bool
    defined_names: dict[str, Any]
    """Name → openpyxl's DefinedName, or NameText: what read.py uses of one (``attr_text``)."""
    sheets: list[tuple[str, str]]
    """(sheet title, worksheet part) in workbook order."""


def workbook_part(archive: zipfile.ZipFile) -> WorkbookPart:
    """The workbook part, parsed with openpyxl's own classes as its ExcelReader does.

    No Workbook is built: its styles and defaults cost more than the parse.
    """
    tree: Any = fromstring(archive.read(ARC_CONTENT_TYPES))  # openpyxl's stubs want lxml's
    manifest: Any = Manifest.from_tree(tree)
    name = workbook_part_name(manifest)
    tree = fromstring(archive.read(name))
    package: Any = WorkbookPackage.from_tree(tree)
    rels = get_dependents(archive, get_rels_path(name)).to_dict()  # type: ignore[no-untyped-call]
    defined = package.definedNames.by_sheet().get("global", {}) if package.definedNames else {}
    # openpyxl drops a sheet without an id (with a warning); so does this
    sheets = [(sheet.name, rels[sheet.id].target) for sheet in package.sheets if sheet.id]
    return WorkbookPart(bool(package.properties.date1904), dict(defined), sheets)


@dataclass(frozen=True, slots=True)
class NameText:
    """A global defined name as read.py uses it: its formula text («'Forside'!$B$5»)."""

    attr_text: str | None

    @property
    def destinations(self) -> Iterator[tuple[str, str]]:
        """(sheet title, cells) of the reference, as openpyxl's DefinedName gives them."""
        named: Any = DefinedName(name="_", attr_text=self.attr_text)
        return iter(named.destinations)


def plain_workbook_part(archive: Parts) -> WorkbookPart | None:
    """workbook_part for the plain shape Excel, LibreOffice and openpyxl write, else None.

    The same three parts, parsed by defusedxml, read as openpyxl's classes read them, without
    building an object per element and attribute (that took most of the fast path's own
    time). Anything these classes would convert, reject or read otherwise — an unknown
    attribute, a non-numeric sheet id, a missing target — gives None, and workbook_part
    (openpyxl's classes) decides, errors included. Elements the reader does not use (views,
    calculation settings, protection) are not parsed: a malformed one there no longer sends the
    file to openpyxl, as a malformed styles part never did on this path.
    """
    name = _workbook_name_in(archive.read(ARC_CONTENT_TYPES))
    if name is None:
        return None
    workbook = archive.read(name)
    folder, part = posixpath.split(name)
    rels_path = posixpath.join(folder, "_rels", f"{part}.rels")
    rels = archive.read(rels_path) if rels_path in archive.namelist() else None
    parsed = _plain_parts(workbook, rels_path, rels)
    if parsed is None:
        return None
    return WorkbookPart(parsed.date1904, dict(parsed.defined_names), list(parsed.sheets))


@functools.lru_cache(maxsize=16)
def _workbook_name_in(types: bytes) -> str | None:
    """_plain_workbook_name of the content types part; cached by its bytes, as _xf_table is."""
    return _plain_workbook_name(fromstring(types))


@functools.lru_cache(maxsize=16)
def _plain_parts(workbook: bytes, rels_path: str, rels: bytes | None) -> WorkbookPart | None:
    """plain_workbook_part from the workbook part and its relationships (None: no such part).

    Cached by the bytes: the skjemas statuskart writes share these parts byte for byte (a file
    saved again by Excel or LibreOffice has its own). The caller copies the result's dict and
    list, so a cached entry is never changed.
    """
    root: Any = fromstring(workbook)
    if rels is None:
        return None
    found_rels = _plain_rels(rels, rels_path)
    if found_rels is None:
        return None
    children: dict[str, list[Any]] = {}
    for child in root:
        children.setdefault(_local(child.tag), []).append(child)
    if any(len(children.get(tag, ())) > 1 for tag in ("workbookPr", "sheets", "definedNames")):
        return None  # openpyxl keeps the last; not worth copying
    found = children.get("workbookPr")
    props: Any = WorkbookProperties.from_tree(found[0]) if found else WorkbookProperties()
    sheets = _plain_sheets(children.get("sheets", []), found_rels)
    names = _plain_names(children.get("definedNames", []))
    if sheets is None or names is None:
        return None
    return WorkbookPart(bool(props.date1904), names, sheets)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _plain_workbook_name(types: Any) -> str | None:
    """The workbook part's name as workbook_part_name finds it, or None when in doubt."""
    overrides: list[tuple[str, str]] = []
    defaults: set[str] = set()
    for child in types:
        tag = _local(child.tag)
        part, kind = child.get("PartName"), child.get("ContentType")
        if tag == "Override":
            if part is None or kind is None or set(child.attrib) - {"PartName", "ContentType"}:
                return None
            overrides.append((part, kind))
        elif tag == "Default":
            if kind is None or set(child.attrib) != {"Extension", "ContentType"}:
                return None
            defaults.add(kind)
    for content_type in WORKBOOK_TYPES:
        found = next((part for part, kind in overrides if kind == content_type), None)
        if found is not None:
            return found[1:] or None
    return ARC_WORKBOOK if defaults & set(WORKBOOK_TYPES) else None


_RELATIONSHIP_KEYS = {"Id", "Type", "Target", "TargetMode"}


def _plain_rels(data: bytes, path: str) -> dict[str | None, str] | None:
    """Relationship id → target part, resolved as openpyxl's get_dependents resolves it."""
    parent = posixpath.split(posixpath.dirname(path))[0]
    out: dict[str | None, str] = {}
    for rel in fromstring(data):
        target = rel.get("Target")
        if target is None or rel.get("Type") is None or set(rel.attrib) - _RELATIONSHIP_KEYS:
            return None
        if rel.get("TargetMode") != "External":
            target = (
                target[1:]
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(parent, target))
            )
        out[rel.get("Id")] = target
    return out


_SHEET_STATES = (None, "visible", "hidden", "veryHidden")
_RELATION_ID = f"{{{REL_NS}}}id"


def _plain_sheets(found: list[Any], rels: dict[str | None, str]) -> list[tuple[str, str]] | None:
    """(title, worksheet part) per sheet with an id, in order; None when openpyxl should say."""
    out: list[tuple[str, str]] = []
    for sheet in (child for element in found for child in element):
        plain = {k for k in sheet.attrib if not k.startswith("{")}
        title, number, rid = sheet.get("name"), sheet.get("sheetId") or "", sheet.get(_RELATION_ID)
        if _local(sheet.tag) != "sheet" or plain - {"name", "sheetId", "state"} or title is None:
            return None
        if not (number.isascii() and number.isdigit()) or sheet.get("state") not in _SHEET_STATES:
            return None
        if rid:  # openpyxl drops a sheet without an id
            if rid not in rels:
                return None
            out.append((title, rels[rid]))
    return out


_NAME_KEYS = {
    "name", "comment", "customMenu", "description", "help", "statusBar", "localSheetId",
    "hidden", "function", "vbProcedure", "xlm", "functionGroupId", "shortcutKey",
    "publishToServer", "workbookParameter",
}  # fmt: skip
_PRINT_NAMES = ("_xlnm.Print_Titles", "_xlnm.Print_Area", "_xlnm._FilterDatabase")


def _plain_names(found: list[Any]) -> dict[str, Any] | None:
    """Global defined names (as DefinedNameList.by_sheet gives them), or None when in doubt."""
    out: dict[str, Any] = {}
    for element in (child for names in found for child in names):
        if _local(element.tag) != "definedName":
            continue  # openpyxl reads only definedName children
        plain = {k for k in element.attrib if not k.startswith("{")}
        name = element.get("name")
        if name is None or plain - _NAME_KEYS:
            return None
        numbers = [element.get(k) for k in ("localSheetId", "functionGroupId") if k in plain]
        if not all(n.isascii() and n.isdigit() for n in numbers):
            return None
        if element.get("localSheetId") is None and name not in _PRINT_NAMES:
            out[name] = NameText(element.text or None)
    return out


WORKBOOK_TYPES = (XLTM, XLTX, XLSM, XLSX)


def workbook_part_name(manifest: Any) -> str:
    """The workbook part's name in the archive, found as openpyxl's ExcelReader finds it.

    Ours, not openpyxl's private ``_find_workbook_part``, which may change in any release.
    """
    for content_type in WORKBOOK_TYPES:
        part = manifest.find(content_type)
        if part:
            return str(part.PartName[1:])
    # some applications reassign the default for application/xml
    if {p.ContentType for p in manifest.Default} & set(WORKBOOK_TYPES):
        return ARC_WORKBOOK
    raise OSError("File contains no valid workbook part")  # openpyxl's error, handled the same


class NumberFormats:
    """The number format of a numeric cell, as openpyxl reports it.

    A cell's ``s`` attribute picks an entry of the styles' cellXfs, whose numFmtId is a custom
    format (numFmts) or one of Excel's built-in ones; the styles part is read on the first
    numeric cell. A sheet whose cells lack their ``r`` reference cannot be mapped: UnmappedCell
    sends the file to openpyxl.
    """

    def __init__(
        self,
        archive: Parts,
        styles_part: str | None,
        cells: dict[str, dict[bytes, bytes] | None],
    ) -> None:
        self._archive = archive
        self._styles_part = styles_part
        self._cells = cells
        """Sheet title → cell reference → style index (None: cells without references)."""
        self._table: XfTable | None = None

    def __call__(self, title: str, row: int, col: int) -> str:
        index = self._style(title, row, col)
        formats = self._xf().formats
        return formats[index] if index < len(formats) else "General"

    def marks(self, title: str) -> SheetMarks:
        """(row, column) → the row mark (row_marks.py) of a cell's font colour, or None."""
        return SheetMarks(title, self._cells.get(title), self._xf)

    def _style(self, title: str, row: int, col: int) -> int:
        """The cellXfs index of a cell (0 when it has no ``s`` or is not in the sheet)."""
        cells = self._cells.get(title)
        if cells is None:
            raise UnmappedCell(title)
        style = cells.get(_reference(col, row))
        return int(style) if style else 0

    def _xf(self) -> XfTable:
        """The styles part's table, read once per workbook (on the first cell that needs it)."""
        if self._table is None:
            part = self._archive.read(self._styles_part) if self._styles_part else b""
            self._table = _last_xf_table(part)
        return self._table


class SheetMarks:
    """One sheet's row marks by cell: its style index, then that style's font colour.

    An answer cell costs two dict look-ups, and ``column`` does a whole column in one
    comprehension; the styles part is unpacked once per workbook, on the first answer cell.
    """

    def __init__(
        self, title: str, cells: dict[bytes, bytes] | None, table: Callable[[], XfTable]
    ) -> None:
        self._title = title
        self._cells = cells
        self._table = table
        self._by_style: dict[bytes, int | None] = {}

    def __call__(self, row: int, col: int) -> int | None:
        return self.column((row,), col)[0]

    def column(self, rows: Sequence[int], col: int) -> list[int | None]:
        """The marks of column ``col`` on ``rows``."""
        cells = self._cells
        if cells is None:
            raise UnmappedCell(self._title)
        references: Iterable[bytes]
        if 0 < col < len(_COLUMNS) and rows and min(rows) > 0 and max(rows) < len(_ROWS):
            references = map(_COLUMNS[col].__add__, map(_ROWS.__getitem__, rows))
        else:
            references = (_reference(col, row) for row in rows)
        # b"0" for a cell not in the sheet, b"" for one without an s attribute: both style 0
        styles = list(map(cells.get, references, repeat(b"0")))
        by_style = self._by_style
        if not by_style:  # every style's mark, once per sheet: each requirement has its own
            marks = self._table().marks  # keyed b"12", as the XML writes the s attribute
            by_style.update(zip(_ROWS, marks, strict=False))
            by_style[b""] = marks[0] if marks else None  # what _odd gives for style 0
        if by_style.keys() >= set(styles):
            return list(map(by_style.__getitem__, styles))
        return [self._odd(style or b"0") for style in styles]

    def _odd(self, style: bytes) -> int | None:
        """A style index as int() reads it (a spelling such as b"007", or past _ROWS)."""
        if style in self._by_style:
            return self._by_style[style]
        marks = self._table().marks
        index = int(style)
        return marks[index] if index < len(marks) else None


_COLUMNS = (b"", *(get_column_letter(c).encode() for c in range(1, 65)))
"""Column number → its letters as bytes, for the columns a skjema uses (and some)."""
_ROWS = tuple(b"%d" % r for r in range(1024))
"""Row number → its digits as bytes, for the rows the reader reads (and some)."""


def _reference(col: int, row: int) -> bytes:
    """A cell's reference as the worksheet XML writes it (b"B7"), the key of _scan's styles."""
    if 0 < col < len(_COLUMNS) and 0 < row < len(_ROWS):
        return _COLUMNS[col] + _ROWS[row]
    return get_column_letter(col).encode() + b"%d" % row


class UnmappedCell(ValueError):
    """A sheet whose cells cannot be matched to their styles; openpyxl reads the file instead."""


_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_CELL_START = re.compile(rb"<c\b")
"""Where an unprefixed cell tag could start (not «<col», «<cfRule», «<cellXfs», «<color»)."""
_ATTR_R = re.compile(rb"\br\s*=\s*([\"'])\s*([A-Za-z]{1,3})([0-9]{1,7})\s*\1")
_ATTR_S = re.compile(rb"\bs\s*=\s*([\"'])([0-9]+)\1")
_ODD_CELL = re.compile(rb"<c[^\w ]")
"""A cell tag not followed by a space (or a word byte: «<col», «<cfRule»), such as «<c>»."""
_PREFIXED_CELL = re.compile(rb":c\b")
"""Where a prefixed cell tag («<x:c ») could be: _CELL_TAG's «:c» before a word boundary.

Not merely «:c», which «a:clrScheme» in every theme part and «dc:creator» in docProps hold."""
_ANY_R = re.compile(rb"\br\s*=")
"""Any reference attribute, in any quoting: one _ATTR_R cannot read sends the file to openpyxl."""
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"(?: s="([0-9]+)")?(?: t="\w+")? ?/?>')
"""A cell tag as Excel, LibreOffice and openpyxl write it: reference, style, type, nothing else."""
_PLAIN_REFERENCE = re.compile(rb"([A-Z]{1,3})([0-9]{1,7})")
_NEAR = 3
"""The longest plain reference that cannot be far: «ZZ9» or «A99» (at most 99 rows × 702
columns), so a part whose references are all this short cannot span MAX_CELLS."""


def _scan(part: bytes) -> tuple[dict[bytes, bytes] | None, bool]:
    """One pass over an archive part: cell reference → style index, and whether it is too large.

    The styles as the bytes of the XML (b"B7" → b"4"; b"" when the cell has no style
    attribute), None when a cell has no reference (its place is implicit). Too large: the
    referenced cells span more than MAX_CELLS (rows × columns, what calamine would allocate),
    the verdict of ``_scan_tags``'s extent. When every cell tag has the plain shape the regex
    engine does all the work; any other tag takes the slow path. A part with no cell tag at all
    (theme, styles, document properties, relationships) is passed after one search.
    """
    if _CELL_START.search(part) is None and (
        b":c" not in part or _PREFIXED_CELL.search(part) is None
    ):
        return {}, False
    plain = _PLAIN_CELL.findall(part)
    if not _only_plain(part, len(plain)):
        styles, extent = _scan_tags(part)
        return styles, extent > MAX_CELLS
    found = dict(plain)  # reference → style; a repeated reference keeps its last style
    if not found or max(map(len, found)) <= _NEAR:
        return found, False
    return found, _plain_extent(found) > MAX_CELLS


def _plain_extent(references: Iterable[bytes]) -> int:
    """Rows × columns spanned by plain references (b"B7"), as _scan_tags counts them."""
    letters, digits = zip(*map(_split_reference, references), strict=True)
    rows = max(map(int, digits))
    # right-aligned, «AB» sorts after «Z» and before «AAA»: the widest column, without a loop
    widest = max(map(bytes.rjust, letters, itertools.repeat(3)))
    return rows * column_index_from_string(widest.strip().decode())


def _split_reference(reference: bytes) -> tuple[bytes, bytes]:
    """(letters, digits) of a plain reference."""
    found = _PLAIN_REFERENCE.fullmatch(reference)
    if found is None:
        raise ValueError(reference)  # _PLAIN_CELL matched it: cannot happen
    return found.group(1), found.group(2)


def _only_plain(sheet: bytes, plain: int) -> bool:
    """True when the ``plain`` cell tags _PLAIN_CELL found are all the sheet's cell tags.

    The same verdict as counting _CELL_TAG's matches, mostly without a second regex pass: when
    every «<c» followed by a non-word byte is «<c » and no prefix («<x:c») can be there, the
    cell tags are exactly the «<c » occurrences, each the start of one plain match. Otherwise
    the tags are counted.
    """
    if (
        (b":c" not in sheet or _PREFIXED_CELL.search(sheet) is None)
        and _ODD_CELL.search(sheet) is None
        and sheet.count(b"<c ") == plain
    ):
        return True
    return len(_CELL_TAG.findall(sheet)) == plain


def _scan_tags(sheet: bytes) -> tuple[dict[bytes, bytes] | None, int]:
    """_scan for any tag shape: attributes in any order, prefixes, cells without reference."""
    styles: dict[bytes, bytes] | None = {}
    rows = cols = 0
    for attrs in _CELL_TAG.findall(sheet):
        ref = _ATTR_R.search(attrs)
        if ref is None:
            if _ANY_R.search(attrs):  # a reference we cannot read: no guess at the extent
                return None, MAX_CELLS + 1
            styles = None
            continue
        letters = ref.group(2).upper()
        cols = max(cols, column_index_from_string(letters.decode("ascii")))
        rows = max(rows, int(ref.group(3)))
        style = _ATTR_S.search(attrs)
        if styles is not None:
            styles[letters + ref.group(3)] = style.group(2) if style else b""
    return styles, rows * cols


@dataclass(frozen=True, slots=True)
class XfTable:
    """Per cellXfs entry of the styles part: its number format and its font's row mark."""

    formats: tuple[str, ...]
    marks: tuple[int | None, ...]


_last_styles: tuple[bytes, XfTable] | None = None
"""The styles part read last and its table: the next skjema of a round usually has the same."""


def _last_xf_table(styles: bytes) -> XfTable:
    """_xf_table, first compared with the last styles part read.

    A comparison is a memcmp; the cache's look-up hashes the whole part (some 45 kB in a
    skjema). The pair is read once, so a thread that replaces it cannot mix two parts.
    """
    global _last_styles
    last = _last_styles
    if last is not None and last[0] == styles:
        return last[1]
    table = _xf_table(styles)
    _last_styles = (styles, table)
    return table


@functools.lru_cache(maxsize=16)
def _xf_table(styles: bytes) -> XfTable:
    """Both columns of XfTable from one parse of the styles part.

    Formats resolved as openpyxl does (custom first, then built-in); marks from the font colour
    (row_marks.py). Cached by content: the skjemas of one round may share their styles part
    byte for byte (files saved again by Excel or LibreOffice do not).
    """
    if not styles:
        return XfTable((), ())
    root = fromstring(styles)
    custom: dict[int, str] = {}
    fonts: list[int | None] = []
    codes: list[str] = []
    marks: list[int | None] = []
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "numFmts":
            for fmt in element:
                custom[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "General")
        elif tag == "fonts":
            for font in element:
                colour = next((c for c in font if c.tag.rsplit("}", 1)[-1] == "color"), None)
                fonts.append(row_marks.mark_of(colour.get("rgb") if colour is not None else None))
        elif tag == "cellXfs":
            for xf in element:
                number = int(xf.get("numFmtId", "0"))
                codes.append(custom.get(number) or BUILTIN_FORMATS.get(number, "General"))
                font_id = int(xf.get("fontId", "0"))
                marks.append(fonts[font_id] if font_id < len(fonts) else None)
    return XfTable(tuple(codes), tuple(marks))
