"""The next round: one pre-filled skjema per expected unit, carrying its newest answers.

Who gets a skjema: the units in the register (enheter.yaml/.xlsx), else the units that answered
the latest round. Whose answers: the unit's newest skjema before the new round, found with the
same identity rule as everywhere (sender(), name_key, period_id); several files in that round, or
a rejected one, carry nothing and say why. What to look at: rows whose requirement changed since
the answer was given (catalog/changes.py), and frister passed before the new round starts. The
skjemas are written by workbook/carry.py into a new folder, with a summary workbook.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from statuskart.catalog.changes import REMOVED, REWORDED, SCOPE, TIME, UNITS, catalogue_changes
from statuskart.catalog.model import Catalogue
from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError, OutputError
from statuskart.core.identity import (
    canonical_period,
    name_key,
    next_period,
    page_names,
    period_id,
    period_key,
    period_start,
    slug,
)
from statuskart.pipeline.inputs import gather_inputs
from statuskart.pipeline.run import check_files
from statuskart.validate.expected_units import UnitRegister, find_registry, load_register
from statuskart.validate.model import Answer, FileReport, Submission, overdue
from statuskart.validate.typed_values import unit_type as canonical_unit_type
from statuskart.workbook.carry import (
    SUMMARY_NAME,
    CarriedAnswer,
    Carry,
    RemovedAnswer,
    write_carried,
)
from statuskart.workbook.round_summary import write_round_summary
from statuskart.workbook.write import write_template

FLAGGED_KINDS = (REWORDED, TIME, SCOPE, UNITS)
"""Changes that can make an old answer wrong: what the requirement asks, its time, who answers."""
BEFORE_LIMIT = 300
"""Longest old text quoted in a «Kravet er endret» note; the rest is cut with «…»."""

UnitId = tuple[str, str]
"""(name_key(HF), name_key(unit)): the identity of a unit within one pathway."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """The unit's newest round before the new one, and its files in that round."""

    period: str
    reports: tuple[FileReport, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedSkjema:
    """One unit's skjema in the new round: front sheet, what is carried and why."""

    rhf: str
    hf: str
    unit: str
    unit_type: str | None
    contact: str | None
    path: Path
    """Relative to the round's folder: «<hf>/<unit>-<periode>.xlsx»."""
    meta: Mapping[str, object]
    carry: Carry | None
    note: str
    to_review: int
    """Rows the leader must act on: flagged carried rows and rows without a carried answer."""

    @property
    def carried(self) -> int:
        """Answers carried in."""
        return len(self.carry.answers) if self.carry else 0


@dataclass(frozen=True, slots=True, kw_only=True)
class RoundPlan:
    """Everything the new round's folder will hold."""

    period: str
    catalogue: Catalogue
    skjemas: tuple[PlannedSkjema, ...]


def pathway_of(report: FileReport) -> str | None:
    """The pathway a file was read against; None when not known (an unreadable file)."""
    if report.submission is not None:
        return report.submission.catalogue_id
    return report.catalogue.split(" ", 1)[0] if report.catalogue else None


def unit_id(hf: str, unit: str) -> UnitId:
    """The unit's identity, as in UnitKey (without the pathway, which is chosen already)."""
    return name_key(hf), name_key(unit)


def newest_sources(
    reports: Sequence[FileReport], pathway: str, before: str
) -> dict[UnitId, Source]:
    """Per unit, its files in its newest round before ``before``, of ``pathway`` (or unknown).

    A file whose pathway cannot be told (not readable) still counts: a unit that sent one is not
    carried from an older round as though nothing came.
    """
    groups: dict[UnitId, dict[str, list[FileReport]]] = defaultdict(lambda: defaultdict(list))
    limit = period_key(before)
    for report in reports:
        hf, unit, period = report.sender()
        if not (hf and unit and period) or pathway_of(report) not in (pathway, None):
            continue
        if canonical_period(period) is None or period_key(period) >= limit:
            continue
        groups[unit_id(hf, unit)][period_id(period)].append(report)
    out = {}
    for key, periods in groups.items():
        newest = max(periods, key=period_key)
        out[key] = Source(period=newest, reports=tuple(periods[newest]))
    return out


def requirement_notes(source: Catalogue | None, target: Catalogue, version: str) -> dict[str, str]:
    """Requirement ID → what changed since the answer (given against ``version``), in bokmål.

    An unknown version flags every row: the answer cannot be said to fit the requirement.
    """
    if source is None:
        unknown = msg.CHANGE_WHAT["unknown"].format(version=version)
        return {r.id: unknown for r in target.requirements}
    if source.version == target.version:
        return {}
    notes: dict[str, list[str]] = defaultdict(list)
    for change in catalogue_changes(source, target).changes:
        if change.kind in FLAGGED_KINDS:
            before = change.before
            if len(before) > BEFORE_LIMIT:
                before = before[: BEFORE_LIMIT - 1].rstrip() + "…"
            text = msg.CHANGE_WHAT[change.kind].format(before=before, after=change.after)
            notes[change.requirement_id].append(text)
    return {rid: " ".join(lines) for rid, lines in notes.items()}


def removed_requirements(source: Catalogue | None, target: Catalogue) -> dict[str, str]:
    """Requirement ID → title of rows in ``source`` that ``target`` no longer has."""
    if source is None:
        return {}
    diff = catalogue_changes(source, target)
    return {c.requirement_id: c.title for c in diff.of_kind(REMOVED)}


def due_passed(answer: Answer, start: dt.date) -> bool:
    """A frist before the new round starts on a row not done: a question, not a fact."""
    return overdue(answer, start)


def answered(answer: Answer) -> bool:
    """The row holds anything worth carrying."""
    return any(
        v not in (None, "")
        for v in (answer.status, answer.share, answer.comment, answer.action, answer.owner)
    ) or (answer.due is not None or answer.risk is not None)


def answer_summary(answer: Answer) -> str:
    """Last round's answer in one line, for the removed requirements on Veiledning."""
    parts = [answer.status or msg.CARRIED_NO_ANSWER]
    parts += [p for p in (answer.comment, answer.action, answer.owner) if p]
    if answer.due is not None:
        parts.append(answer.due.strftime("%d.%m.%Y"))
    return msg.CARRIED_REMOVED_ANSWER.format(answer="; ".join(parts))


def carry_from(
    submission: Submission, target: Catalogue, start: dt.date, unit_type: str | None = None
) -> Carry:
    """What to carry from a unit's newest usable skjema into ``target``'s rows for ``unit_type``.

    A row the new skjema does not have for the unit's type is neither carried nor «removed».
    """
    source = target.version_of(submission.catalogue_version)
    notes = requirement_notes(source, target, submission.catalogue_version)
    removed = removed_requirements(source, target)
    carried = []
    gone = []
    for answer in submission.answers:
        if answer.requirement_id not in target.by_id:
            if answered(answer):
                title = removed.get(answer.requirement_id, "")
                gone.append(
                    RemovedAnswer(
                        requirement_id=answer.requirement_id,
                        title=title,
                        answer=answer_summary(answer),
                    )
                )
            continue
        if not answered(answer) or not target.by_id[answer.requirement_id].applies_to(unit_type):
            continue
        carried.append(
            CarriedAnswer(
                requirement_id=answer.requirement_id,
                status=answer.status,
                share=answer.share,
                comment=answer.comment,
                action=answer.action,
                owner=answer.owner,
                due=answer.due,
                risk=answer.risk,
                changed=notes.get(answer.requirement_id, ""),
                due_passed=due_passed(answer, start),
            )
        )
    return Carry(
        from_period=submission.meta.period,
        from_date=submission.meta.date,
        answers=tuple(carried),
        removed=tuple(gone),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class _Unit:
    rhf: str
    hf: str
    unit: str
    unit_type: str | None
    contact: str | None


def _units(register: UnitRegister | None, sources: Mapping[UnitId, Source]) -> dict[UnitId, _Unit]:
    """The register's units; without one, the units that answered the latest round."""
    if register is not None:
        return {
            unit_id(u.hf, u.unit): _Unit(
                rhf=u.rhf, hf=u.hf, unit=u.unit, unit_type=u.unit_type, contact=u.contact
            )
            for u in register.units
        }
    latest = max((s.period for s in sources.values()), key=period_key, default=None)
    out = {}
    for key, source in sorted(sources.items()):
        if source.period != latest:
            continue
        report = source.reports[0]
        hf, unit, _ = report.sender()
        meta = report.submission.meta if report.submission else None
        out[key] = _Unit(
            rhf=meta.rhf if meta else report.meta.get("rhf", ""),
            hf=hf,
            unit=unit,
            unit_type=meta.unit_type if meta else None,
            contact=None,
        )
    return out


def _file_list(reports: Sequence[FileReport]) -> str:
    return ", ".join(Path(r.path).name for r in reports)


def plan_round(
    reports: Sequence[FileReport],
    register: UnitRegister | None,
    catalogue: Catalogue,
    period: str,
) -> RoundPlan:
    """Who gets which skjema, carrying what; no I/O."""
    start = period_start(period)
    if start is None:
        raise ConfigError(msg.BAD_PERIOD.format(value=period))
    sources = newest_sources(reports, catalogue.id, period)
    units = _units(register, sources)
    names: dict[UnitId, str] = {}
    for hf in {key[0] for key in units}:  # unique within the HF's folder
        names.update(page_names([(key, u.unit) for key, u in units.items() if key[0] == hf]))
    planned = []
    for key, unit in units.items():
        source = sources.get(key)
        submission: Submission | None = None
        if source is None:
            note = msg.ROUND_WHY_NEW
        elif len(source.reports) > 1:
            note = msg.ROUND_WHY_SEVERAL.format(
                period=source.period, files=_file_list(source.reports)
            )
        elif source.reports[0].submission is None:
            note = msg.ROUND_WHY_REJECTED.format(
                period=source.period, file=_file_list(source.reports)
            )
        else:
            submission = source.reports[0].submission
            note = msg.ROUND_WHY_CARRIED.format(
                period=source.period, file=_file_list(source.reports)
            )
        unit_type = canonical_unit_type(unit.unit_type) if unit.unit_type else None
        if unit_type is None and submission is not None:
            unit_type = submission.meta.unit_type
        if unit_type not in catalogue.unit_types:
            unit_type = None
        carry = (
            carry_from(submission, catalogue, start, unit_type) if submission is not None else None
        )
        rows = [r.id for r in catalogue.requirements if r.applies_to(unit_type)]
        carried = {a.requirement_id: a for a in carry.answers} if carry else {}
        to_review = sum(
            1
            for rid in rows
            if rid not in carried or carried[rid].changed or carried[rid].due_passed
        )
        meta: dict[str, object] = {
            "rhf": unit.rhf,
            "hf": unit.hf,
            "unit": unit.unit,
            "unit_type": unit_type,
            "period": period,
        }
        if submission is not None:
            meta["filled_by"] = submission.meta.filled_by
            meta["target"] = submission.meta.target
        hf_folder = slug(unit.hf) or "uten-hf"
        planned.append(
            PlannedSkjema(
                rhf=unit.rhf,
                hf=unit.hf,
                unit=unit.unit,
                unit_type=unit_type,
                contact=unit.contact,
                path=Path(hf_folder) / f"{names[key]}-{period}.xlsx",
                meta={k: v for k, v in meta.items() if v not in (None, "")},
                carry=carry,
                note=note,
                to_review=to_review,
            )
        )
    planned.sort(key=lambda p: (name_key(p.rhf), name_key(p.hf), name_key(p.unit)))
    return RoundPlan(period=period, catalogue=catalogue, skjemas=tuple(planned))


def write_round(plan: RoundPlan, folder: Path) -> Path:
    """Write every skjema and the summary into the new folder ``folder``; return the summary.

    The folder must not exist: everything is written into a hidden folder beside it, which is
    renamed only when complete, so no file is ever replaced and no half round is left behind.
    """
    refuse_existing_round(folder)
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    work = parent / f".{folder.name}.{secrets.token_hex(4)}.tmp"
    work.mkdir()
    try:
        for skjema in plan.skjemas:
            target = work / skjema.path
            target.parent.mkdir(parents=True, exist_ok=True)
            if skjema.carry is None:
                write_template(plan.catalogue, target, {**skjema.meta})
            else:
                write_carried(
                    plan.catalogue, target, skjema.meta, skjema.carry, unit_type=skjema.unit_type
                )
        write_round_summary(summary_rows(plan), work / SUMMARY_NAME)
        refuse_existing_round(folder)
        os.rename(work, folder)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return folder / SUMMARY_NAME


def summary_rows(plan: RoundPlan) -> list[tuple[object, ...]]:
    """The summary's rows (ROUND_SUMMARY_HEADERS), one per skjema."""
    return [
        (
            s.rhf,
            s.hf,
            s.unit,
            s.unit_type or "",
            s.contact or "",
            s.path.as_posix(),
            s.carried,
            s.to_review,
            s.note,
        )
        for s in plan.skjemas
    ]


@dataclass(frozen=True, slots=True, kw_only=True)
class RoundResult:
    """What ``make_round`` wrote."""

    plan: RoundPlan
    folder: Path
    summary: Path


def latest_period(reports: Sequence[FileReport], pathway: str) -> str | None:
    """The newest recognised round among the files of ``pathway``."""
    periods = [
        p
        for r in reports
        if pathway_of(r) in (pathway, None) and (p := canonical_period(r.sender()[2]))
    ]
    return max(periods, key=period_key, default=None)


def round_folder(period: str | None, output: Path | None) -> Path | None:
    """The round's folder when it is known before any skjema is read; ConfigError on a bad period.

    Without --period and -o it is «runde-<the round after the newest one found>», which needs
    every skjema's front sheet (a file name or folder says nothing reliable about its round).
    """
    wanted = canonical_period(period) if period else None
    if period and wanted is None:
        raise ConfigError(msg.BAD_PERIOD.format(value=period))
    return output or (Path(f"runde-{wanted}") if wanted else None)


def refuse_existing_round(folder: Path) -> None:
    """OutputError if ``folder`` exists (or is a dangling link): a round never writes over one."""
    if folder.exists() or folder.is_symlink():
        raise OutputError(msg.ROUND_OUTPUT_EXISTS.format(path=folder))


def make_round(
    checklists: Sequence[Path],
    catalogues: Mapping[str, Catalogue],
    catalogue: Catalogue,
    *,
    period: str | None = None,
    output: Path | None = None,
    registry_file: Path | None = None,
    cache_dir: Path | None = None,
) -> RoundResult:
    """Read the checklists, plan the next round for ``catalogue`` and write it.

    ``period`` None: the round after the newest one found. ``output`` None: «runde-<periode>»
    in the current folder. An existing output is refused before anything is read, when its name
    is known then (and again just before the finished folder is moved into place).
    """
    early = round_folder(period, output)
    if early is not None:
        refuse_existing_round(early)
    wanted = canonical_period(period) if period else None
    registry = registry_file or find_registry(checklists)
    register = load_register(registry) if registry is not None else None
    inputs = gather_inputs(checklists, exclude=[registry] if registry else [])
    day = period_start(wanted) if wanted else None
    reports = check_files(
        inputs, catalogues, day or dt.datetime.now(tz=dt.UTC).date(), cache_dir=cache_dir
    )
    if wanted is None:
        latest = latest_period(reports, catalogue.id)
        wanted = next_period(latest) if latest else None
        if wanted is None:
            raise ConfigError(msg.ROUND_NO_PERIOD)
        refuse_existing_round(output or Path(f"runde-{wanted}"))  # before any planning
    plan = plan_round(reports, register, catalogue, wanted)
    if not plan.skjemas:
        raise ConfigError(
            msg.ROUND_NO_UNITS.format(
                pathway=catalogue.id, paths=", ".join(str(p) for p in checklists)
            )
        )
    folder = output or Path(f"runde-{wanted}")
    summary = write_round(plan, folder)
    return RoundResult(plan=plan, folder=folder, summary=summary)
