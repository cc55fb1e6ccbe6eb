"""Carried answers per unit: which returned pre-filled skjemas were gone through, which were not.

A skjema of a new round holds last round's answers (statuskart runde); the validate stage counts,
per returned file, the carried answers and whether any was changed or the Dato set anew
(CarryCheck). Datakvalitet and Innlevering show the same rows, made here once.
"""

from __future__ import annotations

from typing import NamedTuple

from statuskart.core.identity import name_key
from statuskart.model.report import file_period
from statuskart.model.views import ReportModel


class CarriedUnit(NamedTuple):
    """One returned pre-filled skjema of the current round."""

    rhf: str
    hf: str
    unit: str
    unit_slug: str | None
    path: str
    from_period: str
    carried: int
    changed: int
    confirmed: int
    """Carried answers gone through: changed, or kept with the skjema's Dato set anew."""
    kept: int
    """Confirmed answers left as they were: ``confirmed`` less ``changed``."""
    untouched: int
    """Carried answers returned as sent, with neither an answer nor the Dato changed."""


class CarriedRound(NamedTuple):
    """The current round's returned pre-filled skjemas, and how many came back untouched."""

    period: str
    units: tuple[CarriedUnit, ...]

    @property
    def untouched_units(self) -> int:
        """Units whose carried answers all came back untouched."""
        return sum(1 for u in self.units if u.carried and not u.confirmed)


def carried_answers(model: ReportModel) -> CarriedRound:
    """Per unit, the current round's files that were pre-filled: untouched ones first."""
    slugs = {u.score.unit.path: u.slug for u in model.units}
    rows = []
    for report in model.files:
        check = report.carried
        if check is None or file_period(report) != model.period:
            continue
        hf, unit, _ = report.sender()
        rhf = report.submission.meta.rhf if report.submission else report.meta.get("rhf", "")
        rows.append(
            CarriedUnit(
                rhf=rhf,
                hf=hf,
                unit=unit,
                unit_slug=slugs.get(report.path),
                path=report.path,
                from_period=check.from_period,
                carried=check.carried,
                changed=check.changed,
                confirmed=check.confirmed,
                kept=check.kept,
                untouched=check.untouched,
            )
        )
    rows.sort(key=lambda u: (u.confirmed > 0, name_key(u.rhf), name_key(u.hf), name_key(u.unit)))
    return CarriedRound(period=model.period, units=tuple(rows))
