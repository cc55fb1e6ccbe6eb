"""The sample indicator table `statuskart sample` writes: invented numbers, marked as such.

Same seed, same bytes (its own random stream, so the sample skjema stay byte-identical). Rows per
HF for the catalogue's first requirements with a national indicator linked (else a forløpstid),
one national row, one unit row and one row with a caveat note, so the sample site shows every
part of the feature. It sets no targets: a flag in the sample comes from a published target.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from statuskart.catalog.model import COUNT, DAYS, PERCENT, Catalogue, IndicatorLink
from statuskart.core import messages as msg
from statuskart.workbook.write import save_workbook

SAMPLE_FILE = "indikatorer.xlsx"
HEADER = (
    *("RHF", "HF", "Enhet", "Krav", "Periode", "Verdi"),
    *("Teller", "Nevner", "Retning", "Måleenhet", "Kilde", "Merknad"),
)
"""No Mål column: a sample must not invent targets. A published one comes from the catalogue."""
REQUIREMENTS = 3


def write_sample_indicators(
    out: Path,
    catalogue: Catalogue,
    places: Sequence[tuple[str, str, str]],
    period: str,
    seed: int,
) -> Path:
    """Write out/indikatorer.xlsx for the (RHF, HF, unit) ``places`` in ``period``.

    Rows go to the requirements the catalogue links to a national indicator (else those with a
    forløpstid), in that indicator's unit and direction, so the sample reads like the real one.
    """
    rng = random.Random(seed * 104_729 + 3)
    linked = [r for r in catalogue.requirements if r.indicators]
    timed = [r for r in catalogue.requirements if r.time_limits]
    chosen = (linked or timed or list(catalogue.requirements))[:REQUIREMENTS]
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
        link = req.indicators[0] if req.indicators else IndicatorLink(id=req.id)
        total = _Total()
        for j, (rhf, hf) in enumerate(hfs):
            note = msg.SAMPLE_INDICATOR_CAVEAT if (i, j) == (0, 1) else ""
            figure = _invent(rng, link, rng.randint(30, 400))
            total.add(figure)
            ws.append(_row(rhf, hf, "", req.id, period, figure, link, note))
        national = msg.NATIONAL_PLACE
        ws.append(_row(national, "", "", req.id, period, total.figure(link), link, ""))
    if places and chosen:
        rhf, hf, unit = places[0]
        first = chosen[0]
        link = first.indicators[0] if first.indicators else IndicatorLink(id=first.id)
        figure = _invent(rng, link, rng.randint(10, 60))
        ws.append(_row(rhf, hf, unit, first.id, period, figure, link, ""))
    widths = (20, 32, 34, 9, 9, 8, 8, 8, 16, 11, 26, 40)
    for column, width in zip("ABCDEFGHIJKL", widths, strict=True):
        ws.column_dimensions[column].width = width
    path = out / SAMPLE_FILE
    save_workbook(wb, path)
    return path


_Figure = tuple[float, int | None, int | None]
"""(value, teller, nevner); counts only for a share."""


def _invent(rng: random.Random, link: IndicatorLink, cases: int) -> _Figure:
    """An invented figure in the link's unit, plausible for its direction."""
    if link.unit == PERCENT:
        low, high = (0.0, 0.12) if link.lower_is_better else (0.35, 0.97)
        top = round(cases * rng.uniform(low, high))
        return round(100 * top / cases, 1), top, cases
    if link.unit == DAYS:
        return round(rng.uniform(15, 70), 1), None, None
    return float(cases), None, None


class _Total:
    """The national row: teller and nevner summed for a share, the mean of the HFs otherwise."""

    def __init__(self) -> None:
        self.top = self.bottom = 0
        self.values: list[float] = []

    def add(self, figure: _Figure) -> None:
        value, top, bottom = figure
        self.values.append(value)
        self.top += top or 0
        self.bottom += bottom or 0

    def figure(self, link: IndicatorLink) -> _Figure:
        if link.unit == PERCENT and self.bottom:
            return round(100 * self.top / self.bottom, 1), self.top, self.bottom
        if link.unit == COUNT:
            return float(sum(self.values)), None, None
        mean = sum(self.values) / len(self.values) if self.values else 0.0
        return round(mean, 1), None, None


def _row(
    rhf: str,
    hf: str,
    unit: str,
    rid: str,
    period: str,
    figure: _Figure,
    link: IndicatorLink,
    note: str,
) -> list[object]:
    value, top, bottom = figure
    source = msg.SAMPLE_INDICATOR_SOURCE
    return [rhf, hf, unit, rid, period, value, top, bottom, link.direction, link.unit, source, note]
