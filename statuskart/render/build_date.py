"""The build date on the pages, from one stylesheet per build instead of each page's Markdown.

A unit page states the day «Frist passert» is judged by and the day it was built. Printed into the
Markdown, that date changed all ~1,000 unit pages of a national site every day, and the next day's
rebuild had MkDocs render every one of them again. The pages now hold an empty span, and one
stylesheet written per build gives it the date as CSS generated content, which shows on screen
and prints. A page then changes only when its own facts do (a frist that really passed changes
the page through its «passert» flags). The sentences read right without the stylesheet too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from markupsafe import Markup

from statuskart.core.atomic import write_new

STYLESHEET = "assets/stylesheets/statuskart-byggedato.css"
"""Where the build's stylesheet goes in the docs; the theme's main.html links it by this name."""
DATE_CLASS = "sk-byggedato"
"""After «byggedatoen» and the like: the date in brackets."""
BUILT_CLASS = "sk-bygget"
"""At the end of the provenance line: «· bygget <dato>», nothing without the stylesheet."""


def span(built: bool = False) -> Markup:
    """The empty element the stylesheet fills with the build date."""
    return Markup(f'<span class="{BUILT_CLASS if built else DATE_CLASS}"></span>')


def stylesheet(build_date: dt.date) -> str:
    """The stylesheet's text for ``build_date`` (dd.mm.åååå, as the pages print dates)."""
    day = build_date.strftime("%d.%m.%Y")
    return (
        "/* statuskart: the build date, written per build (render/build_date.py). */\n"
        f'.{DATE_CLASS}::before {{ content: " ({day})"; }}\n'
        f'.{BUILT_CLASS}::before {{ content: " · bygget {day}"; }}\n'
    )


def write_stylesheet(docs_dir: Path, build_date: dt.date) -> Path:
    """Write the build's stylesheet into the docs; the path written."""
    path = docs_dir / STYLESHEET
    path.parent.mkdir(parents=True, exist_ok=True)
    write_new(path, stylesheet(build_date).encode("utf-8"))
    return path
