"""Score stage: Submission × Catalogue → UnitScore, and unit scores → group statistics. No I/O.

Implements the method in templates/method.md.j2 (shown on the site as «Metode»); change both
together.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from statuskart.catalog.model import Catalogue, Requirement
from statuskart.core.identity import UnitKey
from statuskart.score import per_catalogue
from statuskart.score.actions import Action, suggest_actions
from statuskart.score.units import UnitInfo
from statuskart.validate.model import Answer, Submission

METHOD_VERSION = "1.0"
INCOMPLETE = "Ufullstendig"


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoringSettings:
    """Knobs of the method; the defaults are the documented ones."""

    coverage_threshold: float = 0.8
    """Below this share of applicable requirements answered, a unit gets no band
    («Ufullstendig»)."""
    bands: tuple[tuple[float, str], ...] = ((70.0, "Høy"), (40.0, "Middels"), (0.0, "Lav"))
    """(lower bound, label), highest first."""
    floor_priority: str = "kritisk"
    """A unit with a requirement of this priority at «Ikke startet» cannot get the top band."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementResult:
    """How one requirement counted for one unit; enough to explain any number back to its cell."""

    requirement_id: str
    phase: str
    status: str | None
    points: float | None
    weight: float
    applicable: bool
    """False when the requirement does not apply to the unit type, or the HF answers it."""
    counted: bool
    """True when it is in the score's denominator (applicable, answered, not «Ikke aktuelt»)."""
    cell: str | None
    comment: str | None = None
    """The unit's own words (dagens praksis), tiltak, ansvarlig, frist and risiko, as answered;
    None where the unit left them blank or the audience may not see them."""
    action: str | None = None
    owner: str | None = None
    due: dt.date | None = None
    risk: str | None = None
    hf_scope: bool = False
    """True for a requirement the HF answers once (scope: hf): never in the unit's score; the
    unit's answer is kept, since a designated unit's answer is the HF's (hf_scope.py)."""
    share: float | None = None
    """«Andel innen forløpstid» the unit typed, 0–100: shown, never part of the score."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PhaseScore:
    """Score of one phase for one unit."""

    phase: str
    title: str
    score: float | None
    counted: int


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitScore:
    """One unit's result for one round."""

    unit: UnitInfo
    score: float | None
    """0–100, weighted; None when nothing counted."""
    band: str
    """Band label, or «Ufullstendig» below the coverage threshold."""
    complete: bool
    coverage: float
    applicable: int
    answered: int
    not_applicable: int
    unanswered: int
    floor_applied: bool
    """True when the floor rule moved the unit out of the top band."""
    phases: tuple[PhaseScore, ...]
    results: tuple[RequirementResult, ...]
    actions: tuple[Action, ...]

    @property
    def key(self) -> UnitKey:
        """Identifies a unit across files and rounds (see identity.py)."""
        return self.unit.key


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupStats:
    """Distribution of unit scores in a group (HF, RHF, all): mean of unit scores, never pooled."""

    n: int
    """Units with a band (complete coverage)."""
    incomplete: int
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    stdev: float | None
    bands: tuple[tuple[str, int], ...]


def _weighted(results: Iterable[RequirementResult]) -> tuple[float | None, int]:
    counted = [r for r in results if r.counted]
    total = sum(r.weight for r in counted)
    if not counted or total == 0:
        return None, 0
    return 100 * sum(r.weight * (r.points or 0.0) for r in counted) / total, len(counted)


def band_for(score: float, settings: ScoringSettings) -> str:
    """The band a score falls in."""
    for lower, label in settings.bands:
        if score >= lower:
            return label
    return settings.bands[-1][1]


def score_submission(
    submission: Submission,
    catalogue: Catalogue,
    settings: ScoringSettings | None = None,
    reference_date: object = None,
) -> UnitScore:
    """Score one unit: weighted mean of points over answered, applicable requirements."""
    settings = settings or ScoringSettings()
    # Scored against the version the skjema was stamped with when it is loaded, else the one given.
    catalogue = catalogue.version_of(submission.catalogue_version) or catalogue
    unit_type = submission.meta.unit_type
    answers = {a.requirement_id: a for a in submission.answers}
    counted = per_catalogue.counted_ids(catalogue, unit_type)
    weights = per_catalogue.weights(catalogue)
    results = tuple(
        _result(req, answers.get(req.id), req.id in counted, weights[req.priority])
        for req in catalogue.requirements
    )
    applicable = [r for r in results if r.applicable]
    answered = [r for r in applicable if r.status is not None]
    na = sum(1 for r in applicable if r.status is not None and r.points is None)
    coverage = len(answered) / len(applicable) if applicable else 0.0
    score, _ = _weighted(results)
    complete = coverage >= settings.coverage_threshold and score is not None
    floor_applied = False
    if not complete or score is None:
        band = INCOMPLETE
    else:
        band = band_for(score, settings)
        critical_not_started = any(
            r.counted
            and r.points == 0
            and catalogue.by_id[r.requirement_id].priority == settings.floor_priority
            for r in results
        )
        if critical_not_started and band == settings.bands[0][1]:
            band, floor_applied = settings.bands[1][1], True
    phases = tuple(
        PhaseScore(phase=p.id, title=p.title, score=s, counted=n)
        for p in catalogue.phases
        for s, n in [_weighted(r for r in results if r.phase == p.id)]
    )
    return UnitScore(
        unit=UnitInfo.of(submission),
        score=score,
        band=band,
        complete=complete,
        coverage=coverage,
        applicable=len(applicable),
        answered=len(answered),
        not_applicable=na,
        unanswered=len(applicable) - len(answered),
        floor_applied=floor_applied,
        phases=phases,
        results=results,
        actions=suggest_actions(catalogue, submission, reference_date),
    )


def _result(
    req: Requirement, answer: Answer | None, applicable: bool, weight: float
) -> RequirementResult:
    status = answer.status if answer else None
    points = answer.points if answer else None
    return RequirementResult(
        requirement_id=req.id,
        phase=req.phase,
        status=status,
        points=points,
        weight=weight,
        applicable=applicable,
        counted=applicable and status is not None and points is not None,
        cell=answer.cell if answer else None,
        comment=answer.comment if answer else None,
        action=answer.action if answer else None,
        owner=answer.owner if answer else None,
        due=answer.due if answer else None,
        risk=answer.risk if answer else None,
        hf_scope=req.hf_scope,
        share=answer.share if answer else None,
    )


def group_stats(scores: Sequence[UnitScore], settings: ScoringSettings | None = None) -> GroupStats:
    """Statistics over unit scores; incomplete units are counted but not averaged."""
    settings = settings or ScoringSettings()
    values = sorted(s.score for s in scores if s.complete and s.score is not None)
    labels = [label for _, label in settings.bands]
    bands = tuple((label, sum(1 for s in scores if s.band == label)) for label in labels)
    return GroupStats(
        n=len(values),
        incomplete=sum(1 for s in scores if not s.complete),
        mean=statistics.fmean(values) if values else None,
        median=statistics.median(values) if values else None,
        minimum=values[0] if values else None,
        maximum=values[-1] if values else None,
        stdev=statistics.stdev(values) if len(values) > 1 else None,
        bands=(*bands, (INCOMPLETE, sum(1 for s in scores if not s.complete))),
    )


def progress(current: float | None, baseline: float | None, target: float | None) -> float | None:
    """Share of the way from baseline to target: (current − baseline) / (target − baseline)."""
    if current is None or baseline is None or target is None or target <= baseline:
        return None
    return (current - baseline) / (target - baseline)
