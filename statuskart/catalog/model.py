"""Catalogue model: the versioned requirement catalogue every later stage reads.

Frozen dataclasses only; loading and checking live in load.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from statuskart.catalog.sources import is_official

UNIT_TYPES: tuple[str, ...] = (
    "poliklinikk",
    "døgn",
    "ambulant",
    "avrusning",
    "dagbehandling",
    "akutt",
    "vurderingsenhet",
)
"""Unit types a requirement can apply to (enhetstype)."""

TREATMENT_TYPES: tuple[str, ...] = ("poliklinikk", "døgn", "ambulant", "avrusning", "dagbehandling")
"""Unit types a requirement applies to when its row names none: the units that treat patients.

Acute and assessment units (akutt, vurderingsenhet) answer only the rows that name them, so a
vurderingsenhet is not asked about evaluations it never holds.
"""

SCOPES: tuple[str, ...] = ("enhet", "hf")
"""Who answers a requirement: each unit, or the health trust once (docs/dev/catalogue-format.md)."""

RISK_LEVELS: tuple[str, ...] = ("lav", "middels", "høy")
"""Self-reported risk of incomplete implementation (risiko for mangelfull gjennomføring)."""

ELEMENTS: tuple[str, ...] = ("behandlingsplan", "evaluering", "forløpskoordinator", "avslutning")
"""Elements every general pathway must ask about (YAML ``element``): a catalogue test holds each
pathway to rows for them, so a missing one fails a test instead of surprising a reader."""


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
    min_limit: int | None = None
    """Lower bound where the text gives a range (gravide, døgn: «3–7 kalenderdager»), so the
    range is stored as written rather than as its upper end; None for a plain «inntil»."""

    def describe(self) -> str:
        """Bokmål one-liner, e.g. «Første fremmøte → Klinisk beslutning: ≤ 21 dager (…)».

        A limit of 0 reads «samme dag», as the pathway text means it (not «≤ 0 kalenderdager»);
        a range reads «3–7 kalenderdager».
        """
        if self.min_limit is not None:
            limit = f"{self.min_limit}–{self.limit} {self.unit}"
        elif self.limit == 0:
            limit = "samme dag"
        else:
            limit = f"≤ {self.limit} {self.unit}"
        return f"{self.from_event} → {self.to_event}: {limit} ({self.setting}, {self.version})"


HIGHER_IS_BETTER = "høyere er bedre"
LOWER_IS_BETTER = "lavere er bedre"
DIRECTIONS: tuple[str, ...] = (HIGHER_IS_BETTER, LOWER_IS_BETTER)
"""How a registry figure reads, as Helsedirektoratet words it and a «Retning» column holds it."""
PERCENT, DAYS, COUNT = "prosent", "dager", "antall"
MEASURE_UNITS: tuple[str, ...] = (PERCENT, DAYS, COUNT)
"""What a registry figure counts in («Måleenhet»): a share, a number of days, a number of cases."""
_DIRECTION_WORDS = {
    HIGHER_IS_BETTER: ("høyere er bedre", "høgare er betre", "høyere", "higher is better"),
    LOWER_IS_BETTER: ("lavere er bedre", "lågare er betre", "lavere", "lower is better"),
}
_UNIT_WORDS = {
    PERCENT: ("prosent", "%", "andel", "andel (%)", "prosentandel", "percent", "share"),
    DAYS: ("dager", "dag", "døgn", "kalenderdager", "days", "day"),
    COUNT: ("antall", "tall", "count", "number"),
}


def _plain(text: object) -> str:
    return " ".join(str(text or "").replace("\u00a0", " ").split()).casefold().rstrip(".:")


def direction_of(text: object) -> str | None:
    """«Lavere er bedre», «lower» … → LOWER_IS_BETTER; None for anything else (blank included)."""
    plain = _plain(text)
    return next((d for d, words in _DIRECTION_WORDS.items() if plain in words), None)


def measure_unit_of(text: object) -> str | None:
    """«Prosent», «%», «dager», «antall» … → the canonical unit; None for anything else."""
    plain = _plain(text)
    return next((u for u, words in _UNIT_WORDS.items() if plain in words), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class IndicatorLink:
    """A published quality indicator (e.g. Helsedirektoratet's NKI) that measures a requirement.

    Kept in the catalogue, so a downloaded NKI file needs no hand-editing to reach the right page,
    and so a figure is read the way its publisher reads it (direction and unit).
    """

    id: str
    """The indicator's id or title as it appears in the NKI file; matched by the identity rule."""
    target: float | None = None
    """Published national target in the indicator's unit (e.g. 80 %, 30 dager); None when the
    publisher sets none. Never invented: a right in law (a frist) is not a target share."""
    title: str = ""
    """Readable name shown next to the figure; the id when empty."""
    measures: str = ""
    """What is measured, in the publisher's words («andel henvisninger som ikke er vurdert …»)."""
    direction: str = HIGHER_IS_BETTER
    """HIGHER_IS_BETTER or LOWER_IS_BETTER."""
    unit: str = PERCENT
    """PERCENT, DAYS or COUNT."""
    url: str = ""
    """The publisher's page for the indicator."""

    @property
    def lower_is_better(self) -> bool:
        """True for figures such as fristbrudd or ventetid, where less is the goal."""
        return self.direction == LOWER_IS_BETTER


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
    source_read: dt.date | None = None
    """When the source page was last read and the row checked against it (YAML ``source_read``)."""
    time_limits: tuple[TimeLimit, ...] = ()
    depends_on: tuple[str, ...] = ()
    """Requirements that should be in place first."""
    indicators: tuple[IndicatorLink, ...] = ()
    """Registry indicators that measure this requirement (shown beside it, never scored)."""
    scope: str = "enhet"
    """«enhet»: every unit answers it; «hf»: answered once for the HF, kept out of unit scores."""
    element: str = ""
    """Which of ELEMENTS the row asks about (YAML ``element``), or empty."""
    registration: bool = False
    """True when the row asks whether an activity is *coded* (YAML ``registration: true``), not
    whether it is done with the patient: the pathway names both, so they are separate rows."""

    @property
    def hf_scope(self) -> bool:
        """True when the HF answers the requirement once, not each unit."""
        return self.scope == "hf"

    @property
    def official_source(self) -> bool:
        """True for Helsedirektoratet's or Lovdata's own page; anything else is a sekundærkilde."""
        return is_official(self.source)

    def applies_to(self, unit_type: str | None) -> bool:
        """True when the row is in this unit type's skjema (unknown type: all are).

        HF rows are in every skjema (greyed, «besvares av HF»), whatever their unit types.
        """
        return self.hf_scope or unit_type is None or unit_type in self.unit_types

    def counts_for_unit(self, unit_type: str | None) -> bool:
        """True when the unit's own answer counts in its score: a unit row that applies to it."""
        return not self.hf_scope and self.applies_to(unit_type)


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
    unit_types: tuple[str, ...] = UNIT_TYPES
    """Unit types the pathway has (YAML ``unit_types``): BUP and PHV have no avrusning, so their
    skjema, front-sheet list and validation offer only these."""
    retired_versions: tuple[str, ...] = ()
    """Earlier versions whose workbooks are still accepted, with a warning."""
    basis: str = ""
    """Which pathway text and version the catalogue follows (YAML ``basis``), shown on Metode."""
    revision: str = ""
    """What is known of the pathway's revision (YAML ``revision``), shown on Metode."""
    missing_time_limits: tuple[str, ...] = ()
    """Forløpstider the pathway has that could not be read from an official page (YAML
    ``missing_time_limits``), listed on Metode instead of guessed."""
    source_file: str = ""
    other_versions: tuple[Catalogue, ...] = ()
    """Every other loaded version of the pathway, oldest first; a skjema is scored against the
    version it was stamped with (load.py attaches them)."""
    by_id: dict[str, Requirement] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id.update({r.id: r for r in self.requirements})

    @property
    def versions(self) -> tuple[Catalogue, ...]:
        """Every loaded version of the pathway, this one included, oldest first."""
        return tuple(sorted((*self.other_versions, self), key=version_order))

    def version_of(self, version: str | None) -> Catalogue | None:
        """The loaded version with this label (this one included), or None."""
        return next((c for c in (self, *self.other_versions) if c.version == version), None)

    @property
    def treatment_types(self) -> tuple[str, ...]:
        """The pathway's treating unit types: a row that names no unit types applies to these."""
        return tuple(t for t in TREATMENT_TYPES if t in self.unit_types)

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


def version_order(catalogue: Catalogue) -> tuple[dt.date, tuple[tuple[int, str], ...]]:
    """Sort key: valid_from, then the version label with its numbers compared as numbers."""
    parts = re.findall(r"\d+|\D+", catalogue.version)
    return catalogue.valid_from, tuple((int(p), "") if p.isdigit() else (-1, p) for p in parts)
