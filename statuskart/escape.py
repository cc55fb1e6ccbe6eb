"""The one boundary where untrusted text becomes page text: inert in Markdown and HTML alike.

Everything typed into a workbook, register or catalogue is untrusted. Pages, charts and page
titles all escape through here, so the rule lives in one place and a new template cannot forget it
(pages.py installs ``escape_text`` as the Jinja environment's ``finalize``).
"""

from __future__ import annotations

import html
import re

import yaml
from markupsafe import Markup

# Characters that start Markdown or HTML syntax anywhere in a line (Python-Markdown with the
# site's extensions); they become numeric character references, which mean the same character
# in a Markdown paragraph and in a raw HTML block alike.
MD_SPECIAL = frozenset("\\`*_{}[]()<>#+!|~&\"'=$^")
_BREAKS = re.compile(r"\r\n?|\n|\u2028|\u2029")
_ORDERED = re.compile(r"^(\d+)\.")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_REFS = str.maketrans({c: f"&#{ord(c)};" for c in MD_SPECIAL})
"""MD_SPECIAL → numeric references, for str.translate (every printed value passes here)."""


def _ref(char: str) -> str:
    return f"&#{ord(char)};"


def escape_text(value: object, *, line_break: str = "&#10;") -> Markup:
    """Untrusted text → inert text in both Markdown and HTML context: the one boundary.

    Every printed template value passes here (the environment's ``finalize``), so a new template
    cannot forget it. Line breaks become ``line_break`` and control characters are dropped (they
    include Python-Markdown's own placeholder markers); the first character is a reference when it
    is not a letter or digit (and «1.» loses its dot), so nothing typed starts a list or heading.
    """
    text = _CONTROL.sub("", str(value))
    lines = _BREAKS.split(text)
    out = []
    for line in lines:
        escaped = line.translate(_REFS)
        if line and not line[0].isalnum() and not escaped.startswith("&#"):
            escaped = _ref(line[0]) + escaped[1:]
        escaped = _ORDERED.sub(lambda m: m[1] + _ref("."), escaped)
        out.append(escaped)
    return Markup(line_break.join(out))


def front_matter_title(value: object) -> Markup:
    """A page's YAML ``title``: MkDocs-Material prints it unescaped, so it is HTML-escaped here."""
    text = _BREAKS.sub(" ", _CONTROL.sub("", str(value)))
    return Markup(
        yaml.safe_dump(
            html.escape(text, quote=True), width=10_000, allow_unicode=True
        ).splitlines()[0]
    )
