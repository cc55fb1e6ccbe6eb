"""Typed values: how the unit types, risks and dates people type into a skjema are read.

Each accepted spelling is data here; validation.py decides what a value that fits none of them
costs (a finding at its cell).
"""

from __future__ import annotations

import datetime as dt
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


def parse_share(value: Any, number_format: str = "General") -> float:
    """A share of patients as a percentage 0–100; ValueError when it is not one.

    «80 %» typed in Excel or LibreOffice is 0.8 in a percent-formatted cell; .ods files read
    without formats give the same 0.8. So a number from 0 to 1 is a fraction (0.8 → 80), a
    larger one a percentage (80 → 80), and text with a % sign the percentage written.
    """
    from statuskart.cell_text import is_percent  # cell_text needs the reader; typed.py does not

    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        number, written_as_percent = float(value), False
        if is_percent(number_format):
            number, written_as_percent = number * 100, True
    elif isinstance(value, str):
        text = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
        written_as_percent = text.endswith("%")
        number = float(text.rstrip("%"))  # ValueError for anything but a number
    else:
        raise ValueError(value)
    if not written_as_percent and 0 <= number <= 1:
        number *= 100
    if not 0 <= number <= 100 or number != number:  # NaN is not a share
        raise ValueError(value)
    return number
