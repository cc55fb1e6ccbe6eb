"""Tables derived from a catalogue once, not once per skjema.

Scoring 3,000 skjemas asked each requirement the same questions 3,000 times.

Kept by the catalogue object's identity (catalogues are frozen; a build loads a few), with the
catalogue itself held so an id is never reused for another while its entry lives.
"""

from __future__ import annotations

import graphlib
from collections.abc import Callable
from typing import TypeVar

from statuskart.catalog.model import Catalogue

T = TypeVar("T")
_KEPT: dict[tuple[int, str, str | None], tuple[Catalogue, object]] = {}
_LIMIT = 256
"""Entries before the table starts afresh: a long-lived process must not keep every catalogue."""


def _kept(catalogue: Catalogue, kind: str, arg: str | None, make: Callable[[], T]) -> T:
    key = (id(catalogue), kind, arg)
    entry = _KEPT.get(key)
    if entry is not None and entry[0] is catalogue:
        return entry[1]  # type: ignore[return-value]
    value = make()
    if len(_KEPT) >= _LIMIT:
        _KEPT.clear()
    _KEPT[key] = (catalogue, value)
    return value


def counted_ids(catalogue: Catalogue, unit_type: str | None) -> frozenset[str]:
    """The requirements whose answer counts in the score of a unit of ``unit_type``."""
    return _kept(
        catalogue,
        "counted",
        unit_type,
        lambda: frozenset(r.id for r in catalogue.requirements if r.counts_for_unit(unit_type)),
    )


def weights(catalogue: Catalogue) -> dict[str, float]:
    """Priority name → weight (``Catalogue.weight`` without building the dict each time)."""
    return _kept(catalogue, "weights", None, lambda: dict(catalogue.priorities))


def dependency_order(catalogue: Catalogue) -> tuple[str, ...] | None:
    """Every requirement after those it depends on; None if they form a cycle."""
    return _kept(catalogue, "order", None, lambda: _order(catalogue))


def _order(catalogue: Catalogue) -> tuple[str, ...] | None:
    ids = [r.id for r in catalogue.requirements]
    known = set(ids)
    deps = {r.id: [d for d in r.depends_on if d in known] for r in catalogue.requirements}
    try:
        return tuple(topological(ids, deps))
    except graphlib.CycleError:
        return None


def topological(ids: list[str], deps: dict[str, list[str]]) -> list[str]:
    """``ids`` with each after its ``deps``; graphlib.CycleError if they form a cycle.

    graphlib, not recursion: a long dependency chain must not hit the stack limit.
    """
    return list(graphlib.TopologicalSorter({rid: deps[rid] for rid in ids}).static_order())
