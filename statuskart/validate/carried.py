"""Returned pre-filled skjemas: were last round's answers gone through, or sent back untouched?

The skjema's hidden carry record (workbook/carry_record.py) says what each carried row was given.
A return whose carried answers and Dato are all as sent gets a warning: the answers were perhaps
confirmed by accident. A record that is missing or altered is a finding too, never a guess.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from statuskart.core import messages as msg
from statuskart.core.findings import Finding, finding
from statuskart.core.identity import name_key, period_id
from statuskart.validate.model import Answer, CarryCheck, UnitMeta
from statuskart.workbook import carry_record
from statuskart.workbook import layout as L
from statuskart.workbook.raw import RawSubmission

UNKNOWN_ROWS = "nevner krav skjemaet ikke har"


def answer_values(answer: Answer) -> dict[str, object]:
    """An interpreted answer by carry_record.ANSWER_KEYS, as the writer carried it."""
    return {key: getattr(answer, key) for key in carry_record.ANSWER_KEYS}


def check_carried(
    raw: RawSubmission,
    answers: Sequence[Answer],
    meta: UnitMeta | None,
    found: list[Finding],
) -> CarryCheck | None:
    """The CarryCheck of a pre-filled skjema (None for any other), findings added to ``found``."""
    seal = raw.stamp.get(carry_record.STAMP_KEY)
    parsed = carry_record.parse_record(raw.carry, seal)
    if parsed is None:
        return None
    if isinstance(parsed, str):
        sheet = carry_record.RECORD_SHEET if seal else L.STAMP_SHEET
        found.append(finding("carry-record-invalid", raw.path, sheet=sheet, detail=parsed))
        return None
    other = _made_for_another(parsed, raw, meta)
    if other is not None:
        found.append(other)
        return None
    by_id = {a.requirement_id: a for a in answers}
    unknown = [n for n, line in enumerate(raw.carry, start=1) if _unknown_row(line, by_id)]
    if unknown:
        found.append(
            finding(
                "carry-record-invalid",
                raw.path,
                sheet=carry_record.RECORD_SHEET,
                cell=f"B{unknown[0]}",
                detail=UNKNOWN_ROWS,
            )
        )
        return None
    changed = sum(
        1
        for rid, digest in parsed.rows.items()
        if carry_record.answer_digest(answer_values(by_id[rid])) != digest
    )
    date = meta.date if meta is not None else None
    check = CarryCheck(
        from_period=parsed.from_period,
        carried=len(parsed.rows),
        changed=changed,
        date_changed=date != parsed.from_date,
    )
    if check.carried and not check.touched:
        where = raw.meta.get("date")
        found.append(
            finding(
                "carried-untouched",
                raw.path,
                sheet=where.sheet if where else L.FRONT_SHEET,
                cell=where.cell if where else None,
                detail=check.carried,
            )
        )
    return check


def _unknown_row(line: Sequence[object], by_id: Mapping[str, Answer]) -> bool:
    """A record row («row», ID, digest) naming a requirement the skjema has no answer row for."""
    cells = [str(v).strip() if v is not None else "" for v in (*line, "", "")[:2]]
    return cells[0] == carry_record.ROW and cells[1] not in by_id


def _made_for_another(
    parsed: carry_record.CarryRecord, raw: RawSubmission, meta: UnitMeta | None
) -> Finding | None:
    """A finding when the record was made for another unit, round or catalogue version.

    A record copied with its seal from another skjema is intact, but its digests are of another
    unit's answers: every row would count as changed, and the skjema as gone through.
    """
    parts: list[tuple[str, str]] = []  # (what, front-sheet key)
    if (
        meta is not None
        and parsed.unit
        and (
            name_key(parsed.unit) != name_key(meta.unit) or name_key(parsed.hf) != name_key(meta.hf)
        )
    ):
        parts.append((msg.CARRY_OTHER_UNIT.format(unit=parsed.unit, hf=parsed.hf), "unit"))
    if meta is not None and parsed.period and period_id(parsed.period) != period_id(meta.period):
        parts.append((msg.CARRY_OTHER_PERIOD.format(period=parsed.period), "period"))
    version = raw.stamp.get("catalogue_version")
    if parsed.version and version and parsed.version != version.strip():
        parts.append((msg.CARRY_OTHER_VERSION.format(version=parsed.version), ""))
    if not parts:
        return None
    where = raw.meta.get(parts[0][1]) if parts[0][1] else None
    return finding(
        "carry-record-other",
        raw.path,
        sheet=where.sheet if where else L.STAMP_SHEET,
        cell=where.cell if where else None,
        detail=" og ".join(what for what, _ in parts),
    )
