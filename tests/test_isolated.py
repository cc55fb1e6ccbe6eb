"""The build's first half in a forked child: same result, same errors, memory given back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from statuskart import build
from statuskart.catalog.model import Catalogue
from statuskart.errors import ConfigError, SiteBuildError
from statuskart.isolated import Events, can_fork, run_isolated
from statuskart.workbook.sample import write_samples

from .conftest import TODAY

forks = pytest.mark.skipif(not can_fork(), reason="the OS cannot fork: runs in-process")


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        line = next(x for x in fh if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


@forks
def test_result_progress_and_stages_come_back_in_order() -> None:
    seen: list[str] = []

    def work(events: Events) -> dict[str, int]:
        assert events.progress is not None and events.on_stage is not None
        events.on_stage("read")
        events.progress(Path("a.xlsx"))
        events.progress(Path("b.xlsx"))
        events.on_stage("pages")
        return {"pid": os.getpid()}

    result = run_isolated(
        work, Events(lambda p: seen.append(p.name), lambda s: seen.append(f"stage:{s}"))
    )
    assert seen == ["stage:read", "a.xlsx", "b.xlsx", "stage:pages"]
    assert result["pid"] != os.getpid()  # it really ran in another process


@forks
def test_memory_used_in_the_child_is_not_kept_here() -> None:
    before = _rss_mb()

    def work(_events: Events) -> int:
        blocks = [bytearray(1024 * 1024) for _ in range(300)]  # 300 MB, touched
        return sum(len(b) for b in blocks)

    assert run_isolated(work, Events()) == 300 * 1024 * 1024
    assert _rss_mb() - before < 50


@forks
def test_an_error_in_the_child_is_raised_here_as_itself() -> None:
    def work(_events: Events) -> None:
        raise ConfigError("Fant ingen skjema i «tom»")

    with pytest.raises(ConfigError, match="Fant ingen skjema i «tom»"):
        run_isolated(work, Events())

    class Odd(Exception):
        def __init__(self, a: int, b: int) -> None:  # not picklable from its args
            super().__init__(f"{a}/{b}")

    def odd(_events: Events) -> None:
        raise Odd(1, 2)

    with pytest.raises(RuntimeError, match="Odd: 1/2"):
        run_isolated(odd, Events())


@forks
def test_a_child_that_dies_gives_a_bokmal_error() -> None:
    def work(_events: Events) -> None:
        os._exit(9)  # as the kernel's out-of-memory killer would leave it

    with pytest.raises(SiteBuildError, match="stoppet uventet \\(kode 9\\)"):
        run_isolated(work, Events())


@forks
def test_a_build_whose_render_process_dies_leaves_the_old_site(
    tsb: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checklists = tmp_path / "in"
    write_samples(tsb, checklists, units=3, rounds=1, seed=2)
    site = tmp_path / "site"
    build.run_build([checklists], site, today=TODAY)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))

    def dies(*_args: object, **_kwargs: object) -> None:
        os._exit(3)

    monkeypatch.setattr("statuskart.pages.render_pages", dies)
    with pytest.raises(SiteBuildError, match="Nettstedet er ikke endret"):
        build.run_build([checklists], site, today=TODAY)
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_a_build_without_fork_runs_in_process_with_the_same_site(
    tsb: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows and macOS: no forked child, the same pages, downloads and search entries."""
    checklists = tmp_path / "in"
    write_samples(tsb, checklists, units=3, rounds=2, seed=4)
    forked, here = tmp_path / "forked", tmp_path / "here"
    build.run_build([checklists], forked, today=TODAY)
    monkeypatch.setattr("statuskart.isolated.can_fork", lambda: False)
    seen: list[str] = []
    result = build.run_build([checklists], here, today=TODAY, on_stage=seen.append)
    assert seen == ["read", "score", "report", "pages", "mkdocs"]
    assert result.units == 3 and len(result.files) == 6
    files = sorted(p.relative_to(here) for p in here.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(forked) for p in forked.rglob("*") if p.is_file())
    index = "search/search_index.js"
    assert (here / index).read_bytes() == (forked / index).read_bytes()
    assert (here / "nedlastinger" / "kravstatus.xlsx").stat().st_size > 1000
