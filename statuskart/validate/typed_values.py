"""Typed values: how the unit types, risks and dates people type into a skjema are read.

Each accepted spelling is data here; rules.py decides what a value that fits none of them
costs (a finding at its cell).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from openpyxl.utils.datetime import from_excel

UNIT_TYPE_ALIASES = {
    "poliklinikk": "poliklinikk",
    "poliklinisk": "poliklinikk",
    "poliklinikk (voksne)": "poliklinikk",
    "outpatient": "poliklinikk",
    "døgn": "døgn",
    "døgnenhet": "døgn",
    "døgnavdeling": "døgn",
    "dogn": "døgn",
    "døgeining": "døgn",
    "inpatient": "døgn",
    "ambulant": "ambulant",
    "ambulant team": "ambulant",
    "avrusning": "avrusning",
    "avgiftning": "avrusning",
    "detox": "avrusning",
    "dagbehandling": "dagbehandling",
    "dagavdeling": "dagbehandling",
    "dagtilbud": "dagbehandling",
    "dagbehandlingstilbud": "dagbehandling",
    "akutt": "akutt",
    "akuttenhet": "akutt",
    "akutteam": "akutt",
    "akuttseksjon": "akutt",
    "vurderingsenhet": "vurderingsenhet",
    "vurderingsteam": "vurderingsenhet",
    "inntaksteam": "vurderingsenhet",
    "vurderingsinstans": "vurderingsenhet",
}
RISK_ALIASES = {
    "lav": "lav",
    "låg": "lav",
    "low": "lav",
    "middels": "middels",
    "medium": "middels",
    "moderat": "middels",
    "høy": "høy",
    "høg": "høy",
    "hoy": "høy",
    "high": "høy",
}
DATE_FORMATS = (
    "%d.%m.%Y",
    "%d.%m.%y",
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d.%m.%Y %H:%M",
)


def label_key(value: Any) -> str:
    return " ".join(str(value).split()).strip(" .!").casefold()


def unit_type(value: Any) -> str | None:
    """The unit type a spelling names («Poliklinikk», «DØGN», « ambulant  team»); None if none."""
    return UNIT_TYPE_ALIASES.get(label_key(value))


def parse_date(value: Any) -> dt.date | None:
    """A date from a date cell, an Excel serial number or day-first text; None if not a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        serial: dt.datetime = from_excel(value)  # a serial number in a cell formatted as a number
        return serial.date()
    if isinstance(value, str):
        text = value.strip()
        for fmt in DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time zone
            except ValueError:
                continue
    return None


class AmbiguousShare(ValueError):
    """A number above 1 in a cell whose number format the file does not tell.

    «80» typed into the percent-formatted share cell is 8000 % and refused from .xlsx; typed
    into a plain cell it is 80 %. Without the format neither reading is safe, so none is taken.
    """


_SHARE_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)%?", re.ASCII)
"""A share typed as text, once spaces are gone and a decimal comma is a point: «80», «80.5%»."""


def parse_share(value: Any, number_format: str = "General") -> float:
    """A share of patients as a percentage 0–100; ValueError when it is not one.

    «80 %» typed in Excel or LibreOffice is 0.8 in a percent-formatted cell, «80» there is 80
    (shown as 8000 %): the number format decides, read from every file type alike. A number
    from 0 to 1 in a plain cell is a fraction (0.8 → 80), a larger one a percentage (80 → 80),
    and text with a % sign the percentage written. A number above 1 whose format is unknown
    raises AmbiguousShare.
    """
    from statuskart.workbook.cell_text import (  # cell_text needs the reader
        UNKNOWN_FORMAT,
        is_percent,
    )

    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError as exc:  # an integer too large for a float is no share either
            raise ValueError(value) from exc
        written_as_percent = is_percent(number_format)
        if written_as_percent:
            number *= 100
        elif number > 1 and number_format == UNKNOWN_FORMAT:
            raise AmbiguousShare(value)
    elif isinstance(value, str):
        text = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        text = text.replace(",", ".")
        if _SHARE_TEXT.fullmatch(text) is None:
            raise ValueError(value)
        written_as_percent = text.endswith("%")
        number = float(text.removesuffix("%"))
    else:
        raise ValueError(value)
    if not written_as_percent and 0 <= number <= 1:
        number *= 100
    if not 0 <= number <= 100:  # NaN and infinity fail this too
        raise ValueError(value)
    return number
