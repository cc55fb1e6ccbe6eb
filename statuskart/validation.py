"""Validate stage: RawSubmission × catalogues → Submission + findings (a FileReport per file).

Interprets what people typed (status variants, dates as text) against the catalogue's scale. Every
row and field either becomes part of the Submission or yields a finding; nothing is dropped
silently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from statuskart.catalog.model import Catalogue, ScaleStep
from statuskart.cell_text import cell_text, percent_number, plain_text
from statuskart.findings import Finding, file_status, finding
from statuskart.identity import canonical_period
from statuskart.local_requirements import LocalRequirement, local_requirements, share_of
from statuskart.organisations import rhf_of
from statuskart.typed import RISK_ALIASES, UNIT_TYPE_ALIASES, label_key, parse_date
from statuskart.workbook import layout as L
from statuskart.workbook.read import RawCell, RawRow, RawSubmission, ReadResult


@dataclass(frozen=True, slots=True, kw_only=True)
class Answer:
    """A unit's answer to one requirement, interpreted."""

    requirement_id: str
    status: str | None
    """Scale label, or None when unanswered (or the row is missing or invalid)."""
    points: float | None
    not_applicable: bool
    comment: str | None
    action: str | None
    owner: str | None
    due: dt.date | None
    risk: str | None
    cell: str | None
    """Where the status is, e.g. «Statuskartlegging!G14»; None when the row is missing."""
    share: float | None = None
    """«Andel innen forløpstid» as typed, 0–100; shown beside the status, never scored."""


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitMeta:
    """Front-sheet facts about the unit and the round."""

    rhf: str
    hf: str
    unit: str
    unit_type: str | None
    period: str
    date: dt.date | None = None
    filled_by: str | None = None
    target: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Submission:
    """One unit's validated answers for one round, in catalogue order."""

    path: str
    sha256: str
    catalogue_id: str
    catalogue_version: str
    """The version the workbook was made from, as stamped (or the current one if unknown)."""
    meta: UnitMeta
    answers: tuple[Answer, ...]
    local: tuple[LocalRequirement, ...] = ()
    """The unit's own requirements («Egne krav»): shown on its page, never scored."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FileReport:
    """Everything known about one input file: its status, submission (if usable) and findings."""

    path: str
    sha256: str
    status: str
    """«ok», «warnings» or «rejected»."""
    submission: Submission | None
    findings: tuple[Finding, ...]
    meta: Mapping[str, str] = field(default_factory=dict)
    """Front-sheet values as found, also for rejected files (shown on the data-quality page)."""
    catalogue: str = ""
    open_dues: tuple[OpenDue, ...] = ()
    """Frister on unfinished rows: «due-in-past» depends on the day, so it is added by ``dated``."""


@dataclass(frozen=True, slots=True)
class OpenDue:
    """A frist on a row that is not implemented: passed or not depends on the day asked.

    Kept beside the findings so a report (cached, see intake.py) is the same every day.
    """

    due: dt.date
    sheet: str
    cell: str | None
    position: int
    """Index in the undated findings where «due-in-past» goes, so findings keep row order."""


def dated(report: FileReport, today: dt.date) -> FileReport:
    """The report with «due-in-past» for every open frist before ``today``, status updated."""
    passed = [d for d in report.open_dues if d.due < today]
    if not passed:
        return report
    found = list(report.findings)
    for shift, due in enumerate(passed):  # positions ascend: each insert shifts the later ones
        detail = due.due.strftime("%d.%m.%Y")
        extra = finding("due-in-past", report.path, sheet=due.sheet, cell=due.cell, detail=detail)
        found.insert(due.position + shift, extra)
    findings = tuple(found)
    return replace(report, findings=findings, status=file_status(findings))


def report_unread(result: ReadResult) -> FileReport:
    """A file that could not be read: rejected, with the reader's findings."""
    return FileReport(
        path=result.path,
        sha256=result.sha256,
        status="rejected",
        submission=None,
        findings=result.findings,
    )


def validate_submission(
    raw: RawSubmission, catalogues: Mapping[str, Catalogue], today: dt.date | None
) -> FileReport:
    """Interpret one raw workbook; errors make the file «rejected» and it gets no Submission.

    ``today`` None: leave out what depends on the day (for the cache; ``dated`` adds it).
    """
    found: list[Finding] = list(raw.findings)
    dues: list[OpenDue] = []
    catalogue = _identify_catalogue(raw, catalogues, found)
    meta = _meta(raw, found)
    answers: tuple[Answer, ...] = ()
    local: tuple[LocalRequirement, ...] = ()
    if catalogue is not None:
        # A frist is judged against --today (default: the day we read it) by ``dated``.
        unit_type = meta.unit_type if meta else None
        answers = _answers(raw, catalogue, dues, found, unit_type)
        cat = catalogue
        local = local_requirements(raw, lambda row, rid: _answer(raw, rid, row, cat, dues, found))
    status = file_status(tuple(found))
    submission = None
    if status != "rejected" and catalogue is not None and meta is not None:
        submission = Submission(
            path=raw.path,
            sha256=raw.sha256,
            catalogue_id=catalogue.id,
            catalogue_version=raw.stamp.get("catalogue_version", catalogue.version),
            meta=meta,
            answers=answers,
            local=local,
        )
    report = FileReport(
        path=raw.path,
        sha256=raw.sha256,
        status=status,
        submission=submission,
        findings=tuple(found),
        meta={k: t for k, c in raw.meta.items() if (t := cell_text(c))},
        catalogue=catalogue.label if catalogue else "",
        open_dues=tuple(dues),
    )
    return report if today is None else dated(report, today)


_text = plain_text


def _identify_catalogue(
    raw: RawSubmission, catalogues: Mapping[str, Catalogue], found: list[Finding]
) -> Catalogue | None:
    stamp_id = raw.stamp.get("catalogue_id")
    version = raw.stamp.get("catalogue_version")
    if stamp_id and L.STAMP_SOURCE_KEY in raw.stamp:  # stamp sheet deleted, fallback found
        found.append(
            finding("stamp-from-fallback", raw.path, detail=f"{stamp_id} {version or '(tom)'}")
        )
    if stamp_id:
        catalogue = catalogues.get(stamp_id)
        if catalogue is None:
            found.append(finding("unknown-catalogue", raw.path, detail=stamp_id))
            return None
        stamped = catalogue.version_of(version)
        if stamped is not None:  # a loaded version, current or earlier: read against its rows
            return stamped
        if version and version in catalogue.retired_versions:
            found.append(
                finding("catalogue-version-retired", raw.path, detail=f"{catalogue.id} {version}")
            )
        elif version != catalogue.version:
            found.append(
                finding(
                    "catalogue-version-unknown",
                    raw.path,
                    detail=f"{catalogue.id} {version or '(tom)'}",
                )
            )
        return catalogue
    ids = {str(r.value("id")).strip().upper() for r in raw.rows if r.value("id")}
    best = max(catalogues.values(), key=lambda c: len(ids & set(c.by_id)), default=None)
    if best is None or not ids & set(best.by_id):
        found.append(finding("unknown-catalogue", raw.path, detail="(ingen kjente krav-ID-er)"))
        return None
    found.append(finding("missing-stamp", raw.path, detail=f"«{best.title}» ({best.label})"))
    return best


def _meta(raw: RawSubmission, found: list[Finding]) -> UnitMeta | None:
    values: dict[str, str | None] = {}
    for f in L.META_FIELDS:
        cell = raw.meta.get(f.key)
        values[f.key] = cell_text(cell)
        if values[f.key] is None and f.key not in ("rhf", "target", "date"):
            code = "missing-metadata" if f.required else "missing-metadata-optional"
            found.append(_at(code, raw, cell, L.FRONT_SHEET, f.label))
    rhf = values["rhf"]
    if rhf is None and values["hf"]:
        rhf = rhf_of(values["hf"])
        if rhf:
            found.append(_at("rhf-inferred", raw, raw.meta.get("rhf"), L.FRONT_SHEET, rhf))
    if rhf is None:
        found.append(
            _at("missing-metadata-optional", raw, raw.meta.get("rhf"), L.FRONT_SHEET, "RHF")
        )
        rhf = "Ukjent RHF"
    unit_type = _choice(
        raw, raw.meta.get("unit_type"), L.FRONT_SHEET, UNIT_TYPE_ALIASES, "unknown-unit-type", found
    )
    date = _date_field(raw, raw.meta.get("date"), found)
    target = _target(raw, found)
    if not (values["hf"] and values["unit"] and values["period"]):
        return None
    period = canonical_period(values["period"])
    if period is None:
        found.append(
            _at("period-unrecognised", raw, raw.meta.get("period"), L.FRONT_SHEET, values["period"])
        )
    return UnitMeta(
        rhf=rhf.strip(),
        hf=values["hf"].strip(),
        unit=values["unit"].strip(),
        unit_type=unit_type,
        period=period or values["period"].strip(),
        date=date,
        filled_by=values["filled_by"],
        target=target,
    )


def _at(code: str, raw: RawSubmission, cell: RawCell | None, sheet: str, detail: object) -> Finding:
    return finding(
        code,
        raw.path,
        sheet=cell.sheet if cell else sheet,
        cell=cell.cell if cell else None,
        detail=detail,
    )


def _choice(
    raw: RawSubmission,
    cell: RawCell | None,
    sheet: str,
    aliases: Mapping[str, str],
    code: str,
    found: list[Finding],
) -> str | None:
    """Map a typed value onto a fixed list via its aliases; a finding at the cell if it misses."""
    text = _text(cell.value) if cell else None
    if text is None:
        return None
    value = aliases.get(label_key(text))
    if value is None:
        found.append(_at(code, raw, cell, sheet, text))
    return value


def _date_field(raw: RawSubmission, cell: RawCell | None, found: list[Finding]) -> dt.date | None:
    if cell is None or _text(cell.value) is None:
        return None
    date = parse_date(cell.value)
    if date is None:
        found.append(_at("unparseable-date", raw, cell, cell.sheet, _text(cell.value)))
    return date


def _target(raw: RawSubmission, found: list[Finding]) -> float | None:
    cell = raw.meta.get("target")
    text = cell_text(cell)
    if cell is None or text is None:
        return None
    # «80 %», «80» and 0.8 shown as 80 % all mean 80 (a typed «80 %» becomes 0.8 in a % cell).
    target = percent_number(cell)
    if target is None:
        try:
            target = float(text.replace(",", ".").replace("\u00a0", "").rstrip(" %"))
        except ValueError:
            target = -1.0
    if not 0 <= target <= 100:
        found.append(_at("target-invalid", raw, cell, cell.sheet, text))
        return None
    return target


def _answers(
    raw: RawSubmission,
    catalogue: Catalogue,
    dues: list[OpenDue],
    found: list[Finding],
    unit_type: str | None = None,
) -> tuple[Answer, ...]:
    """One Answer per requirement; one that does not apply to ``unit_type`` may be left out."""
    rows: dict[str, RawRow] = {}
    for row in raw.rows:
        rid = _row_id(row)
        id_cell = row.cells.get("id")
        where = {"sheet": raw.sheet, "cell": id_cell.cell if id_cell else f"A{row.row}"}
        if rid not in catalogue.by_id:
            found.append(finding("unknown-id", raw.path, detail=rid or "(tom)", **where))
        elif rid in rows:
            found.append(
                finding(
                    "duplicate-id",
                    raw.path,
                    detail=f"{rid} (rad {rows[rid].row} og {row.row})",
                    **where,
                )
            )
        else:
            rows[rid] = row
    answers = []
    for req in catalogue.requirements:
        found_row = rows.get(req.id)
        applies = req.counts_for_unit(unit_type)  # an HF row may be left blank or out
        if found_row is None:
            if applies:  # a template made for the unit type leaves the others out
                found.append(
                    finding("requirement-missing", raw.path, sheet=raw.sheet, detail=req.id)
                )
            answers.append(
                Answer(
                    requirement_id=req.id,
                    status=None,
                    points=None,
                    not_applicable=False,
                    comment=None,
                    action=None,
                    owner=None,
                    due=None,
                    risk=None,
                    cell=None,
                )
            )
            continue
        answers.append(
            _answer(
                raw,
                req.id,
                found_row,
                catalogue,
                dues,
                found,
                applies=applies,
                time_limited=bool(req.time_limits),
            )
        )
    return tuple(answers)


def _row_id(row: RawRow) -> str:
    return re.sub(r"\s+", "", str(row.value("id") or "")).upper()


def _answer(
    raw: RawSubmission,
    rid: str,
    row: RawRow,
    catalogue: Catalogue,
    dues: list[OpenDue],
    found: list[Finding],
    *,
    applies: bool = True,
    time_limited: bool = False,
) -> Answer:
    """Interpret one row's answer columns for requirement ``rid`` (a catalogue or local ID)."""
    status_cell = row.cells.get("status")
    step = _status(raw, rid, status_cell, catalogue, found, required=applies)
    share = share_of(raw, row.cells.get("share"), rid, time_limited, found)
    comment = cell_text(row.cells.get("comment"))
    action = cell_text(row.cells.get("action"))
    owner = cell_text(row.cells.get("owner"))
    due_cell = row.cells.get("due")
    due = _date_field(raw, due_cell, found)
    risk = _choice(raw, row.cells.get("risk"), raw.sheet, RISK_ALIASES, "risk-invalid", found)
    if step is not None and step.not_applicable and comment is None:
        found.append(
            _at("na-without-reason", raw, row.cells.get("comment") or status_cell, raw.sheet, rid)
        )
    if action is not None:
        if owner is None:
            found.append(_at("action-without-owner", raw, row.cells.get("owner"), raw.sheet, rid))
        if due_cell is None or _text(due_cell.value) is None:
            found.append(_at("action-without-due", raw, due_cell, raw.sheet, rid))
    unfinished = step is None or (step.points is not None and step.points < 1)
    if due is not None and unfinished:  # passed or not: see ``dated``
        sheet, cell = (due_cell.sheet, due_cell.cell) if due_cell else (raw.sheet, None)
        dues.append(OpenDue(due, sheet, cell, len(found)))
    return Answer(
        requirement_id=rid,
        status=step.label if step else None,
        points=step.points if step else None,
        not_applicable=bool(step and step.not_applicable),
        comment=comment,
        action=action,
        owner=owner,
        due=due,
        risk=risk,
        cell=f"{status_cell.sheet}!{status_cell.cell}" if status_cell else None,
        share=share,
    )


def _status(
    raw: RawSubmission,
    rid: str,
    cell: RawCell | None,
    catalogue: Catalogue,
    found: list[Finding],
    *,
    required: bool = True,
) -> ScaleStep | None:
    text = _text(cell.value) if cell else None
    if text is None:
        if required:
            found.append(_at("status-empty", raw, cell, raw.sheet, rid))
        return None
    key = label_key(text)
    for step in catalogue.scale.steps:
        if key == label_key(step.label):
            return step
    for step in catalogue.scale.steps:
        if key in {label_key(a) for a in step.aliases}:
            assert cell is not None
            found.append(
                finding(
                    "status-normalised",
                    raw.path,
                    sheet=cell.sheet,
                    cell=cell.cell,
                    detail=text,
                    choices=step.label,
                )
            )
            return step
    assert cell is not None
    found.append(
        finding(
            "status-invalid",
            raw.path,
            sheet=cell.sheet,
            cell=cell.cell,
            detail=text,
            choices=", ".join(catalogue.scale.labels),
        )
    )
    return None
