"""Colour contrast as WCAG 2 defines it, so text on a coloured cell is chosen, not hoped for."""

from __future__ import annotations

from typing import NamedTuple

BLACK = "#000000"
WHITE = "#FFFFFF"
AA = 4.5
"""WCAG 2 AA for normal-size text: the cells print their share and n at table size."""


def luminance(colour: str) -> float:
    """Relative luminance of «#RRGGBB» (WCAG 2, sRGB)."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """Contrast ratio of two colours, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(background: str) -> str:
    """Black or white, whichever contrasts more with ``background``."""
    return BLACK if contrast(background, BLACK) >= contrast(background, WHITE) else WHITE


class HeatKey(NamedTuple):
    """The background of one colour class and whether its text is white."""

    colour: str
    dark: bool


HEAT_SCALE = ("#EFF3FF", "#BDD7E7", "#6BAED6", "#3182BD", "#08519C")
"""ColorBrewer «Blues», light to dark: black text on the first four, white on the last, each at
least 4.5:1 (tests/test_heatmap.py). The share is printed in every cell; colour only helps."""


def heat_key(level: int, count: int) -> HeatKey:
    """Colour of class ``level`` of ``count``: the classes are spread over the whole scale."""
    last = len(HEAT_SCALE) - 1
    index = last // 2 if count <= 1 else round(level * last / (count - 1))
    colour = HEAT_SCALE[max(0, min(last, index))]
    return HeatKey(colour, text_on(colour) == WHITE)
