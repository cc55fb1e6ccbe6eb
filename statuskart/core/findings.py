"""Finding: one problem in one input file, located by sheet and cell, with a bokmål message and fix.

Findings are data, never exceptions: a bad workbook is a result the run reports and carries on past.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from statuskart.core import messages as msg

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """A problem found in an input file."""

    code: str
    """Stable English kebab-case id, e.g. «status-invalid»."""
    severity: str
    """«error» (file not usable), «warning» or «info»."""
    file: str
    sheet: str | None
    cell: str | None
    """A1 reference, e.g. «G14»."""
    message: str
    fix: str
    detail: str = ""
    """The value the message was rendered with; for some codes it is text the user typed."""
    choices: str = ""
    requirement: str = ""
    """The requirement whose row the cell is on (a catalogue or «EGEN-n» ID), else empty."""

    @property
    def location(self) -> str:
        """«Statuskartlegging!G14», «Statuskartlegging» or «(hele filen)»."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or "(hele filen)"


def finding(
    code: str,
    file: str,
    *,
    sheet: str | None = None,
    cell: str | None = None,
    detail: object = "",
    choices: str = "",
    requirement: str = "",
) -> Finding:
    """Build a finding from its code's templates in messages.FINDINGS.

    With ``requirement`` the message always names it: a message whose template does not leads
    with «ID: », so a note in a cell far to the right of the ID column still says which row.
    """
    text = msg.FINDINGS[code]
    values = {"detail": detail, "choices": choices, "requirement": requirement}
    message = text.message.format(**values)
    if requirement and not names_requirement(message, requirement):
        message = f"{requirement}: {message}"
    return Finding(
        code=code,
        severity=text.severity,
        file=file,
        sheet=sheet,
        cell=cell,
        message=message,
        fix=text.fix.format(**values),
        detail=str(detail),
        choices=choices,
        requirement=requirement,
    )


def names_requirement(message: str, requirement: str) -> bool:
    """True when ``message`` mentions the ID as a whole word («TSB-1» is not in «TSB-10»)."""
    return re.search(rf"(?<![\w-]){re.escape(requirement)}(?![\w-])", message) is not None


STRUCTURAL_DETAIL = frozenset(
    {
        "requirement-missing",
        "row-title-mismatch",
        "answers-moved",
        "answer-pasted",
        "row-title-changed",
        "share-without-time-limit",
        "status-empty",
        "na-without-reason",
        "action-without-owner",
        "action-without-due",
        "missing-metadata",
        "front-sheet-missing",
        "unit-type-mismatch",
        "unit-type-not-in-pathway",
        "missing-metadata-optional",
        "missing-column",
        "too-many-rows",
        "rhf-inferred",
        "encrypted",
        "too-large",
        "legacy-format",
        "unsafe-content",
    }
)
"""Codes whose detail comes from the catalogue, the layout or statuskart itself, never from what a
person typed; every other finding's detail is treated as typed text."""
TEXT_LEFT_OUT = "[tekst utelatt]"


def without_typed_text(item: Finding) -> Finding:
    """The finding rendered from code and cell only, for audiences that see no free text."""
    if item.code in STRUCTURAL_DETAIL or not item.detail:
        return item
    return finding(
        item.code,
        item.file,
        sheet=item.sheet,
        cell=item.cell,
        detail=TEXT_LEFT_OUT,
        choices=item.choices,
        requirement=item.requirement,
    )


CELL_ERRORS = frozenset({"status-invalid"})
"""Errors that cost their cell, not the file: the requirement counts as unanswered and the rest of
the unit is scored (a typo in one status must not drop a unit from the report)."""


def file_status(findings: tuple[Finding, ...]) -> str:
    """«rejected» if any error beyond a single cell, «warnings» if any other finding, else «ok»."""
    if any(f.severity == "error" and f.code not in CELL_ERRORS for f in findings):
        return "rejected"
    return "warnings" if findings else "ok"


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when anything is an error, cell errors too: what `validate` and --strict fail on."""
    return any(f.severity == "error" for f in findings)
