"""Report stage: FileReports + UnitScores → ReportModel (groups, distributions, peer learning).

Aggregates upward as the mean of unit scores, suppresses groups below the minimum size in
comparisons, and keeps every input file in view. No I/O, no rendering.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from statuskart.catalog.changes import round_changes
from statuskart.catalog.model import Catalogue, Requirement
from statuskart.core.identity import UnitKey, canonical_period, name_key, page_names, period_key
from statuskart.model.audience import Audience
from statuskart.model.comparison import heatmaps, peer_medians, unit_phase_rows
from statuskart.model.hf_scope import HfScope, hf_scopes, hf_status_counts, without_other_units
from statuskart.model.views import GroupView, ReportModel, RequirementView, RoundSummary, UnitView
from statuskart.score.rounds import compare_units, group_trend, unit_trend
from statuskart.score.scoring import (
    RequirementResult,
    ScoringSettings,
    UnitScore,
    group_stats,
    progress,
)
from statuskart.validate.expected_units import RoundTracking
from statuskart.validate.model import FileReport, LocalRequirement


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
    audience: Audience | None = None,
    tracking: tuple[RoundTracking, ...] = (),
    registry_source: str = "",
    peer_scores: Sequence[UnitScore] | None = None,
    hf_designations: Mapping[str, tuple[str, ...]] | None = None,
) -> ReportModel:
    """Assemble the report model from what validation and scoring returned.

    ``empty_rounds`` are periods known to exist (e.g. an empty period folder) but without files.
    ``hf_designations``: HF name key → units the register marks to answer the HF rows.
    """
    settings = settings or ScoringSettings()
    peers = peer_medians(scores if peer_scores is None else peer_scores)
    periods = tuple(sorted({s.unit.period for s in scores}, key=period_key))
    current = periods[-1] if periods else ""
    by_unit: dict[UnitKey, list[UnitScore]] = defaultdict(list)
    for s in scores:
        by_unit[s.key].append(s)
    for rounds in by_unit.values():
        rounds.sort(key=lambda s: period_key(s.unit.period))
    unit_pages = page_names(
        (k, f"{r[-1].unit.hf}-{r[-1].unit.unit}-{k.pathway}") for k, r in by_unit.items()
    )
    hf_names = group_names(scores, "hf")
    hf_pages = page_names((k, name) for k, name in hf_names.items())
    by_path = {f.path: f for f in files}
    units: list[UnitView] = []
    absent = []
    absent_units: list[UnitView] = []
    for key, rounds in by_unit.items():
        latest = rounds[-1]
        is_current = latest.unit.period == current
        if not is_current:
            absent.append(latest)
        baseline = rounds[0].score if len(rounds) > 1 else None
        meta = latest.unit
        (units if is_current else absent_units).append(
            UnitView(
                slug=unit_pages[key],
                score=latest,
                trend=unit_trend(rounds),
                diff=compare_units(rounds[-2], latest) if len(rounds) > 1 else None,
                baseline=baseline,
                progress=progress(latest.score, baseline, meta.target),
                hf_slug=hf_pages[name_key(meta.hf)],
                file=by_path.get(latest.unit.path),
                local=_local(by_path.get(latest.unit.path)),
                phases=unit_phase_rows(latest, rounds[-2] if len(rounds) > 1 else None, peers),
                version_changes=round_changes(
                    catalogues[key.pathway], [s.unit.catalogue_version for s in rounds[-2:]]
                ),
                current=is_current,
            )
        )
    units.sort(key=lambda u: (u.score.key, u.score.unit.unit))
    absent_units.sort(key=lambda u: (u.score.unit.hf, u.score.unit.unit))
    hfs = _groups(units, "hf", settings, catalogues, scores, periods)
    rhfs = _groups(units, "rhf", settings, catalogues, scores, periods, hfs)
    used = sorted({s.score.unit.pathway for s in units}) or sorted(catalogues)[:1]
    scopes = hf_scopes([u.score for u in units], catalogues, hf_designations)
    if audience is not None and audience.unit:  # a one-unit report names no other unit
        scopes = tuple(without_other_units(sc) for sc in scopes)
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
        requirements=_requirement_views(used, catalogues, units, scopes),
        files=tuple(files),
        catalogues=tuple(catalogues[c] for c in used),
        catalogue_versions=tuple(
            sorted({f"{u.score.unit.pathway} {u.score.unit.catalogue_version}" for u in units})
        ),
        trend=group_trend(scores, periods),
        rounds=_round_summaries(files, scores, empty_rounds),
        absent=tuple(sorted(absent, key=lambda s: (s.unit.hf, s.unit.unit))),
        absent_units=tuple(absent_units),
        tracking=tracking,
        registry_source=registry_source,
        audience=audience.name if audience else "intern",
        history=tuple(scores),
        heatmaps=heatmaps([u.score for u in units], catalogues, min_group),
        audience_note=audience.note if audience else "",
        shows_text=audience.shows_text if audience else True,
        hf_scopes=scopes,
    )


def file_period(report: FileReport) -> str:
    """The round a file belongs to: its skjema's period, or as typed on a rejected file."""
    period = report.sender()[2]
    return canonical_period(period) or period or "ukjent"


def round_periods(files: Sequence[FileReport], empty: Sequence[str] = ()) -> tuple[str, ...]:
    """Every round seen in the input, oldest first, including rounds without a usable file."""
    return tuple(sorted({*(file_period(f) for f in files), *empty}, key=period_key))


def _round_summaries(
    files: Sequence[FileReport], scores: Sequence[UnitScore], empty: Sequence[str]
) -> tuple[RoundSummary, ...]:
    file_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for f in files:
        entry = file_counts[file_period(f)]
        entry[0] += 1
        entry[1] += int(f.status == "rejected")
    unit_counts: dict[str, int] = defaultdict(int)
    for s in scores:
        unit_counts[s.unit.period] += 1
    return tuple(
        RoundSummary(
            period=p, files=file_counts[p][0], rejected=file_counts[p][1], units=unit_counts[p]
        )
        for p in round_periods(files, empty)
    )


def group_names(scores: Sequence[UnitScore], kind: str) -> dict[str, str]:
    """Group identity («hf» or «rhf» name key) → the spelling most units use (ties: first)."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for s in scores:
        name = _group_name(s, kind)
        spellings[name_key(name)][name] += 1
    return {k: min(c, key=lambda n: (-c[n], n)) for k, c in spellings.items()}


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
        members[name_key(_group_name(u.score, kind))].append(u)
    names = group_names(all_rounds, kind)
    pages = page_names((k, names[k]) for k in names)
    history: dict[str, list[UnitScore]] = defaultdict(list)
    for s in all_rounds:
        history[name_key(_group_name(s, kind))].append(s)
    out = []
    for key in sorted(members, key=lambda k: names[k]):
        group = members[key]
        rhf = group[0].score.unit.rhf
        out.append(
            GroupView(
                slug=pages[key],
                name=names[key],
                kind=kind,
                rhf=rhf,
                units=tuple(group),
                stats=group_stats([u.score for u in group], settings),
                phase_means=_phase_means(group),
                weakest=_weakest(group, catalogues),
                trend=group_trend(history[key], periods),
                children=tuple(h.slug for h in hfs if name_key(h.rhf) == key),
            )
        )
    return tuple(out)


def _group_name(score: UnitScore, kind: str) -> str:
    meta = score.unit
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
            if r.counted and r.requirement_id in catalogues[u.score.unit.pathway].by_id:
                entry = counts[(u.score.unit.pathway, r.requirement_id)]
                entry[1] += 1
                entry[0] += int((r.points or 0) < 1)

    def rank(item: tuple[tuple[str, str], list[int]]) -> tuple[float, float]:
        (c, rid), (n, total) = item
        return (-n / total, -catalogues[c].weight(catalogues[c].by_id[rid].priority))

    # Most often missing first; among equal shares the weightier requirement; and every
    # requirement tied with the last one shown is shown too, never cut off by its ID.
    ranked = sorted((kv for kv in counts.items() if kv[1][0] > 0), key=lambda kv: (rank(kv), kv[0]))
    shown = ranked[:limit]
    if shown:
        shown += [kv for kv in ranked[limit:] if rank(kv) == rank(shown[-1])][: limit * 3]
    return tuple((catalogues[c].by_id[rid], n, total) for (c, rid), (n, total) in shown)


def _requirement_views(
    used: Sequence[str],
    catalogues: Mapping[str, Catalogue],
    units: Sequence[UnitView],
    scopes: Sequence[HfScope] = (),
) -> tuple[RequirementView, ...]:
    # Each unit's results by requirement id, built once: a scan per (requirement, unit) pair
    # made this stage grow with units × requirements².
    results = [(u, {r.requirement_id: r for r in u.score.results}) for u in units]
    views = []
    for cid in used:
        relevant = [(u, by_id) for u, by_id in results if u.score.unit.pathway == cid]
        views += [
            _requirement_view(req, catalogues[cid], relevant)
            if not req.hf_scope
            else _hf_requirement_view(req, catalogues[cid], [s for s in scopes if s.pathway == cid])
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
    shares = []
    applicable = 0
    for u, by_id in relevant:
        result = by_id.get(req.id)
        if result is None or not result.applicable:  # not in the unit's version, or not its type
            continue
        applicable += 1
        statuses[result.status or "Ubesvart"] += 1
        if result.points == 1:
            implemented.append(u)
        if result.share is not None:
            shares.append((u, result.share))
    order = [*catalogue.scale.labels, "Ubesvart"]
    return RequirementView(
        slug=req.id.lower(),
        requirement=req,
        catalogue=catalogue,
        counts=tuple((label, statuses[label]) for label in order),
        applicable_units=applicable,
        implemented_by=tuple(implemented),
        implemented=len(implemented),
        shares=tuple(sorted(shares, key=lambda item: -item[1])),
    )


def _hf_requirement_view(
    req: Requirement, catalogue: Catalogue, scopes: Sequence[HfScope]
) -> RequirementView:
    """An HF row counted once per HF (see hf_scope.py), not once per unit."""
    counts, applicable = hf_status_counts(req.id, catalogue.scale.labels, scopes)
    full = {step.label for step in catalogue.scale.steps if step.points == 1}
    return RequirementView(
        slug=req.id.lower(),
        requirement=req,
        catalogue=catalogue,
        counts=counts,
        applicable_units=applicable,
        implemented_by=(),
        implemented=sum(n for label, n in counts if label in full),
        per="helseforetak",
    )


def _local(file: FileReport | None) -> tuple[LocalRequirement, ...]:
    """The unit's own requirements from the skjema it was scored on."""
    return file.submission.local if file and file.submission else ()
