"""The carry record: what a pre-filled skjema was given, so a return shows what was touched.

A skjema of the next round (carry.py) holds last round's answers. Whether the leader went through
them cannot be seen from the answers alone, so the skjema keeps a hidden record: the round and Dato
the answers came from, the unit, round and catalogue version the skjema was made for, and a digest
of each carried row's answer. The stamp holds a digest of the record itself, so a record that was
lost or edited is told apart from one that was kept, and the unit and round let a record copied
into another unit's skjema be told apart from its own. No I/O.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

RECORD_SHEET = "statuskart_runde"
"""The very hidden sheet with the record; its rows are «key, value» or «row, ID, digest»."""
STAMP_KEY = "carry_record"
"""Stamp key holding the digest of the record (absent in a blank skjema)."""
FROM_PERIOD, FROM_DATE, ROW = "from_period", "from_date", "row"
HF, UNIT, PERIOD, VERSION = "hf", "unit", "period", "catalogue_version"
"""Whom the skjema was made for: a record read from any other skjema is not its own."""
TARGET_KEYS = (HF, UNIT, PERIOD, VERSION)
ANSWER_KEYS = ("status", "share", "comment", "action", "owner", "due", "risk")
"""The answer fields carried and compared, in digest order."""
MAX_RECORD_ROWS = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class CarryRecord:
    """What a pre-filled skjema was given: source round and Dato, and one digest per carried row."""

    from_period: str
    from_date: dt.date | None
    rows: Mapping[str, str]
    """Requirement ID → digest of the answer carried into its row."""
    hf: str = ""
    unit: str = ""
    period: str = ""
    """The new round the skjema was made for."""
    version: str = ""
    """The catalogue version the skjema was made from."""


def _canonical(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return f"{round(float(value), 4):g}"
    return " ".join(str(value).split())


def answer_digest(answer: Mapping[str, object]) -> str:
    """A short digest of one answer's fields (ANSWER_KEYS; share as 0–100, due as a date).

    Whitespace inside texts and the spelling of a number do not count as a change.
    """
    text = "\x1f".join(_canonical(answer.get(key)) for key in ANSWER_KEYS)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def record_lines(record: CarryRecord) -> list[tuple[str, str, str]]:
    """The record as sheet rows, in a fixed order."""
    date = record.from_date.isoformat() if record.from_date else ""
    lines = [(FROM_PERIOD, record.from_period, ""), (FROM_DATE, date, "")]
    targets = zip(TARGET_KEYS, (record.hf, record.unit, record.period, record.version), strict=True)
    lines += [(key, value, "") for key, value in targets if value]
    lines += [(ROW, rid, digest) for rid, digest in record.rows.items()]
    return lines


def record_digest(lines: Sequence[Sequence[str]]) -> str:
    """The seal of a record's rows, kept in the stamp."""
    text = "\n".join("\x1f".join(line) for line in lines)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def parse_record(lines: Sequence[Sequence[object]], seal: str | None) -> CarryRecord | str | None:
    """The record read back: a CarryRecord, None when the skjema was not pre-filled, or a reason.

    The reason («mangler», «er endret», …) is bokmål for the finding; every value is checked,
    since the record is as untrusted as the rest of the file.
    """
    text_lines = [tuple(_cell_text(v) for v in (*line, "", "", "")[:3]) for line in lines]
    text_lines = [line for line in text_lines if any(line)]
    if not text_lines and not seal:
        return None
    if not text_lines:
        return "mangler"
    if not seal:
        return "mangler forseglingen i stempelet"
    if record_digest(text_lines) != seal.strip():
        return "er endret"
    values = {
        key: value for key, value, _ in text_lines if key in (FROM_PERIOD, FROM_DATE, *TARGET_KEYS)
    }
    rows = {rid: digest for key, rid, digest in text_lines if key == ROW}
    if not values.get(FROM_PERIOD) or len(rows) != sum(1 for k, *_ in text_lines if k == ROW):
        return "er ufullstendig"
    try:
        date = dt.date.fromisoformat(values[FROM_DATE]) if values.get(FROM_DATE) else None
    except ValueError:
        return "har en ugyldig dato"
    return CarryRecord(
        from_period=values[FROM_PERIOD],
        from_date=date,
        rows=rows,
        hf=values.get(HF, ""),
        unit=values.get(UNIT, ""),
        period=values.get(PERIOD, ""),
        version=values.get(VERSION, ""),
    )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
