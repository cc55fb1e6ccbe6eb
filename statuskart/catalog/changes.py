"""What changed between two versions of a pathway's catalogue, computed from the catalogues alone.

A unit whose rounds were scored against different versions, or whose skjema is older than the
current catalogue, needs to see which rows were added, removed, reworded or got a new forløpstid;
the trend line breaks at such a change (rounds.py) and this says why. No I/O.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from statuskart.catalog.model import Catalogue, Requirement

ADDED, REMOVED, REWORDED, TIME, PRIORITY, SCOPE, UNITS = (
    "added",
    "removed",
    "reworded",
    "time",
    "priority",
    "scope",
    "unit_types",
)
KINDS = (ADDED, REMOVED, REWORDED, TIME, PRIORITY, SCOPE, UNITS)
"""Display order; labels are in messages.VERSION_CHANGE_LABELS."""


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionChange:
    """One way one requirement differs between two catalogue versions."""

    requirement_id: str
    kind: str
    title: str
    """The requirement's title in the newer version (the older one for a removed row)."""
    before: str = ""
    """What the older version said (text, forløpstider, priority or scope); empty when added."""
    after: str = ""
    """What the newer version says; empty when removed."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogueDiff:
    """Every change from one version of a pathway to another."""

    pathway: str
    before: str
    """Older version label, e.g. «2023.1»."""
    after: str
    changes: tuple[VersionChange, ...]

    def of_kind(self, kind: str) -> tuple[VersionChange, ...]:
        """The changes of one kind, in requirement order."""
        return tuple(c for c in self.changes if c.kind == kind)

    def for_requirement(self, requirement_id: str) -> tuple[VersionChange, ...]:
        """The changes to one requirement."""
        return tuple(c for c in self.changes if c.requirement_id == requirement_id)


def _words(text: str) -> str:
    return " ".join(text.split())


def _limits(req: Requirement) -> frozenset[tuple[str, str, int | None, int, str, str]]:
    # The limit's own version tag («2019», «lov») is where it comes from, not what it says.
    return frozenset(
        (t.from_event, t.to_event, t.min_limit, t.limit, t.unit, t.setting) for t in req.time_limits
    )


def _describe_limits(req: Requirement) -> str:
    return "; ".join(t.describe() for t in req.time_limits) or "ingen"


def _requirement_changes(old: Requirement, new: Requirement) -> list[VersionChange]:
    out = []
    if _words(old.title) != _words(new.title) or _words(old.text) != _words(new.text):
        before, after = f"{old.title}: {old.text}", f"{new.title}: {new.text}"
        out.append(
            VersionChange(
                requirement_id=new.id, kind=REWORDED, title=new.title, before=before, after=after
            )
        )
    if _limits(old) != _limits(new):
        out.append(
            VersionChange(
                requirement_id=new.id,
                kind=TIME,
                title=new.title,
                before=_describe_limits(old),
                after=_describe_limits(new),
            )
        )
    pairs = (
        (PRIORITY, old.priority, new.priority),
        (SCOPE, old.scope, new.scope),
        # Which unit types answer the row: a BUP row no longer asks avrusning units.
        (UNITS, ", ".join(old.unit_types), ", ".join(new.unit_types)),
    )
    for kind, before, after in pairs:
        if before != after:
            out.append(
                VersionChange(
                    requirement_id=new.id, kind=kind, title=new.title, before=before, after=after
                )
            )
    return out


def catalogue_changes(old: Catalogue, new: Catalogue) -> CatalogueDiff:
    """Added, removed, reworded, re-timed, re-prioritised and re-scoped rows from old to new.

    Rows are matched on requirement ID, as the skjema's rows are; a row whose ID changed shows as
    one removed and one added.
    """
    changes: list[VersionChange] = []
    for req in new.requirements:
        before = old.by_id.get(req.id)
        if before is None:
            changes.append(
                VersionChange(requirement_id=req.id, kind=ADDED, title=req.title, after=req.text)
            )
        else:
            changes += _requirement_changes(before, req)
    changes += [
        VersionChange(requirement_id=r.id, kind=REMOVED, title=r.title, before=r.text)
        for r in old.requirements
        if r.id not in new.by_id
    ]
    changes.sort(key=lambda c: KINDS.index(c.kind))
    return CatalogueDiff(
        pathway=new.id, before=old.version, after=new.version, changes=tuple(changes)
    )


def changes_between(current: Catalogue, before: str, after: str) -> CatalogueDiff | None:
    """The diff between two loaded versions of ``current``'s pathway.

    None if either version is not loaded, or both are the same.
    """
    old, new = current.version_of(before), current.version_of(after)
    if old is None or new is None or old.version == new.version:
        return None
    return catalogue_changes(old, new)


def version_history(current: Catalogue) -> tuple[CatalogueDiff, ...]:
    """Each loaded version against the one before it, oldest pair first."""
    versions = current.versions
    return tuple(catalogue_changes(a, b) for a, b in itertools.pairwise(versions))


def round_changes(current: Catalogue, versions: Sequence[str]) -> CatalogueDiff | None:
    """The changes a unit page lists, given the versions of the unit's last rounds.

    From the previous round's version to this round's; when both are the same (or there is one
    round), from this round's skjema version to the current catalogue.
    """
    before = versions[0] if versions else current.version
    after = versions[-1] if versions else current.version
    if before == after:
        after = current.version
    return changes_between(current, before, after)
