"""The one boundary where untrusted text becomes page text: inert in Markdown and HTML alike.

Everything typed into a workbook, register or catalogue is untrusted. Pages, charts and page
titles all escape through here, so the rule lives in one place and a new template cannot forget it
(pages.py installs ``escape_text`` as the Jinja environment's ``finalize``).
"""

from __future__ import annotations

import functools
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


_PLAIN = re.compile(
    "[" + re.escape("".join(sorted(MD_SPECIAL))) + r"\r\n\u2028\u2029\x00-\x1f\x7f-\x9f]"
)
"""Any character that escaping would change: a text without one is printed as it is."""


def escape_text(value: object, *, line_break: str = "&#10;") -> Markup:
    """Untrusted text → inert text in both Markdown and HTML context: the one boundary.

    Every printed template value passes here (the environment's ``finalize``), so a new template
    cannot forget it. Line breaks become ``line_break`` and control characters are dropped (they
    include Python-Markdown's own placeholder markers); the first character is a reference when it
    is not a letter or digit (and «1.» loses its dot), so nothing typed starts a list or heading.
    """
    text = str(value)
    if not text or (text[0].isalnum() and not _PLAIN.search(text) and not _ORDERED.match(text)):
        return Markup(text)  # most printed values: names, statuses, numbers, plain sentences
    if len(text) <= _SHORT:  # dashes, dates, «../»: the same few short values on every page
        return _escape_short(text, line_break)
    return _escape_lines(text, line_break)


def _escape_lines(text: str, line_break: str) -> Markup:
    """The escaping itself, line by line; escape_text skips it for text it would not change."""
    text = _CONTROL.sub("", text)
    lines = _BREAKS.split(text)
    out = []
    for line in lines:
        escaped = line.translate(_REFS)
        if line and not line[0].isalnum() and not escaped.startswith("&#"):
            escaped = _ref(line[0]) + escaped[1:]
        escaped = _ORDERED.sub(lambda m: m[1] + _ref("."), escaped)
        out.append(escaped)
    return Markup(line_break.join(out))


_SHORT = 40
_escape_short = functools.lru_cache(maxsize=16_384)(_escape_lines)


def front_matter_title(value: object) -> Markup:
    """A page's YAML ``title``: MkDocs-Material prints it unescaped, so it is HTML-escaped here."""
    text = _BREAKS.sub(" ", _CONTROL.sub("", str(value)))
    return Markup(
        yaml.safe_dump(
            html.escape(text, quote=True), width=10_000, allow_unicode=True
        ).splitlines()[0]
    )


def index_text(value: object) -> str:
    """Text for a search-index entry statuskart writes itself (unit_search.py).

    Material's search UI inserts an entry's title and text as HTML element content: tags are
    escaped, quotes are kept (they are harmless there, and «&quot;» would hide a word from the
    search), line breaks become spaces and control characters are dropped.
    """
    text = _BREAKS.sub(" ", _CONTROL.sub("", str(value)))
    return html.escape(text, quote=False)
