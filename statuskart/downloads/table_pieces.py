"""The national tables' files, written from kept pieces: a piece per unit and round.

A rebuild after one changed skjema wrote every national table whole: kravstatus alone is
171,000 rows, 5 s for its workbook, CSV and JSON. A row's text depends on the row alone (a
workbook's also on what came before it: xlsx_table.Effects), so each run of rows of one unit
and round (a piece) is kept in the download cache under the digest of its rows, and the next
build makes only the pieces whose rows changed. The file has the bytes of one written whole
(tested).

The pieces of a table in one format are one file in the cache, compressed and sealed with the
cache's key (cache_guard.py): one changed by anyone else is not used, and every piece is made
again. Its first bytes name what made it (code, table, columns, format), so a piece is only
ever taken for the same text.
"""

from __future__ import annotations

import hashlib
import itertools
import operator
import struct
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from statuskart.core.atomic import write_atomic
from statuskart.core.cache_guard import seal, unseal
from statuskart.core.errors import OutputError

GROUP = 4
"""A piece is a run of rows with the same first four values (RHF, HF, enhet, periode or the
unit's type): the tables are sorted by them, so a unit's rows of one round are together."""
MAX_ROWS = 2_000
"""Rows in a piece at most, so an odd table (one unit, many rows) still has pieces to keep."""
_DIGEST = 32
_LENGTH = struct.Struct(">I")

Rows = Sequence[tuple[Any, ...]]


def split(rows: Rows) -> list[Rows]:
    """``rows`` as consecutive pieces, in order: joined again, they are ``rows``."""
    out: list[Rows] = []
    start = 0
    heads = map(operator.getitem, rows, itertools.repeat(slice(0, GROUP)))  # in C: 171,000 rows
    for _, run in itertools.groupby(heads):
        end = start + len(list(run))
        out += [rows[i : min(i + MAX_ROWS, end)] for i in range(start, end, MAX_ROWS)]
        start = end
    return out


def digest(piece: Rows) -> bytes:
    """What a piece's text is made from: its rows (repr tells 1, 1.0 and True apart)."""
    return hashlib.sha256(repr(piece).encode("utf-8")).digest()


@dataclass(frozen=True, slots=True)
class Split:
    """A table's rows as pieces, and each piece's digest: made once for all three formats."""

    pieces: list[Rows]
    digests: list[bytes]

    @classmethod
    def of(cls, rows: Rows) -> Split:
        pieces = split(rows)
        return cls(pieces, [digest(p) for p in pieces])


class PieceStore:
    """The pieces the last build kept for one table and format, and those this one makes.

    ``context``: a digest of everything besides the rows that a piece's text depends on.
    ``seal_key``: the cache's key; without one (b"") nothing is read or kept.
    """

    def __init__(self, path: Path | None, seal_key: bytes, context: bytes) -> None:
        self.path = path if seal_key else None
        self.seal_key = seal_key
        self.context = context
        self.kept = self._load()
        self.now: dict[bytes, bytes] = {}
        self.made = 0
        """Pieces this build made (the rest were kept)."""

    def text(self, key: bytes, make: Callable[[], bytes]) -> bytes:
        """The text of the piece with digest ``key``: kept if it was, else ``make()``."""
        data = self.get(key)
        if data is None:
            data = make()
            self.put(key, data)
        return data

    def get(self, key: bytes) -> bytes | None:
        """The kept text under ``key`` (kept for the next build too), or None."""
        packed = self.kept.get(key)
        if packed is None:
            return None
        try:
            data = zlib.decompress(packed)
        except zlib.error:  # sealed by us, so never: but a wrong text is worse than slow
            return None
        self.now[key] = packed
        return data

    def put(self, key: bytes, data: bytes) -> None:
        """Keep ``data``, just made, under ``key`` for the next build."""
        self.made += 1
        if self.path is not None:
            self.now[key] = zlib.compress(data, 1)

    def save(self) -> None:
        """Keep this build's pieces for the next one (a full disk only loses them)."""
        if self.path is None:
            return
        parts = [self.context]
        for key, packed in self.now.items():
            parts += [key, _LENGTH.pack(len(packed)), packed]
        try:
            write_atomic(self.path, seal(self.seal_key, b"".join(parts)))
        except OutputError:
            return

    def _load(self) -> dict[bytes, bytes]:
        if self.path is None:
            return {}
        try:
            payload = unseal(self.seal_key, self.path.read_bytes())
        except OSError:
            return {}
        if payload is None or payload[:_DIGEST] != self.context:
            return {}
        return dict(_entries(payload, _DIGEST))


def _entries(payload: bytes, at: int) -> Iterator[tuple[bytes, bytes]]:
    """(digest, packed text) pairs from ``at`` to the end; stops at anything cut short."""
    head = _DIGEST + _LENGTH.size
    while at + head <= len(payload):
        key = payload[at : at + _DIGEST]
        (size,) = _LENGTH.unpack_from(payload, at + _DIGEST)
        at += head
        if at + size > len(payload):
            return
        yield key, payload[at : at + size]
        at += size
