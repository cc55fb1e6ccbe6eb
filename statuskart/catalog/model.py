"""Catalogue model: the versioned requirement catalogue every later stage reads.

Frozen dataclasses only; loading and checking live in load.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from statuskart.catalog.sources import is_official

UNIT_TYPES: tuple[str, ...] = ("poliklinikk", "døgn", "ambulant", "avrusning")
"""Unit types a requirement can apply to (enhetstype)."""

RISK_LEVELS: tuple[str, ...] = ("lav", "middels", "høy")
"""Self-reported risk of incomplete implementation (risiko for mangelfull gjennomføring)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ScaleStep:
    """One answer on the catalogue's status scale."""

    label: str
    """The text shown in the dropdown, e.g. «Delvis implementert»."""
    points: float | None
    """Share of full implementation, 0–1; None for the «not applicable» step."""
    description: str
    """What the step means, shown on the Veiledning sheet."""
    aliases: tuple[str, ...] = ()
    """Other spellings users type (nynorsk, English, short forms); matched case-insensitively."""

    @property
    def icon(self) -> str:
        """Symbol shown next to the label (status is never colour alone), from the points."""
        if self.points is None:
            return "–"
        if self.points <= 0:
            return "✖"
        if self.points >= 1:
            return "✔"
        return "◔" if self.points < 0.5 else "◑"

    @property
    def colour(self) -> str:
        """Okabe–Ito colour for charts, from the points, so every scale gets the same reading."""
        if self.points is None:
            return "#999999"
        if self.points <= 0:
            return "#D55E00"
        if self.points >= 1:
            return "#009E73"
        return "#E69F00" if self.points < 0.5 else "#56B4E9"

    @property
    def not_applicable(self) -> bool:
        """True for «Ikke aktuelt»: it leaves both numerator and denominator."""
        return self.points is None


@dataclass(frozen=True, slots=True, kw_only=True)
class Scale:
    """The answer scale of a catalogue; lives in the data, not in code."""

    steps: tuple[ScaleStep, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        """Dropdown labels in scale order."""
        return tuple(s.label for s in self.steps)

    def step(self, label: str) -> ScaleStep:
        """Return the step with exactly this label."""
        for s in self.steps:
            if s.label == label:
                return s
        raise KeyError(label)


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeLimit:
    """A forløpstid: from one pathway event to another, within a limit, for one setting."""

    from_event: str
    to_event: str
    limit: int
    unit: str
    """«dager», «kalenderdager», «virkedager» or «uker»."""
    setting: str
    """Unit type the limit applies to, or «alle»."""
    version: str
    """Pathway version the limit comes from, e.g. «2019»."""

    def describe(self) -> str:
        """Bokmål one-liner, e.g. «Første fremmøte → Klinisk beslutning: ≤ 21 dager (…)»."""
        return (
            f"{self.from_event} → {self.to_event}: ≤ {self.limit} {self.unit} "
            f"({self.setting}, {self.version})"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class IndicatorLink:
    """A published quality indicator (e.g. Helsedirektoratet's NKI) that measures a requirement.

    Kept in the catalogue, so a downloaded NKI file needs no hand-editing to reach the right page.
    """

    id: str
    """The indicator's id or title as it appears in the NKI file; matched by the identity rule."""
    target: float | None = None
    """National target as a share in percent (0–100), e.g. 80; None when there is none."""
    title: str = ""
    """Readable name shown next to the figure; the id when empty."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Phase:
    """A section of the pathway (fase); requirements are grouped and scored per phase."""

    id: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Requirement:
    """One row of the skjema: a målepunkt or activity the pathway requires."""

    id: str
    """Stable id, e.g. «TSB-08»; rows are matched on it."""
    phase: str
    """Phase id."""
    title: str
    """Short title for tables."""
    text: str
    """Full requirement text (bokmål)."""
    priority: str
    """Priority name; its weight is in Catalogue.priorities."""
    unit_types: tuple[str, ...]
    """Unit types the requirement applies to."""
    action: str
    """Suggested tiltak for a unit that has not implemented it."""
    source: str
    """Where the requirement comes from (URL or document)."""
    time_limits: tuple[TimeLimit, ...] = ()
    depends_on: tuple[str, ...] = ()
    """Requirements that should be in place first."""
    indicators: tuple[IndicatorLink, ...] = ()
    """Registry indicators that measure this requirement (shown beside it, never scored)."""

    @property
    def official_source(self) -> bool:
        """True for Helsedirektoratet's or Lovdata's own page; anything else is a sekundærkilde."""
        return is_official(self.source)

    def applies_to(self, unit_type: str | None) -> bool:
        """True when the requirement counts for this unit type (unknown type: all apply)."""
        return unit_type is None or unit_type in self.unit_types


@dataclass(frozen=True, slots=True, kw_only=True)
class Catalogue:
    """A versioned requirement catalogue for one pathway."""

    id: str
    """Pathway id, e.g. «tsb»."""
    title: str
    version: str
    valid_from: dt.date
    scale: Scale
    priorities: tuple[tuple[str, float], ...]
    """Priority name → weight, in order from most to least important."""
    phases: tuple[Phase, ...]
    requirements: tuple[Requirement, ...]
    retired_versions: tuple[str, ...] = ()
    """Earlier versions whose workbooks are still accepted, with a warning."""
    source_file: str = ""
    by_id: dict[str, Requirement] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id.update({r.id: r for r in self.requirements})

    def weight(self, priority: str) -> float:
        """Weight of a priority name."""
        return dict(self.priorities)[priority]

    def phase_title(self, phase_id: str) -> str:
        """Title of a phase id."""
        for p in self.phases:
            if p.id == phase_id:
                return p.title
        return phase_id

    @property
    def label(self) -> str:
        """«id versjon», used in provenance lines."""
        return f"{self.id} {self.version}"
