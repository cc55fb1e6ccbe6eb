"""Validate stage: RawSubmission × catalogues → Submission + findings (a FileReport per file).

Interprets what people typed (status variants, dates as text) against the catalogue's scale. Every
row and field either becomes part of the Submission or yields a finding; nothing is dropped
silently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import replace

from statuskart.catalog.model import Catalogue, ScaleStep
from statuskart.core import messages as msg
from statuskart.core.findings import Finding, file_status, finding
from statuskart.core.identity import canonical_period, mixed_scripts, visible
from statuskart.validate.carried import check_carried
from statuskart.validate.local_requirements import local_requirements, share_of
from statuskart.validate.model import (
    Answer,
    CarryCheck,
    FileReport,
    LocalRequirement,
    OpenDue,
    Submission,
    UnitMeta,
)
from statuskart.validate.skjema_type import check_unit_type
from statuskart.validate.typed_values import RISK_ALIASES, UNIT_TYPE_ALIASES, label_key, parse_date
from statuskart.workbook import layout as L
from statuskart.workbook import row_marks
from statuskart.workbook.cell_text import cell_text, percent_number, plain_text
from statuskart.workbook.organisations import rhf_of
from statuskart.workbook.raw import RawCell, RawRow, RawSubmission, ReadResult


def dated(report: FileReport, today: dt.date) -> FileReport:
    """The report with «due-in-past» for every open frist before ``today``, status updated."""
    passed = [d for d in report.open_dues if d.due < today]
    if not passed:
        return report
    found = list(report.findings)
    for shift, due in enumerate(passed):  # positions ascend: each insert shifts the later ones
        detail = due.due.strftime("%d.%m.%Y")
        extra = finding(
            "due-in-past",
            report.path,
            sheet=due.sheet,
            cell=due.cell,
            detail=detail,
            requirement=due.requirement,
        )
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
    if meta is not None:
        meta = _visible_names(raw, meta, found)
    answers: tuple[Answer, ...] = ()
    local: tuple[LocalRequirement, ...] = ()
    carried: CarryCheck | None = None
    if catalogue is not None:
        # A frist is judged against --today (default: the day we read it) by ``dated``.
        unit_type = _pathway_unit_type(raw, catalogue, _front_unit_type(raw), found)
        if meta is not None and meta.unit_type != unit_type:
            meta = replace(meta, unit_type=unit_type)
        answers = _answers(raw, catalogue, dues, found, unit_type)
        check_unit_type(raw, catalogue, unit_type, found)
        cat = catalogue
        local = local_requirements(raw, lambda row, rid: _answer(raw, rid, row, cat, dues, found))
        carried = check_carried(raw, answers, meta, found)
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
        carried=carried,
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
        else:  # not a loaded version (the current one is loaded), so unknown or missing
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
    values = {f.key: cell_text(raw.meta.get(f.key)) for f in L.META_FIELDS}
    # Without the front sheet, one finding says so; a finding per field would say «empty».
    gone = _front_sheet_missing(raw, values)
    if gone is not None:
        found.append(gone)
    for f in L.META_FIELDS:
        if values[f.key] is None and f.key not in ("rhf", "target", "date") and gone is None:
            code = "missing-metadata" if f.required else "missing-metadata-optional"
            found.append(_at(code, raw, raw.meta.get(f.key), L.FRONT_SHEET, f.label))
    rhf = values["rhf"]
    if rhf is None and values["hf"]:
        rhf = rhf_of(values["hf"])
        if rhf:
            found.append(_at("rhf-inferred", raw, raw.meta.get("rhf"), L.FRONT_SHEET, rhf))
    if rhf is None:
        if gone is None:
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


def _visible_names(raw: RawSubmission, meta: UnitMeta, found: list[Finding]) -> UnitMeta:
    """RHF, HF and unit as a reader sees them: invisible characters out, mixed scripts refused.

    A name with a zero-width space or a Cyrillic «а» would otherwise display exactly like
    another unit's name while being a different unit.
    """
    names = {"rhf": meta.rhf, "hf": meta.hf, "unit": meta.unit}
    for key, name in names.items():
        cell = raw.meta.get(key)
        shown = visible(name)
        if shown != name:
            found.append(_at("name-invisible", raw, cell, L.FRONT_SHEET, shown))
            names[key] = shown
        word = mixed_scripts(shown)
        if word is not None:
            found.append(_at("name-mixed-scripts", raw, cell, L.FRONT_SHEET, word))
    return replace(meta, rhf=names["rhf"], hf=names["hf"], unit=names["unit"])


def _front_unit_type(raw: RawSubmission) -> str | None:
    """The front sheet's unit type, as UnitMeta has it (_meta makes the finding if unknown)."""
    cell = raw.meta.get("unit_type")
    return UNIT_TYPE_ALIASES.get(label_key(_text(cell.value) or "")) if cell else None


def _pathway_unit_type(
    raw: RawSubmission, catalogue: Catalogue, unit_type: str | None, found: list[Finding]
) -> str | None:
    """The unit type if the pathway has it; else None (every row counts) with a finding.

    A BUP skjema that says «avrusning» would otherwise have no row that counts for the unit.
    """
    if unit_type is None or unit_type in catalogue.unit_types:
        return unit_type
    cell = raw.meta.get("unit_type")
    found.append(
        finding(
            "unit-type-not-in-pathway",
            raw.path,
            sheet=cell.sheet if cell else L.FRONT_SHEET,
            cell=cell.cell if cell else None,
            detail=unit_type,
            choices=msg.or_list(list(catalogue.unit_types)),
        )
    )
    return None


def _front_sheet_missing(raw: RawSubmission, values: Mapping[str, str | None]) -> Finding | None:
    """One finding listing what cannot be read when the front sheet is missing, else None.

    Only when a required field is missing too: a one-sheet variant has its fields on the
    checklist sheet and needs no front sheet.
    """
    missing = [f for f in L.META_FIELDS if values[f.key] is None]
    if raw.front_sheet is None and any(f.required for f in missing):
        labels = ", ".join(f"«{f.label}»" for f in missing)
        return finding("front-sheet-missing", raw.path, detail=labels)
    return None


def _at(
    code: str,
    raw: RawSubmission,
    cell: RawCell | None,
    sheet: str,
    detail: object,
    requirement: str = "",
) -> Finding:
    return finding(
        code,
        raw.path,
        sheet=cell.sheet if cell else sheet,
        cell=cell.cell if cell else None,
        detail=detail,
        requirement=requirement,
    )


def _choice(
    raw: RawSubmission,
    cell: RawCell | None,
    sheet: str,
    aliases: Mapping[str, str],
    code: str,
    found: list[Finding],
    requirement: str = "",
) -> str | None:
    """Map a typed value onto a fixed list via its aliases; a finding at the cell if it misses."""
    text = _text(cell.value) if cell else None
    if text is None:
        return None
    value = aliases.get(label_key(text))
    if value is None:
        found.append(_at(code, raw, cell, sheet, text, requirement))
    return value


def _date_field(
    raw: RawSubmission, cell: RawCell | None, found: list[Finding], requirement: str = ""
) -> dt.date | None:
    if cell is None or _text(cell.value) is None:
        return None
    date = parse_date(cell.value)
    if date is None:
        found.append(_at("unparseable-date", raw, cell, cell.sheet, _text(cell.value), requirement))
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
    rows, misplaced = _rows_by_id(raw, catalogue, found)
    _moved_answers(raw, catalogue, rows, found)
    answers = []
    for req in catalogue.requirements:
        found_row = rows.get(req.id)
        applies = req.counts_for_unit(unit_type)  # an HF row may be left blank or out
        if found_row is None:
            if applies and req.id not in misplaced:  # a type's template leaves the others out
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


def _rows_by_id(
    raw: RawSubmission, catalogue: Catalogue, found: list[Finding]
) -> tuple[dict[str, RawRow], set[str]]:
    """Each catalogue ID's row, and the IDs found only on rows holding another requirement.

    The ID alone does not place an answer: sorting the ID column by itself, or pasting an ID over
    another row, leaves valid unique IDs on rows that hold other requirements' answers. The title
    beside the ID must agree with the catalogue, or the row is an error and its answer is not
    read for either requirement.
    """
    rows: dict[str, RawRow] = {}
    misplaced: set[str] = set()
    owners = {label_key(r.title): r.id for r in catalogue.requirements}
    for row in raw.rows:
        rid = _row_id(row)
        id_cell = row.cells.get("id")
        where = {"sheet": raw.sheet, "cell": id_cell.cell if id_cell else f"A{row.row}"}
        if rid not in catalogue.by_id:
            typed = cell_text(id_cell) or "(tom)"
            found.append(finding("unknown-id", raw.path, detail=typed, **where))
            continue
        title_cell = row.cells.get("title")
        title = _text(title_cell.value) if title_cell else None
        if title_cell is not None and title is not None:
            key = label_key(title)
            owner = owners.get(key)
            if owner is not None and owner != rid and key not in _own_titles(catalogue, rid):
                detail = f"{rid} ({where['cell']}) har tittelen til {owner} ({title_cell.cell})"
                found.append(finding("row-title-mismatch", raw.path, detail=detail, **where))
                misplaced.add(rid)
                continue
            if owner is None and key not in _own_titles(catalogue, rid):
                found.append(
                    _at("row-title-changed", raw, title_cell, raw.sheet, rid),
                )
        if rid in rows:
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
    return rows, misplaced - rows.keys()


def _moved_answers(
    raw: RawSubmission, catalogue: Catalogue, rows: Mapping[str, RawRow], found: list[Finding]
) -> None:
    """Answers that a sort or a cut moved away from their requirement, by their row marks.

    A column sorted on its own moves every answer to another requirement: an error per column,
    and the file is not scored. One answer cut from one row and pasted into another is a warning
    (it may have been put right on purpose); a copied answer leaves its source marked and is fine.
    """
    stamp = raw.stamp
    if (
        not row_marks.carries_marks(stamp.get("template_version"))
        or stamp.get("catalogue_version") != catalogue.version
    ):
        return  # marks are numbered by the version the skjema was written from
    ids = {n: r.id for n, r in enumerate(catalogue.requirements, start=1)}
    numbers = {rid: n for n, rid in ids.items()}
    for key in row_marks.MARKED_COLUMNS:
        own = {rid: row.cells[key].mark for rid, row in rows.items() if key in row.cells}
        moved: list[tuple[RawCell, str, str]] = []
        for rid, row in rows.items():
            cell = row.cells.get(key)
            source = ids.get(cell.mark or 0) if cell is not None else None
            if cell is None or source is None or source == rid or source not in own:
                continue
            if _text(cell.value) is None:
                continue  # an empty cell moved carries no answer
            if own[source] is None:  # the source cell lost its formatting: cut and pasted
                found.append(
                    finding(
                        "answer-pasted",
                        raw.path,
                        sheet=cell.sheet,
                        cell=cell.cell,
                        detail=source,
                        choices=rid,
                    )
                )
            elif own[source] != numbers[source]:  # the source holds a third row's answer
                moved.append((cell, rid, source))
        if moved:
            label = next(c.label for c in L.COLUMNS if c.key == key)
            named = [f"{c.cell} ({rid} har svaret til {src})" for c, rid, src in moved[:3]]
            more = f" og {len(moved) - 3} til" if len(moved) > 3 else ""
            detail = f"«{label}»: " + ", ".join(named) + more
            found.append(_at("answers-moved", raw, moved[0][0], raw.sheet, detail))


def _own_titles(catalogue: Catalogue, rid: str) -> set[str]:
    """The requirement's title in every loaded version: a skjema may be of an older one."""
    return {
        label_key(v.by_id[rid].title) for v in (catalogue, *catalogue.versions) if rid in v.by_id
    }


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
    due = _date_field(raw, due_cell, found, rid)
    risk_cell = row.cells.get("risk")
    risk = _choice(raw, risk_cell, raw.sheet, RISK_ALIASES, "risk-invalid", found, rid)
    if step is not None and step.not_applicable and comment is None:
        where = row.cells.get("comment") or status_cell
        found.append(_at("na-without-reason", raw, where, raw.sheet, rid, rid))
    if action is not None:
        if owner is None:
            found.append(
                _at("action-without-owner", raw, row.cells.get("owner"), raw.sheet, rid, rid)
            )
        if due_cell is None or _text(due_cell.value) is None:
            found.append(_at("action-without-due", raw, due_cell, raw.sheet, rid, rid))
    answer = Answer(
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
    if due is not None and answer.unfinished:  # passed or not: see ``dated``
        sheet, cell = (due_cell.sheet, due_cell.cell) if due_cell else (raw.sheet, None)
        dues.append(OpenDue(due, sheet, cell, len(found), rid))
    return answer


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
            found.append(_at("status-empty", raw, cell, raw.sheet, rid, rid))
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
                    requirement=rid,
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
            requirement=rid,
        )
    )
    return None
