"""Numbers the Norwegian way through Babel (it comes with Material): «1 000», «83 %», «72,5».

Thousands are grouped with a non-breaking space and percent signs keep to their number, so a line
break never splits «83» from «%». Results are cached: Babel parses its pattern and locale on every
call, and a national build formats the same few shares hundreds of thousands of times.
"""

from __future__ import annotations

import functools

from babel.numbers import format_decimal, format_percent

LOCALE = "nb_NO"


@functools.lru_cache(maxsize=8192)
def number(value: float, decimals: int = 0) -> str:
    """«1 000», «72», «72,5» (with ``decimals=1``)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return str(format_decimal(value, format=pattern, locale=LOCALE))


@functools.lru_cache(maxsize=8192)
def percent(share: float) -> str:
    """A share 0–1 as «83 %» (non-breaking space before the sign)."""
    return str(format_percent(share, format="#,##0\u00a0%", locale=LOCALE))


def count(n: int, one: str, many: str) -> str:
    """«1 fil», «2 filer», «1 000 enheter»."""
    return f"{number(n)} {one if n == 1 else many}"
