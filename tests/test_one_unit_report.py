"""One unit's own report stands alone: its own title, and what each requirement asks.

The one-unit build leaves out the requirement pages, so the unit page carries the requirement
text, forløpstider and source itself, and names changed requirements by title, not bare IDs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.site.engine import site_config, with_unit_title

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def page(sample_site: Callable[[str], Path]) -> str:
    site = sample_site("enhet")
    return html.unescape((site / "index.html").read_text(encoding="utf-8"))


def test_the_report_has_the_units_own_title(page: str) -> None:
    (title,) = re.findall(r"<title>(.*?)</title>", page)
    assert title == "Enhetsrapport - Ambulant rusteam Byen – statuskartlegging"


def test_each_requirement_says_what_it_asks(page: str, tsb: Catalogue) -> None:
    shown = [r for r in tsb.requirements if f"<td>{r.id} " in page and not r.hf_scope]
    assert len(shown) > 20
    timed = [r for r in shown if r.time_limits]
    assert timed, "the sample unit answers requirements with forløpstider"
    for req in shown:
        assert req.text in page, req.id
    for req in timed:
        for limit in req.time_limits:
            assert limit.describe() in page, req.id
    assert page.count('<details class="sk-about">') == len(shown)
    assert "krav/" not in re.sub(r'href="https?://[^"]*"', "", page)


def test_changed_requirements_are_named_by_title(page: str, tsb: Catalogue) -> None:
    section = page.split('id="hva-har-endret-seg"', 1)[1].split("<h2", 1)[0]
    ids = re.findall(r"<td>(TSB-\d+)", section)
    assert ids
    for rid in ids:
        assert f"<td>{rid} {tsb.by_id[rid].title}</td>" in section


@pytest.mark.parametrize(
    ("unit", "title"),
    [
        ("Døgnenhet Nord", "Døgnenhet Nord – statuskartlegging"),
        ('<script>alert("x")</script>', "Enhetsrapport – statuskartlegging"),
        ("Rus & psykiatri", "Enhetsrapport – statuskartlegging"),
        ("Linje\nskift", "Enhetsrapport – statuskartlegging"),
        ("x" * 101, "Enhetsrapport – statuskartlegging"),
    ],
)
def test_a_name_mkdocs_would_print_unescaped_gets_the_plain_title(unit: str, title: str) -> None:
    assert with_unit_title(site_config(None), unit).mkdocs["site_name"] == title
