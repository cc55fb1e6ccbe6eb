"""MkDocs on every core: a site rendered in shares is, byte for byte, the one rendered alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.core.errors import SiteBuildError
from statuskart.pipeline.build import run_build
from statuskart.sample.checklists import write_samples
from statuskart.site import engine, shares
from statuskart.site.shares import ShareTask

from .conftest import TODAY
from .test_incremental import _change_one_status, _files


@pytest.fixture
def checklists(tmp_path: Path, tsb: Catalogue) -> Path:
    root = tmp_path / "in"
    write_samples(tsb, root, units=4, rounds=1, seed=5)
    return root


@pytest.fixture
def share_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Shares for any site, even of one page; the list gets each shared render's share count."""
    monkeypatch.setattr(shares, "MIN_PAGES", 1)
    monkeypatch.setattr(shares, "MIN_CHANGED_PAGES", 1)
    calls: list[int] = []
    original = engine._render_shares

    def counted(task: ShareTask, target: Path, helpers: list[shares.ShareJob]) -> None:
        calls.append(len(helpers) + 1)
        original(task, target, helpers)

    monkeypatch.setattr(engine, "_render_shares", counted)
    return calls


def test_split_keeps_page_order_and_balances_the_weight() -> None:
    pages = [(f"p{i}.md", w) for i, w in enumerate([5, 1, 1, 1, 1, 1, 5, 5])]
    parts = shares.split(pages, 2)
    assert [name for part in parts for name in part] == [name for name, _ in pages]
    weight = dict(pages)
    assert [sum(weight[n] for n in part) for part in parts] == [10, 10]


def test_split_with_more_shares_than_pages_and_empty_pages() -> None:
    parts = shares.split([("a.md", 0), ("b.md", 0)], 4)
    assert [name for part in parts for name in part] == ["a.md", "b.md"]
    assert len(parts) == 4
    assert shares.split([], 3) == [[], [], []]


def test_share_count_renders_small_sites_alone() -> None:
    assert shares.share_count(shares.MIN_PAGES - 1, cpus=8) == 1
    assert shares.share_count(1100, cpus=1) == 1
    assert shares.share_count(1100, cpus=2) == 2
    assert shares.share_count(1100, cpus=64) == shares.MAX_SHARES


def test_a_rebuild_shares_fewer_changed_pages() -> None:
    """Helpers already wait in a national rebuild: a night's passed frister (~80 pages) share."""
    assert shares.share_count(shares.MIN_CHANGED_PAGES - 1, cpus=2, rebuild=True) == 1
    assert shares.share_count(84, cpus=2, rebuild=True) == 2
    assert shares.share_count(84, cpus=2) == 1  # a clean build of 84 pages: one process
    assert shares.share_count(1100, cpus=64, rebuild=True) == shares.MAX_SHARES


def test_the_shares_indexes_end_to_end_are_one_index() -> None:
    parts: list[dict[str, Any]] = [
        {"config": {"lang": ["no"]}, "docs": [{"location": "a.html"}]},
        {"docs": [{"location": "b.html"}]},
    ]
    assert shares.joined_index(parts) == {
        "config": {"lang": ["no"]},
        "docs": [{"location": "a.html"}, {"location": "b.html"}],
    }


@pytest.mark.slow
def test_a_site_rendered_in_shares_equals_one_rendered_alone(
    checklists: Path, tmp_path: Path, share_calls: list[int]
) -> None:
    alone = tmp_path / "alone" / "site"
    run_build([checklists], alone, today=TODAY, workers=1)
    assert share_calls == []
    shared = tmp_path / "shared" / "site"
    run_build([checklists], shared, today=TODAY, workers=2)
    assert share_calls == [2]
    assert _files(shared) == _files(alone)
    index = json.loads((shared / "search" / "search_index.js").read_text("utf-8").split("=", 1)[1])
    unit_pages = {e["location"] for e in index["docs"] if e["location"].startswith("enheter/")}
    built = {f"enheter/{p.name}" for p in (shared / "enheter").glob("*.html")}
    assert unit_pages == built - {"enheter/index.html"}  # every unit page, from both shares


@pytest.mark.slow
def test_a_rebuild_in_shares_renders_only_changed_pages_and_equals_a_clean_build(
    checklists: Path, tmp_path: Path, share_calls: list[int]
) -> None:
    cache = tmp_path / "cache"
    site = tmp_path / "out" / "site"
    run_build([checklists], site, today=TODAY, cache_dir=cache, workers=2)
    _change_one_status(sorted(checklists.glob("*/*.xlsx"))[-1])
    run_build([checklists], site, today=TODAY, cache_dir=cache, workers=2)
    assert share_calls == [2, 2]
    clean = tmp_path / "clean" / "site"
    run_build([checklists], clean, today=TODAY, workers=1)
    assert _files(site) == _files(clean)


@pytest.mark.parametrize("told", [True, False])
def test_a_share_knows_the_downloads_its_pages_link_to(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, told: bool
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for page in ("index.md", "metode.md", "datakvalitet.md"):  # the user guide links to two
        (docs / page).write_text("[Last ned](nedlastinger/a.xlsx)\n", encoding="utf-8")
    config_path = engine.site_config(None).prepare(docs)
    later = ("nedlastinger/a.xlsx",) if told else ()
    task = ShareTask(str(config_path), str(tmp_path / "site"), 0, 1, None, TODAY, later)
    with caplog.at_level("WARNING", logger="mkdocs"):
        engine.render_share(task)
    missing = [r for r in caplog.records if "nedlastinger/a.xlsx" in r.getMessage()]
    assert bool(missing) is not told
    assert not (tmp_path / "site" / "nedlastinger").exists()


_RENDER_SHARE = engine.render_share


def _broken_share(task: ShareTask) -> list[str]:
    if task.index > 0:
        raise OSError("disken er full")
    return _RENDER_SHARE(task)


@pytest.mark.slow
def test_a_failed_share_fails_the_build_in_bokmal_and_keeps_the_old_site(
    checklists: Path, tmp_path: Path, share_calls: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "out" / "site"
    run_build([checklists], site, today=TODAY, workers=1)
    before = _files(site)
    monkeypatch.setattr(engine, "render_share", _broken_share)
    with pytest.raises(SiteBuildError, match="MkDocs kunne ikke bygge nettstedet: disken er full"):
        run_build([checklists], site, today=TODAY, workers=2)
    assert _files(site) == before
