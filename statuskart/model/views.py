"""The report model's types: what every page and download is made from.

Frozen views of units, groups (HF, RHF) and requirements for one build, apart from
``report.build_report`` that fills them, so comparison, figures and facts can name them without a
circle back to the builder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from statuskart.catalog.changes import CatalogueDiff
from statuskart.catalog.model import Catalogue, Requirement
from statuskart.indicators.model import Figure, IndicatorFile
from statuskart.model.comparison import Heatmap, PhaseRow
from statuskart.model.hf_scope import HfScope
from statuskart.score.rounds import TrendPoint, UnitDiff
from statuskart.score.scoring import GroupStats, ScoringSettings, UnitScore
from statuskart.validate.expected_units import RoundTracking
from statuskart.validate.model import FileReport, LocalRequirement


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
    phases: tuple[PhaseRow, ...] = ()
    """Per phase: now, the unit's previous round, and the median of units of the same type."""
    figures: tuple[Figure, ...] = ()
    """Registry figures for this unit beside its own answer (model/figures.py)."""
    version_changes: CatalogueDiff | None = None
    """What changed in the catalogue between the version of the unit's previous round (or, with
    one round, its skjema's version) and the current one; None when they are the same."""

    local: tuple[LocalRequirement, ...] = ()
    """The unit's own requirements («Egne krav») from its skjema: shown, never scored."""
    current: bool = True
    """False for a unit without a usable skjema in the build's round: its page shows its latest
    earlier round, so its history can still be found, and it counts in no figure of this round."""


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
    figures: tuple[Figure, ...] = ()
    """Registry figures for this HF or RHF beside its units' answers (model/figures.py)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementView:
    """One requirement across the units in the current round."""

    slug: str
    requirement: Requirement
    catalogue: Catalogue
    counts: tuple[tuple[str, int], ...]
    """(status label or «Ubesvart», units), in scale order."""
    applicable_units: int
    """Units the requirement applies to; for an HF row, HFs (``per``)."""
    implemented_by: tuple[UnitView, ...]
    implemented: int = 0
    """How many report it «Implementert»: units, or HFs for an HF row."""
    per: str = "enheter"
    """What is counted: «enheter», or «helseforetak» for a row each HF answers once."""
    figures: tuple[Figure, ...] = ()
    """Registry figures for this requirement: national, per RHF and per HF."""
    shares: tuple[tuple[UnitView, float], ...] = ()
    """Units that typed a share within the forløpstid (0–100), highest first."""


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
    absent_units: tuple[UnitView, ...] = ()
    """The same units as views, each with a page showing its latest earlier round."""
    tracking: tuple[RoundTracking, ...] = ()
    """Submission tracking per round and HF, when a registry of expected units is given."""
    registry_source: str = ""
    audience: str = "intern"
    """«intern», «region» or «enhet» (one unit's own report: no cross-unit pages)."""
    history: tuple[UnitScore, ...] = ()
    """Every scored skjema of every round (the downloads carry them all)."""
    heatmaps: tuple[Heatmap, ...] = ()
    """What works where, with the small-n rule applied (see HeatCell)."""
    audience_note: str = ""
    """What the audience build left out, shown on every page."""
    shows_text: bool = True
    """False when free text is left out; pages then drop the columns that would hold it."""
    indicator_files: tuple[IndicatorFile, ...] = ()
    """Registry-figure files read for this build, with their findings (data-quality page)."""
    hf_scopes: tuple[HfScope, ...] = ()
    """Per HF and pathway: the HF rows (scope: hf) and who answers them for the HF."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RoundSummary:
    """One round's submissions: files, rejected files and units scored."""

    period: str
    files: int
    rejected: int
    units: int
