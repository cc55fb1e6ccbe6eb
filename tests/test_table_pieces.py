"""The national CSV and JSON written from pieces kept by the last build (table_pieces.py)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from statuskart.core.cache_guard import seal
from statuskart.downloads import export, table_pieces, xlsx_table
from statuskart.downloads.export import STATUSES, Table, table_keys, write_tables
from statuskart.downloads.table_pieces import PieceStore, Split, digest, split

from .shipped import unzipped_bytes

KEY = b"k" * 32


def _table(units: int = 5, rows_each: int = 3) -> Table:
    rows = []
    for u in range(units):
        for r in range(rows_each):
            rows.append(
                (
                    "Helse Vest RHF",
                    "Helse Bergen HF",
                    f"Enhet {u} ; «ø»",
                    "TSB",
                    "2026-T2",
                    f"K{r}",
                    "=Delvis" if (u + r) % 4 == 0 else "Implementert",
                    0.5 if r % 2 else 1,
                    1.0,
                    True,
                    r % 3 != 0,
                    dt.date(2026, 12, u + 1) if r else None,
                    "høy",
                    0.8 if r == 1 else None,
                    f"Statuskartlegging!G{10 + r}",
                )
            )
    return Table("kravstatus", STATUSES, tuple(rows), "&LStatuskart")


def _changed(table: Table, index: int) -> Table:
    rows = list(table.rows)
    row = list(rows[index])
    row[6] = "Ikke startet"
    rows[index] = tuple(row)
    return dataclasses.replace(table, rows=tuple(rows))


def _store(path: Path, table: Table, suffix: str, key: bytes = KEY) -> PieceStore:
    return PieceStore(path, key, export._context(table, suffix))


def _split(table: Table) -> Split:
    return Split.of(table.rows)


def _in(folder: Path, suffix: str = "csv.zip") -> Path:
    """A path of the same name in another folder (a zip names its file after its own name)."""
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"kravstatus.{suffix}"


def test_pieces_are_runs_of_one_unit_and_round_in_order() -> None:
    table = _table(units=4, rows_each=3)
    pieces = split(table.rows)
    assert [len(p) for p in pieces] == [3, 3, 3, 3]
    assert [row for piece in pieces for row in piece] == list(table.rows)
    assert split(()) == []
    long = [("a", "b", "c", "d", i) for i in range(table_pieces.MAX_ROWS + 5)]
    assert [len(p) for p in split(long)] == [table_pieces.MAX_ROWS, 5]
    assert digest(((1,),)) != digest(((1.0,),)) != digest(((True,),))


def test_csv_and_json_from_pieces_are_the_table_written_whole(tmp_path: Path) -> None:
    table = _table()
    path = export.write_csv_zip(table, tmp_path / "kravstatus.csv.zip")
    whole = io.StringIO()
    writer = csv.writer(whole, delimiter=";", lineterminator="\n")
    writer.writerow([c.header for c in table.columns])
    converters = [export._csv_converter(c) for c in table.columns]
    writer.writerows([f(v) for f, v in zip(converters, row, strict=True)] for row in table.rows)
    assert unzipped_bytes(path) == ("\ufeff" + whole.getvalue()).encode("utf-8")
    assert "'=Delvis" in whole.getvalue()  # made safe in its piece as in the whole
    path = export.write_json_zip(table, tmp_path / "kravstatus.json.zip")
    text = json.dumps(
        {"kolonner": [c.header for c in table.columns], "rader": [list(r) for r in table.rows]},
        ensure_ascii=False,
        separators=(",", ":"),
        default=export._json_value,
    )
    assert unzipped_bytes(path) == text.encode("utf-8")
    empty = dataclasses.replace(table, rows=())
    path = export.write_json_zip(empty, tmp_path / "tom.json.zip")
    assert json.loads(unzipped_bytes(path)) == {
        "kolonner": list(json.loads(text)["kolonner"]),
        "rader": [],
    }


@pytest.mark.parametrize("suffix", ["csv.zip", "json.zip"])
def test_a_rebuild_makes_only_the_changed_piece_and_the_same_bytes(
    tmp_path: Path, suffix: str
) -> None:
    write = export.write_csv_zip if suffix == "csv.zip" else export.write_json_zip
    table = _table()
    store_path = tmp_path / f"kravstatus.{suffix}.pieces"
    first = _store(store_path, table, suffix)
    write(table, _in(tmp_path / "first", suffix), first, _split(table))
    assert first.made == 5
    first.save()
    changed = _changed(table, 7)  # the third unit's second row
    again = _store(store_path, changed, suffix)
    kept = write(changed, _in(tmp_path / "kept", suffix), again, _split(changed))
    assert again.made == 1
    assert kept.read_bytes() == write(changed, _in(tmp_path / "whole", suffix)).read_bytes()


def test_pieces_kept_by_another_key_table_or_format_are_not_used(tmp_path: Path) -> None:
    table = _table()
    store_path = tmp_path / "kravstatus.csv.zip.pieces"
    first = _store(store_path, table, "csv.zip")
    export.write_csv_zip(table, _in(tmp_path / "a"), first, _split(table))
    first.save()
    assert _store(store_path, table, "csv.zip", key=b"x" * 32).kept == {}
    assert _store(store_path, table, "json.zip").kept == {}
    other_columns = dataclasses.replace(table, columns=(*table.columns[:-1], STATUSES[0]))
    assert _store(store_path, other_columns, "csv.zip").kept == {}
    # Changed by someone without the key: nothing of it is used, the file is still right.
    data = bytearray(store_path.read_bytes())
    data[-5] ^= 1
    store_path.write_bytes(bytes(data))
    store = _store(store_path, table, "csv.zip")
    assert store.kept == {}
    path = export.write_csv_zip(table, _in(tmp_path / "b"), store, _split(table))
    assert path.read_bytes() == export.write_csv_zip(table, _in(tmp_path / "c")).read_bytes()


def test_a_store_cut_short_keeps_only_its_whole_pieces(tmp_path: Path) -> None:
    table = _table()
    context = export._context(table, "csv.zip")
    first = _store(tmp_path / "full", table, "csv.zip")
    export.write_csv_zip(table, _in(tmp_path / "a"), first, _split(table))
    first.save()
    payload = context + b"".join(
        key + len(packed).to_bytes(4, "big") + packed for key, packed in first.now.items()
    )
    cut = tmp_path / "cut"
    cut.write_bytes(seal(KEY, payload[:-3]))  # sealed, but the last piece is cut short
    store = _store(cut, table, "csv.zip")
    assert len(store.kept) == 4
    path = export.write_csv_zip(table, _in(tmp_path / "b"), store, _split(table))
    assert store.made == 1
    assert path.read_bytes() == export.write_csv_zip(table, _in(tmp_path / "c")).read_bytes()


def test_write_tables_keeps_its_pieces_beside_the_files_and_names_them_used(
    tmp_path: Path,
) -> None:
    table = _table()
    cache, used = tmp_path / "cache", set[str]()
    write_tables([table], tmp_path / "one", cache, used, KEY)
    stores = {f"kravstatus.{s}.pieces" for s in export.FORMATS}
    assert stores <= used and all((cache / name).is_file() for name in stores)
    keys = table_keys(table, _split(table).digests)
    assert {f"{k}.{s}" for k, s in zip(keys, export.FORMATS, strict=True)} <= used
    changed = _changed(table, 0)
    write_tables([changed], tmp_path / "two", cache, set(), KEY)
    write_tables([changed], tmp_path / "three")  # no cache: every piece made
    for suffix in export.FORMATS:
        name = f"kravstatus.{suffix}"
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "three" / name).read_bytes()
    # Without the cache's key nothing is kept in pieces (the files are still kept whole).
    write_tables([table], tmp_path / "four", tmp_path / "bare", set())
    assert not list((tmp_path / "bare").glob("*.pieces"))


def _xlsx(table: Table, folder: Path, store: PieceStore | None = None) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    split_rows = _split(table) if store is not None else None
    return export.write_xlsx(table, folder / "kravstatus.xlsx", store, split_rows).read_bytes()


def _with(table: Table, index: int, column: int, value: object) -> Table:
    rows = list(table.rows)
    row = list(rows[index])
    row[column] = value
    rows[index] = tuple(row)
    return dataclasses.replace(table, rows=tuple(rows))


def _late_formats(units: int = 5) -> Table:
    """The first unit has no frist and no share: their formats are first used further down."""
    table = _table(units=units)
    for i in range(3):
        table = _with(_with(table, i, 11, None), i, 13, None)
    return table


@pytest.mark.skipif(not xlsx_table.fast_rows(), reason="pieces need the fast row writer")
@pytest.mark.parametrize(
    ("change", "made"),
    [
        ((7, 6, "=Delvis"), 1),  # a status a unit above has: that piece only
        ((7, 6, "En ny status"), 3),  # a new shared string: its piece and those after it
        # The date format first used a piece earlier: that piece and the next, where it was
        # first used before; after those, the formats were first used in the same order.
        ((0, 11, dt.date(2027, 1, 1)), 2),
        ((0, 2, "Enhet 0 ; «ø»"), 0),  # the same value: nothing made
    ],
)
def test_a_workbook_from_kept_pieces_has_the_bytes_of_one_written_whole(
    tmp_path: Path, change: tuple[int, int, object], made: int
) -> None:
    table = _late_formats()
    path = tmp_path / "kravstatus.xlsx.pieces"
    first = _store(path, table, "xlsx")
    assert _xlsx(table, tmp_path / "first", first) == _xlsx(table, tmp_path / "whole")
    assert first.made == 5
    first.save()
    changed = _with(table, *change)
    again = _store(path, changed, "xlsx")
    kept = _xlsx(changed, tmp_path / "kept", again)
    assert kept == _xlsx(changed, tmp_path / "clean")
    assert again.made == made


@pytest.mark.skipif(not xlsx_table.fast_rows(), reason="pieces need the fast row writer")
def test_a_piece_with_more_rows_moves_the_rows_after_it(tmp_path: Path) -> None:
    table = _table()
    path = tmp_path / "kravstatus.xlsx.pieces"
    first = _store(path, table, "xlsx")
    _xlsx(table, tmp_path / "first", first)
    first.save()
    rows = list(table.rows)
    rows.insert(4, rows[4])  # the second unit gets a fourth row, with no new text
    longer = dataclasses.replace(table, rows=tuple(rows))
    again = _store(path, longer, "xlsx")
    assert _xlsx(longer, tmp_path / "kept", again) == _xlsx(longer, tmp_path / "clean")
    assert again.made == 4  # the second unit's piece, and every piece below it


def test_kept_effects_that_are_not_ours_are_written_anew() -> None:
    effects = xlsx_table.Effects(["a", "\ud800 lone"], [0, 2], 5, [1, 2], 2)
    data = effects.encode("<row/>")
    assert xlsx_table.Effects.decode(data, roles=3) == ("<row/>", effects)
    assert xlsx_table.Effects.decode(data, roles=2) is None  # a format it cannot have
    for bad in (b"", b"{}\n<row/>", b"[1]\n", b'{"s":[1],"f":[],"c":0,"r":[],"p":null}\n'):
        assert xlsx_table.Effects.decode(bad, roles=3) is None
