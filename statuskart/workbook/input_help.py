"""Data validation of the blank skjema: what each answer cell accepts and what it says when chosen.

Every validated cell shows an input message (Excel and LibreOffice show it beside the selected
cell) and refuses anything else with an error naming what to type. Excel reports a file as damaged
and drops its validation when a title passes 32 characters or a message or inline list passes
255, so every text is checked here before it is written.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.worksheet.datavalidation import DataValidation

from statuskart.core import messages as msg
from statuskart.core.errors import CatalogError

TITLE_LIMIT = 32
"""Excel's longest input or error title, in characters."""
MESSAGE_LIMIT = 255
"""Excel's longest input or error message, and its longest inline list (formula1)."""
FIRST_DATE_SERIAL = "36526"
"""01.01.2000 as an Excel date serial: a date cell refuses anything earlier (and any text)."""
SHARE_RANGE = ("0", "1")
"""The share cell is percent-formatted, so «80 %» is stored 0.8: 0 % to 100 % is 0 to 1."""
TARGET_RANGE = ("0", "100")
"""«Mål for skår» is a score from 0 to 100 (a typed «80 %», stored 0.8, is read as 80 too)."""


def choice_list(key: str, choices: Sequence[str]) -> DataValidation:
    """A drop-down list of ``choices``, named in the error while they fit Excel's limit.

    A list Excel would split (a comma in a choice) or drop (too long) is a catalogue error.
    """
    formula = '"' + ",".join(choices) + '"'
    if len(formula) > MESSAGE_LIMIT or any("," in c or '"' in c for c in choices):
        raise CatalogError(
            msg.SKJEMA_LIST_UNFIT.format(
                choices=", ".join(f"«{c}»" for c in choices), length=len(formula)
            )
        )
    help_text = msg.SKJEMA_INPUT_HELP[key]
    error = help_text.error.format(choices=", ".join(choices))
    return _with_help(
        DataValidation(type="list", formula1=formula),
        key,
        help_text.prompt.format(choices=msg.or_list(list(choices))),
        error if len(error) <= MESSAGE_LIMIT else msg.SKJEMA_CHOICES_TOO_LONG,
    )


def date_input(key: str) -> DataValidation:
    """A date from 01.01.2000 on: Excel and LibreOffice refuse text and numbers that are not."""
    dv = DataValidation(type="date", operator="greaterThan", formula1=FIRST_DATE_SERIAL)
    return _with_help(dv, key)


def number_between(key: str, bounds: tuple[str, str]) -> DataValidation:
    """A number (decimals allowed) from ``bounds[0]`` to ``bounds[1]``, both included."""
    low, high = bounds
    dv = DataValidation(type="decimal", operator="between", formula1=low, formula2=high)
    return _with_help(dv, key)


def _with_help(
    dv: DataValidation, key: str, prompt: str | None = None, error: str | None = None
) -> DataValidation:
    """Blank allowed, input message shown, anything else refused with the error for ``key``."""
    help_text = msg.SKJEMA_INPUT_HELP[key]
    prompt = help_text.prompt if prompt is None else prompt
    error = help_text.error if error is None else error
    for text, limit in (
        (help_text.title, TITLE_LIMIT),
        (help_text.error_title, TITLE_LIMIT),
        (prompt, MESSAGE_LIMIT),
        (error, MESSAGE_LIMIT),
    ):
        if len(text) > limit:
            raise ValueError(f"{key}: «{text}» is over Excel's {limit} characters")
    dv.allow_blank = True
    dv.showInputMessage = True
    dv.promptTitle, dv.prompt = help_text.title, prompt
    dv.showErrorMessage = True
    dv.errorTitle, dv.error = help_text.error_title, error
    return dv
