"""Downloads: unit scores, requirement statuses and action plans as CSV, XLSX and JSON.

Formula-safe: a text cell starting with = + - @, tab or CR gets a leading apostrophe; numbers stay
numbers (OWASP ASVS 1.2.10).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from statuskart.report import ReportModel
from statuskart.serialise import safe_cell
from statuskart.workbook.write import save_workbook

Table = tuple[tuple[str, ...], list[tuple[Any, ...]]]


def tables(model: ReportModel, *, include_text: bool = True) -> dict[str, Table]:
    """The three download tables; ``include_text`` False drops comments, plans and owners."""
    scores = [
        (
            m.rhf,
            m.hf,
            m.unit,
            m.unit_type or "",
            m.period,
            s.score,
            s.band,
            s.coverage,
            s.not_applicable,
            s.unanswered,
            u.file.sha256 if u.file else "",
        )
        for u in model.units
        for s, m in [(u.score, u.score.unit)]
    ]
    statuses = [
        (
            m.hf,
            m.unit,
            m.period,
            r.requirement_id,
            r.status or "",
            r.points,
            r.weight,
            int(r.applicable),
            int(r.counted),
            r.cell or "",
        )
        for u in model.units
        for m in [u.score.unit]
        for r in u.score.results
    ]
    actions: list[tuple[Any, ...]] = [
        (
            m.hf,
            m.unit,
            m.period,
            a.rank,
            a.requirement_id,
            a.title,
            a.status or "Ubesvart",
            a.text if include_text else "",
            a.owner if include_text and a.owner else "",
            a.due.isoformat() if a.due else "",
            a.risk or "",
            round(a.gain, 3),
            a.reason,
        )
        for u in model.units
        for m in [u.score.unit]
        for a in u.score.actions
    ]
    action_header: tuple[str, ...] = (
        "hf",
        "enhet",
        "periode",
        "rang",
        "krav",
        "tittel",
        "status",
        "tiltak",
        "ansvarlig",
        "frist",
        "risiko",
        "gevinst",
        "begrunnelse",
    )
    if not (include_text and model.shows_text):  # a column of blanks says nothing: drop it
        owner = action_header.index("ansvarlig")
        action_header = action_header[:owner] + action_header[owner + 1 :]
        actions = [row[:owner] + row[owner + 1 :] for row in actions]
    return {
        "enheter": (
            (
                "rhf",
                "hf",
                "enhet",
                "enhetstype",
                "periode",
                "skar",
                "niva",
                "dekning",
                "ikke_aktuelt",
                "ubesvart",
                "sha256",
            ),
            scores,
        ),
        "kravstatus": (
            (
                "hf",
                "enhet",
                "periode",
                "krav",
                "status",
                "poeng",
                "vekt",
                "aktuelt",
                "teller_med",
                "celle",
            ),
            statuses,
        ),
        "tiltak": (action_header, actions),
    }


def write_downloads(model: ReportModel, out: Path, *, include_text: bool = True) -> list[Path]:
    """Write every table as .csv, .xlsx and .json into ``out``; return the files."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (header, rows) in tables(model, include_text=include_text).items():
        written.append(_csv(out / f"{name}.csv", header, rows))
        written.append(_xlsx(out / f"{name}.xlsx", name, header, rows))
        path = out / f"{name}.json"
        path.write_text(
            json.dumps(
                [dict(zip(header, r, strict=True)) for r in rows], ensure_ascii=False, indent=1
            ),
            encoding="utf-8",
        )
        written.append(path)
    return written


def _csv(path: Path, header: Sequence[str], rows: list[tuple[Any, ...]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")  # BOM: Excel reads UTF-8 right
    return path


def _xlsx(path: Path, title: str, header: Sequence[str], rows: list[tuple[Any, ...]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    ws.append(list(header))
    # Own row counter: ws.max_row scans every cell, which made this loop quadratic.
    for row_no, row in enumerate(rows, start=2):
        values = [safe_cell(v) for v in row]
        ws.append(values)
        for col_no, value in enumerate(values, start=1):
            if isinstance(value, str):
                ws.cell(row=row_no, column=col_no).data_type = "s"  # never store text as a formula
    save_workbook(wb, path)
    return path
