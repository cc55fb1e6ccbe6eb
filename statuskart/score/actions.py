"""Suggested actions: every requirement a unit has not implemented, ranked by expected gain.

Gain = weight × remaining gap, raised for high self-reported risk and a passed frist; a requirement
that other suggested actions depend on is always listed before them. No I/O.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass

from statuskart.catalog.model import Catalogue
from statuskart.core.numbers import percent
from statuskart.score import per_catalogue
from statuskart.validate.model import Answer, Submission, overdue

RISK_FACTOR = {"høy": 1.25, "middels": 1.0, "lav": 1.0}
OVERDUE_FACTOR = 1.25


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    """A suggested next step for one requirement, merged with what the unit itself planned."""

    rank: int
    requirement_id: str
    title: str
    status: str | None
    text: str
    """The unit's own planned tiltak, or the catalogue's suggestion when it planned none."""
    suggested: str
    """The catalogue's suggested tiltak, always kept for reference."""
    own_plan: bool
    owner: str | None
    due: dt.date | None
    risk: str | None
    gain: float
    """Expected gain in weighted points (weight × gap × factors)."""
    reason: str
    """Why it ranks where it does, in bokmål."""
    no_owner: bool
    no_due: bool
    overdue: bool
    blocks: tuple[str, ...]
    """Other suggested actions that depend on this one."""


def suggest_actions(
    catalogue: Catalogue, submission: Submission, reference_date: object = None
) -> tuple[Action, ...]:
    """Rank the unit's open requirements; ``reference_date`` decides what is overdue."""
    today = reference_date if isinstance(reference_date, dt.date) else submission.meta.date
    answers = {a.requirement_id: a for a in submission.answers}
    counted = per_catalogue.counted_ids(catalogue, submission.meta.unit_type)
    open_ids = [
        r.id for r in catalogue.requirements if r.id in counted and _is_open(answers.get(r.id))
    ]
    open_set = set(open_ids)
    waiting_on: dict[str, list[str]] = {rid: [] for rid in open_ids}
    for r in catalogue.requirements:  # one pass, not one per requirement: catalogues can be long
        if r.id in open_set:
            for dep in dict.fromkeys(r.depends_on):
                if dep in waiting_on:
                    waiting_on[dep].append(r.id)
    blocks = {rid: tuple(waiting_on[rid]) for rid in open_ids}
    drafts: dict[str, tuple[float, str]] = {}
    for rid in open_ids:
        drafts[rid] = _gain(catalogue, rid, answers.get(rid), today, blocks[rid])
    order = _ordered(catalogue, open_ids, {k: v[0] for k, v in drafts.items()})
    actions = []
    for rank, rid in enumerate(order, start=1):
        req = catalogue.by_id[rid]
        answer = answers.get(rid)
        own = answer.action if answer else None
        due = answer.due if answer else None
        actions.append(
            Action(
                rank=rank,
                requirement_id=rid,
                title=req.title,
                status=answer.status if answer else None,
                text=own or req.action,
                suggested=req.action,
                own_plan=own is not None,
                owner=answer.owner if answer else None,
                due=due,
                risk=answer.risk if answer else None,
                gain=drafts[rid][0],
                reason=drafts[rid][1],
                no_owner=not (answer and answer.owner),
                no_due=due is None,
                overdue=overdue(answer, today),
                blocks=blocks[rid],
            )
        )
    return tuple(actions)


def day_signature(submission: Submission, reference_date: object) -> tuple[bool, ...]:
    """All the ranking reads of the day: for each answer with a frist, whether it has passed.

    ``suggest_actions`` uses the day only through ``due < today`` (``overdue`` and ``_gain``),
    and scoring uses it only here, so two days with the same signature give the same UnitScore
    (score/ahead.py relies on this: keep it so when the day is used for anything else).
    """
    today = reference_date if isinstance(reference_date, dt.date) else submission.meta.date
    if not isinstance(today, dt.date):
        return ()
    return tuple(a.due < today for a in submission.answers if a.due is not None)


def _is_open(answer: Answer | None) -> bool:
    if answer is None or answer.status is None:
        return True
    return answer.points is not None and answer.points < 1


def _gain(
    catalogue: Catalogue, rid: str, answer: Answer | None, today: object, blocks: tuple[str, ...]
) -> tuple[float, str]:
    req = catalogue.by_id[rid]
    weight = per_catalogue.weights(catalogue)[req.priority]
    gap = 1.0 - (answer.points or 0.0) if answer and answer.points is not None else 1.0
    gain = weight * gap
    reasons = [f"prioritet {req.priority} (vekt {weight:g}) × gjenstår {percent(gap)}"]
    if answer is None or answer.status is None:
        reasons.append("status mangler")
    if answer and answer.risk == "høy":
        gain *= RISK_FACTOR["høy"]
        reasons.append("høy risiko")
    if answer and answer.due and isinstance(today, dt.date) and answer.due < today:
        gain *= OVERDUE_FACTOR
        reasons.append("fristen er passert")
    if blocks:
        reasons.append("må på plass før " + ", ".join(blocks))
    return round(gain, 3), "; ".join(reasons)


def _ordered(catalogue: Catalogue, ids: list[str], gain: dict[str, float]) -> list[str]:
    """Highest gain first, but never before an open requirement it depends on (Kahn + heap)."""
    index = {rid: i for i, rid in enumerate(ids)}
    deps = {rid: [d for d in catalogue.by_id[rid].depends_on if d in index] for rid in ids}
    waiting = {rid: len(d) for rid, d in deps.items()}
    dependents: dict[str, list[str]] = {rid: [] for rid in ids}
    for rid, ds in deps.items():
        for d in ds:
            dependents[d].append(rid)
    # An enabler inherits the best gain of what waits for it, so it is not buried below it.
    effective = dict(gain)
    for rid in reversed(_topological(catalogue, ids, deps)):
        for child in dependents[rid]:
            effective[rid] = max(effective[rid], effective[child])
    heap = [(-effective[r], index[r], r) for r in ids if waiting[r] == 0]
    heapq.heapify(heap)
    out = []
    while heap:
        _, _, rid = heapq.heappop(heap)
        out.append(rid)
        for child in dependents[rid]:
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(heap, (-effective[child], index[child], child))
    return out


def _topological(catalogue: Catalogue, ids: list[str], deps: dict[str, list[str]]) -> list[str]:
    """``ids`` with each after the ones it depends on.

    The catalogue's own order restricted to ``ids`` is one (an edge between two of them is an
    edge of the catalogue), and what ``_ordered`` does with it is the same for any such order.
    """
    full = per_catalogue.dependency_order(catalogue)
    if full is None:  # a cycle (the loader refuses those): sort only what is open
        return per_catalogue.topological(ids, deps)
    wanted = set(ids)
    return [rid for rid in full if rid in wanted]
