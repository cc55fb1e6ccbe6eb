"""Downloads for Excel users: unit scores, requirement statuses and actions, every round.

One exporter serves the site's «Nedlastinger» and `statuskart score --format csv`, so the columns
always agree. XLSX has real numbers, dates and percentages, Norwegian headers, a filter, a frozen
header and column widths. CSV is what Norwegian Excel opens in columns: semicolons, UTF-8 with BOM,
comma decimals, dd.mm.åååå dates; the site ships it zipped (a national «kravstatus» is ~25 MB of
CSV, a tenth of that zipped), while `score --format csv` prints it plain. JSON, zipped, is a table
of plain values (ISO dates, decimal points).
Formula-safe: a text cell starting with = + - @, tab or CR gets a leading apostrophe; numbers stay
numbers (OWASP ASVS 1.2.10).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import hashlib
import io
import itertools
import json
import os
import shutil
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]  # no stubs published

from statuskart.core import serialise
from statuskart.core.atomic import copy_whole
from statuskart.core.identity import name_key, period_key
from statuskart.core.serialise import safe_cell
from statuskart.downloads import table_pieces, xlsx_table
from statuskart.downloads.xlsx_table import Sheet, page_header, write_table
from statuskart.model.facts import FILE_STATUS, file_identity, finding_kind, finding_order
from statuskart.score.scoring import UnitScore
from statuskart.validate.model import FileReport
from statuskart.workbook import fit


@dataclass(frozen=True, slots=True)
class Column:
    """A download column: Norwegian header, kind of value, width, and whether it is free text."""

    header: str
    kind: str
    """«text», «int», «number» (one decimal), «percent» (a share 0–1), «date» or «yesno»."""
    width: float = 14
    free_text: bool = False
    """Typed by the unit (plans, owners): left out for audiences that see no free text."""
    one_line: bool = False
    """Text kept on one line in the workbook (a checksum is copied, not read): never wrapped."""


# Widths are for print as much as for screen: each table is printed one A4 landscape page wide,
# so every unit of width makes the print smaller. Names and plans wrap and rows grow instead;
# a column is at least as wide as the longest word of its header and its usual values.
UNIT = (
    Column("RHF", "text", 14),
    Column("HF", "text", 25),
    Column("Enhet", "text", 22),
    Column("Enhetstype", "text", 13),
    Column("Periode", "text", 9),
)
SCORES = (
    *UNIT,
    Column("Skår", "number", 7),
    Column("Nivå", "text", 9),
    Column("Dekning", "percent", 9),
    Column("Ikke aktuelt", "int", 9),
    Column("Ubesvart", "int", 10),
    Column("Katalog", "text", 11),
    Column("Fil", "text", 30),
    Column("SHA-256", "text", 18, one_line=True),
)
STATUSES = (
    *UNIT,
    Column("Krav", "text", 9),
    Column("Status", "text", 14),
    Column("Poeng", "number", 7),
    Column("Vekt", "number", 6),
    Column("Aktuelt", "yesno", 9),
    Column("Teller med", "yesno", 8),
    Column("Frist", "date", 11),
    Column("Risiko", "text", 9),
    Column("Andel innen forløpstid", "percent", 12),
    Column("Celle", "text", 14),
)
ACTIONS = (
    *UNIT,
    Column("Rang", "int", 6),
    Column("Krav", "text", 9),
    Column("Tittel", "text", 24),
    Column("Status", "text", 14),
    Column("Tiltak", "text", 32),
    Column("Eget tiltak", "yesno", 8),
    Column("Ansvarlig", "text", 12, free_text=True),
    Column("Frist", "date", 11),
    Column("Frist passert", "yesno", 8),
    Column("Risiko", "text", 9),
    Column("Gevinst", "number", 9),
    Column("Begrunnelse", "text", 26),
)
FINDINGS = (
    Column("RHF", "text", 14),
    Column("HF", "text", 25),
    Column("Enhet", "text", 22),
    Column("Periode", "text", 9),
    Column("Fil", "text", 30),
    Column("Filstatus", "text", 11),
    Column("Type", "text", 11),
    Column("Krav", "text", 9),
    Column("Celle", "text", 16),
    Column("Melding", "text", 40),
    Column("Slik retter du det", "text", 32),
    Column("Kode", "text", 16, one_line=True),
)
"""The data-quality page's full list: every finding of every file read, every round."""
NUMBER_FORMATS = {
    "number": "0.0",
    "int": "0",
    "percent": "0\\ %",  # the skjema's SHARE_FORMAT: a bare space breaks in nb-NO LibreOffice
    "date": "DD.MM.YYYY",
}


@dataclass(frozen=True, slots=True)
class Table:
    """One download: its columns and rows of plain values (None for blank)."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    header: str = ""
    """Printed page header of the workbook (xlsx_table.page_header), e.g. the build date."""


def _unit(s: UnitScore) -> tuple[Any, ...]:
    u = s.unit
    return (u.rhf, u.hf, u.unit, u.unit_type, u.period)


def tables(
    scores: Iterable[UnitScore],
    *,
    files: Iterable[FileReport] = (),
    shows_text: bool = True,
    build_date: dt.date | None = None,
) -> tuple[Table, ...]:
    """The four downloads over ``scores`` and the ``files`` read, in a stable order.

    Scores, statuses and findings cover every round given; actions only the latest round.
    ``build_date``: printed in each workbook's page header with what the table is.
    """
    ordered = sorted(scores, key=lambda s: (s.unit.period, s.unit.rhf, s.unit.hf, s.unit.unit))
    # Suggested actions are advice for now: only the latest round's (history is in kravstatus).
    current = max((s.unit.period for s in ordered), key=period_key, default="")
    score_rows = tuple(
        (
            *_unit(s),
            s.score,
            s.band,
            s.coverage,
            s.not_applicable,
            s.unanswered,
            f"{s.unit.pathway} {s.unit.catalogue_version}",
            _short(s.unit.path),
            s.unit.sha256,
        )
        for s in ordered
    )
    status_rows = tuple(
        (
            *_unit(s),
            r.requirement_id,
            r.status,
            r.points,
            r.weight,
            r.applicable,
            r.counted,
            r.due,
            r.risk,
            None if r.share is None else r.share / 100,  # typed as 0–100; the column is a share
            r.cell,
        )
        for s in ordered
        for r in s.results
    )
    action_rows = tuple(
        (
            *_unit(s),
            a.rank,
            a.requirement_id,
            a.title,
            a.status or "Ubesvart",
            a.text,
            a.own_plan,
            a.owner,
            a.due,
            a.overdue,
            a.risk,
            a.gain,
            a.reason,
        )
        for s in ordered
        if s.unit.period == current
        for a in s.actions
    )
    names = table_names()
    headers = [_page_header(name, build_date) for name in names]
    out = (
        Table(names[0], SCORES, score_rows, headers[0]),
        Table(names[1], STATUSES, status_rows, headers[1]),
        Table(names[2], ACTIONS, action_rows, headers[2]),
        Table(names[3], FINDINGS, finding_rows(files), headers[3]),
    )
    return tuple(_without_free_text(t) for t in out) if not shows_text else out


TITLES = {
    "enheter": "Skår per enhet",
    "kravstatus": "Status per krav og enhet",
    "tiltak": "Foreslåtte tiltak",
    "funn": "Funn i skjemaene",
}
"""What each download holds, as the «Nedlastinger» page names it (printed on every page)."""


def finding_rows(files: Iterable[FileReport]) -> tuple[tuple[Any, ...], ...]:
    """One row per finding: by round, RHF, HF, unit and file; errors first, reminders last."""
    rows = []
    for report in files:
        rhf, hf, unit, period = file_identity(report)
        ordered = sorted(report.findings, key=finding_order)
        rows += [
            (
                rhf,
                hf,
                unit,
                period,
                _short(report.path),
                FILE_STATUS.get(report.status, report.status),
                finding_kind(f),
                f.requirement or None,
                f.location,
                f.message,
                f.fix,
                f.code,
            )
            for f in ordered
        ]
    # Stable: a file's findings stay together and in the order above.
    rows.sort(
        key=lambda r: (period_key(r[3]), name_key(r[0]), name_key(r[1]), name_key(r[2]), r[4])
    )
    return tuple(rows)


def _page_header(name: str, build_date: dt.date | None) -> str:
    made = f"Laget {build_date.strftime('%d.%m.%Y')}" if build_date else ""
    return page_header(f"Statuskart – {TITLES[name]}", made)


def _without_free_text(table: Table) -> Table:
    """Drop free-text columns: a column of blanks would only say «left out»."""
    keep = [i for i, c in enumerate(table.columns) if not c.free_text]
    return Table(
        table.name,
        tuple(table.columns[i] for i in keep),
        tuple(tuple(row[i] for i in keep) for row in table.rows),
        table.header,
    )


def _short(path: str) -> str:
    p = Path(path)
    return f"{p.parent.name}/{p.name}" if p.parent.name else p.name


def table_names() -> tuple[str, ...]:
    """The downloads' file names without extension, as ``tables`` makes them."""
    return ("enheter", "kravstatus", "tiltak", "funn")


FORMATS = ("xlsx", "csv.zip", "json.zip")
"""Each table's download suffixes on the site, in the order ``write_tables`` writes them."""


def write_tables(
    made: Iterable[Table],
    out: Path,
    cache: Path | None = None,
    used: set[str] | None = None,
    seal_key: bytes = b"",
) -> list[Path]:
    """Write these tables as .xlsx, zipped .csv and zipped .json into ``out``; return the files.

    ``cache``: a folder of written files by content (``table_keys``). A file whose content is
    there is copied with its time, not written again, so a rebuild rewrites only the downloads
    whose content changed and an unchanged one keeps its bytes and its time on the site. The
    names of the entries used are added to ``used`` (the caller removes the rest).
    ``seal_key``: the cache's key; with it, a changed file is written from the pieces the
    last build kept (table_pieces.py), making only those whose rows changed.
    """
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in made:
        if cache is None:
            written += [_write(table, suffix, out / f"{table.name}.{suffix}") for suffix in FORMATS]
            continue
        split = table_pieces.Split.of(table.rows)
        for suffix, key in zip(FORMATS, table_keys(table, split.digests), strict=True):
            target, kept = out / f"{table.name}.{suffix}", cache / f"{key}.{suffix}"
            pieces = cache / f"{table.name}.{suffix}.pieces"  # kept whether used now or not
            if kept.is_file():
                shutil.copy2(kept, target)
            else:  # written under its own name: a zip names the file it holds after it
                store = table_pieces.PieceStore(pieces, seal_key, _context(table, suffix))
                _write(table, suffix, target, store, split)
                copy_whole(target, kept)
                store.save()
            if used is not None:
                used |= {kept.name, pieces.name}
            written.append(target)
    return written


def _write(
    table: Table,
    suffix: str,
    target: Path,
    store: table_pieces.PieceStore | None = None,
    split: table_pieces.Split | None = None,
) -> Path:
    if suffix == "csv.zip":
        return write_csv_zip(table, target, store, split)
    if suffix == "json.zip":
        return write_json_zip(table, target, store, split)
    return write_xlsx(table, target, store, split)


_CODE = hashlib.sha256(
    b"".join(
        Path(str(m.__file__)).read_bytes()
        for m in (sys.modules[__name__], table_pieces, xlsx_table, fit, serialise)
    )
    + xlsxwriter.__version__.encode()
).hexdigest()
"""The table writers' code and XlsxWriter's version: a change to either rewrites every table,
which the cache would otherwise keep as the old code wrote it."""


def table_keys(table: Table, digests: list[bytes]) -> tuple[str, ...]:
    """Content keys of a table's files, one per FORMATS suffix, for the download cache.

    ``digests``: of the table's pieces (table_pieces.Split), which together are its rows. Only
    the workbook prints the page header (with the build date): the zipped CSV and JSON of the
    same rows keep their key from one day to the next.
    """
    head = repr((_CODE, table.name, table.columns)).encode("utf-8")
    rows = hashlib.sha256(head + b"".join(digests)).hexdigest()
    parts = {"xlsx": f"{rows}\0{table.header}", "csv.zip": rows, "json.zip": rows}
    return tuple(hashlib.sha256(parts[s].encode("utf-8")).hexdigest() for s in FORMATS)


def _context(table: Table, suffix: str) -> bytes:
    """What a kept piece's text depends on besides its rows: code, table, columns, format."""
    return hashlib.sha256(repr((_CODE, table.name, table.columns, suffix)).encode()).digest()


def csv_text(table: Table) -> str:
    """The table as Norwegian Excel reads it: semicolons, comma decimals, dd.mm.åååå."""
    return b"".join(_csv_pieces(table, None, None)).decode("utf-8")


def _csv_pieces(
    table: Table, store: table_pieces.PieceStore | None, split: table_pieces.Split | None
) -> Iterator[bytes]:
    """The CSV's header line, then its rows a piece at a time (UTF-8, no BOM)."""
    yield _csv_lines([[c.header for c in table.columns]])
    convert = [_csv_converter(c) for c in table.columns]

    def lines(rows: Sequence[tuple[Any, ...]]) -> bytes:
        return _csv_lines([f(v) for f, v in zip(convert, row, strict=True)] for row in rows)

    yield from _pieces(table, store, split, lines)


def _csv_lines(rows: Iterable[Iterable[Any]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _pieces(
    table: Table,
    store: table_pieces.PieceStore | None,
    split: table_pieces.Split | None,
    make: Callable[[Sequence[tuple[Any, ...]]], bytes],
) -> Iterator[bytes]:
    """Each piece's text, made by ``make`` or, with ``store``, kept from the last build."""
    if store is None:
        yield from (make(rows) for rows in table_pieces.split(table.rows))
        return
    split = split or table_pieces.Split.of(table.rows)
    for key, rows in zip(split.digests, split.pieces, strict=True):
        yield store.text(key, functools.partial(make, rows))


def _csv_converter(column: Column) -> Callable[[Any], Any]:
    """``_csv_value`` for one column; a number or date column remembers the values it wrote.

    A national kravstatus repeats the same points, weights, shares and frister on every unit.
    """
    if column.kind == "text":
        return _csv_text_converter()
    if column.kind == "int":  # as _csv_value writes it; not looked up, to keep 1 and 1.0 apart
        return _csv_plain
    if column.kind not in ("number", "percent", "date"):
        return lambda value: _csv_value(column, value)
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if type(value) is bool or value == 0:  # True == 1, and -0.0 == 0.0: not looked up
            return _csv_value(column, value)
        found = seen.get(value, seen)
        if found is seen:
            found = seen[value] = _csv_value(column, value)
        return found

    return convert


def _csv_text_converter() -> Callable[[Any], Any]:
    """``_csv_plain`` for a text column, remembering each text it made safe.

    Names, ids and statuses repeat on every row: 1.5 million texts in a national kravstatus,
    each checked for a formula start (about half of its CSV's time).
    """
    seen: dict[str, str] = {}

    def convert(value: Any) -> Any:
        if type(value) is not str:
            return _csv_plain(value)
        found = seen.get(value)
        if found is None:
            found = seen[value] = safe_cell(value)
        return found

    return convert


def _csv_plain(value: Any) -> Any:
    """A text or whole-number cell: blank for None, formula-like text made safe."""
    if value is None:
        return ""
    return safe_cell(value) if isinstance(value, str) else value


def _csv_value(column: Column, value: Any) -> Any:
    if value is None:
        return ""
    if column.kind == "yesno":
        return "Ja" if value else "Nei"
    if column.kind == "date":
        return value.strftime("%d.%m.%Y")
    if column.kind == "percent":
        return f"{value * 100:.1f}".replace(".", ",")
    if column.kind == "number":
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return safe_cell(value) if isinstance(value, str) else value


def write_csv_zip(
    table: Table,
    path: Path,
    store: table_pieces.PieceStore | None = None,
    split: table_pieces.Split | None = None,
) -> Path:
    """The Norwegian CSV, BOM and all, as the one file inside a zip, written a piece at a time.

    The BOM makes Excel read UTF-8 and Norwegian letters right once the file is unpacked.
    ``store``: pieces kept by the last build; ``split``: this table's pieces, if made already.
    """
    return _write_zipped(path, [codecs.BOM_UTF8], _csv_pieces(table, store, split))


def _json_pieces(
    table: Table, store: table_pieces.PieceStore | None, split: table_pieces.Split | None
) -> Iterator[bytes]:
    """The table as compact JSON, {"kolonner": [...], "rader": [[...], ...]}, a piece at a time.

    Rows of objects would repeat every column name on each of the ~170,000 requirement rows of a
    national history; a table keeps the file the size of the CSV.
    """
    dump = functools.partial(
        json.dumps, ensure_ascii=False, separators=(",", ":"), default=_json_value
    )
    yield ('{"kolonner":' + dump([c.header for c in table.columns]) + ',"rader":[').encode()

    def rows(piece: Sequence[tuple[Any, ...]]) -> bytes:
        return dump(list(piece))[1:-1].encode("utf-8")  # without its brackets

    for i, text in enumerate(_pieces(table, store, split, rows)):
        yield b"," + text if i else text
    yield b"]}"


def write_json_zip(
    table: Table,
    path: Path,
    store: table_pieces.PieceStore | None = None,
    split: table_pieces.Split | None = None,
) -> Path:
    """The JSON table inside a zip: a national history is ~30 MB of JSON and ~2 MB zipped."""
    return _write_zipped(path, [], _json_pieces(table, store, split))


ZIP_DATE = (2000, 1, 1, 0, 0, 0)
"""The zip entry's timestamp: fixed, so the same table gives the same bytes."""


def _write_zipped(path: Path, head: list[bytes], pieces: Iterable[bytes]) -> Path:
    """A zip at ``path`` holding one file named ``path`` without «.zip»: ``head``, ``pieces``.

    Reproducible: fixed date, Unix permissions (rw-r--r--, so an unzipped file is readable) and
    creator system, whatever platform builds it. Written to a temporary name and renamed, like
    the workbooks, so a download is whole or absent.
    """
    inner = zipfile.ZipInfo(path.stem, date_time=ZIP_DATE)
    inner.compress_type = zipfile.ZIP_DEFLATED
    inner.create_system = 3  # Unix, so the permissions below are read
    inner.external_attr = 0o644 << 16
    partial = path.with_name(f".{path.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w") as archive, archive.open(inner, "w") as raw:
            for piece in itertools.chain(head, pieces):
                raw.write(piece)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _json_value(value: Any) -> Any:
    """A date as ISO text (json.dumps asks only for what it cannot write itself)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def write_xlsx(
    table: Table,
    path: Path,
    store: table_pieces.PieceStore | None = None,
    split: table_pieces.Split | None = None,
) -> Path:
    """A workbook with real numbers, dates and percentages, a filter and a frozen header.

    On paper: A4 landscape, one page wide, header row and page header on every page, text
    wrapped in rows tall enough for it.
    ``store``: pieces kept by the last build; ``split``: this table's pieces, if made already.
    """
    sheet = Sheet(
        table.name,
        [c.header for c in table.columns],
        [c.width for c in table.columns],
        [NUMBER_FORMATS.get(c.kind) for c in table.columns],
        wrap=[c.kind == "text" and not c.one_line for c in table.columns],
        header=table.header,
    )
    yesno = [i for i, c in enumerate(table.columns) if c.kind == "yesno"]
    pieces = None
    if store is not None:
        split = split or table_pieces.Split.of(table.rows)
        pieces = xlsx_table.Pieces(
            split.pieces, split.digests, store, lambda rows: [_yes_no(row, yesno) for row in rows]
        )
    return write_table(path, sheet, (_yes_no(row, yesno) for row in table.rows), pieces)


def _yes_no(row: Sequence[Any], columns: list[int]) -> Sequence[Any]:
    """«Ja»/«Nei» in the yes/no columns; a row whose are all True, False or blank is as it is.

    write_table writes True and False as «Ja» and «Nei» itself (and makes formula-like text
    safe), so most rows go through untouched instead of being copied cell by cell.
    """
    if all(row[i] is None or type(row[i]) is bool for i in columns):
        return row
    return tuple(
        ("Ja" if v else "Nei") if i in columns and v is not None else v for i, v in enumerate(row)
    )
