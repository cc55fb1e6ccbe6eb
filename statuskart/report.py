"""Report stage: FileReports + UnitScores → ReportModel (groups, distributions, peer learning).

Aggregates upward as the mean of unit scores, suppresses groups below the minimum size in
comparisons, and keeps every input file in view. No I/O, no rendering.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from statuskart.catalog.model import Catalogue, Requirement
from statuskart.registry import RoundTracking
from statuskart.rounds import TrendPoint, UnitDiff, compare_units, group_trend, unit_trend
from statuskart.scoring import (
    GroupStats,
    RequirementResult,
    ScoringSettings,
    UnitScore,
    group_stats,
    progress,
)
from statuskart.validation import FileReport


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitView:
    """A unit's page: its latest score, earlier rounds and provenance."""

    slug: str
    score: UnitScore
    trend: tuple[TrendPoint, ...]
    """Every round the unit answered, oldest first."""
    diff: UnitDiff | None
    """What changed since the unit's previous round, if it has one."""
    baseline: float | None
    progress: float | None
    hf_slug: str
    file: FileReport | None


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupView:
    """An HF/institution or an RHF and its units in the current round."""

    slug: str
    name: str
    kind: str
    """«hf» or «rhf»."""
    rhf: str
    units: tuple[UnitView, ...]
    stats: GroupStats
    phase_means: tuple[tuple[str, float | None, int], ...]
    """(phase title, mean of unit phase scores, n)."""
    weakest: tuple[tuple[Requirement, int, int], ...]
    """Requirements most often not implemented: (requirement, units not implemented, units)."""
    trend: tuple[TrendPoint, ...] = ()
    """The group's mean unit score per round."""
    children: tuple[str, ...] = ()
    """HF slugs of an RHF."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementView:
    """One requirement across the units in the current round."""

    slug: str
    requirement: Requirement
    catalogue: Catalogue
    counts: tuple[tuple[str, int], ...]
    """(status label or «Ubesvart», units), in scale order."""
    applicable_units: int
    implemented_by: tuple[UnitView, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportModel:
    """Everything the pages show."""

    period: str
    periods: tuple[str, ...]
    build_date: dt.date
    statuskart_version: str
    method_version: str
    settings: ScoringSettings
    min_group: int
    units: tuple[UnitView, ...]
    hfs: tuple[GroupView, ...]
    rhfs: tuple[GroupView, ...]
    overall: GroupStats
    requirements: tuple[RequirementView, ...]
    files: tuple[FileReport, ...]
    catalogues: tuple[Catalogue, ...]
    catalogue_versions: tuple[str, ...]
    """Distinct catalogue versions used in the current round; more than one warrants a warning."""
    trend: tuple[TrendPoint, ...] = ()
    """All units' mean score per round."""
    rounds: tuple[RoundSummary, ...] = ()
    """Every round seen in the input, including rounds without a usable file."""
    absent: tuple[UnitScore, ...] = ()
    """Units that answered an earlier round but have no usable skjema in the current one."""
    tracking: tuple[RoundTracking, ...] = ()
    """Submission tracking per round and HF, when a registry of expected units is given."""
    registry_source: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RoundSummary:
    """One round's submissions: files, rejected files and units scored."""

    period: str
    files: int
    rejected: int
    units: int


def slugify(text: str) -> str:
    """URL-safe ASCII slug; Norwegian letters transliterated."""
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})
    return re.sub(r"[^a-z0-9]+", "-", text.translate(table).lower()).strip("-") or "x"


def period_key(period: str) -> tuple[str, ...]:
    """Sort key for periods like 2025-T3 < 2026-T1 (plain text sort works for ÅÅÅÅ-Tn)."""
    return (period,)


def build_report(
    files: Sequence[FileReport],
    scores: Sequence[UnitScore],
    catalogues: Mapping[str, Catalogue],
    *,
    build_date: dt.date,
    version: str,
    method_version: str,
    settings: ScoringSettings | None = None,
    min_group: int = 3,
    empty_rounds: Sequence[str] = (),
) -> ReportModel:
    """Assemble the report model from what validation and scoring returned.

    ``empty_rounds`` are periods known to exist (e.g. an empty period folder) but without files.
    """
    settings = settings or ScoringSettings()
    periods = tuple(sorted({s.submission.meta.period for s in scores}, key=period_key))
    current = periods[-1] if periods else ""
    by_unit: dict[tuple[str, str, str], list[UnitScore]] = defaultdict(list)
    for s in scores:
        by_unit[s.key].append(s)
    by_path = {f.path: f for f in files}
    units = []
    absent = []
    for key, rounds in by_unit.items():
        rounds.sort(key=lambda s: period_key(s.submission.meta.period))
        latest = rounds[-1]
        if latest.submission.meta.period != current:
            absent.append(latest)
            continue
        baseline = rounds[0].score if len(rounds) > 1 else None
        meta = latest.submission.meta
        units.append(
            UnitView(
                slug=slugify(f"{meta.hf}-{meta.unit}-{key[2]}"),
                score=latest,
                trend=unit_trend(rounds),
                diff=compare_units(rounds[-2], latest) if len(rounds) > 1 else None,
                baseline=baseline,
                progress=progress(latest.score, baseline, meta.target),
                hf_slug=slugify(meta.hf),
                file=by_path.get(latest.submission.path),
            )
        )
    units.sort(key=lambda u: (u.score.submission.meta.hf, u.score.submission.meta.unit))
    hfs = _groups(units, "hf", settings, catalogues, scores, periods)
    rhfs = _groups(units, "rhf", settings, catalogues, scores, periods, hfs)
    used = sorted({s.score.submission.catalogue_id for s in units}) or sorted(catalogues)[:1]
    return ReportModel(
        period=current,
        periods=periods,
        build_date=build_date,
        statuskart_version=version,
        method_version=method_version,
        settings=settings,
        min_group=min_group,
        units=tuple(units),
        hfs=hfs,
        rhfs=rhfs,
        overall=group_stats([u.score for u in units], settings),
        requirements=_requirement_views(used, catalogues, units),
        files=tuple(files),
        catalogues=tuple(catalogues[c] for c in used),
        catalogue_versions=tuple(
            sorted(
                {
                    f"{u.score.submission.catalogue_id} {u.score.submission.catalogue_version}"
                    for u in units
                }
            )
        ),
        trend=group_trend(scores, periods),
        rounds=_round_summaries(files, scores, empty_rounds),
        absent=tuple(sorted(absent, key=lambda s: (s.submission.meta.hf, s.submission.meta.unit))),
    )


def _round_summaries(
    files: Sequence[FileReport], scores: Sequence[UnitScore], empty: Sequence[str]
) -> tuple[RoundSummary, ...]:
    file_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for f in files:
        period = f.submission.meta.period if f.submission else f.meta.get("period", "")
        entry = file_counts[period or "ukjent"]
        entry[0] += 1
        entry[1] += int(f.status == "rejected")
    unit_counts: dict[str, int] = defaultdict(int)
    for s in scores:
        unit_counts[s.submission.meta.period] += 1
    for period in empty:
        file_counts.setdefault(period, [0, 0])
    return tuple(
        RoundSummary(period=p, files=c[0], rejected=c[1], units=unit_counts[p])
        for p, c in sorted(file_counts.items(), key=lambda kv: period_key(kv[0]))
    )


def _groups(
    units: list[UnitView],
    kind: str,
    settings: ScoringSettings,
    catalogues: Mapping[str, Catalogue],
    all_rounds: Sequence[UnitScore],
    periods: Sequence[str],
    hfs: tuple[GroupView, ...] = (),
) -> tuple[GroupView, ...]:
    members: dict[str, list[UnitView]] = defaultdict(list)
    for u in units:
        members[_group_name(u.score, kind)].append(u)
    history: dict[str, list[UnitScore]] = defaultdict(list)  # one pass, not one per group
    for s in all_rounds:
        history[_group_name(s, kind)].append(s)
    children: dict[str, tuple[str, ...]] = defaultdict(tuple)
    for h in hfs:
        children[h.rhf] += (h.slug,)
    out = []
    for name in sorted(members):
        group = members[name]
        rhf = group[0].score.submission.meta.rhf
        out.append(
            GroupView(
                slug=slugify(name),
                name=name,
                kind=kind,
                rhf=rhf,
                units=tuple(group),
                stats=group_stats([u.score for u in group], settings),
                phase_means=_phase_means(group),
                weakest=_weakest(group, catalogues),
                trend=group_trend(history[name], periods),
                children=children.get(name, ()),
            )
        )
    return tuple(out)


def _group_name(score: UnitScore, kind: str) -> str:
    meta = score.submission.meta
    return meta.hf if kind == "hf" else meta.rhf


def _phase_means(units: Sequence[UnitView]) -> tuple[tuple[str, float | None, int], ...]:
    values: dict[str, list[float]] = defaultdict(list)
    titles: list[str] = []
    for u in units:
        for p in u.score.phases:
            if p.title not in titles:
                titles.append(p.title)
            if p.score is not None and u.score.complete:
                values[p.title].append(p.score)
    return tuple(
        (t, sum(values[t]) / len(values[t]) if values[t] else None, len(values[t])) for t in titles
    )


def _weakest(
    units: Sequence[UnitView], catalogues: Mapping[str, Catalogue], limit: int = 5
) -> tuple[tuple[Requirement, int, int], ...]:
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for u in units:
        for r in u.score.results:
            if r.counted:
                entry = counts[(u.score.submission.catalogue_id, r.requirement_id)]
                entry[1] += 1
                entry[0] += int((r.points or 0) < 1)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1][0] / kv[1][1], kv[0]))
    return tuple(
        (catalogues[c].by_id[rid], n, total) for (c, rid), (n, total) in ranked[:limit] if n > 0
    )


def _requirement_views(
    used: Sequence[str], catalogues: Mapping[str, Catalogue], units: Sequence[UnitView]
) -> tuple[RequirementView, ...]:
    # Each unit's results by requirement id, built once: a scan per (requirement, unit) pair
    # made this stage grow with units × requirements².
    results = [(u, {r.requirement_id: r for r in u.score.results}) for u in units]
    views = []
    for cid in used:
        relevant = [(u, by_id) for u, by_id in results if u.score.submission.catalogue_id == cid]
        views += [
            _requirement_view(req, catalogues[cid], relevant)
            for req in catalogues[cid].requirements
        ]
    return tuple(views)


def _requirement_view(
    req: Requirement,
    catalogue: Catalogue,
    relevant: Sequence[tuple[UnitView, Mapping[str, RequirementResult]]],
) -> RequirementView:
    statuses: dict[str, int] = defaultdict(int)
    implemented = []
    applicable = 0
    for u, by_id in relevant:
        result = by_id[req.id]
        if not result.applicable:
            continue
        applicable += 1
        statuses[result.status or "Ubesvart"] += 1
        if result.points == 1:
            implemented.append(u)
    order = [*catalogue.scale.labels, "Ubesvart"]
    return RequirementView(
        slug=slugify(req.id),
        requirement=req,
        catalogue=catalogue,
        counts=tuple((label, statuses[label]) for label in order),
        applicable_units=applicable,
        implemented_by=tuple(implemented),
    )
