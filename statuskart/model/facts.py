"""Facts the pages and the downloads both show, derived once from the report model.

What a quality adviser chases in a group, a unit's sections, where its plan lies, why an action
ranks where it does: the templates call these, and the download writers use the same ones, so a
page and a workbook never disagree. No rendering and no I/O here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from statuskart.catalog.changes import CatalogueDiff, VersionChange, version_history
from statuskart.catalog.model import Catalogue
from statuskart.core.findings import SEVERITY_ORDER, Finding
from statuskart.core.identity import name_key, period_key
from statuskart.indicators.model import HF
from statuskart.model.hf_scope import HfScope
from statuskart.model.report import file_period
from statuskart.model.views import GroupView, ReportModel, RequirementView, UnitView
from statuskart.score.actions import Action
from statuskart.score.scoring import PhaseScore, RequirementResult
from statuskart.validate.model import FileReport
from statuskart.workbook import layout as L

PRIORITY_WORDS = {"kritisk": "kritisk krav", "høy": "høyt prioritert krav", "normal": "vanlig krav"}


def plain_reason(action: Action, catalogue: Catalogue | None) -> str:
    """Why an action ranks where it does, in a leader's words: «kritisk krav, ikke startet, …»."""
    parts = []
    req = catalogue.by_id.get(action.requirement_id) if catalogue else None
    if req is not None:
        parts.append(PRIORITY_WORDS.get(req.priority, f"prioritet {req.priority}"))
    parts.append((action.status or "ubesvart").lower())
    if action.overdue:
        parts.append("fristen er passert")
    if action.risk == "høy":
        parts.append("høy risiko")
    if action.blocks:
        parts.append("andre krav bygger på det (" + ", ".join(action.blocks[:3]) + ")")
    return ", ".join(parts)


def plan_path(unit: UnitView) -> str:
    """Where a unit's action-plan workbook is inside the site (action_plan.py writes it)."""
    return f"nedlastinger/tiltaksplan/{unit.slug}.xlsx"


def catalogue_of(model: ReportModel, pathway: str, version: str | None = None) -> Catalogue | None:
    """The catalogue a unit was scored against: its stamped version when loaded, else current."""
    current = next((c for c in model.catalogues if c.id == pathway), None)
    return current.version_of(version) or current if current else None


def hf_scopes_of(model: ReportModel, hf: str, pathway: str | None = None) -> list[HfScope]:
    """The HF rows of one HF (and pathway), with who answers them for the HF."""
    return [
        s
        for s in model.hf_scopes
        if name_key(s.hf) == name_key(hf) and pathway in (None, s.pathway)
    ]


def hf_implemented(scopes: Sequence[HfScope], requirement_id: str) -> list[HfScope]:
    """HF rows whose answering unit reports the requirement as implemented («Lær av andre»)."""
    found = []
    for scope in scopes:
        answer = scope.answer(requirement_id)
        if answer and answer.implemented:
            found.append(scope)
    return found


def requirement_history(
    catalogue: Catalogue, requirement_id: str
) -> list[tuple[CatalogueDiff, VersionChange]]:
    """(versions, change) for every change to one requirement across the loaded versions."""
    return [(d, c) for d in version_history(catalogue) for c in d.for_requirement(requirement_id)]


def results_by_phase(
    results: Sequence[RequirementResult], catalogue: Catalogue | None
) -> list[tuple[str, list[RequirementResult]]]:
    """(phase title, applicable results) in catalogue order, for the unit's full list."""
    groups: dict[str, list[RequirementResult]] = {}
    for r in results:
        if r.applicable:
            groups.setdefault(r.phase, []).append(r)
    return [(catalogue.phase_title(p) if catalogue else p, rows) for p, rows in groups.items()]


FOLLOW_UP_PER_HF = {"hf": 20, "rhf": 5}
"""Rows of each follow-up list shown per HF on an HF page and on an RHF page.

At national size an RHF has thousands of passed frister: all of them made a page of ~350
screens. The oldest few per HF say where to start; tiltak.xlsx holds every one.
"""


class HfRows(NamedTuple):
    """One HF's part of a follow-up list: the rows shown, most pressing first, and the total."""

    rhf: str
    hf: str
    hf_slug: str
    rows: tuple[tuple[UnitView, Action], ...]
    total: int

    @property
    def hidden(self) -> int:
        """Rows left out of the page (they are in the download)."""
        return self.total - len(self.rows)


class FollowUpList(NamedTuple):
    """A follow-up list grouped by HF (in RHF, HF order), capped per HF."""

    groups: tuple[HfRows, ...]
    total: int

    @property
    def shown(self) -> int:
        """Rows on the page."""
        return sum(len(g.rows) for g in self.groups)


class FollowUp(NamedTuple):
    """What a quality adviser chases in an HF or RHF (internal build only)."""

    overdue: FollowUpList
    """Passed frister, oldest first."""
    no_owner: FollowUpList
    """The unit's own plans without an owner, earliest frist first (none last)."""
    not_started: list[tuple[str, str, int]]
    """(requirement id, title, units it applies to) that no unit in the group has started."""


def oldest_overdue_first(row: tuple[UnitView, Action]) -> tuple[object, ...]:
    """Sort key: the frist passed longest ago first, then unit and requirement."""
    unit, action = row
    return (action.due or dt.date.max, name_key(unit.score.unit.unit), action.rank)


def by_hf(
    rows: Sequence[tuple[UnitView, Action]],
    cap: int,
    hfs: Sequence[GroupView] = (),
) -> FollowUpList:
    """Rows grouped by the unit's HF (RHF, then HF name), each group in the order given, capped.

    ``hfs``: the model's HF groups, for the names their pages use; without them an HF is named
    as its first unit typed it.
    """
    names = {g.slug: (g.rhf, g.name) for g in hfs}
    groups: dict[str, list[tuple[UnitView, Action]]] = {}
    for row in rows:
        groups.setdefault(row[0].hf_slug, []).append(row)
    out = []
    for slug, members in groups.items():
        first = members[0][0].score.unit
        rhf, hf = names.get(slug, (first.rhf, first.hf))
        out.append(HfRows(rhf, hf, slug, tuple(members[:cap]), len(members)))
    out.sort(key=lambda g: (name_key(g.rhf), name_key(g.hf)))
    return FollowUpList(tuple(out), len(rows))


def follow_up(group: GroupView, hfs: Sequence[GroupView] = ()) -> FollowUp:
    """Passed frister, plans without an owner, and requirements nobody in the group has started.

    The two action lists are grouped by HF and capped (FOLLOW_UP_PER_HF) for the page; the
    download «tiltak» has every row.
    """
    cap = FOLLOW_UP_PER_HF.get(group.kind, FOLLOW_UP_PER_HF["hf"])
    overdue = [(u, a) for u in group.units for a in u.score.actions if a.overdue]
    overdue.sort(key=oldest_overdue_first)
    no_owner = [(u, a) for u in group.units for a in u.score.actions if a.own_plan and a.no_owner]
    no_owner.sort(key=oldest_overdue_first)
    started: dict[str, bool] = {}
    applies: dict[str, int] = {}
    titles: dict[str, str] = {
        a.requirement_id: a.title for u in group.units for a in u.score.actions
    }
    for u in group.units:
        for r in u.score.results:
            if not r.applicable or r.status is None:
                continue
            applies[r.requirement_id] = applies.get(r.requirement_id, 0) + 1
            begun = r.points is None or r.points > 0  # «Ikke aktuelt» is not «not started»
            started[r.requirement_id] = started.get(r.requirement_id, False) or begun
    not_started = [
        (rid, titles.get(rid, ""), applies[rid]) for rid, begun in started.items() if not begun
    ]
    return FollowUp(by_hf(overdue, cap, hfs), by_hf(no_owner, cap, hfs), not_started)


COLLAPSE_OVER = 15
"""A grouped list longer than this starts closed: the group names are the summary."""


def rhf_groups(
    rows: Sequence[UnitView | tuple[UnitView, float]],
) -> list[tuple[str, list[UnitView | tuple[UnitView, float]]]]:
    """(RHF, rows) by the rows' units' RHF, RHFs in name order, rows in the order given.

    For lists of units across the country (who has implemented a requirement, who typed a
    share): at national size hundreds of rows, which a reader scans by region.
    """
    groups: dict[str, tuple[str, list[UnitView | tuple[UnitView, float]]]] = {}
    for row in rows:
        unit = row if isinstance(row, UnitView) else row[0]
        rhf = unit.score.unit.rhf
        groups.setdefault(name_key(rhf), (rhf, []))[1].append(row)
    return [groups[k] for k in sorted(groups)]


def phase_rows(phases: Sequence[PhaseScore]) -> list[tuple[str, float | None]]:
    """(phase title, score) rows for a bar chart."""
    return [(p.title, p.score) for p in phases]


def type_rows(units: Sequence[UnitView]) -> list[tuple[str, list[float]]]:
    """(unit type, complete units' scores), for the comparison page."""
    rows: dict[str, list[float]] = {}
    for u in units:
        key = u.score.unit.unit_type or "ukjent"
        rows.setdefault(key, [])
        if u.score.complete and u.score.score is not None:
            rows[key].append(u.score.score)
    return sorted(rows.items())


def result_is(result: RequirementResult, kind: str) -> bool:
    """Sort a unit's results into «partial», «done» and «na» sections."""
    if kind == "na":
        return result.status is not None and result.points is None
    if result.points is None:
        return False
    return result.points == 1 if kind == "done" else 0 < result.points < 1


def score_rows(groups: Sequence[GroupView], min_group: int = 0) -> list[tuple[str, list[float]]]:
    """(group name, complete units' scores) for strip plots.

    With ``min_group``, a group with fewer complete units shows no dots and says «få enheter»,
    as the tables do: a lone dot would be that unit's own score.
    """
    rows: list[tuple[str, list[float]]] = []
    for g in groups:
        values = [u.score.score for u in g.units if u.score.complete and u.score.score is not None]
        if len(values) < min_group:
            rows.append((f"{g.name} (få enheter, n = {len(values)})", []))
        else:
            rows.append((g.name, values))
    return rows


def flagged_hfs(req: RequirementView) -> set[str]:
    """HFs (name keys) whose registry figure for this requirement is flagged «?».

    Most of their units say implemented while the measurement is under its target.
    """
    return {name_key(f.place) for f in req.figures if f.flagged and f.measurement.level == HF}


def learn_from(req: RequirementView) -> list[tuple[UnitView, bool]]:
    """Units to learn from («Lær av andre»): those reporting the requirement implemented.

    The ones whose HF's registry figure disagrees come last and marked, never recommended bare.
    """
    doubt = flagged_hfs(req)
    marked = [(u, name_key(u.score.unit.hf) in doubt) for u in req.implemented_by]
    return sorted(marked, key=lambda item: item[1])


def hfs_to_learn_from(model: ReportModel, req: RequirementView) -> list[tuple[HfScope, bool]]:
    """HFs that report an HF row implemented, marked where their own figure disagrees."""
    doubt = flagged_hfs(req)
    scopes = [s for s in model.hf_scopes if s.pathway == req.catalogue.id]
    marked = [(s, name_key(s.hf) in doubt) for s in hf_implemented(scopes, req.requirement.id)]
    return sorted(marked, key=lambda item: item[1])


REMINDER_CODES = frozenset({"due-in-past"})
"""Findings that remind of a frist rather than report a mistake in the data: counted apart."""
FINDINGS_PER_FILE = 12
"""Findings shown per file on the data-quality page; the unit page and «funn» have every one."""
FILES_PER_HF = 15
"""Files (units) shown per HF in the data-quality to-do list, most to fix first."""
NO_HF = "(helseforetak ikke oppgitt)"


FILE_STATUS = {"ok": "OK", "warnings": "OK med merknader", "rejected": "Avvist"}
"""A file's status in the reader's words, on the data-quality page and in «funn»."""
FINDING_KINDS = {"error": "Feil", "warning": "Advarsel", "info": "Merknad"}


def finding_order(item: Finding) -> int:
    """Sort key: errors, warnings, notes, then reminders of passed frister."""
    if item.code in REMINDER_CODES:
        return len(SEVERITY_ORDER)
    return SEVERITY_ORDER.get(item.severity, len(SEVERITY_ORDER))


def finding_kind(item: Finding) -> str:
    """«Feil», «Advarsel», «Merknad», or «Påminnelse» for a passed frist."""
    if item.code in REMINDER_CODES:
        return "Påminnelse"
    return FINDING_KINDS.get(item.severity, item.severity)


def file_identity(report: FileReport) -> tuple[str, str, str, str]:
    """(RHF, HF, unit, round) of a file: as validated, or as typed on a rejected file."""
    hf, unit, _ = report.sender()
    rhf = report.submission.meta.rhf if report.submission else report.meta.get("rhf", "")
    return rhf, hf, unit, file_period(report)


def finding_place(item: Finding) -> str:
    """«TSB-08 (Statuskartlegging!G14)»: the requirement a finding is about and its cell.

    A finding on no requirement's row is named by its cell or sheet alone.
    """
    return f"{item.requirement} ({item.location})" if item.requirement else item.location


def short_place(item: Finding) -> str:
    """«TSB-08 (G14)» for a cell on the checklist sheet; other places as ``finding_place``.

    For the national to-do list, where thousands of places share the one sheet.
    """
    if item.requirement and item.cell and item.sheet in L.CHECKLIST_SHEET_ALIASES:
        return f"{item.requirement} ({item.cell})"
    return finding_place(item)


class FixGroup(NamedTuple):
    """Findings of one kind with the same fix, in one file: what to do, and where."""

    kind: str
    """«Feil», «Advarsel» or «Merknad»."""
    fix: str
    places: tuple[str, ...]
    """Short places (``short_place``), in row order."""


def fix_groups(findings: Sequence[Finding]) -> tuple[FixGroup, ...]:
    """Findings grouped by kind and fix, in the order of their first finding.

    A finding on no requirement's row (a missing row, a front-sheet field) keeps its message
    before the fix: its place alone would not say what is wrong.
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for item in findings:
        fix = item.fix if item.requirement else f"{item.message} {item.fix}"
        groups.setdefault((finding_kind(item), fix), []).append(short_place(item))
    return tuple(FixGroup(kind, fix, tuple(places)) for (kind, fix), places in groups.items())


class FileToDo(NamedTuple):
    """What one file's unit must fix, errors first; reminders of passed frister only counted."""

    file: FileReport
    rhf: str
    hf: str
    unit: str
    period: str
    unit_slug: str | None
    """The unit's page, when it has one (a unit whose only skjema was rejected has none)."""
    findings: tuple[Finding, ...]
    """Errors, then warnings, then notes, each in row order; perhaps capped (``file_todo``)."""
    errors: int
    warnings: int
    notes: int
    reminders: tuple[Finding, ...]
    """Passed frister («due-in-past»), in row order: to follow up, not to correct."""

    @property
    def total(self) -> int:
        """Findings to fix (reminders not counted)."""
        return self.errors + self.warnings + self.notes

    @property
    def hidden(self) -> int:
        """Findings left out of the page (they are in the download)."""
        return self.total - len(self.findings)

    @property
    def fixes(self) -> tuple[FixGroup, ...]:
        """The findings kept, as «what to do: where» lines, errors first."""
        return fix_groups(self.findings)


def file_todo(
    report: FileReport, unit_slug: str | None = None, limit: int | None = None
) -> FileToDo:
    """One file's findings sorted into a to-do: errors, warnings and notes; reminders apart.

    ``limit``: findings kept (the data-quality page shows FINDINGS_PER_FILE; a unit page all).
    """
    rhf, hf, unit, period = file_identity(report)
    to_fix = [f for f in report.findings if f.code not in REMINDER_CODES]
    ordered = sorted(to_fix, key=finding_order)
    severities = [f.severity for f in to_fix]
    return FileToDo(
        file=report,
        rhf=rhf,
        hf=hf,
        unit=unit,
        period=period,
        unit_slug=unit_slug,
        findings=tuple(ordered[:limit]),
        errors=severities.count("error"),
        warnings=severities.count("warning"),
        notes=len(severities) - severities.count("error") - severities.count("warning"),
        reminders=tuple(f for f in report.findings if f.code in REMINDER_CODES),
    )


class HfToDo(NamedTuple):
    """One HF's part of the to-do list: its files with most to fix first, capped."""

    rhf: str
    hf: str
    hf_slug: str | None
    files: tuple[FileToDo, ...]
    total: int
    """Files in the HF with something to fix."""
    errors: int
    warnings: int
    notes: int

    @property
    def hidden(self) -> int:
        """Files left out of the page (their findings are in the download)."""
        return self.total - len(self.files)


class HfReminders(NamedTuple):
    """Passed frister in one HF: how many, in how many units (the list is on the unit pages)."""

    rhf: str
    hf: str
    hf_slug: str | None
    units: int
    frister: int


class RoundQuality(NamedTuple):
    """One round's files: how many, rejected, with errors or warnings, and passed frister."""

    period: str
    files: int
    rejected: int
    with_errors: int
    """Usable files with an error in a cell (the cell counts as unanswered)."""
    with_warnings: int
    """Files with warnings or notes and no error."""
    reminders: int


class DataQuality(NamedTuple):
    """The data-quality page as a to-do list per HF and unit (issue #27)."""

    period: str
    rounds: tuple[RoundQuality, ...]
    """Newest round first."""
    rejected: tuple[FileToDo, ...]
    """Every rejected file: not scored, so each is named. Newest round first, then RHF, HF, unit."""
    todo: tuple[HfToDo, ...]
    """The current round's usable files with something to fix, per HF (RHF, HF order)."""
    reminders: tuple[HfReminders, ...]
    """The current round's passed frister per HF."""
    earlier: int
    """Usable files of earlier rounds with something to fix: in the download, not on the page."""

    @property
    def todo_files(self) -> int:
        """Files of the current round on the to-do list (shown or not)."""
        return sum(g.total for g in self.todo)


def _most_to_fix(item: FileToDo) -> tuple[object, ...]:
    return (-item.errors, -item.warnings, -item.notes, name_key(item.unit), item.file.path)


def data_quality(model: ReportModel) -> DataQuality:
    """The current round's to-do per HF → unit, every rejected file, and counts per round.

    Errors come first; «due-in-past» reminders are counted apart, per HF, since a passed frist
    is a plan to follow up, not a mistake in the skjema.
    """
    by_path = {u.score.unit.path: u.slug for u in model.units}
    by_name = {
        (name_key(u.score.unit.hf), name_key(u.score.unit.unit)): u.slug for u in model.units
    }
    hf_groups = {name_key(g.name): g for g in model.hfs}

    def todo(report: FileReport) -> FileToDo:
        hf, unit, _ = report.sender()
        slug = by_path.get(report.path) or by_name.get((name_key(hf), name_key(unit)))
        return file_todo(report, slug, FINDINGS_PER_FILE)

    items = [todo(f) for f in model.files]
    current = [i for i in items if i.period == model.period]

    def hf_key(item: FileToDo | HfToDo | HfReminders) -> tuple[str, str]:
        return (name_key(item.rhf), name_key(item.hf))

    grouped: dict[str, list[FileToDo]] = {}
    for item in current:
        if item.file.status != "rejected" and item.total:
            grouped.setdefault(name_key(item.hf), []).append(item)
    hf_todo = []
    for key, files in grouped.items():
        group = hf_groups.get(key)
        files.sort(key=_most_to_fix)
        hf_todo.append(
            HfToDo(
                rhf=group.rhf if group else files[0].rhf,
                hf=group.name if group else files[0].hf or NO_HF,
                hf_slug=group.slug if group else None,
                files=tuple(files[:FILES_PER_HF]),
                total=len(files),
                errors=sum(f.errors for f in files),
                warnings=sum(f.warnings for f in files),
                notes=sum(f.notes for f in files),
            )
        )
    hf_todo.sort(key=hf_key)

    frister: dict[str, list[FileToDo]] = {}
    for item in current:
        if item.reminders:
            frister.setdefault(name_key(item.hf), []).append(item)
    reminders = []
    for key, files in frister.items():
        group = hf_groups.get(key)
        reminders.append(
            HfReminders(
                rhf=group.rhf if group else files[0].rhf,
                hf=group.name if group else files[0].hf or NO_HF,
                hf_slug=group.slug if group else None,
                units=len(files),
                frister=sum(len(f.reminders) for f in files),
            )
        )
    reminders.sort(key=hf_key)

    rejected = [i for i in items if i.file.status == "rejected"]
    rejected.sort(key=lambda i: (*hf_key(i), name_key(i.unit), i.file.path))
    rejected.sort(key=lambda i: period_key(i.period), reverse=True)  # stable: newest round first
    earlier = sum(
        1 for i in items if i.period != model.period and i.file.status != "rejected" and i.total
    )
    return DataQuality(
        period=model.period,
        rounds=_round_quality(items),
        rejected=tuple(rejected),
        todo=tuple(hf_todo),
        reminders=tuple(reminders),
        earlier=earlier,
    )


def _round_quality(items: Sequence[FileToDo]) -> tuple[RoundQuality, ...]:
    rounds: dict[str, list[FileToDo]] = {}
    for item in items:
        rounds.setdefault(item.period, []).append(item)
    out = []
    for period in sorted(rounds, key=period_key, reverse=True):
        files = rounds[period]
        usable = [f for f in files if f.file.status != "rejected"]
        out.append(
            RoundQuality(
                period=period,
                files=len(files),
                rejected=len(files) - len(usable),
                with_errors=sum(1 for f in usable if f.errors),
                with_warnings=sum(1 for f in usable if not f.errors and f.total),
                reminders=sum(len(f.reminders) for f in files),
            )
        )
    return tuple(out)
