"""HF rows (scope: hf): requirements the health trust answers once, not each of its units.

The referral assessment, a 24/7 TSB physician or the management's follow-up are the trust's, so
averaging them into every unit's score would count one fact many times and blame units for what
they do not run. Every unit's skjema still lists these rows (greyed, «besvares av HF»); the HF's
answer is the skjema of the unit marked ``svarer_for_hf: ja`` in enheter.yaml, or, where the
register marks no unit of that HF, the one unit that answered the HF rows. Several candidates give
no answer (it would be a guess). Input: the current round's unit scores, already filtered and
redacted for the audience, so an HF answer carries exactly the redaction of a unit's typed text.
No I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from statuskart.catalog.model import Catalogue, Requirement
from statuskart.core.identity import name_key
from statuskart.score.scoring import RequirementResult, UnitScore

DESIGNATED, ONLY, UNCLEAR, MISSING, NONE = "designated", "only", "unclear", "missing", "none"
"""How the answering unit was found: marked in the register; the only unit that answered;
several candidates; the marked unit has no skjema here; nobody answered."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HfAnswer:
    """One HF row with the HF's answer, if there is one."""

    requirement: Requirement
    result: RequirementResult | None
    """The answering unit's result for the row; None when no unit answers for the HF."""

    @property
    def implemented(self) -> bool:
        """True when the HF reports the row as fully in place."""
        return self.result is not None and self.result.points == 1


@dataclass(frozen=True, slots=True, kw_only=True)
class HfScope:
    """The HF rows of one pathway in one HF, in the current round."""

    hf: str
    rhf: str
    pathway: str
    catalogue_version: str
    how: str
    """DESIGNATED, ONLY, UNCLEAR, MISSING or NONE."""
    answered_by: str | None
    """The unit whose skjema gives the HF's answers."""
    candidates: tuple[str, ...]
    """Units that could have been the answer (UNCLEAR), or the marked ones (MISSING)."""
    answers: tuple[HfAnswer, ...]

    @property
    def answered(self) -> int:
        """HF rows with a status."""
        return sum(1 for a in self.answers if a.result is not None and a.result.status)

    @property
    def implemented(self) -> int:
        """HF rows reported as fully in place."""
        return sum(1 for a in self.answers if a.implemented)

    def answer(self, requirement_id: str) -> HfAnswer | None:
        """The HF's answer to one row, if the row is in this scope."""
        return next((a for a in self.answers if a.requirement.id == requirement_id), None)


def _answered_hf_rows(score: UnitScore) -> bool:
    return any(r.hf_scope and r.status is not None for r in score.results)


def _version(catalogues: Mapping[str, Catalogue], score: UnitScore) -> Catalogue:
    current = catalogues[score.unit.pathway]
    return current.version_of(score.unit.catalogue_version) or current


def hf_scopes(
    scores: Sequence[UnitScore],
    catalogues: Mapping[str, Catalogue],
    designated: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[HfScope, ...]:
    """Per HF and pathway with HF rows: who answers for the HF, and the answers.

    ``scores`` are one round's units; ``designated`` maps an HF name key to the units the
    register marks (expected_units.hf_designations). Only when the register marks no unit of the HF
    does the one unit that answered the HF rows stand in.
    """
    designated = designated or {}
    groups: dict[tuple[str, str], list[UnitScore]] = defaultdict(list)
    for s in scores:
        groups[(name_key(s.unit.hf), s.unit.pathway)].append(s)
    out = []
    for (hf_key, pathway), members in sorted(groups.items()):
        if pathway not in catalogues:
            continue
        marked = {name_key(u) for u in designated.get(hf_key, ())}
        if marked:
            chosen = [s for s in members if name_key(s.unit.unit) in marked]
            how = DESIGNATED if len(chosen) == 1 else (UNCLEAR if chosen else MISSING)
            candidates = designated[hf_key] if how == MISSING else ()
        else:
            chosen = [s for s in members if _answered_hf_rows(s)]
            how = ONLY if len(chosen) == 1 else (UNCLEAR if chosen else NONE)
            candidates = ()
        if how == UNCLEAR:
            candidates = tuple(sorted(s.unit.unit for s in chosen))
        source = chosen[0] if how in (DESIGNATED, ONLY) else None
        catalogue = _version(catalogues, source or members[0])
        rows = [r for r in catalogue.requirements if r.hf_scope]
        if not rows:
            continue
        results = {r.requirement_id: r for r in source.results} if source else {}
        out.append(
            HfScope(
                hf=members[0].unit.hf,
                rhf=members[0].unit.rhf,
                pathway=pathway,
                catalogue_version=catalogue.version,
                how=how,
                answered_by=source.unit.unit if source else None,
                candidates=candidates,
                answers=tuple(HfAnswer(requirement=r, result=results.get(r.id)) for r in rows),
            )
        )
    return tuple(out)


def without_other_units(scope: HfScope) -> HfScope:
    """The scope as a one-unit report shows it: the register's names of other units left out.

    Only the report's own unit can have answered (the others are not in it), so the names that
    remain come from the register (a designated unit without a skjema here).
    """
    return replace(scope, candidates=())


def hf_status_counts(
    requirement_id: str, labels: Sequence[str], scopes: Sequence[HfScope]
) -> tuple[tuple[tuple[str, int], ...], int]:
    """(status, HFs) in scale order plus «Ubesvart», and the HFs the row is asked of."""
    statuses: dict[str, int] = defaultdict(int)
    asked = 0
    for scope in scopes:
        answer = scope.answer(requirement_id)
        if answer is None:  # the HF's units used a version without this row
            continue
        asked += 1
        statuses[(answer.result.status if answer.result else None) or "Ubesvart"] += 1
    return tuple((label, statuses[label]) for label in (*labels, "Ubesvart")), asked
