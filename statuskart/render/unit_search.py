"""Search entries for unit pages, written by statuskart instead of parsed by the search plugin.

A unit is found by its name, HF, RHF, type and round; its page's sections say the same words on
a thousand pages and stay out of the index (site/engine.py). Material's search plugin would
still parse every unit page's HTML to find that one entry — at 1,000 units a third of MkDocs'
build time.
So unit pages under ``enheter/`` say ``search: exclude`` in their front matter, and these entries
take their place in the index. Everything in them is untrusted text: the search UI treats index
text as HTML, so it passes escape.index_text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from statuskart.model.views import ReportModel
from statuskart.render.escape import index_text

UNIT_PAGES = "enheter/"
"""The folder of the unit pages."""
UNIT_TEMPLATE = "unit.md.j2"


def is_unit_page(target: str, template: str) -> bool:
    """True for a unit's own page under ``enheter/`` (not the unit list, not a one-unit index)."""
    return target.startswith(UNIT_PAGES) and template == UNIT_TEMPLATE


def unit_entries(model: ReportModel, jobs: Sequence[tuple[str, str, Any]]) -> list[dict[str, str]]:
    """One entry per unit page among the site's page ``jobs`` (target, template, variables)."""
    titles = {c.id: c.title for c in model.catalogues}
    entries = []
    for target, template, variables in jobs:
        if not is_unit_page(target, template):
            continue
        meta = variables["unit"].score.unit
        pathway = titles.get(meta.pathway, meta.pathway)
        words = [meta.hf, meta.rhf, meta.unit_type or "", pathway, f"runde {meta.period}"]
        entries.append(
            {
                "location": target[: -len(".md")] + ".html",
                "title": index_text(meta.unit),
                "text": index_text(" · ".join(w for w in words if w)),
            }
        )
    return entries


def with_unit_entries(index: dict[str, Any], entries: Sequence[dict[str, str]]) -> dict[str, Any]:
    """The index with every entry of a unit page replaced by ``entries``.

    The folder's own list page (enheter/index.html) keeps what the plugin gave it. Entries the
    plugin made anyway (a user template without the front matter) are dropped, never doubled.
    """

    def unit_page(entry: dict[str, Any]) -> bool:
        page = str(entry.get("location", "")).split("#", 1)[0]
        return page.startswith(UNIT_PAGES) and page != UNIT_PAGES + "index.html"

    kept = [e for e in index["docs"] if not unit_page(e)]
    return {**index, "docs": [*kept, *entries]}
