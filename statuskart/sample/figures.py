"""The sample indicator table `statuskart sample` writes: invented numbers, marked as such.

Same seed, same bytes (its own random stream, so the sample skjema stay byte-identical). Rows per
HF for the catalogue's first requirements with a forløpstid, one national row, one unit row and
one row with a caveat note, so the sample site shows every part of the feature.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from statuskart.catalog.model import Catalogue
from statuskart.core import messages as msg
from statuskart.workbook.write import save_workbook

SAMPLE_FILE = "indikatorer.xlsx"
HEADER = (
    *("RHF", "HF", "Enhet", "Krav", "Periode", "Verdi"),
    *("Teller", "Nevner", "Mål", "Kilde", "Merknad"),
)
SAMPLE_TARGET = 80
"""Invented target share (%) in the sample's Mål column."""
REQUIREMENTS = 3


def write_sample_indicators(
    out: Path,
    catalogue: Catalogue,
    places: Sequence[tuple[str, str, str]],
    period: str,
    seed: int,
) -> Path:
    """Write out/indikatorer.xlsx for the (RHF, HF, unit) ``places`` in ``period``."""
    rng = random.Random(seed * 104_729 + 3)
    timed = [r for r in catalogue.requirements if r.time_limits]
    chosen = (timed or list(catalogue.requirements))[:REQUIREMENTS]
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "Registertall"
    ws.append([msg.SAMPLE_INDICATOR_TITLE])
    ws["A1"].font = Font(bold=True, color="9C0006")
    ws.append([])
    ws.append(list(HEADER))
    for cell in ws[3]:
        cell.font = Font(bold=True)
    hfs = sorted({(rhf, hf) for rhf, hf, _ in places})
    for i, req in enumerate(chosen):
        total_top = total_bottom = 0
        for j, (rhf, hf) in enumerate(hfs):
            bottom = rng.randint(30, 400)
            top = round(bottom * rng.uniform(0.35, 0.97))
            total_top, total_bottom = total_top + top, total_bottom + bottom
            note = msg.SAMPLE_INDICATOR_CAVEAT if (i, j) == (0, 1) else ""
            ws.append(_row(rhf, hf, "", req.id, period, top, bottom, note))
        national = msg.NATIONAL_PLACE
        ws.append(_row(national, "", "", req.id, period, total_top, total_bottom, ""))
    if places and chosen:
        rhf, hf, unit = places[0]
        bottom = rng.randint(10, 60)
        top = round(bottom * rng.uniform(0.4, 0.9))
        ws.append(_row(rhf, hf, unit, chosen[0].id, period, top, bottom, ""))
    for column, width in zip("ABCDEFGHIJK", (20, 32, 34, 9, 9, 8, 8, 8, 6, 26, 40), strict=True):
        ws.column_dimensions[column].width = width
    path = out / SAMPLE_FILE
    save_workbook(wb, path)
    return path


def _row(
    rhf: str, hf: str, unit: str, rid: str, period: str, top: int, bottom: int, note: str
) -> list[object]:
    value = round(100 * top / bottom, 1)
    source = msg.SAMPLE_INDICATOR_SOURCE
    return [rhf, hf, unit, rid, period, value, top, bottom, SAMPLE_TARGET, source, note]
