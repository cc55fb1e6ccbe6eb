"""Validate stage, part two: the unit's own requirements («Egne krav») and the typed share.

A unit adds local requirements in the «EGEN-n» rows below the catalogue. They are checked like any
other row (status, dates, tiltak without ansvarlig …) but belong to no catalogue: they are shown on
the unit's own page and never scored, compared or exported with the catalogue's rows.
"""

from __future__ import annotations

from collections.abc import Callable

from statuskart.core.findings import Finding, finding
from statuskart.validate.model import Answer, LocalRequirement
from statuskart.validate.typed_values import AmbiguousShare, parse_share
from statuskart.workbook import layout as L
from statuskart.workbook.cell_text import cell_text
from statuskart.workbook.raw import RawCell, RawRow, RawSubmission

RowReader = Callable[[RawRow, str], Answer]
"""Interprets one row's answer columns for a requirement ID, adding findings as it goes."""


def local_requirements(raw: RawSubmission, read_row: RowReader) -> tuple[LocalRequirement, ...]:
    """The filled «Egne krav» rows, in sheet order (the reader already left out blank ones)."""
    out = []
    for row in raw.local_rows:
        rid = L.local_id(row.value("id"))
        out.append(
            LocalRequirement(
                id=rid,
                title=cell_text(row.cells.get("title")),
                text=cell_text(row.cells.get("text")),
                answer=read_row(row, rid),
            )
        )
    return tuple(out)


def share_of(
    raw: RawSubmission,
    cell: RawCell | None,
    rid: str,
    time_limited: bool,
    found: list[Finding],
) -> float | None:
    """The share typed as «Andel innen forløpstid», 0–100; a finding where it cannot count.

    Blank is fine. On a row without forløpstid any value is a finding: there is nothing to
    measure it against.
    """
    text = cell_text(cell)
    if cell is None or text is None:
        return None
    where = {"sheet": cell.sheet, "cell": cell.cell, "requirement": rid}
    if not time_limited:
        found.append(finding("share-without-time-limit", raw.path, detail=rid, **where))
        return None
    try:
        return parse_share(cell.value, cell.number_format)
    except AmbiguousShare:
        found.append(finding("share-format-unknown", raw.path, detail=text, **where))
        return None
    except ValueError:
        found.append(finding("share-invalid", raw.path, detail=text, **where))
        return None
