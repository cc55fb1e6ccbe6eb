"""Returned pre-filled skjemas: were last round's answers gone through, or sent back untouched?

The skjema's hidden carry record (workbook/carry_record.py) says what each carried row was given.
A return whose carried answers and Dato are all as sent gets a warning: the answers were perhaps
confirmed by accident. A record that is missing or altered is a finding too, never a guess.
"""

from __future__ import annotations

from collections.abc import Sequence

from statuskart.core.findings import Finding, finding
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
    parsed = carry_record.parse_record(raw.carry, raw.stamp.get(carry_record.STAMP_KEY))
    if parsed is None:
        return None
    if isinstance(parsed, str):
        found.append(finding("carry-record-invalid", raw.path, detail=parsed))
        return None
    by_id = {a.requirement_id: a for a in answers}
    if any(rid not in by_id for rid in parsed.rows):
        found.append(finding("carry-record-invalid", raw.path, detail=UNKNOWN_ROWS))
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
