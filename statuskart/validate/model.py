"""What validation hands on: a unit's interpreted answers (Submission) and a file's FileReport.

Kept apart from the rules that build them, so scoring, the report model and the downloads read
the same types without importing the rules, and one rule about answers (``overdue``) is stated
once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from statuskart.core.findings import Finding


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    """A unit's answer to one requirement, interpreted."""

    requirement_id: str
    status: str | None
    """Scale label, or None when unanswered (or the row is missing or invalid)."""
    points: float | None
    not_applicable: bool
    comment: str | None
    action: str | None
    owner: str | None
    due: dt.date | None
    risk: str | None
    cell: str | None
    """Where the status is, e.g. «Statuskartlegging!G14»; None when the row is missing."""
    share: float | None = None
    """«Andel innen forløpstid» as typed, 0–100; shown beside the status, never scored."""

    @property
    def unfinished(self) -> bool:
        """Unanswered, or a step short of fully implemented («Ikke aktuelt» counts as done)."""
        return self.status is None or (self.points is not None and self.points < 1)


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalRequirement:
    """A requirement the unit wrote itself; its answer is read as any other row's."""

    id: str
    """«EGEN-1» …"""
    title: str | None
    text: str | None
    answer: Answer


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitMeta:
    """Front-sheet facts about the unit and the round."""

    rhf: str
    hf: str
    unit: str
    unit_type: str | None
    period: str
    date: dt.date | None = None
    filled_by: str | None = None
    target: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Submission:
    """One unit's validated answers for one round, in catalogue order."""

    path: str
    sha256: str
    catalogue_id: str
    catalogue_version: str
    """The version the workbook was made from, as stamped (or the current one if unknown)."""
    meta: UnitMeta
    answers: tuple[Answer, ...]
    local: tuple[LocalRequirement, ...] = ()
    """The unit's own requirements («Egne krav»): shown on its page, never scored."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FileReport:
    """Everything known about one input file: its status, submission (if usable) and findings."""

    path: str
    sha256: str
    status: str
    """«ok», «warnings» or «rejected»."""
    submission: Submission | None
    findings: tuple[Finding, ...]
    meta: Mapping[str, str] = field(default_factory=dict)
    """Front-sheet values as found, also for rejected files (shown on the data-quality page)."""
    catalogue: str = ""
    open_dues: tuple[OpenDue, ...] = ()
    """Frister on unfinished rows: «due-in-past» depends on the day, so it is added by ``dated``."""
    carried: CarryCheck | None = None
    """For a skjema pre-filled with last round's answers: what the leader did with them."""

    def sender(self) -> tuple[str, str, str]:
        """(HF, unit, period): as validated when the file is usable, else as typed.

        So a rejected skjema still counts as submitted by its unit for its round.
        """
        if self.submission is not None:
            meta = self.submission.meta
            return meta.hf, meta.unit, meta.period
        return self.meta.get("hf", ""), self.meta.get("unit", ""), self.meta.get("period", "")


@dataclass(frozen=True, slots=True, kw_only=True)
class CarryCheck:
    """A returned pre-filled skjema: how many answers were carried in, and how many changed.

    Confirmation is per skjema: a leader who changed an answer or the Dato has gone through it,
    and the answers left as they were are confirmed; with neither, every carried answer is
    untouched.
    """

    from_period: str
    carried: int
    changed: int
    date_changed: bool

    @property
    def touched(self) -> bool:
        """The leader changed a carried answer or the Dato."""
        return self.changed > 0 or self.date_changed

    @property
    def confirmed(self) -> int:
        """Carried answers gone through: kept as they were or changed."""
        return self.carried if self.touched else 0

    @property
    def kept(self) -> int:
        """Confirmed answers the leader left as they were («bekreftet uendret»)."""
        return self.confirmed - self.changed

    @property
    def untouched(self) -> int:
        """Carried answers returned as they were sent, with nothing in the skjema changed."""
        return self.carried - self.confirmed


@dataclass(frozen=True, slots=True)
class OpenDue:
    """A frist on a row that is not implemented: passed or not depends on the day asked.

    Kept beside the findings so a report (cached, see intake.py) is the same every day.
    """

    due: dt.date
    sheet: str
    cell: str | None
    position: int
    """Index in the undated findings where «due-in-past» goes, so findings keep row order."""
    requirement: str = ""
    """The requirement whose frist it is, named in the finding."""


def overdue(answer: Answer | None, today: dt.date | None) -> bool:
    """The frist is before ``today`` and the requirement is not done.

    One rule for the «due-in-past» finding, the action ranking and the plan's «Frist passert».
    """
    if answer is None or today is None or answer.due is None:
        return False
    return answer.due < today and answer.unfinished
