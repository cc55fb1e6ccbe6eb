"""Validate stage, part three: a skjema made for one unit type, filled in by a unit of another.

``statuskart template --unit-type X`` leaves out the rows that do not apply to X. If the front
sheet then names a type those rows do apply to, every left-out row would be «missing»: dozens of
findings that all point at rows, while the cause is one choice. This replaces them with one
finding that names the skjema's type, the front sheet's type and what to do.
"""

from __future__ import annotations

from statuskart.catalog.model import Catalogue
from statuskart.core import messages as msg
from statuskart.core.findings import Finding, finding
from statuskart.validate.typed_values import UNIT_TYPE_ALIASES, label_key
from statuskart.workbook.raw import RawSubmission

LISTED_IDS = 8
"""Requirement IDs named in the finding; the rest are counted («og 37 til»)."""


def skjema_unit_types(raw: RawSubmission, catalogue: Catalogue) -> tuple[str, ...]:
    """The unit type(s) the skjema was made for: stamped, else the one whose rows it has.

    Empty when it has every row (made for all types) or its rows match no type's. An unstamped
    skjema whose rows match several types' (they may share their rows) gives all of them.
    """
    stamped = UNIT_TYPE_ALIASES.get(label_key(raw.stamp.get("unit_type", "")))
    if stamped is not None:
        return (stamped,)
    present = {_row_id(row.value("id")) for row in raw.rows}
    present &= set(catalogue.by_id)
    if present == set(catalogue.by_id):
        return ()
    types = sorted({t for r in catalogue.requirements for t in r.unit_types})
    return tuple(t for t in types if _rows_for(catalogue, t) == present)


def check_unit_type(
    raw: RawSubmission, catalogue: Catalogue, unit_type: str | None, found: list[Finding]
) -> None:
    """One «unit-type-mismatch» in ``found`` instead of a «requirement-missing» per left-out row.

    Only rows the front sheet's type needs and the skjema's type left out are replaced; a row
    the unit deleted itself is still its own finding.
    """
    made_for = skjema_unit_types(raw, catalogue)
    if unit_type is None or not made_for or unit_type in made_for:
        return
    left_out = [
        r.id
        for r in catalogue.requirements
        if r.counts_for_unit(unit_type) and not r.applies_to(made_for[0])
    ]
    if not left_out:  # the skjema has every row this type answers: nothing is missing
        return
    gone = set(left_out)
    found[:] = [f for f in found if not (f.code == "requirement-missing" and f.detail in gone)]
    listed = ", ".join(left_out[:LISTED_IDS])
    if len(left_out) > LISTED_IDS:
        listed += msg.UNIT_TYPE_MORE.format(n=len(left_out) - LISTED_IDS)
    detail = msg.UNIT_TYPE_MISMATCH.format(
        made_for=msg.or_list([f"«{t}»" for t in made_for]),
        unit_type=unit_type,
        n=len(left_out),
        ids=listed,
    )
    cell = raw.meta.get("unit_type")  # where the fix may go: the front sheet's type
    where = {"sheet": cell.sheet, "cell": cell.cell} if cell else {"sheet": raw.sheet}
    found.append(finding("unit-type-mismatch", raw.path, detail=detail, **where))


def _rows_for(catalogue: Catalogue, unit_type: str) -> set[str]:
    return {r.id for r in catalogue.requirements if r.applies_to(unit_type)}


def _row_id(value: object) -> str:
    return "".join(str(value or "").split()).upper()
