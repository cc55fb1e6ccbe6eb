"""Frozen data of the registry-figures stage: raw rows, measurements, files and page rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from statuskart.catalog.model import (
    COUNT,
    DAYS,
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    PERCENT,
    Requirement,
)
from statuskart.core import messages as msg
from statuskart.core.findings import Finding
from statuskart.core.numbers import number, percent

INDICATOR_NAMES = ("indikatorer.xlsx", "indikatorer.csv", "indikatorer.json")
"""Found next to the checklists like enheter.yaml; never read as a skjema."""
NATIONAL, RHF, HF, UNIT = "national", "rhf", "hf", "unit"
NO_DATA = -10_000_000.0
"""Helsedirektoratet's «no data» value (−1e7) in NKI data rows."""
IMPLEMENTED_FLAG_SHARE = 0.8
"""A figure on the wrong side of its target is flagged when at least this share of units reports
«Implementert»."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RawFigure:
    """One data row as read, before names, requirement and value are checked."""

    file: str
    where: str
    """Row location for findings: «Ark1, rad 5», «linje 5», «indikator X, rad 3»."""
    level: str | None = None
    """Known level (NKI's LocationParentId), or None: decided from which names are filled in."""
    rhf: str = ""
    hf: str = ""
    unit: str = ""
    requirement: str = ""
    """Requirement ID as typed (table); empty for NKI rows, which go through ``indicator``."""
    indicator: str = ""
    period: str = ""
    value: object = None
    numerator: object = None
    denominator: object = None
    source: str = ""
    note: str = ""
    target: object = None
    direction: str = ""
    """«Retning» as typed (or NKI's own field); empty: the catalogue link's, else higher."""
    measure_unit: str = ""
    """«Måleenhet» as typed (or NKI's MeasureType); empty: the catalogue link's, else percent."""
    nlod: bool = False
    """True for rows from Helsedirektoratet's own files: attribution under NLOD is shown."""
    sheet: str = ""
    """The worksheet the row is on (workbook tables); empty for CSV and JSON."""
    cells: Mapping[str, str] = field(default_factory=dict)
    """Column key → the cell it came from («F7»), for findings that point at one cell."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Measurement:
    """A measured figure for one place, requirement and period, with where it came from."""

    level: str
    rhf: str
    hf: str
    unit: str
    pathway: str
    requirement_id: str
    period: str
    value: float
    """In ``measure_unit``: a share in percent (0–100), a number of days or a count."""
    numerator: int | None
    denominator: int | None
    target: float | None
    """Target in ``measure_unit``, from the row's Mål column or the catalogue's indicator link."""
    source: str
    note: str
    """Quality caveat from the data («data mangler for april»), shown with the figure."""
    indicator: str
    nlod: bool
    file: str
    where: str
    direction: str = HIGHER_IS_BETTER
    """HIGHER_IS_BETTER or LOWER_IS_BETTER (fristbrudd, ventetid)."""
    measure_unit: str = PERCENT
    """PERCENT, DAYS or COUNT."""

    @property
    def lower_is_better(self) -> bool:
        """True for figures where less is the goal, such as fristbrudd or ventetid."""
        return self.direction == LOWER_IS_BETTER

    @property
    def misses_target(self) -> bool:
        """True when a target is known and the figure is on its wrong side.

        Under it when higher is better, over it when lower is better; at the target is no miss.
        """
        if self.target is None:
            return False
        return self.value > self.target if self.lower_is_better else self.value < self.target

    @property
    def value_text(self) -> str:
        """«52,3 %», «33 dager», «1 234»: Norwegian format, one decimal as registries publish."""
        return measure_text(self.value, self.measure_unit)

    @property
    def target_text(self) -> str:
        """«80 %», «30 dager», or a dash without a target."""
        return "–" if self.target is None else measure_text(self.target, self.measure_unit)

    @property
    def n_text(self) -> str:
        """«312 av 598» (teller av nevner), or a dash when the source gave no counts."""
        if self.numerator is None or self.denominator is None:
            return "–"
        return f"{number(self.numerator)} av {number(self.denominator)}"


def share_text(value: float) -> str:
    """A share in percent (0–100) as «52,3 %» or «80 %», with a non-breaking space."""
    rounded = round(float(value), 1)
    return f"{number(rounded, 0 if rounded.is_integer() else 1)}\u00a0%"


def measure_text(value: float, unit: str) -> str:
    """A figure in its unit: «52,3 %», «33,5 dager», «1 dag», «1 234» (non-breaking spaces)."""
    if unit == PERCENT:
        return share_text(value)
    rounded = round(float(value), 1)
    shown = number(rounded, 0 if rounded.is_integer() else 1)
    if unit == DAYS:
        return f"{shown}\u00a0{'dag' if rounded == 1 else 'dager'}"
    if unit == COUNT:
        return shown
    raise ValueError(unit)


@dataclass(frozen=True, slots=True, kw_only=True)
class IndicatorFile:
    """One indicator file: what kind, how many rows were read and used, and what was wrong."""

    path: str
    kind: str
    """«table» or «nki»."""
    rows: int
    used: int
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Figure:
    """A measurement on a page, next to what the units there report for the same requirement."""

    measurement: Measurement
    requirement: Requirement
    place: str
    answered: int
    """Units (or 1 for a unit page) that answered the requirement where it applies."""
    implemented: int
    """Of those, how many report it «Implementert» (full points)."""
    status: str = ""
    """On a unit page: the unit's own answer, as typed after normalising («Ubesvart» if blank)."""
    min_group: int = 1
    """The report's small-n rule: a group share over fewer answers is not shown or flagged."""

    @property
    def too_few(self) -> bool:
        """A group share over fewer answers than the small-n rule allows.

        Never a place's own answer: a unit's on its page, or an HF's for a row it answers once.
        """
        own = self.status or (self.requirement.hf_scope and self.measurement.level == HF)
        return not own and self.answered < self.min_group

    @property
    def share(self) -> float | None:
        """Share of answering units reporting the requirement implemented; None if none answered."""
        return self.implemented / self.answered if self.answered else None

    @property
    def flagged(self) -> bool:
        """Self-assessment and measurement disagree: most say implemented, the figure misses.

        Missing is being on the wrong side of the target (under it, or over it when lower is
        better). A figure without a target, as days and counts mostly are, is never flagged.
        """
        share = self.share
        if share is None or self.too_few:
            return False
        return share >= IMPLEMENTED_FLAG_SHARE and self.measurement.misses_target

    @property
    def share_text(self) -> str:
        """«83 % (10 av 12)», the unit's own status on a unit page, or «ingen svar»."""
        if self.status:
            return self.status
        if self.share is None:
            return "ingen svar"
        if self.too_few:
            return f"få enheter (n = {self.answered})"
        return f"{percent(self.share)} ({self.implemented} av {self.answered})"

    @property
    def flag_text(self) -> str:
        """The disagreement as a question to look into, never a verdict."""
        m = self.measurement
        words = {
            "title": self.requirement.title,
            "value": m.value_text,
            "period": m.period,
            "target": m.target_text,
            "side": msg.FIGURE_FLAG_SIDE[m.direction],
        }
        if self.status:
            return msg.FIGURE_FLAG_UNIT.format(**words)
        share = percent(self.share or 0)
        if self.requirement.hf_scope:
            return msg.FIGURE_FLAG_HF.format(
                share=share, implemented=self.implemented, answered=self.answered, **words
            )
        return msg.FIGURE_FLAG_GROUP.format(
            share=share, implemented=self.implemented, answered=self.answered, **words
        )
