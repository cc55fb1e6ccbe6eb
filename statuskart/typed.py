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
