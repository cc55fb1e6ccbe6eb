"""Rounds over time: trends per unit and group, and what changed since the previous round.

Input: every round's UnitScores (the build keeps them all; no history file). Output: frozen
trend points and diffs. Trends only join rounds scored with the same catalogue version. No I/O.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from statuskart.core.identity import UnitKey
from statuskart.score.scoring import RequirementResult, UnitScore

BETTER, WORSE = "bedre", "dårligere"
NEW_NA, NA_ENDED = "ny «Ikke aktuelt»", "ikke lenger «Ikke aktuelt»"
NEW_REQ, REMOVED_REQ = "nytt krav", "fjernet krav"
NOW_BLANK, NOW_ANSWERED = "ubesvart nå", "besvart nå"
CHANGE_KINDS = (WORSE, NOW_BLANK, BETTER, NOW_ANSWERED, NEW_NA, NA_ENDED, NEW_REQ, REMOVED_REQ)
"""Display order: what needs attention first."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TrendPoint:
    """One round of a unit or group."""

    period: str
    score: float | None
    """Unit score, or the mean of complete unit scores for a group."""
    coverage: float
    """Unit coverage, or the mean unit coverage for a group."""
    n: int
    """Units behind the point (1 for a unit; complete units for a group)."""
    catalogue: str
    """«id versjon»; several joined with « + » when a group's units used different versions."""
    change: float | None = None
    """Like for like: mean score change of the units complete in both this round and the one
    before (None for the first round, or when no unit was)."""
    paired: int = 0
    """Units behind ``change``."""
    came: int = 0
    """Units with a skjema this round but not the round before."""
    went: int = 0
    """Units with a skjema the round before but not this round."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementChange:
    """One requirement whose answer moved between two rounds."""

    requirement_id: str
    kind: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class DueCheck:
    """A tiltak planned in the previous round with its frist before this round's skjema."""

    requirement_id: str
    action: str | None
    owner: str | None
    due: dt.date
    before: str | None
    after: str | None
    moved: bool
    """True when the status improved."""


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitDiff:
    """«Hva har endret seg» for a unit: previous round → current round."""

    previous: str
    current: str
    changes: tuple[RequirementChange, ...]
    unchanged: int
    due_between: tuple[DueCheck, ...]
    catalogue_before: str
    catalogue_after: str

    @property
    def catalogue_changed(self) -> bool:
        return self.catalogue_before != self.catalogue_after

    def of_kind(self, kind: str) -> tuple[RequirementChange, ...]:
        return tuple(c for c in self.changes if c.kind == kind)


def catalogue_label(score: UnitScore) -> str:
    """«tsb 2023.1»: what a round was scored against."""
    return f"{score.unit.pathway} {score.unit.catalogue_version}"


def unit_trend(rounds: Sequence[UnitScore]) -> tuple[TrendPoint, ...]:
    """A unit's rounds, oldest first."""
    return tuple(
        TrendPoint(
            period=s.unit.period,
            score=s.score if s.complete else None,
            coverage=s.coverage,
            n=1,
            catalogue=catalogue_label(s),
        )
        for s in rounds
    )


def group_trend(scores: Iterable[UnitScore], periods: Sequence[str]) -> tuple[TrendPoint, ...]:
    """Mean of unit scores per round (not pooled answers), like the group statistics.

    Each round after the first also gets the like-for-like change: the mean change of the units
    that were complete in both rounds, and how many units came and went, so a trend that moves
    because the units changed is told apart from one that moves because the units did.
    """
    by_period: dict[str, list[UnitScore]] = {p: [] for p in periods}
    for s in scores:
        by_period.setdefault(s.unit.period, []).append(s)
    points = []
    previous: dict[UnitKey, UnitScore] | None = None
    for period in periods:
        members = by_period[period]
        if not members:
            continue
        complete = [s.score for s in members if s.complete and s.score is not None]
        keyed = {s.key: s for s in members}
        change, paired, came, went = None, 0, 0, 0
        if previous is not None:
            deltas = [
                s.score - before.score
                for key, s in keyed.items()
                if (before := previous.get(key)) is not None
                and s.complete
                and before.complete
                and s.score is not None
                and before.score is not None
            ]
            change = statistics.fmean(deltas) if deltas else None
            paired = len(deltas)
            came = len(keyed.keys() - previous.keys())
            went = len(previous.keys() - keyed.keys())
        points.append(
            TrendPoint(
                period=period,
                score=statistics.fmean(complete) if complete else None,
                coverage=statistics.fmean(s.coverage for s in members),
                n=len(complete),
                catalogue=" + ".join(sorted({catalogue_label(s) for s in members})),
                change=change,
                paired=paired,
                came=came,
                went=went,
            )
        )
        previous = keyed
    return tuple(points)


def comparable_segments(points: Sequence[TrendPoint]) -> tuple[tuple[TrendPoint, ...], ...]:
    """Consecutive rounds with the same catalogue version: only these are joined by a line."""
    segments: list[list[TrendPoint]] = []
    for point in points:
        if segments and segments[-1][-1].catalogue == point.catalogue:
            segments[-1].append(point)
        else:
            segments.append([point])
    return tuple(tuple(s) for s in segments)


def compare_units(previous: UnitScore, current: UnitScore) -> UnitDiff:
    """Requirement by requirement, what moved between two rounds of the same unit."""
    before = {r.requirement_id: r for r in previous.results}
    after = {r.requirement_id: r for r in current.results}
    changes: list[RequirementChange] = []
    unchanged = 0
    for rid in [*after, *(r for r in before if r not in after)]:
        kind = _change_kind(before.get(rid), after.get(rid))
        if kind is None:
            unchanged += 1
            continue
        changes.append(
            RequirementChange(
                requirement_id=rid,
                kind=kind,
                before=_shown(before.get(rid)),
                after=_shown(after.get(rid)),
            )
        )
    changes.sort(key=lambda c: (CHANGE_KINDS.index(c.kind), c.requirement_id))
    return UnitDiff(
        previous=previous.unit.period,
        current=current.unit.period,
        changes=tuple(changes),
        unchanged=unchanged,
        due_between=_due_between(previous, current),
        catalogue_before=catalogue_label(previous),
        catalogue_after=catalogue_label(current),
    )


def _shown(result: RequirementResult | None) -> str | None:
    if result is None or not result.applicable:
        return None
    return result.status


def _change_kind(old: RequirementResult | None, new: RequirementResult | None) -> str | None:
    if old is None or not old.applicable:
        return NEW_REQ if new is not None and new.applicable else None
    if new is None or not new.applicable:
        return REMOVED_REQ
    if old.status == new.status:
        return None
    if new.status is None:
        return NOW_BLANK
    if old.status is None:
        return NOW_ANSWERED
    if new.points is None:  # points None = «Ikke aktuelt» on the scale
        return NEW_NA
    if old.points is None:
        return NA_ENDED
    if new.points > old.points:
        return BETTER
    if new.points < old.points:
        return WORSE
    return None  # a relabelled status with the same points is no change


def _due_between(previous: UnitScore, current: UnitScore) -> tuple[DueCheck, ...]:
    """Tiltak planned last round whose frist fell between the two skjema dates."""
    after = {r.requirement_id: r for r in current.results}
    start, end = previous.unit.date, current.unit.date
    checks = []
    for a in previous.results:
        new = after.get(a.requirement_id)
        if a.due is None or new is None:
            continue
        if (start is not None and a.due < start) or (end is not None and a.due > end):
            continue
        old_points = a.points if a.points is not None else 0.0
        checks.append(
            DueCheck(
                requirement_id=a.requirement_id,
                action=a.action,
                owner=a.owner,
                due=a.due,
                before=a.status,
                after=new.status,
                moved=new.points is not None and new.points > old_points,
            )
        )
    return tuple(sorted(checks, key=lambda c: (c.moved, c.due, c.requirement_id)))
