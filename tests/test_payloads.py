"""Nothing typed runs or loads anything: payloads in every field, checked in files and Chromium.

The hostile input (tests/hostile.py) puts a unique marker and script/Markdown payloads into every
front-sheet field, every checklist column, invalid values that end up in findings, a file name,
the register and a trust's own catalogue (whose version also lands in the workbook's stamp).
"""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from statuskart.pipeline.build import run_build

from .conftest import TODAY
from .hostile import ALL_FIELDS, marker, write_hostile_inputs
from .shipped import unzipped
from .test_site_browser import CHROMIUM, FLAGS

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, Request

LOCAL_SRC = ("../", "assets/", "data:", "#", "search/", "javascripts/", "stylesheets/")


class LiveElements(HTMLParser):
    """Anything a payload could have turned into a live element, handler or remote load."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[tuple[str, str, str]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            text = (value or "").strip().lower()
            if name.startswith("on") or text.startswith("javascript:"):
                self.bad.append((tag, name, value or ""))
            remote = text.startswith(("http://", "https://", "//"))
            if name in ("src", "href") and remote and tag != "a":  # a link is fine, a load is not
                self.bad.append((tag, name, value or ""))
        if tag == "img" and not (dict(attrs).get("src") or "").startswith(LOCAL_SRC):
            self.bad.append((tag, "src", dict(attrs).get("src") or ""))
        self._in_script = tag == "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.bad.append(("script", "body", data[:80]))

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    checklists, catalogue = write_hostile_inputs(root)
    site = root / "site"
    run_build([checklists], site, catalog_files=[catalogue], today=TODAY)
    return site


def site_text(site: Path) -> str:
    """All text a reader or the search could see: unescaped pages, search index, zipped CSV."""
    parts = [html.unescape(p.read_text(encoding="utf-8")) for p in site.rglob("*.html")]
    script = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    index = json.loads(script[script.index("{") :].rstrip().rstrip(";"))
    parts += [html.unescape(d["title"] + " " + d["text"]) for d in index["docs"]]
    downloads = sorted(site.rglob("*.csv.zip"))
    assert downloads  # the CSV downloads are scanned, not silently skipped
    parts += [unzipped(p) for p in downloads]
    return "\n".join(parts)


def test_every_field_reaches_the_site_as_text(hostile_site: Path) -> None:
    # The positive control: each field's text is shown somewhere, so the checks below see it.
    text = site_text(hostile_site).casefold()  # IDs are shown upper-cased
    missing = [f for f in ALL_FIELDS if marker(f).casefold() not in text]
    assert missing == []


def test_no_payload_became_markup(hostile_site: Path) -> None:
    for page in hostile_site.rglob("*.html"):
        parser = LiveElements()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.bad == [], (page.name, parser.bad[:3])
    title = next((hostile_site / "enheter").glob("zq*.html")).read_text(encoding="utf-8")
    head = title.split("</title>", 1)[0]
    assert "ZQunitZQ" in head and "<svg" not in head


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")
def test_payloads_are_inert_in_chromium(hostile_site: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    dialogs: list[str] = []
    outside: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        # Offline: a request to anywhere but the disk fails at once, and is recorded below.
        # (Routing every request through this process instead cost ~4 s of the ~22 s.)
        context = browser.new_context(
            viewport={"width": 1366, "height": 900}, locale="nb-NO", offline=True
        )
        page = context.new_page()

        def on_dialog(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda e: errors.append(str(e)))

        def seen(request: Request) -> None:
            if not request.url.startswith(("file://", "data:", "blob:", "about:")):
                outside.append(request.url)

        context.on("request", seen)
        for html_file in sorted(hostile_site.rglob("*.html")):
            page.goto(html_file.resolve().as_uri())
            page.wait_for_load_state("load")
        # Search results are drawn by Material's JavaScript: the riskiest place for a title.
        page.goto((hostile_site / "index.html").resolve().as_uri())
        for query in ("ZQunitZQ", "ZQhfZQ", "ZQrhfZQ"):
            page.fill("input.md-search__input", query)
            page.wait_for_function(
                "q => (document.querySelector('.md-search-result__list')?.innerText || '')"
                ".toLowerCase().includes(q)",
                arg=query.lower(),
                timeout=15000,
            )
        browser.close()
    assert dialogs == []
    assert outside == []
    assert errors == []
