"""No broken link in any build: intern, region and one unit's own report.

The one-unit report once linked to eight requirement pages it leaves out. Every relative link and
source in every page must name a file of the same site (tests/linkcheck.py), fragments included.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from statuskart.cli.commands import main

from .linkcheck import broken_links

ROOT = Path(__file__).resolve().parents[1]
AUDIENCES = {
    "intern": [],
    "region": ["--audience", "region"],
    "enhet": ["--audience", "enhet", "--unit", "Ambulant rusteam byen"],
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=sorted(AUDIENCES))
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(request.param) / "site"
    args = ["build", str(ROOT / "checklists"), "-o", str(out), *AUDIENCES[request.param]]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out


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
