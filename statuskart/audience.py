"""Audience filtering: the same scored data, with what an audience may not see taken out.

Runs between scoring and the report model, so every page, chart, search entry and download of a
build sees only the filtered data. The skjema is written for internal use: free text (comments,
planned tiltak) and person-identifying fields (ansvarlig, utfylt av) stay inside the unit's own
organisation. No I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from statuskart import messages as msg
from statuskart.actions import Action
from statuskart.errors import ConfigError
from statuskart.scoring import UnitScore
from statuskart.validation import Answer, FileReport, Submission

INTERNAL, REGIONAL, UNIT = "intern", "region", "enhet"
AUDIENCES = (INTERNAL, REGIONAL, UNIT)
PRIVATE_META = ("filled_by",)
"""Front-sheet fields that may name a person."""


@dataclass(frozen=True, slots=True)
class Audience:
    """Who a build is for, and the note every page shows about what was left out."""

    name: str
    unit: str | None
    note: str


def choose_audience(name: str, unit: str | None) -> Audience:
    """Validate the --audience/--unit combination and word its page note."""
    if name not in AUDIENCES:
        raise ConfigError(msg.UNKNOWN_AUDIENCE.format(name=name, known=", ".join(AUDIENCES)))
    if name == UNIT and not unit:
        raise ConfigError(msg.UNIT_AUDIENCE_NEEDS_UNIT)
    if unit and name == INTERNAL:
        name = UNIT  # --unit alone means the unit's own report
    note = {INTERNAL: "", REGIONAL: msg.REGIONAL_NOTE, UNIT: msg.UNIT_NOTE.format(unit=unit)}[name]
    if unit and name == REGIONAL:
        note += " " + msg.UNIT_NOTE.format(unit=unit)
    return Audience(name=name, unit=unit, note=note)


def apply_audience(
    audience: Audience, files: Sequence[FileReport], scores: Sequence[UnitScore]
) -> tuple[tuple[FileReport, ...], tuple[UnitScore, ...]]:
    """Filter files and scores for the audience: one unit, and/or without free text."""
    kept_files, kept_scores = tuple(files), tuple(scores)
    if audience.unit:
        wanted = audience.unit.casefold().strip()
        kept_scores = tuple(
            s for s in kept_scores if s.submission.meta.unit.casefold().strip() == wanted
        )
        if not kept_scores:
            raise ConfigError(msg.UNIT_NOT_FOUND.format(unit=audience.unit))
        paths = {s.submission.path for s in kept_scores}
        kept_files = tuple(
            f
            for f in kept_files
            if f.path in paths or f.meta.get("unit", "").casefold().strip() == wanted
        )
    if audience.name == REGIONAL:
        kept_files = tuple(_redact_file(f) for f in kept_files)
        kept_scores = tuple(_redact_score(s) for s in kept_scores)
    return kept_files, kept_scores


def _redact_answer(answer: Answer) -> Answer:
    return replace(answer, comment=None, action=None, owner=None)


def _redact_submission(submission: Submission) -> Submission:
    return replace(
        submission,
        meta=replace(submission.meta, filled_by=None),
        answers=tuple(_redact_answer(a) for a in submission.answers),
    )


def _redact_action(action: Action) -> Action:
    # The catalogue's suggestion is public text; the unit's own plan and owner are not.
    return replace(action, text=action.suggested, own_plan=False, owner=None)


def _redact_score(score: UnitScore) -> UnitScore:
    return replace(
        score,
        submission=_redact_submission(score.submission),
        actions=tuple(_redact_action(a) for a in score.actions),
    )


def _redact_file(report: FileReport) -> FileReport:
    return replace(
        report,
        submission=_redact_submission(report.submission) if report.submission else None,
        meta={k: v for k, v in report.meta.items() if k not in PRIVATE_META},
    )
