"""Every page type in every audience, in Chromium: all columns in view at 1366 px, nothing cut on a
390 px phone, scroll boxes the keyboard can reach, chart text inside its canvas, axe clean (#27).

The sample in checklists/ has every HF's real name and unit texts as long as the national sample's,
so its tables are as wide; the builds are conftest.sample_site's, shared with the other tests that
read a built site.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .test_site_browser import ARTIFACTS, AXE, CHROMIUM, FLAGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]

PROBE = (Path(__file__).parent / "layout_probe.js").read_text(encoding="utf-8")
AUDIENCES = ("intern", "region", "enhet")
DESKTOP, PHONE = 1366, 390


def richest(site: Path, folder: str, pattern: str = "*.html") -> str:
    """The largest page in a folder: the one with the most rows and the longest texts."""
    pages = sorted((site / folder).glob(pattern), key=lambda p: (-p.stat().st_size, p.name))
    pages = [p for p in pages if p.name != "index.html"]
    return pages[0].relative_to(site).as_posix()


@pytest.fixture(scope="module")
def sites(sample_site: Callable[[str], Path]) -> dict[str, Path]:
    """The sample in checklists/ (36 units, two rounds, files with mistakes), once per audience."""
    return {name: sample_site(name) for name in AUDIENCES}


def page_types(site: Path, audience: str) -> dict[str, str]:
    """One page of every type the audience's site has."""
    shared = {"datakvalitet": "datakvalitet.html", "metode": "metode.html"}
    shared["nedlastinger"] = "nedlastinger.html"
    if audience == "enhet":
        return {"enhet": "index.html", **shared}
    return {
        "oversikt": "index.html",
        "regioner": "regioner/index.html",
        "region": richest(site, "regioner"),
        "hf": richest(site, "hf"),
        "enheter": "enheter/index.html",
        "enhet": richest(site, "enheter"),
        "kravliste": "krav/index.html",
        "krav": richest(site, "krav"),
        "sammenligning": "sammenligning.html",
        "innlevering": "innlevering.html",
        **shared,
    }


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield b
        b.close()


SHOWN = ("enhet", "hf", "sammenligning", "krav")
"""Page types kept as screenshots in tests/artifacts, for a person to look at."""


def probe(page: Any, site: Path, rel: str, shot: Path | None = None) -> dict[str, Any]:
    """Measure the page (all <details> opened); keep a full-page screenshot if asked."""
    page.goto((site / rel).resolve().as_uri())
    page.wait_for_load_state("load")
    found = dict(page.evaluate(PROBE))
    if shot is not None:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
    return found


def shot_of(audience: str, name: str, width: int) -> Path | None:
    return (
        ARTIFACTS / f"layout-{name}-{width}.png" if audience == "intern" and name in SHOWN else None
    )


AXE_RUN = (
    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    ".map(v => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].target.join(' ')}`)"
)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_column_in_view_at_1366_px_and_axe_finds_nothing(
    browser: Any, sites: dict[str, Path], audience: str
) -> None:
    assert AXE.exists(), f"{AXE} is missing: .ci/run fetches axe-core from npm"
    site = sites[audience]
    page = browser.new_page(viewport={"width": DESKTOP, "height": 900}, locale="nb-NO")
    problems: dict[str, Any] = {}
    tables = 0
    for name, rel in page_types(site, audience).items():
        # probe opens every <details>, so axe sees the tables inside them too
        found = probe(page, site, rel, shot_of(audience, name, DESKTOP))
        tables += page.locator("article table").count()
        wrong = {k: found[k] for k in ("cutCells", "scrolling", "svgOutside") if found[k]}
        if found["pageWidth"] > DESKTOP:
            wrong["pageWidth"] = found["pageWidth"]
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(AXE_RUN)  # every impact, minor included
        if violations:
            wrong["axe"] = violations
        if wrong:
            problems[f"{name} ({rel})"] = wrong
    page.close()
    assert problems == {}
    assert tables >= (4 if audience == "enhet" else 40)  # the pages really had tables to measure


@pytest.mark.parametrize("audience", AUDIENCES)
def test_nothing_cut_on_a_390_px_phone(browser: Any, sites: dict[str, Path], audience: str) -> None:
    site = sites[audience]
    page = browser.new_page(viewport={"width": PHONE, "height": 800}, locale="nb-NO")
    problems: dict[str, Any] = {}
    scrolling = 0
    for name, rel in page_types(site, audience).items():
        found = probe(page, site, rel, shot_of(audience, name, PHONE))
        scrolling += len(found["scrolling"])
        wrong = {k: found[k] for k in ("outside", "unreachable", "svgOutside") if found[k]}
        if found["pageWidth"] > PHONE:
            wrong["pageWidth"] = found["pageWidth"]
        if wrong:
            problems[f"{name} ({rel})"] = wrong
    page.close()
    assert problems == {}
    assert scrolling > 0  # wide tables do scroll on a phone: the reachability check had work


def test_a_wide_table_scrolls_from_the_keyboard_on_a_phone(
    browser: Any, sites: dict[str, Path]
) -> None:
    site = sites["intern"]
    page = browser.new_page(viewport={"width": PHONE, "height": 800}, locale="nb-NO")
    page.goto((site / richest(site, "enheter")).resolve().as_uri())
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    box = page.locator("div.sk-scroll", has=page.locator("table.sk-requirements")).first
    label = box.get_attribute("aria-label")
    assert label and label.startswith("Alle krav: ")
    assert box.locator("caption").inner_text() == label  # the table has the box's name
    # Tab from the element before the box: the next stop is the box itself.
    page.evaluate(
        "el => { const b = document.createElement('button'); b.id = 'sk-before';"
        " el.parentElement.insertBefore(b, el); b.focus(); }",
        box.element_handle(),
    )
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == label
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")  # the focus is visible
    assert box.evaluate("el => el.scrollLeft") == 0
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=box.element_handle())
    page.close()
