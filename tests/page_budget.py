"""The page budget of a built site: how big and how tall each kind of page may be (issue #27).

A national build (1,000 units × 3 rounds) is read on a laptop from a file share: a page over
~300 kB is slow to open and one over ~30 screens at 1366 × 768 is not read. The budget test
(tests/test_page_budget.py) and the benchmark (benchmarks/page_budget.py) both measure with the
helpers here, so they agree on what a page kind is and what it may weigh.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

MAX_BYTES = 300_000
"""No page over ~300 kB."""
MAX_SCREENS = 30.0
"""No page taller than ~30 screens of a 1366 × 768 laptop."""
VIEWPORT = {"width": 1366, "height": 768}
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

SINGLE_PAGES = {
    "index.html": "overview",
    "regioner/index.html": "regions index",
    "enheter/index.html": "units index",
    "krav/index.html": "requirements index",
    "sammenligning.html": "comparison",
    "innlevering.html": "submissions",
    "datakvalitet.html": "data quality",
    "metode.html": "method",
    "nedlastinger.html": "downloads",
}
FOLDER_KINDS = {
    "regioner": "RHF page",
    "hf": "HF page",
    "enheter": "unit page",
    "krav": "requirement page",
}


def page_kind(relative: str) -> str | None:
    """The kind of a page from its path in the site; None for what is not a report page."""
    if relative in SINGLE_PAGES:
        return SINGLE_PAGES[relative]
    path = PurePosixPath(relative)
    if len(path.parts) == 2 and path.suffix == ".html":
        return FOLDER_KINDS.get(path.parts[0])
    return None


def report_pages(site: Path) -> dict[str, list[tuple[str, int]]]:
    """Kind → [(relative path, bytes)], largest first, for every report page of ``site``."""
    kinds: dict[str, list[tuple[str, int]]] = {}
    for page in site.rglob("*.html"):
        relative = page.relative_to(site).as_posix()
        kind = page_kind(relative)
        if kind is not None:
            kinds.setdefault(kind, []).append((relative, page.stat().st_size))
    for pages in kinds.values():
        pages.sort(key=lambda p: (-p[1], p[0]))
    return kinds


def over_bytes(site: Path, limit: int = MAX_BYTES) -> list[tuple[str, int]]:
    """(page, bytes) of every report page over ``limit``, largest first."""
    found = [p for pages in report_pages(site).values() for p in pages if p[1] > limit]
    return sorted(found, key=lambda p: -p[1])


def screens(browser: Any, site: Path, pages: Iterable[str]) -> dict[str, float]:
    """Page → height in screens at 1366 × 768 (document.body.scrollHeight / 768).

    Opened from file://, as a reader opens the site on a file share; ``browser`` is a Playwright
    Chromium browser.
    """
    context = browser.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    heights = {}
    try:
        for relative in pages:
            tab.goto((site / relative).resolve().as_uri(), wait_until="load")
            height = tab.evaluate("document.body.scrollHeight")
            heights[relative] = round(height / VIEWPORT["height"], 1)
    finally:
        context.close()
    return heights


@dataclass(frozen=True, slots=True)
class KindRow:
    """One line of the budget table: a kind of page, its sizes and the tallest page measured."""

    kind: str
    pages: int
    median_kb: float
    max_kb: float
    largest: str
    screens: float | None
    """Height of the tallest page measured (see ``budget_table``)."""
    tallest: str


MEASURE_ALL = 60
"""Kinds with at most this many pages (HF, RHF, requirement pages) are all measured in height."""
MEASURE_LARGEST = 10
"""Of a kind with more pages, the largest this many by bytes are measured in height."""


def budget_table(
    site: Path, browser: Any | None = None, *, measure_all: int = MEASURE_ALL
) -> list[KindRow]:
    """One row per page kind; with ``browser``, the height of its tallest page measured.

    Every page of a kind is measured when there are few (``measure_all``), else the largest by
    bytes (MEASURE_LARGEST).
    """
    rows = []
    for kind, pages in sorted(report_pages(site).items()):
        sizes = [b for _, b in pages]
        chosen = pages if len(pages) <= measure_all else pages[:MEASURE_LARGEST]
        measured = screens(browser, site, [p for p, _ in chosen]) if browser else {}
        tallest = max(measured, key=lambda p: measured[p], default="")
        rows.append(
            KindRow(
                kind=kind,
                pages=len(pages),
                median_kb=round(statistics.median(sizes) / 1000, 1),
                max_kb=round(max(sizes) / 1000, 1),
                largest=pages[0][0],
                screens=measured[tallest] if tallest else None,
                tallest=tallest,
            )
        )
    return rows


def table_text(rows: Iterable[KindRow]) -> str:
    """The rows as a Markdown table, over-budget figures marked with «!»."""
    out = [
        "| Page kind | Pages | Median kB | Max kB | Screens | Largest page | Tallest page |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        big = "!" if r.max_kb * 1000 > MAX_BYTES else ""
        tall = "" if r.screens is None else f"{r.screens}{'!' if r.screens > MAX_SCREENS else ''}"
        out.append(
            f"| {r.kind} | {r.pages} | {r.median_kb} | {r.max_kb}{big} | {tall} | {r.largest}"
            f" | {r.tallest} |"
        )
    return "\n".join(out)
