"""Audience filtering: the same scored data, with what an audience may not see taken out.

Runs between scoring and the report model, so every page, chart, search entry and download of a
build sees only the filtered data. The skjema is written for internal use: free text (comments,
planned tiltak) and person-identifying fields (ansvarlig, utfylt av) stay inside the unit's own
organisation. No I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError
from statuskart.core.findings import TEXT_LEFT_OUT, without_typed_text
from statuskart.core.identity import canonical_period, name_key
from statuskart.score.actions import Action
from statuskart.score.scoring import UnitScore
from statuskart.validate.expected_units import UnitRegister
from statuskart.validate.model import Answer, FileReport, Submission

INTERNAL, REGIONAL, UNIT = "intern", "region", "enhet"
AUDIENCES = (INTERNAL, REGIONAL, UNIT)
IDENTITY_META = ("rhf", "hf", "unit", "period")
"""Front-sheet fields a regional build shows as typed: the names that say whose skjema it is."""


@dataclass(frozen=True, slots=True)
class Audience:
    """Who a build is for, and the note every page shows about what was left out."""

    name: str
    unit: str | None
    note: str
    hf: str | None = None

    @property
    def shows_text(self) -> bool:
        """False when free text (comments, plans, owners, typed values in findings) is left out."""
        return self.name != REGIONAL


def choose_audience(name: str, unit: str | None, hf: str | None = None) -> Audience:
    """Validate the --audience/--unit/--hf combination and word its page note."""
    if name not in AUDIENCES:
        raise ConfigError(msg.UNKNOWN_AUDIENCE.format(name=name, known=", ".join(AUDIENCES)))
    for option, value in (("--unit", unit), ("--hf", hf)):
        if value is not None and not name_key(value):  # fail closed: never «every unit»
            raise ConfigError(msg.BLANK_SELECTOR.format(option=option))
    if hf and not unit:
        raise ConfigError(msg.HF_NEEDS_UNIT)
    if name == UNIT and not unit:
        raise ConfigError(msg.UNIT_AUDIENCE_NEEDS_UNIT)
    if unit and name == INTERNAL:
        name = UNIT  # --unit alone means the unit's own report
    label = f"{hf}/{unit}" if hf else unit
    note = {INTERNAL: "", REGIONAL: msg.REGIONAL_NOTE, UNIT: msg.UNIT_NOTE.format(unit=label)}[name]
    if unit and name == REGIONAL:
        note += " " + msg.UNIT_NOTE.format(unit=label)
    return Audience(name=name, unit=unit, note=note, hf=hf)


def _selector_matches(audience: Audience, rhf: str, hf: str, unit: str) -> bool:
    """--unit «enhet», «HF/enhet» or «RHF/HF/enhet» (optionally with --hf), by the identity rule."""
    wanted = name_key(audience.unit)
    if audience.hf is not None:
        return name_key(audience.hf) == name_key(hf) and wanted == name_key(unit)
    spellings = (unit, f"{hf} {unit}", f"{rhf} {hf} {unit}")
    return wanted in {name_key(s) for s in spellings}


def select_unit(
    audience: Audience, scores: Sequence[UnitScore], files: Sequence[FileReport] = ()
) -> tuple[str, str]:
    """The (HF, unit) identity the selector names; ConfigError if none or several match.

    Units whose only skjema was rejected count too: their report is the data-quality page.
    """
    names = [(s.unit.rhf, s.unit.hf, s.unit.unit) for s in scores]
    names += [(f.meta.get("rhf", ""), f.meta.get("hf", ""), f.meta.get("unit", "")) for f in files]
    matches: dict[tuple[str, str], str] = {}
    for rhf, hf, unit in names:
        if hf and unit and _selector_matches(audience, rhf, hf, unit):
            matches.setdefault((name_key(hf), name_key(unit)), f"{hf}/{unit}")
    if not matches:
        raise ConfigError(msg.UNIT_NOT_FOUND.format(unit=audience.unit))
    if len(matches) > 1:
        listed = "; ".join(f"«{v}»" for v in sorted(matches.values()))
        raise ConfigError(msg.UNIT_AMBIGUOUS.format(unit=audience.unit, matches=listed))
    return next(iter(matches))


def apply_audience(
    audience: Audience, files: Sequence[FileReport], scores: Sequence[UnitScore]
) -> tuple[tuple[FileReport, ...], tuple[UnitScore, ...]]:
    """Filter files and scores for the audience: one unit, and/or without free text."""
    kept_files, kept_scores = tuple(files), tuple(scores)
    if audience.unit:
        hf, unit = select_unit(audience, kept_scores, kept_files)
        kept_scores = tuple(
            s for s in kept_scores if (name_key(s.unit.hf), name_key(s.unit.unit)) == (hf, unit)
        )
        paths = {s.unit.path for s in kept_scores}
        kept_files = tuple(
            f
            for f in kept_files
            if f.path in paths
            or (name_key(f.meta.get("hf", "")), name_key(f.meta.get("unit", ""))) == (hf, unit)
        )
    if not audience.shows_text:
        kept_files = tuple(_redact_file(f) for f in kept_files)
        kept_scores = tuple(_redact_score(s) for s in kept_scores)
    return kept_files, kept_scores


def _blanked(text: str | None) -> str | None:
    """Typed text left out: what was written becomes «[tekst utelatt]», blank stays blank.

    Redaction removes words, never a fact: whether a unit wrote a plan, an owner or a comment is
    still there to count (compared field by field in tests/test_audience_facts.py).
    """
    return TEXT_LEFT_OUT if text else None


def _redact_answer(answer: Answer) -> Answer:
    return replace(
        answer,
        comment=_blanked(answer.comment),
        action=_blanked(answer.action),
        owner=_blanked(answer.owner),
    )


def _redact_submission(submission: Submission) -> Submission:
    meta = submission.meta
    period = canonical_period(meta.period) or msg.UNKNOWN_PERIOD
    return replace(
        submission,
        meta=replace(meta, filled_by=None, period=period),
        answers=tuple(_redact_answer(a) for a in submission.answers),
        # A unit's own requirement is typed text from title to tiltak: only the count is shown.
        local=tuple(
            replace(
                r, title=_blanked(r.title), text=_blanked(r.text), answer=_redact_answer(r.answer)
            )
            for r in submission.local
        ),
    )


def _redact_action(action: Action) -> Action:
    # The catalogue's suggestion is public text; the words of the unit's own plan and its owner's
    # name are not, but that the unit has a plan (own_plan, no_owner) is a fact the reader keeps.
    text = msg.REDACTED_PLAN if action.own_plan else action.suggested
    return replace(action, text=text, owner=_blanked(action.owner))


def _redact_score(score: UnitScore) -> UnitScore:
    period = canonical_period(score.unit.period) or msg.UNKNOWN_PERIOD
    return replace(
        score,
        unit=replace(score.unit, filled_by=None, period=period),
        results=tuple(
            replace(
                r, comment=_blanked(r.comment), action=_blanked(r.action), owner=_blanked(r.owner)
            )
            for r in score.results
        ),
        actions=tuple(_redact_action(a) for a in score.actions),
    )


def _redact_file(report: FileReport) -> FileReport:
    submission = _redact_submission(report.submission) if report.submission else None
    meta = {k: v for k, v in report.meta.items() if k in IDENTITY_META}
    if "period" in meta:
        meta["period"] = canonical_period(meta["period"]) or msg.UNKNOWN_PERIOD
    return replace(
        report,
        submission=submission,
        meta=meta,
        findings=tuple(without_typed_text(f) for f in report.findings),
    )


def redact_register(audience: Audience, registry: UnitRegister) -> UnitRegister:
    """The register as the audience may see it: contact roles are typed text."""
    if audience.shows_text:
        return registry
    return replace(registry, units=tuple(replace(u, contact=None) for u in registry.units))
