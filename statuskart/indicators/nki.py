"""Helsedirektoratet's NKI JSON (quality indicators, as downloaded) → RawFigure rows.

Data rows carry ``Value``, ``MeasureType``, ``LocationName``, ``LocationParentId`` (0 national,
1 RHF, > 1 HF or institution), ``ParentName``, ``PeriodType``, ``TimeFrom`` and ``TimeTo``;
−10 000 000 means «no data». Those names come from the issue (#18) and Helsedirektoratet's
description; the wrapping around the rows could not be confirmed from a public file, so the
reader accepts the likely shapes: a list of rows, one indicator object with its rows under
``Data`` (or ``data``, ``Rows``, ``Values``), or a list of such objects. The indicator is named by
the object's (or the row's) ``IndicatorId``/``Id``/``Code``/``Title``; the catalogue's
``indicators:`` links it to requirements and says how it reads (direction and unit). The row's
``MeasureType`` gives the unit (andel → prosent, dager, antall); a direction field in the file, if
it has one, overrides the catalogue's.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Any

from statuskart.catalog.model import COUNT, DAYS, HIGHER_IS_BETTER, LOWER_IS_BETTER, PERCENT
from statuskart.core import messages as msg
from statuskart.core.findings import Finding, finding
from statuskart.indicators.model import HF, NATIONAL, RHF, RawFigure

ROW_KEYS = ("Data", "data", "Rows", "rows", "Values", "values", "Verdier", "verdier")
ID_KEYS = (
    "IndicatorId",
    "indicatorId",
    "KvalitetsindikatorId",
    "Id",
    "id",
    "Code",
    "code",
    "Kode",
)
TITLE_KEYS = ("Title", "title", "Tittel", "tittel", "Name", "name", "Navn", "navn")
SHARE_TYPES = ("andel", "prosent", "percent", "%", "share", "rate")
"""MeasureType words for a share in percent."""
DAY_TYPES = ("dager", "dag", "døgn", "days", "day", "ventetid")
"""MeasureType words for a number of days (gjennomsnittlig ventetid)."""
COUNT_TYPES = ("antall", "count", "number")
"""MeasureType words for a count; any other type (median score, rate per 1000 …) is not shown."""
DIRECTION_KEYS = ("Retning", "retning", "Direction", "direction")
"""Fields that may carry the indicator's own direction as text («lavere er bedre»)."""
HIGHER_BETTER_KEYS = ("HigherIsBetter", "higherIsBetter", "IsHigherBetter", "isHigherBetter")
"""Fields that may carry it as a boolean; neither name is confirmed from a public file."""
MAX_DEPTH = 6
"""Deepest object nesting a download has; deeper files are refused, not recursed into."""


def read_nki(path: str, data: bytes) -> tuple[list[RawFigure], list[Finding], int]:
    """The file's bytes → (raw figures, findings, data rows seen); never raises for bad input."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        return [], [finding("indicator-unreadable", path, detail=f"ikke gyldig JSON: {reason}")], 0
    if _depth(document) > MAX_DEPTH:
        return [], [finding("indicator-unreadable", path, detail="for dypt nøstet JSON")], 0
    figures: list[RawFigure] = []
    findings: list[Finding] = []
    seen_types: set[str] = set()
    count = 0
    for indicator, title, number, row, block in _rows(document):
        count += 1
        if not isinstance(row, Mapping):
            findings.append(
                finding("indicator-unreadable", path, detail=f"rad {number} er ikke et objekt")
            )
            continue
        name = _first(row, ID_KEYS) or indicator
        label = _first(row, TITLE_KEYS) or title or name
        where = f"indikator «{label}», rad {number}"
        kind = str(row.get("MeasureType") or block.get("MeasureType") or "").strip()
        unit = measure_type_unit(kind)
        if unit is None:
            if kind.casefold() not in seen_types:
                seen_types.add(kind.casefold())
                findings.append(finding("indicator-measure-type", path, sheet=where, detail=kind))
            continue
        level, rhf, hf = _place(row)
        figures.append(
            RawFigure(
                file=path,
                where=where,
                level=level,
                rhf=rhf,
                hf=hf,
                indicator=name,
                period=period_of(row.get("TimeFrom"), row.get("TimeTo"), row.get("PeriodType")),
                value=row.get("Value"),
                numerator=_first_value(row, ("Numerator", "Teller", "Count")),
                denominator=_first_value(row, ("Denominator", "Nevner", "Total")),
                source=f"{msg.NKI_SOURCE}: {label}" if label else msg.NKI_SOURCE,
                nlod=True,
                direction=_direction(row) or _direction(block),
                measure_unit=unit if kind else "",
            )
        )
    return figures, findings, count


def measure_type_unit(kind: str) -> str | None:
    """NKI's MeasureType → prosent, dager or antall; blank reads as a share; None: not shown."""
    words = kind.casefold()
    if not words:
        return PERCENT
    for unit, types in ((PERCENT, SHARE_TYPES), (DAYS, DAY_TYPES), (COUNT, COUNT_TYPES)):
        if any(word in words for word in types):
            return unit
    return None


def _direction(fields: Mapping[str, Any]) -> str:
    """The file's own direction, when it has one: text as in a table, or a higher-is-better flag."""
    text = _first(fields, DIRECTION_KEYS)
    if text:
        return text
    flag = next((fields[k] for k in HIGHER_BETTER_KEYS if isinstance(fields.get(k), bool)), None)
    if flag is None:
        return ""
    return HIGHER_IS_BETTER if flag else LOWER_IS_BETTER


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, Mapping):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def _rows(document: Any) -> Iterator[tuple[str, str, int, Any, Mapping[str, Any]]]:
    """(indicator id, title, row number, row, indicator object) for every data row."""
    blocks = document if isinstance(document, list) else [document]
    loose = 0
    for block in blocks:
        rows_key = next((k for k in ROW_KEYS if isinstance(block, Mapping) and k in block), None)
        if rows_key is None:
            loose += 1
            yield "", "", loose, block, {}
            continue
        indicator = _first(block, ID_KEYS)
        title = _first(block, TITLE_KEYS)
        rows = block[rows_key]
        for number, row in enumerate(rows if isinstance(rows, list) else [rows], start=1):
            yield indicator, title, number, row, block


def _first(row: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = row.get(key)
        if value is not None and not isinstance(value, dict | list) and str(value).strip():
            return str(value).strip()
    return ""


def _first_value(row: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    return next((row[k] for k in keys if row.get(k) is not None), None)


def _place(row: Mapping[str, Any]) -> tuple[str | None, str, str]:
    """(level, RHF, HF) from LocationParentId, LocationName and ParentName."""
    name = str(row.get("LocationName") or "").strip()
    parent = str(row.get("ParentName") or "").strip()
    raw = row.get("LocationParentId")
    try:
        level_id = int(raw) if raw is not None and not isinstance(raw, bool) else None
    except (TypeError, ValueError):
        level_id = None
    if level_id == 0:
        return NATIONAL, "", ""
    if level_id == 1:
        return RHF, name, ""
    if level_id is not None and level_id > 1:
        return HF, parent, name
    return None, parent, name  # unknown level: decided from the names, like a table row


def _date(value: Any) -> dt.date | None:
    text = str(value or "").strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


TERTIAL_STARTS = {1: 1, 5: 2, 9: 3}
QUARTER_STARTS = {1: 1, 4: 2, 7: 3, 10: 4}


def period_of(start: Any, end: Any, period_type: Any = None) -> str:
    """«2025», «2025-T2», «2025-H1», «2025-K3», or «01.03.2025–31.03.2025»; empty if no dates.

    Decided from the dates (a whole year, tertial, half-year or quarter), so it lines up with
    the skjema rounds; ``PeriodType`` only breaks a tie its dates leave open.
    """
    first, last = _date(start), _date(end)
    if first is None:
        return ""
    if last is None or last < first:
        return first.strftime("%d.%m.%Y")
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    whole = first.day == 1 and (last + dt.timedelta(days=1)).day == 1
    kind = str(period_type or "").casefold()
    if whole and first.year == last.year:
        if months == 12:
            return str(first.year)
        if months == 4 and first.month in TERTIAL_STARTS:
            return f"{first.year}-T{TERTIAL_STARTS[first.month]}"
        if months == 6 and first.month in (1, 7) and "kvart" not in kind:
            return f"{first.year}-H{1 if first.month == 1 else 2}"
        if months == 3 and first.month in QUARTER_STARTS:
            return f"{first.year}-K{QUARTER_STARTS[first.month]}"
    return f"{first.strftime('%d.%m.%Y')}–{last.strftime('%d.%m.%Y')}"
