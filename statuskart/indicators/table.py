"""Indicator tables (.xlsx or .csv) → RawFigure rows, with findings for what cannot be read.

The form a quality adviser fills from any registry or BI export: RHF, HF, Enhet, Krav, Periode,
Verdi, Kilde, and optionally Teller, Nevner, Mål, Merknad, Indikator, Retning («høyere er bedre» /
«lavere er bedre») and Måleenhet («prosent» / «dager» / «antall»). Headers are matched like the
skjema's (case, spacing, a trailing colon ignored; Norwegian and English spellings). Workbooks go
through the skjema reader's guards (size, zip bomb, defusedxml); CSV files are size-checked, read
as UTF-8 (with or without BOM, else Windows-1252) and split on «;», «,» or tab, whichever
finds the header row.
Rows are numbered as a spreadsheet shows them (a CSV record with a line break inside is one row).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.utils import get_column_letter

from statuskart.core.findings import Finding, finding
from statuskart.indicators.model import RawFigure
from statuskart.workbook.cell_text import is_percent
from statuskart.workbook.layout import normalise_label

MAX_ROWS = 20_000
"""Rows read per file; a national table per HF and requirement is a few thousand at most."""
HEADER_SCAN_ROWS = 20
"""A title line or two above the header row is allowed (the sample marks its numbers so)."""
FIELDS: dict[str, tuple[str, ...]] = {
    "rhf": ("rhf", "region", "regionalt helseforetak"),
    "hf": ("hf", "helseforetak", "hf eller institusjon", "hf / institusjon", "institusjon"),
    "unit": ("enhet", "unit"),
    "requirement": ("krav", "krav-id", "kravid", "krav id", "id", "requirement", "requirement id"),
    "period": ("periode", "runde", "tidsperiode", "period"),
    "value": ("verdi", "verdi (%)", "andel", "andel (%)", "resultat", "value", "share"),
    "source": ("kilde", "datakilde", "source"),
    "numerator": ("teller", "numerator"),
    "denominator": ("nevner", "denominator"),
    "target": ("mål", "mål (%)", "måltall", "målverdi", "target"),
    "note": ("merknad", "forbehold", "kommentar", "note", "caveat"),
    "indicator": ("indikator", "indikatornavn", "indicator"),
    "direction": ("retning", "direction"),
    "measure_unit": ("måleenhet", "målenhet", "measure unit"),
}
REQUIRED = ("requirement", "period", "value", "source")
PLACE = ("rhf", "hf", "unit")
DELIMITERS = (";", ",", "\t")
LABELS = {"requirement": "Krav", "period": "Periode", "value": "Verdi", "source": "Kilde"}


def header_lookup() -> dict[str, str]:
    """Normalised header spelling → field."""
    return {normalise_label(s): key for key, spellings in FIELDS.items() for s in spellings}


def _columns(row: Sequence[Any]) -> dict[str, int]:
    lookup = header_lookup()
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        key = lookup.get(normalise_label(value)) if value is not None else None
        if key is not None and key not in found:
            found[key] = index
    return found


def _find_header(rows: Sequence[Sequence[Any]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = _columns(row)
        if all(k in columns for k in REQUIRED) and any(k in columns for k in PLACE):
            return index, columns
    return None


def _missing(rows: Sequence[Sequence[Any]]) -> str:
    best: dict[str, int] = {}
    for row in rows[:HEADER_SCAN_ROWS]:
        columns = _columns(row)
        if len(columns) > len(best):
            best = columns
    missing = [LABELS[k] for k in REQUIRED if k not in best]
    if not any(k in best for k in PLACE):
        missing.append("RHF, HF eller Enhet")
    return ", ".join(missing)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def figures_from_rows(
    rows: Sequence[Sequence[Any]],
    file: str,
    where: str,
    formats: Sequence[Sequence[str]] = (),
    sheet: str = "",
) -> tuple[list[RawFigure], list[Finding]]:
    """Rows of cells (header somewhere in the first rows) → raw figures; ``where`` % row number.

    ``formats`` holds each cell's number format (workbooks only): a value shown as «52 %» is
    stored as 0.52 and read back as 52.
    """
    header = _find_header(rows)
    if header is None:
        return [], [finding("indicator-no-header", file, detail=_missing(rows))]
    start, columns = header
    figures = []
    for index in range(start + 1, len(rows)):
        row = rows[index]
        if all(_text(v) == "" for v in row):
            continue

        def cell(key: str, row: Sequence[Any] = row) -> Any:
            col = columns.get(key)
            return row[col] if col is not None and col < len(row) else None

        cell_formats = formats[index] if index < len(formats) else ()
        value = _as_percent(cell("value"), cell_formats, columns.get("value"))
        target = _as_percent(cell("target"), cell_formats, columns.get("target"))
        figures.append(
            RawFigure(
                file=file,
                where=where % (index + 1),
                sheet=sheet,
                cells={k: f"{get_column_letter(c + 1)}{index + 1}" for k, c in columns.items()},
                rhf=_text(cell("rhf")),
                hf=_text(cell("hf")),
                unit=_text(cell("unit")),
                requirement=_text(cell("requirement")),
                indicator=_text(cell("indicator")),
                period=_text(cell("period")),
                value=value,
                numerator=cell("numerator"),
                denominator=cell("denominator"),
                source=_text(cell("source")),
                note=_text(cell("note")),
                target=target,
                direction=_text(cell("direction")),
                measure_unit=_text(cell("measure_unit")),
            )
        )
    return figures, []


def _as_percent(value: Any, formats: Sequence[str], column: int | None) -> Any:
    """0.523 in a cell formatted «0,0 %» is the 52.3 the user saw; anything else as stored."""
    if column is None or column >= len(formats) or not is_percent(formats[column]):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(float(value) * 100, 9)
    return value


def read_table(path: str, data: bytes) -> tuple[list[RawFigure], list[Finding]]:
    """An .xlsx or .csv table's bytes → raw figures and findings (never raises for bad input)."""
    from statuskart.workbook.sniff import sniff

    verdict = sniff(data)
    if verdict.ok and verdict.format == "xlsx":
        return _read_xlsx(path, data)
    if verdict.code == "not-a-spreadsheet" and "CSV" in verdict.detail:
        return _read_csv(path, data)
    if verdict.ok:  # .ods/.xls: the skjema reader handles them, this table wants .xlsx
        return [], [finding("indicator-unreadable", path, detail=verdict.detail)]
    detail = verdict.detail or verdict.code
    return [], [finding("indicator-unreadable", path, detail=detail)]


def _read_xlsx(path: str, data: bytes) -> tuple[list[RawFigure], list[Finding]]:
    from statuskart.workbook.guarded import failure_finding, open_guarded

    try:
        wb = open_guarded(data)
        try:
            figures: list[RawFigure] = []
            tried: list[Finding] = []
            for ws in wb.worksheets:
                if hasattr(ws, "reset_dimensions"):
                    ws.reset_dimensions()
                rows, formats = _sheet(ws.iter_rows(max_row=MAX_ROWS + 1, max_col=20))
                found, problems = figures_from_rows(
                    rows, path, f"{ws.title}, rad %d", formats, sheet=ws.title
                )
                if not problems:
                    return found, []
                tried += problems
                figures += found
            return figures, tried[:1]
        finally:
            wb.close()
    except Exception as exc:  # openpyxl raises many types for broken files
        reason = failure_finding(exc, path).message
        return [], [finding("indicator-unreadable", path, detail=reason)]


def _sheet(rows: Iterable[Sequence[Any]]) -> tuple[list[list[Any]], list[list[str]]]:
    values: list[list[Any]] = []
    formats: list[list[str]] = []
    for row in rows:
        values.append([c.value for c in row])
        formats.append([str(getattr(c, "number_format", "") or "") for c in row])
    return values, formats


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel's «CSV» on Norwegian Windows


def _read_csv(path: str, data: bytes) -> tuple[list[RawFigure], list[Finding]]:
    """Try «;» (Norwegian Excel), «,» and tab in turn; the first that yields the header wins."""
    text = _decode(data)
    first: list[Finding] = []
    for delimiter in DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(text), delimiter=delimiter)
            rows = [row for _, row in zip(range(MAX_ROWS + 1), reader, strict=False)]
        except csv.Error as exc:
            return [], [finding("indicator-unreadable", path, detail=str(exc))]
        figures, problems = figures_from_rows(rows, path, "rad %d")
        if not problems:
            return figures, []
        first = first or problems
    return [], first
