"""Text for the terminal: characters from files and workbooks made visible and harmless.

A file name or a cell can carry ESC sequences (clear the screen, fake a prompt, set the window
title), C1 controls that some terminals obey, and bidi overrides that reorder what is shown
(«Trojan Source»). The CLI prints every such text through ``inert``.
"""

from __future__ import annotations

from itertools import chain

_CONTROLS = chain(
    (c for c in range(0x20) if c not in (0x09, 0x0A)),  # C0 except tab and newline
    range(0x7F, 0xA0),  # DEL and C1
    range(0x202A, 0x202F),  # bidi embeddings and overrides
    range(0x2066, 0x206A),  # bidi isolates
    range(0xD800, 0xE000),  # lone surrogates: the terminal's encoder would fail on them
)
_TABLE = {code: f"\\u{code:04x}" for code in _CONTROLS}
_LINE_TABLE = {
    **_TABLE,
    0x0A: "\\n",
    0x0D: "\\r",
    0x85: "\\u0085",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def inert(text: str) -> str:
    """Replace control and bidi characters with their ``\\uXXXX`` escape.

    The escape is also valid inside a JSON string, so the same function is safe on
    ``--format json`` output: a JSON reader gets the original characters back.
    """
    return text.translate(_TABLE)


def one_line(text: object) -> str:
    """``text`` made inert and kept on one line.

    A line break in a file name or a cell is shown as «\\n», so it cannot start a line of output
    that looks like statuskart's own.
    """
    return str(text).translate(_LINE_TABLE)
