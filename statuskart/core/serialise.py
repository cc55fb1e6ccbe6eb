"""Plain-data views of result objects for --format json/csv: what the library returned, as JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

INTERNAL = ("by_id", "open_dues")
"""Fields that are lookups or bookkeeping, not results."""


def to_data(obj: Any) -> Any:
    """Dataclasses, tuples, mappings and dates → JSON-ready dicts, lists and ISO strings."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: to_data(getattr(obj, f.name))
            for f in dataclasses.fields(obj)
            if f.name not in INTERNAL
        }
    if isinstance(obj, dict):
        return {str(k): to_data(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_data(v) for v in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj


def to_json(obj: Any) -> str:
    """Indented JSON, non-ASCII kept readable."""
    return json.dumps(to_data(obj), ensure_ascii=False, indent=2)


def safe_cell(value: Any) -> Any:
    """Neutralise text that a spreadsheet would run as a formula (OWASP ASVS 1.2.10)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r", "\0"):
        return "'" + value
    return value
