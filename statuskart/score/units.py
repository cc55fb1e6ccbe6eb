"""UnitInfo: who a scored skjema is from and which file it was, handed forward from scoring.

Later stages (report, rounds, pages, downloads, audience) need these facts and nothing else of the
validated submission, so they get this small frozen type instead of reaching back into it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from statuskart.core.identity import UnitKey
from statuskart.validate.model import Submission


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitInfo:
    """A unit in one round: front-sheet facts, pathway and provenance."""

    rhf: str
    hf: str
    unit: str
    unit_type: str | None
    period: str
    date: dt.date | None
    filled_by: str | None
    target: float | None
    pathway: str
    """Catalogue id, e.g. «tsb»."""
    catalogue_version: str
    path: str
    sha256: str

    @property
    def key(self) -> UnitKey:
        """Identifies the unit across files and rounds (see identity.py)."""
        return UnitKey.of(self.hf, self.unit, self.pathway)

    @classmethod
    def of(cls, submission: Submission) -> UnitInfo:
        """The facts of a validated submission."""
        m = submission.meta
        return cls(
            rhf=m.rhf,
            hf=m.hf,
            unit=m.unit,
            unit_type=m.unit_type,
            period=m.period,
            date=m.date,
            filled_by=m.filled_by,
            target=m.target,
            pathway=submission.catalogue_id,
            catalogue_version=submission.catalogue_version,
            path=submission.path,
            sha256=submission.sha256,
        )
