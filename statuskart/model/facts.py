"""Facts the pages and the downloads both show, derived once from the report model.

What a quality adviser chases in a group, a unit's sections, where its plan lies, why an action
ranks where it does: the templates call these, and the download writers use the same ones, so a
page and a workbook never disagree. No rendering and no I/O here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from statuskart.catalog.changes import CatalogueDiff, VersionChange, version_history
from statuskart.catalog.model import Catalogue
from statuskart.core.identity import name_key
from statuskart.model.hf_scope import HfScope
from statuskart.model.views import GroupView, ReportModel, UnitView
from statuskart.score.actions import Action
from statuskart.score.scoring import PhaseScore, RequirementResult

PRIORITY_WORDS = {"kritisk": "kritisk krav", "høy": "høyt prioritert krav", "normal": "vanlig krav"}


def plain_reason(action: Action, catalogue: Catalogue | None) -> str:
    """Why an action ranks where it does, in a leader's words: «kritisk krav, ikke startet, …»."""
    parts = []
    req = catalogue.by_id.get(action.requirement_id) if catalogue else None
    if req is not None:
        parts.append(PRIORITY_WORDS.get(req.priority, f"prioritet {req.priority}"))
    parts.append((action.status or "ubesvart").lower())
    if action.overdue:
        parts.append("fristen er passert")
    if action.risk == "høy":
        parts.append("høy risiko")
    if action.blocks:
        parts.append("andre krav bygger på det (" + ", ".join(action.blocks[:3]) + ")")
    return ", ".join(parts)


def plan_path(unit: UnitView) -> str:
    """Where a unit's action-plan workbook is inside the site (action_plan.py writes it)."""
    return f"nedlastinger/tiltaksplan/{unit.slug}.xlsx"


def catalogue_of(model: ReportModel, pathway: str, version: str | None = None) -> Catalogue | None:
    """The catalogue a unit was scored against: its stamped version when loaded, else current."""
    current = next((c for c in model.catalogues if c.id == pathway), None)
    return current.version_of(version) or current if current else None


def hf_scopes_of(model: ReportModel, hf: str, pathway: str | None = None) -> list[HfScope]:
    """The HF rows of one HF (and pathway), with who answers them for the HF."""
    return [
        s
        for s in model.hf_scopes
        if name_key(s.hf) == name_key(hf) and pathway in (None, s.pathway)
    ]


def hf_implemented(scopes: Sequence[HfScope], requirement_id: str) -> list[HfScope]:
    """HF rows whose answering unit reports the requirement as implemented («Lær av andre»)."""
    found = []
    for scope in scopes:
        answer = scope.answer(requirement_id)
        if answer and answer.implemented:
            found.append(scope)
    return found


def requirement_history(
    catalogue: Catalogue, requirement_id: str
) -> list[tuple[CatalogueDiff, VersionChange]]:
    """(versions, change) for every change to one requirement across the loaded versions."""
    return [(d, c) for d in version_history(catalogue) for c in d.for_requirement(requirement_id)]


def results_by_phase(
    results: Sequence[RequirementResult], catalogue: Catalogue | None
) -> list[tuple[str, list[RequirementResult]]]:
    """(phase title, applicable results) in catalogue order, for the unit's full list."""
    groups: dict[str, list[RequirementResult]] = {}
    for r in results:
        if r.applicable:
            groups.setdefault(r.phase, []).append(r)
    return [(catalogue.phase_title(p) if catalogue else p, rows) for p, rows in groups.items()]


class FollowUp(NamedTuple):
    """What a quality adviser chases in an HF or RHF (internal build only)."""

    overdue: list[tuple[UnitView, Action]]
    no_owner: list[tuple[UnitView, Action]]
    not_started: list[tuple[str, str, int]]
    """(requirement id, title, units it applies to) that no unit in the group has started."""


def follow_up(group: GroupView) -> FollowUp:
    """Passed frister, plans without an owner, and requirements nobody in the group has started."""
    overdue = [(u, a) for u in group.units for a in u.score.actions if a.overdue]
    no_owner = [(u, a) for u in group.units for a in u.score.actions if a.own_plan and a.no_owner]
    started: dict[str, bool] = {}
    applies: dict[str, int] = {}
    titles: dict[str, str] = {
        a.requirement_id: a.title for u in group.units for a in u.score.actions
    }
    for u in group.units:
        for r in u.score.results:
            if not r.applicable or r.status is None:
                continue
            applies[r.requirement_id] = applies.get(r.requirement_id, 0) + 1
            begun = r.points is None or r.points > 0  # «Ikke aktuelt» is not «not started»
            started[r.requirement_id] = started.get(r.requirement_id, False) or begun
    not_started = [
        (rid, titles.get(rid, ""), applies[rid]) for rid, begun in started.items() if not begun
    ]
    return FollowUp(overdue, no_owner, not_started)


def phase_rows(phases: Sequence[PhaseScore]) -> list[tuple[str, float | None]]:
    """(phase title, score) rows for a bar chart."""
    return [(p.title, p.score) for p in phases]


def type_rows(units: Sequence[UnitView]) -> list[tuple[str, list[float]]]:
    """(unit type, complete units' scores), for the comparison page."""
    rows: dict[str, list[float]] = {}
    for u in units:
        key = u.score.unit.unit_type or "ukjent"
        rows.setdefault(key, [])
        if u.score.complete and u.score.score is not None:
            rows[key].append(u.score.score)
    return sorted(rows.items())


def result_is(result: RequirementResult, kind: str) -> bool:
    """Sort a unit's results into «partial», «done» and «na» sections."""
    if kind == "na":
        return result.status is not None and result.points is None
    if result.points is None:
        return False
    return result.points == 1 if kind == "done" else 0 < result.points < 1


def score_rows(groups: Sequence[GroupView], min_group: int = 0) -> list[tuple[str, list[float]]]:
    """(group name, complete units' scores) for strip plots.

    With ``min_group``, a group with fewer complete units shows no dots and says «få enheter»,
    as the tables do: a lone dot would be that unit's own score.
    """
    rows: list[tuple[str, list[float]]] = []
    for g in groups:
        values = [u.score.score for u in g.units if u.score.complete and u.score.score is not None]
        if len(values) < min_group:
            rows.append((f"{g.name} (få enheter, n = {len(values)})", []))
        else:
            rows.append((g.name, values))
    return rows
