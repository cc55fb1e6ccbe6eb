"""Real-browser tests of the built site: Playwright driving Debian's /usr/bin/chromium."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.pipeline.build import run_build
from statuskart.sample.checklists import write_samples

from .conftest import TODAY

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / ".cache" / "axe.min.js"
ARTIFACTS = Path(__file__).parent / "artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]
FLAGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    root = tmp_path_factory.mktemp("browser")
    write_samples(tsb, root / "checklists", units=12, rounds=2, seed=4)
    run_build([root / "checklists"], root / "site", today=TODAY)
    return root / "site"


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield b
        b.close()


def pages_of(site):
    unit = sorted((site / "enheter").glob("*.html"))[0]
    return {
        "oversikt": "index.html",
        "rhf": sorted((site / "regioner").glob("helse-*.html"))[0].relative_to(site).as_posix(),
        "hf": sorted((site / "hf").glob("*.html"))[0].relative_to(site).as_posix(),
        "enhet": unit.relative_to(site).as_posix(),
        "krav": "krav/tsb-08.html",
    }


@pytest.mark.parametrize("mode", ["file", "http"])
def test_pages_load_offline_without_errors_and_pass_axe(
    browser: Browser, site: Path, server: str, mode
) -> None:
    assert AXE.exists(), f"{AXE} is missing: .ci/run fetches axe-core from npm"
    ARTIFACTS.mkdir(exist_ok=True)
    base = site.resolve().as_uri() if mode == "file" else server
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
    problems, outside = [], []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append("failed " + r.url))
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(("file://", "http://127.0.0.1", "data:", "blob:"))
            else None
        ),
    )
    for name, rel in pages_of(site).items():
        page.goto(f"{base}/{rel}")
        page.wait_for_load_state("load")
        assert page.get_attribute("html", "lang") == "nb"
        page.screenshot(path=str(ARTIFACTS / f"{mode}-{name}.png"), full_page=True)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async () => (await axe.run(document, {preload: false, "
            "resultTypes: ['violations']})).violations.map(v => [v.id, v.impact])"
        )
        serious = [v for v in result if v[1] in ("serious", "critical")]
        assert serious == [], (name, serious)
    assert problems == []
    assert outside == []
    page.close()


@pytest.mark.parametrize("mode", ["file", "http"])
def test_search_finds_a_unit_by_name(browser: Browser, site: Path, server: str, mode) -> None:
    base = site.resolve().as_uri() if mode == "file" else server
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
    page.goto(f"{base}/{pages_of(site)['enhet']}")
    unit_name = page.inner_text("article h1")
    query = max(unit_name.split(), key=len)
    page.goto(f"{base}/index.html")
    page.click("input.md-search__input")
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    assert "treff" in page.inner_text(".md-search-result__meta")
    assert query.lower() in page.inner_text(".md-search-result__list").lower()
    page.close()


def test_unit_list_is_grouped_and_filters(browser: Browser, site: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="nb-NO")
    page.goto((site / "enheter" / "index.html").resolve().as_uri())
    rows = page.locator("tr[data-sk-row]")
    total = rows.count()
    assert total >= 12
    assert page.locator("details[data-sk-group][open]").count() == 0  # groups start closed
    name = (rows.first.locator("td").first.text_content() or "").strip()  # in a closed group
    assert name
    page.fill("#sk-unit-filter", name)
    page.wait_for_function(
        "() => document.getElementById('sk-unit-count').textContent.includes('treff')"
    )
    visible = [r for r in rows.all() if r.is_visible()]
    assert 1 <= len(visible) < total
    assert all(name.lower() in r.inner_text().lower() for r in visible)
    page.fill("#sk-unit-filter", "")
    page.wait_for_function("() => document.getElementById('sk-unit-count').textContent === ''")
    assert page.locator("tr[data-sk-row][hidden]").count() == 0
    # the identity rule: case, punctuation and spacing do not matter («rop poliklinikk» finds
    # «ROP-poliklinikk Byen», and «poliklinikk - sentrum.» finds «Poliklinikk Sentrum»)
    query = "  " + name.swapcase().replace(" ", " - ").replace("-", " -- ") + ". "
    page.fill("#sk-unit-filter", query)
    page.wait_for_function(
        "() => document.getElementById('sk-unit-count').textContent.includes('treff')"
    )
    found = [r.locator("td").first.inner_text().strip() for r in rows.all() if r.is_visible()]
    assert name in found
    page.close()


def test_unit_list_filters_on_the_hf_its_group_names(browser, site):
    """The rows leave the HF out (their group says it); typing an HF still finds its units."""
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="nb-NO")
    page.goto((site / "enheter" / "index.html").resolve().as_uri())
    group = page.locator("details[data-sk-label]").first
    hf = group.locator("summary").text_content().rsplit(" (", 1)[0]
    units = group.locator("tr[data-sk-row]").count()
    page.fill("#sk-unit-filter", hf)
    page.wait_for_function(
        "() => document.getElementById('sk-unit-count').textContent.includes('treff')"
    )
    visible = [r for r in page.locator("tr[data-sk-row]").all() if r.is_visible()]
    assert len(visible) >= units >= 1 and group.get_attribute("open") is not None
    assert page.inner_text("#sk-unit-count") == f"{len(visible)} treff"
    page.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_unit_page_puts_next_steps_first_and_fits_the_screen(
    browser: Browser, site: Path, width
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="nb-NO")
    page.goto((site / pages_of(site)["enhet"]).resolve().as_uri())
    headings = page.locator("article h2").all_inner_texts()
    assert headings[0] == "Neste steg"
    assert headings.index("Alle krav") > headings.index("Faser")
    assert 1 <= page.locator("ol.sk-next > li").count() <= 5
    assert "Hvorfor nå:" in page.inner_text("ol.sk-next")
    # nothing wider than the screen: wide tables scroll inside their own box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"unit-{width}.png"), full_page=True)
    page.close()


def test_unit_page_prints_on_a4(browser: Browser, site: Path) -> None:
    page = browser.new_page(locale="nb-NO")
    page.goto((site / pages_of(site)["enhet"]).resolve().as_uri())
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True)
    (ARTIFACTS / "unit.pdf").write_bytes(pdf)
    boxes = {m.group(1) for m in re.finditer(rb"/MediaBox \[([^\]]+)\]", pdf)}
    assert boxes, "no page size in the PDF"
    for box in boxes:
        width, height = (float(v) for v in box.split()[2:4])
        assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2, box  # A4 in points
    page.close()
