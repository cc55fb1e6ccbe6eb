"""Small HTML pieces printed on almost every table row, as Python functions for the templates.

A unit page prints a status and a requirement link on each of its rows; as Jinja macros these
calls were a fifth of the time spent rendering pages, so they are Python, registered as template
globals (``status``, ``req_link``, ``badge``) that every template, the user's included, can call.
"""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

from statuskart.render.escape import escape_text

UNANSWERED_ICON = "○"


@jinja2.pass_context
def status(context: jinja2.runtime.Context, label: Any) -> Markup:
    """A status with its icon: «◑ Delvis implementert», or «○ Ubesvart»."""
    icon = context["status_icons"].get(label, UNANSWERED_ICON) if label else UNANSWERED_ICON
    text = escape_text(label or "Ubesvart")
    return Markup(f'<span class="sk-status">{escape_text(icon)} {text}</span>')


@jinja2.pass_context
def req_link(context: jinja2.runtime.Context, requirement_id: Any) -> Markup:
    """A requirement ID, linked to its page where the site has requirement pages."""
    text = escape_text(requirement_id)
    if not context["cross_unit"]:
        return text
    href = f"{escape_text(context['up'])}krav/{escape_text(str(requirement_id).lower())}.html"
    return Markup(f'<a href="{href}">{text}</a>')


def badge(band: Any) -> Markup:
    """A level («nivå») as a coloured badge."""
    return Markup(
        f'<span class="sk-badge sk-{escape_text(str(band).lower())}">{escape_text(band)}</span>'
    )


def table_start(label: Any, classes: Any = "", *, searchable: bool = False) -> Markup:
    """Opening of a report table: a scroll box the keyboard can reach, and the table's caption.

    On a phone a wide table scrolls inside its own box; the box takes focus (so arrow keys scroll
    it) and is a region named like the table. The caption, read out with the table and hidden on
    screen where a heading already says it, carries the same name. Close with ``</table></div>``.
    Names must differ within a page (axe: landmark-unique), so a repeated table names its part.
    Tables stay out of the search index unless ``searchable`` (the method page's scale table).
    """
    name = escape_text(label)
    extra = f" {escape_text(classes)}" if classes else ""
    return Markup(
        f'<div class="sk-scroll" role="region" tabindex="0" aria-label="{name}">'
        f'<table class="sk-table{extra}"{"" if searchable else " data-search-exclude"}>'
        f'<caption class="sk-caption">{name}</caption>'
    )
