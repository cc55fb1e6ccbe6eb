"""The build date comes from one stylesheet per build, so a page changes only when its facts do.

Printed into each unit page, the date made the next day's rebuild render all ~1,000 unit pages
again. A frist that really passes overnight must still change its unit's page.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.pipeline.run import Rendered, render_docs
from statuskart.render import build_date
from statuskart.sample.checklists import write_samples

from .conftest import TODAY

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run


def _pages(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*.md")}


@pytest.fixture(scope="module")
def checklists(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    folder = tmp_path_factory.mktemp("dates") / "in"
    write_samples(tsb, folder, units=6, rounds=2, seed=5)
    return folder


def render_markdown(checklists: Path, docs: Path, day: dt.date = TODAY) -> Rendered:
    """The Markdown of a build on ``day`` (no downloads, no MkDocs)."""
    return render_docs([checklists], docs, build_date=day, on_model=lambda _model: None)


def _render(checklists: Path, docs: Path, day: dt.date) -> dict[str, bytes]:
    render_markdown(checklists, docs, day)
    return _pages(docs)


def test_the_next_day_changes_no_page_when_no_frist_passes(
    checklists: Path, tmp_path: Path
) -> None:
    first = _render(checklists, tmp_path / "a", TODAY)
    second = _render(checklists, tmp_path / "b", TODAY + dt.timedelta(days=1))
    units = [name for name in first if name.startswith("enheter/") and name != "enheter/index.md"]
    assert len(units) == 6
    assert first == second  # every page: units, HFs, RHFs, requirements, overviews
    sheet = build_date.STYLESHEET
    assert (tmp_path / "a" / sheet).read_text("utf-8") != (tmp_path / "b" / sheet).read_text(
        "utf-8"
    )


def test_a_frist_passing_overnight_still_changes_its_units_page(
    checklists: Path, tmp_path: Path
) -> None:
    rendered = render_markdown(checklists, tmp_path / "probe")
    dues = sorted(
        {a.due for u in rendered.model.units for a in u.score.actions if a.due and a.due > TODAY}
    )
    day = dues[0]  # the first frist after TODAY: open on that day, passed on the next
    due_that_day = {
        f"enheter/{u.slug}.md"
        for u in rendered.model.units
        if any(a.due == day for a in u.score.actions)
    }
    first = _render(checklists, tmp_path / "a", day)
    second = _render(checklists, tmp_path / "b", day + dt.timedelta(days=1))
    changed_units = {
        name
        for name in first
        if name.startswith("enheter/")
        and name != "enheter/index.md"
        and first[name] != second[name]
    }
    assert due_that_day and changed_units == due_that_day
    for name in changed_units:
        assert "passert" in second[name].decode("utf-8")


def test_the_stylesheet_holds_the_date_and_the_page_reads_right_without_it(
    checklists: Path, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    rendered = render_markdown(checklists, docs, dt.date(2026, 12, 6))
    css = (docs / build_date.STYLESHEET).read_text(encoding="utf-8")
    assert '.sk-byggedato::before { content: " (06.12.2026)"; }' in css
    assert '.sk-bygget::before { content: " · bygget 06.12.2026"; }' in css
    unit = rendered.model.units[0]
    page = (docs / f"enheter/{unit.slug}.md").read_text(encoding="utf-8")
    assert "06.12.2026" not in page
    plain = html.unescape(
        re.sub(r"<[^>]+>", "", page)
    )  # what a browser shows without the stylesheet
    assert "«Frist passert» gjelder per byggedatoen." in plain
    provenance = next(line for line in plain.splitlines() if "Skåringsmetode" in line)
    assert provenance.endswith(f"statuskart {rendered.model.statuskart_version}")
    assert build_date.stylesheet(dt.date(2026, 1, 2)).count("02.01.2026") == 2
