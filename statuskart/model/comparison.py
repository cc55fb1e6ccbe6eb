"""Comparisons that never name another unit: peer medians and heatmaps of what works where.

Peer medians give a unit page its national reference; heatmaps show HFs and unit types by phase.
The small-n rule is applied here, in the model, so no template can drop it.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from statuskart.catalog.model import Catalogue
from statuskart.core.identity import name_key, period_key
from statuskart.score.scoring import UnitScore


@dataclass(frozen=True, slots=True, kw_only=True)
class PeerMedian:
    """Median among complete units of one pathway and unit type in the current round, with n.

    An aggregate only: it never names or shows another unit, and it is shown as a number only
    from ``PEER_MIN`` units up.
    """

    median: float | None
    n: int

    @property
    def shown(self) -> bool:
        """True when there are enough units for the median to say something."""
        return self.median is not None and self.n >= PEER_MIN


@dataclass(frozen=True, slots=True, kw_only=True)
class PhaseRow:
    """One phase on a unit's page."""

    title: str
    now: float | None
    before: float | None
    peers: PeerMedian


@dataclass(frozen=True, slots=True, kw_only=True)
class HeatCell:
    """Share of requirement answers reported «implemented» in one group and phase, with n units.

    ``n`` counts the units that answered at least one requirement of the phase, not every unit of
    the row: a phase that applies to few unit types rests on fewer units than the row's n. The
    small-n rule lives here, on that n, not in a template: below ``min_group`` units ``share`` is
    None and every page shows «få enheter» and n instead of a number.
    """

    share: float | None
    n: int
    level: int | None = None
    """Colour class on the heatmap's scale (``Heatmap.levels``); None when no share is shown."""

    @property
    def percent(self) -> int | None:
        """The share as the whole percent the page prints, which is also what ``level`` bins."""
        return None if self.share is None else round(self.share * 100)


@dataclass(frozen=True, slots=True, kw_only=True)
class HeatRow:
    """One row of a heatmap: an HF (grouped by RHF) or a unit type within an RHF."""

    label: str
    group: str
    """The RHF the row belongs to, for grouping."""
    n: int
    cells: tuple[HeatCell, ...]


REGION_ROW = "Alle enheter i regionen"
"""Label of the row that opens each region; it is the same in both tables of a heatmap."""
HEAT_LEVELS = 5
"""Colour classes of a heatmap: quintiles of the shares it shows."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Heatmap:
    """What works where: rows × phases of one catalogue, with its colour scale.

    ``levels`` are the colour classes as whole-percent ranges (low, high), lowest first: the
    quintiles of the shares shown, so the colours separate the groups actually compared even
    when every share lies between, say, 40 and 60 %. Fewer classes when shares repeat.
    """

    catalogue: str
    phases: tuple[str, ...]
    by_hf: tuple[HeatRow, ...]
    by_type: tuple[HeatRow, ...]
    levels: tuple[tuple[int, int], ...] = ()


def heatmaps(
    units: Sequence[UnitScore], catalogues: Mapping[str, Catalogue], min_group: int
) -> tuple[Heatmap, ...]:
    """Per catalogue: HF × phase and (RHF, unit type) × phase, share implemented, n units."""
    out = []
    for cid in sorted({u.unit.pathway for u in units}):
        catalogue = catalogues[cid]
        mine = [u for u in units if u.unit.pathway == cid]
        by_hf = _heat_rows(mine, catalogue, min_group, by_type=False)
        by_type = _heat_rows(mine, catalogue, min_group, by_type=True)
        # The region rows are the same in both tables: counted once for the scale.
        rows = (*by_hf, *(r for r in by_type if r.label != REGION_ROW))
        levels = quantile_levels([c.percent for r in rows for c in r.cells], HEAT_LEVELS)
        out.append(
            Heatmap(
                catalogue=catalogue.title,
                phases=tuple(p.title for p in catalogue.phases),
                by_hf=_with_levels(by_hf, levels),
                by_type=_with_levels(by_type, levels),
                levels=levels,
            )
        )
    return tuple(out)


def quantile_levels(values: Sequence[int | None], classes: int) -> tuple[tuple[int, int], ...]:
    """Whole-percent ranges that split ``values`` into ``classes`` groups of about equal size.

    Each range ends at a value that occurs, and the next starts one above it, so every value is
    in exactly one range; equal values never straddle two, so there may be fewer ranges.
    """
    shown = sorted(v for v in values if v is not None)
    if not shown:
        return ()
    uppers = sorted({shown[-(-(i * len(shown)) // classes) - 1] for i in range(1, classes + 1)})
    lows = [shown[0], *(u + 1 for u in uppers[:-1])]
    return tuple(zip(lows, uppers, strict=True))


def level_of(percent: int | None, levels: Sequence[tuple[int, int]]) -> int | None:
    """Index of the range holding ``percent``, or None."""
    if percent is None:
        return None
    return next((i for i, (_, high) in enumerate(levels) if percent <= high), None)


def _with_levels(rows: Sequence[HeatRow], levels: Sequence[tuple[int, int]]) -> tuple[HeatRow, ...]:
    return tuple(
        replace(
            row,
            cells=tuple(replace(c, level=level_of(c.percent, levels)) for c in row.cells),
        )
        for row in rows
    )


def _heat_rows(
    units: Sequence[UnitScore], catalogue: Catalogue, min_group: int, *, by_type: bool
) -> tuple[HeatRow, ...]:
    groups: dict[tuple[str, str], list[UnitScore]] = defaultdict(list)
    for u in units:
        key = (u.unit.unit_type or "ukjent type") if by_type else name_key(u.unit.hf)
        groups[(u.unit.rhf, key)].append(u)
    rows: list[HeatRow] = []
    for (rhf, _), members in sorted(groups.items()):
        if not rows or rows[-1].group != rhf:  # each region starts with all its units
            region = [u for u in units if u.unit.rhf == rhf]
            rows.append(_heat_row(REGION_ROW, rhf, region, catalogue, min_group))
        first = members[0].unit
        label = (first.unit_type or "ukjent type") if by_type else first.hf
        rows.append(_heat_row(label, rhf, members, catalogue, min_group))
    return tuple(rows)


def _heat_row(
    label: str, rhf: str, members: Sequence[UnitScore], catalogue: Catalogue, min_group: int
) -> HeatRow:
    cells = tuple(_heat_cell(members, p.id, min_group) for p in catalogue.phases)
    return HeatRow(label=label, group=rhf, n=len(members), cells=cells)


def _heat_cell(members: Sequence[UnitScore], phase: str, min_group: int) -> HeatCell:
    answers = implemented = units = 0
    for u in members:
        mine = [r.points == 1 for r in u.results if r.phase == phase and r.counted]
        if mine:
            units += 1
            answers += len(mine)
            implemented += sum(mine)
    share = implemented / answers if units >= min_group else None
    return HeatCell(share=share, n=units)


PEER_MIN = 5
"""Fewest units behind a peer median; below it the page says «få enheter» and n."""


def peer_medians(
    scores: Sequence[UnitScore],
) -> dict[tuple[str, str | None], dict[str, PeerMedian]]:
    """(pathway, unit type) → phase id → median of complete units in the latest round.

    Computed from every unit before an audience filter, so a one-unit report still has its
    national reference (as an aggregate).
    """
    if not scores:
        return {}
    current = max((s.unit.period for s in scores), key=period_key)
    values: dict[tuple[str, str | None], dict[str, list[float]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for s in scores:
        if s.unit.period != current or not s.complete:
            continue
        for p in s.phases:
            if p.score is not None:
                values[(s.unit.pathway, s.unit.unit_type)][p.phase].append(p.score)
    return {
        group: {phase: PeerMedian(median=statistics.median(v), n=len(v)) for phase, v in by.items()}
        for group, by in values.items()
    }


def unit_phase_rows(
    latest: UnitScore,
    previous: UnitScore | None,
    peers: Mapping[tuple[str, str | None], Mapping[str, PeerMedian]],
) -> tuple[PhaseRow, ...]:
    before = {p.phase: p.score for p in previous.phases} if previous else {}
    mine = peers.get((latest.unit.pathway, latest.unit.unit_type), {})
    return tuple(
        PhaseRow(
            title=p.title,
            now=p.score,
            before=before.get(p.phase),
            peers=mine.get(p.phase, PeerMedian(median=None, n=0)),
        )
        for p in latest.phases
    )
