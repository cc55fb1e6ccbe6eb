"""RawFigure rows → Measurements: requirement, place, period, value and n checked row by row.

A row is used only when every part of it is understood; anything else is one Finding naming the
file and row, and the build carries on. Places are matched against the HFs, RHFs and units that
have pages in this report, by the same identity rule as everywhere else (case, spacing and
punctuation ignored). No I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from statuskart.catalog.model import (
    HIGHER_IS_BETTER,
    PERCENT,
    Catalogue,
    IndicatorLink,
    Requirement,
    direction_of,
    measure_unit_of,
)
from statuskart.core import messages as msg
from statuskart.core.findings import Finding, finding
from statuskart.core.identity import canonical_period, name_key
from statuskart.indicators.model import HF, NATIONAL, NO_DATA, RHF, UNIT, Measurement, RawFigure

COUNT_TOLERANCE = 0.5
"""Percentage points a value may differ from teller/nevner (rounding in the source)."""
OUTSIDE_LISTED = 8
"""Place names listed in the one NKI finding for places outside the report."""


@dataclass(frozen=True, slots=True)
class Places:
    """The places that have a page in this report: HFs, RHFs and units with their pathways."""

    hfs: Mapping[str, tuple[str, str]]
    """HF name key → (HF, RHF) as the report spells them."""
    rhfs: Mapping[str, str]
    units: Mapping[tuple[str, str], tuple[str, str, str, frozenset[str]]]
    """(HF key, unit key) → (RHF, HF, unit, pathways)."""


@dataclass(frozen=True, slots=True)
class Requirements:
    """Requirement IDs and indicator links of the catalogues in the report."""

    by_id: Mapping[str, list[tuple[str, Requirement]]]
    by_indicator: Mapping[str, list[tuple[str, Requirement, IndicatorLink]]]

    @classmethod
    def of(cls, catalogues: Iterable[Catalogue]) -> Requirements:
        """Index requirement IDs (case ignored) and indicator ids/titles (identity rule)."""
        by_id: dict[str, list[tuple[str, Requirement]]] = {}
        by_indicator: dict[str, list[tuple[str, Requirement, IndicatorLink]]] = {}
        for cat in catalogues:
            for req in cat.requirements:
                by_id.setdefault(req.id.casefold(), []).append((cat.id, req))
                for link in req.indicators:
                    for spelling in {name_key(link.id), name_key(link.title)} - {""}:
                        by_indicator.setdefault(spelling, []).append((cat.id, req, link))
        return cls(by_id, by_indicator)


def parse_share(value: object) -> float | None:
    """A number as typed: 52.3, «52,3», «52,3 %», «−1e7»; None when it is not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
        text = text.replace("\u2212", "-").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def parse_count(value: object) -> int | None:
    """A whole number ≥ 0 («1 234» and 12.0 too); None otherwise."""
    number = parse_share(value)
    if number is None or number < 0 or not number.is_integer():
        return None
    return int(number)


@dataclass
class _Run:
    """Findings and state while resolving one file."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    unmapped: dict[str, None] = field(default_factory=dict)
    outside: dict[str, None] = field(default_factory=dict)
    seen: dict[tuple[object, ...], str] = field(default_factory=dict)
    other_units: set[str] = field(default_factory=set)

    def add(self, code: str, raw: RawFigure, detail: object = "", column: str = "") -> None:
        """A finding for the row, at the cell of ``column`` where the file has one."""
        cell = raw.cells.get(column) if column else None
        if cell and raw.sheet:  # «Ark1!F7»
            found = finding(code, raw.file, sheet=raw.sheet, cell=cell, detail=detail)
        else:  # «rad 7, celle F7» in a CSV file, or the row alone
            where = f"{raw.where}, celle {cell}" if cell else raw.where
            found = finding(code, raw.file, sheet=where, detail=detail)
        self.findings.append(found)


def resolve(
    raws: Sequence[RawFigure], requirements: Requirements, places: Places, file: str
) -> tuple[list[Measurement], list[Finding]]:
    """Check every row of one file; return the usable measurements and a finding per bad row."""
    run = _Run(file)
    out: list[Measurement] = []
    for raw in raws:
        out += _resolve_row(raw, requirements, places, run)
    if run.unmapped:
        names = ", ".join(run.unmapped)
        run.findings.append(finding("indicator-unmapped", file, detail=names))
    if run.outside:
        outside = list(run.outside)
        listed = ", ".join(outside[:OUTSIDE_LISTED])
        more = len(outside) - OUTSIDE_LISTED
        detail = f"{listed} og {more} til" if more > 0 else listed
        run.findings.append(finding("indicator-places-outside", file, detail=detail))
    return out, run.findings


def _resolve_row(
    raw: RawFigure, requirements: Requirements, places: Places, run: _Run
) -> list[Measurement]:
    value = parse_share(raw.value)
    if value is not None and value <= NO_DATA + 1:
        run.add("indicator-no-data", raw, raw.period or raw.where, "value")
        return []
    if value is None or value < 0:
        run.add("indicator-bad-value", raw, raw.value if raw.value is not None else "", "value")
        return []
    direction = direction_of(raw.direction) if raw.direction else None
    if raw.direction and direction is None:
        run.add("indicator-bad-direction", raw, raw.direction, "direction")
        return []
    unit = measure_unit_of(raw.measure_unit) if raw.measure_unit else None
    if raw.measure_unit and unit is None:
        run.add("indicator-bad-unit", raw, raw.measure_unit, "measure_unit")
        return []
    target = None
    if raw.target not in (None, ""):
        target = parse_share(raw.target)
        if target is None or target < 0:
            run.add("indicator-bad-value", raw, raw.target, "target")
            return []
    period = canonical_period(raw.period) or raw.period.strip()
    if not period:
        run.add("indicator-no-period", raw, column="period")
        return []
    if not raw.source:
        run.add("indicator-no-source", raw, column="source")
        return []
    links = _links(raw, requirements, run)
    if not links:
        return []
    out: list[Measurement] = []
    counted: tuple[int | None, int | None] | None = None
    for pathway, req, link in links:
        reading = _reading(link, direction, unit, target)
        if link is not None and not raw.requirement and reading.unit != link.unit:
            if reading.unit not in run.other_units:  # NKI's «Antall» beside its «Andel»
                run.other_units.add(reading.unit)
                run.add("indicator-other-unit", raw, reading.unit)
            continue
        if not _fits(value, reading.unit):
            run.add("indicator-bad-value", raw, raw.value, "value")
            return out
        if reading.target is not None and not _fits(reading.target, reading.unit):
            run.add("indicator-bad-value", raw, raw.target, "target")
            return out
        place = _place(raw, places, pathway, run)
        if place is None:
            return out
        if reading.unit != PERCENT:  # teller/nevner give a share; a mean in days has no n here
            counts: tuple[int | None, int | None] = (None, None)
        else:
            counted = counted or _counts(raw, value, run)
            counts = counted
        level, rhf, hf, unit_name = place
        key: tuple[object, ...] = (level, name_key(rhf), name_key(hf), name_key(unit_name), pathway)
        key += (req.id, period)
        key += (raw.source.casefold(), name_key(raw.indicator))
        if key in run.seen:
            run.add("indicator-duplicate", raw, f"første gang {run.seen[key]}")
            continue
        run.seen[key] = raw.where
        out.append(
            Measurement(
                level=level,
                rhf=rhf,
                hf=hf,
                unit=unit_name,
                pathway=pathway,
                requirement_id=req.id,
                period=period,
                value=value,
                numerator=counts[0],
                denominator=counts[1],
                target=reading.target,
                source=raw.source,
                note=raw.note,
                indicator=raw.indicator,
                nlod=raw.nlod or "helsedirektoratet" in raw.source.casefold(),
                file=raw.file,
                where=raw.where,
                direction=reading.direction,
                measure_unit=reading.unit,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class _Reading:
    """How a row's value is read: its unit, direction and target."""

    unit: str
    direction: str
    target: float | None


def _reading(
    link: IndicatorLink | None, direction: str | None, unit: str | None, target: float | None
) -> _Reading:
    """The row's own Retning, Måleenhet and Mål first; else the catalogue link's.

    The link's direction and target count only when the units agree: an 80 % target says
    nothing about days.
    """
    measure_unit = unit or (link.unit if link else PERCENT)
    same = link is not None and link.unit == measure_unit
    return _Reading(
        unit=measure_unit,
        direction=direction or (link.direction if link and same else HIGHER_IS_BETTER),
        target=target if target is not None else (link.target if link and same else None),
    )


def _fits(value: float, unit: str) -> bool:
    """A share is 0–100; days and counts are 0 or more."""
    return 0 <= value <= 100 if unit == PERCENT else value >= 0


def _links(
    raw: RawFigure, requirements: Requirements, run: _Run
) -> list[tuple[str, Requirement, IndicatorLink | None]]:
    """(pathway, requirement, catalogue link or None) the row measures."""
    if raw.requirement:
        found = requirements.by_id.get(raw.requirement.strip().casefold(), [])
        if not found:
            run.add("indicator-unknown-requirement", raw, raw.requirement, "requirement")
        return [(cid, req, _link_of(req, raw)) for cid, req in found]
    if raw.indicator:
        linked = requirements.by_indicator.get(name_key(raw.indicator), [])
        if not linked:
            run.unmapped[raw.indicator] = None
        return [(cid, req, link) for cid, req, link in linked]
    run.add("indicator-unknown-requirement", raw, "(tomt)")
    return []


def _link_of(req: Requirement, raw: RawFigure) -> IndicatorLink | None:
    """The requirement's catalogue link a table row stands for; None without links.

    The one its Indikator names, else the first in its Måleenhet (the first at all when the row
    names no unit).
    """
    named = name_key(raw.indicator)
    for link in req.indicators:
        if named and named in {name_key(link.id), name_key(link.title)}:
            return link
    unit = measure_unit_of(raw.measure_unit) if raw.measure_unit else None
    return next((link for link in req.indicators if unit in (None, link.unit)), None)


def _counts(raw: RawFigure, value: float, run: _Run) -> tuple[int | None, int | None]:
    if raw.numerator in (None, "") and raw.denominator in (None, ""):
        return None, None
    top, bottom = parse_count(raw.numerator), parse_count(raw.denominator)
    if top is None or bottom is None or bottom == 0 or top > bottom:
        run.add("indicator-bad-count", raw, f"{raw.numerator} / {raw.denominator}", "numerator")
        return None, None
    computed = 100 * top / bottom
    if abs(computed - value) > COUNT_TOLERANCE:
        run.add("indicator-count-mismatch", raw, f"{value:g} mot {top}/{bottom} = {computed:.1f}")
    return top, bottom


def _is_national(*names: str) -> bool:
    return any(name_key(n) in msg.NATIONAL_NAMES for n in names if n)


def _place(
    raw: RawFigure, places: Places, pathway: str, run: _Run
) -> tuple[str, str, str, str] | None:
    """(level, RHF, HF, unit) as the report spells them, or None with a finding."""
    level = raw.level
    if level is None:
        if _is_national(raw.rhf, raw.hf) and not raw.unit:
            level = NATIONAL
        else:
            level = UNIT if raw.unit else HF if raw.hf else RHF if raw.rhf else None
    if level is None:
        run.add("indicator-no-place", raw)
        return None
    if level == NATIONAL:
        return NATIONAL, "", "", ""
    if level == UNIT:
        found = places.units.get((name_key(raw.hf), name_key(raw.unit)))
        if found is not None and pathway in found[3]:
            return UNIT, found[0], found[1], found[2]
        _outside(raw, f"{raw.hf} / {raw.unit}", run)
    elif level == HF:
        hf = places.hfs.get(name_key(raw.hf))
        if hf:
            return HF, hf[1], hf[0], ""
        _outside(raw, raw.hf, run)
    else:
        rhf = places.rhfs.get(name_key(raw.rhf))
        if rhf:
            return RHF, rhf, "", ""
        _outside(raw, raw.rhf, run)
    return None


def _outside(raw: RawFigure, name: str, run: _Run) -> None:
    """A place without pages here: one finding per row, or one per file for NKI's whole country."""
    if raw.nlod and raw.level is not None:
        run.outside[name] = None
    else:
        run.add("indicator-unknown-place", raw, name)
