"""No broken link in any build: intern, region and one unit's own report.

The one-unit report once linked to eight requirement pages it leaves out. Every relative link and
source in every page must name a file of the same site (tests/linkcheck.py), fragments included.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import AUDIENCE_ARGS
from .linkcheck import broken_links

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=sorted(AUDIENCE_ARGS))
def site(request: pytest.FixtureRequest, sample_site: Callable[[str], Path]) -> Path:
    return sample_site(request.param)


def test_every_link_leads_somewhere(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 4
    assert [str(b) for b in broken_links(site)] == []


def test_the_checker_finds_a_broken_link_and_a_missing_anchor(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/b.html">b</a> <a href="a/b.html#here">here</a> <a href="a/b.html#gone">x</a>'
        ' <a href="c.html">c</a> <a href="https://example.org/x">ext</a> <a href="#top">top</a>'
        ' <h1 id="top">T</h1> <a href="a/">dir</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "b.html").write_text('<p id="here">b</p>', encoding="utf-8")
    assert [str(b) for b in broken_links(tmp_path)] == [
        "index.html: a/b.html#gone",
        "index.html: c.html",
        "index.html: a/",
    ]
