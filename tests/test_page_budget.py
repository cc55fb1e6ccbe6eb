"""Page budget at size (#27 point 3): no page over ~300 kB, none taller than ~30 screens.

A national build made an RHF page of 1.1 MB (~358 screens) and a data-quality page of ~279
screens. 150 units × 2 rounds with mistakes is big enough to show that: measured at 300 units the
old code made an RHF page of 169 screens and a data-quality page of 76, which scale with the
units, so the screen budget catches them at half that size (the byte budget caught them at 300).
The sample is kept small because .ci/run must stay within 15 minutes. Of a kind with more than
five pages (HF 22, requirement 57, unit 150 here) only the ten largest by bytes are measured in
height: 102 page loads took ~29 s, and measuring every HF, requirement and unit page showed the
tallest of each at ranks 1, 5 and 7 by bytes (07.12.2026). benchmarks/page_budget.py measures
1,000 units, with every HF and requirement page.
"""

from __future__ import annotations

import pytest

from statuskart.pipeline.build import run_build
from statuskart.sample.checklists import write_samples

from .conftest import TODAY
from .page_budget import CHROMIUM, FLAGS, MAX_BYTES, MAX_SCREENS, budget_table, over_bytes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def big_site(tmp_path_factory, tsb):
    root = tmp_path_factory.mktemp("budget")
    write_samples(tsb, root / "checklists", units=150, rounds=2, seed=27, mistakes=True)
    run_build([root / "checklists"], root / "site", today=TODAY)
    return root / "site"


def test_no_page_is_over_the_byte_budget(big_site):
    assert over_bytes(big_site) == []
    assert MAX_BYTES == 300_000  # the budget the issue set; change it there, not here


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")
def test_no_page_is_taller_than_the_screen_budget(big_site):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            rows = budget_table(big_site, browser, measure_all=5)
        finally:
            browser.close()
    measured = {r.tallest: r.screens for r in rows if r.screens is not None}
    assert len(measured) == len(rows)  # every kind of page was measured
    assert {page: s for page, s in measured.items() if s > MAX_SCREENS} == {}
