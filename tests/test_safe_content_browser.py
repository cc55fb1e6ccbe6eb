"""A site with a trust's own page, stylesheet and page template, opened in Chromium from file://.

Everything the allow-lists let through is meant to stay on the machine: the test counts every
request the browser makes and every script-driven effect (dialogs, page errors).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.core.resources import default_templates_dir
from statuskart.pipeline.build import run_build
from statuskart.sample.checklists import write_samples

from .conftest import TODAY
from .test_site_browser import CHROMIUM, FLAGS

if TYPE_CHECKING:
    from playwright.sync_api import Dialog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]

PAGE = """\
---
title: Om kartleggingen
---

# Om &lt;kartleggingen&gt;

Se [metoden](../metode.html) eller [Helsedirektoratet](https://www.helsedirektoratet.no/).

| Region | Frist |
|:-------|------:|
| Nord   | 1.3.  |

![Kart](bilder/kart.png){ width="40" }

<details open><summary>Mer</summary><p class="kart">Skår fra 0 til 100.</p></details>
"""
STYLE = """\
:root { --md-primary-fg-color: #00509e; }
.md-typeset h1 { color: rgb(0, 80, 158); }
.kart { background: url(bilder/kart.png) no-repeat; padding-left: 2rem; }
"""
ADDED = '\n<p class="kart"><img src="egne/bilder/kart.png" alt="Kart" width="4"></p>\n'


def png(width: int = 4, height: int = 4) -> bytes:
    """A small valid PNG, so the browser really decodes (and requests) the image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x00\x50\x9e" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    root = tmp_path_factory.mktemp("own-content")
    write_samples(tsb, root / "checklists", units=3, rounds=1, seed=6)
    docs = root / "docs"
    (docs / "bilder").mkdir(parents=True)
    (docs / "bilder/kart.png").write_bytes(png())
    (docs / "om.md").write_text(PAGE, encoding="utf-8")
    (docs / "stil.css").write_text(STYLE, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text("nav:\n  - om.md\nextra_css:\n  - stil.css\n", encoding="utf-8")
    maler = root / "maler"
    maler.mkdir()
    shipped = (default_templates_dir() / "overview.md.j2").read_text(encoding="utf-8")
    (maler / "overview.md.j2").write_text(shipped + ADDED, encoding="utf-8")
    run_build(
        [root / "checklists"],
        root / "site",
        config_file=config,
        template_dirs=[maler],
        today=TODAY,
    )
    return root / "site"


def test_own_page_and_stylesheet_load_nothing_from_outside(site: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    requests: list[str] = []
    effects: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(locale="nb-NO")
        page.on("request", lambda r: requests.append(r.url))

        def on_dialog(dialog: Dialog) -> None:
            effects.append("dialog " + dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda e: effects.append(str(e)))
        for rel in ("metode.html", "index.html"):
            page.goto((site / rel).resolve().as_uri())
            page.wait_for_load_state("load")
        own_image = page.evaluate("() => document.querySelector('p.kart img').naturalWidth")
        page.goto((site / "egne/om.html").resolve().as_uri())
        page.wait_for_load_state("load")
        loaded = page.evaluate("() => document.querySelector('article img').naturalWidth")
        colour = page.evaluate("() => getComputedStyle(document.querySelector('article h1')).color")
        heading = page.inner_text("article h1")
        nav = page.inner_text(".md-sidebar--primary")
        browser.close()
    outside = [u for u in requests if not u.startswith(("file://", "data:", "blob:"))]
    assert outside == [], outside
    assert effects == []
    assert any(u.endswith("/egne/bilder/kart.png") for u in requests)  # loaded, from the site
    assert any(u.endswith("/egne/stil.css") for u in requests)
    assert loaded == 4 and own_image == 4 and colour == "rgb(0, 80, 158)"
    assert heading.startswith("Om <kartleggingen>")  # entities stay text
    assert "Om kartleggingen" in nav
