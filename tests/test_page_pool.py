"""Pages rendered in several processes: the same files, the same error, no child left behind.

Runs under the start method STATUSKART_START_METHOD names (CI: fork, forkserver and spawn).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from pathlib import Path

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.core import processes
from statuskart.core.errors import ConfigError, SiteBuildError
from statuskart.model.views import ReportModel
from statuskart.pipeline.run import render_docs
from statuskart.render import page_pool
from statuskart.render.pages import render_pages
from statuskart.sample.checklists import write_samples
from statuskart.workbook.pool import available_cpus

from .conftest import TODAY


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> ReportModel:
    folder = tmp_path_factory.mktemp("pool") / "in"
    write_samples(tsb, folder, units=12, rounds=1, seed=7)
    docs = tmp_path_factory.mktemp("docs")
    return render_docs([folder], docs, build_date=TODAY, workers=1, on_model=lambda _m: None).model


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize("workers", [2, 3])
def test_pages_from_several_processes_are_the_same_files(
    model: ReportModel, tmp_path: Path, workers: int
) -> None:
    alone = render_pages(model, tmp_path / "alone", own_unit_search=True, workers=1)
    shared = render_pages(model, tmp_path / "shared", own_unit_search=True, workers=workers)
    assert [p.relative_to(tmp_path / "shared") for p in shared.written] == [
        p.relative_to(tmp_path / "alone") for p in alone.written
    ]
    assert shared.unit_entries == alone.unit_entries
    assert len(alone.written) > 3 * page_pool.CHUNK  # every process had pages to take
    assert _files(tmp_path / "shared") == _files(tmp_path / "alone")
    assert multiprocessing.active_children() == []


def test_the_error_is_the_first_failing_pages_as_in_one_process(
    model: ReportModel, tmp_path: Path
) -> None:
    maler = tmp_path / "maler"
    maler.mkdir()
    # Every unit page fails, each naming itself: the first in page order must be the one named.
    (maler / "unit.md.j2").write_text("<span onclick=alert(1)>{{ unit.slug }}</span>\n", "utf-8")
    messages = []
    for workers in (1, 2, 3):
        with pytest.raises(ConfigError) as info:
            render_pages(model, tmp_path / f"d{workers}", template_dirs=[maler], workers=workers)
        messages.append(str(info.value))
    assert "onclick" in messages[0] and f"enheter/{model.units[0].slug}.md" in messages[0]
    assert messages[1] == messages[0] and messages[2] == messages[0]
    assert multiprocessing.active_children() == []


def test_a_killed_child_is_an_error_in_bokmal_and_nothing_hangs(
    model: ReportModel, tmp_path: Path
) -> None:
    killed: list[int] = []
    stop = threading.Event()

    def kill_the_first_child() -> None:
        while not stop.is_set() and not killed:
            for child in multiprocessing.active_children():
                if child.pid is not None:
                    os.kill(child.pid, signal.SIGKILL)
                    killed.append(child.pid)
                    break
            stop.wait(0.001)

    killer = threading.Thread(target=kill_the_first_child, daemon=True)
    killer.start()
    try:
        with pytest.raises(SiteBuildError) as info:
            render_pages(model, tmp_path / "docs", workers=2)
    finally:
        stop.set()
        killer.join()
    assert killed
    assert str(info.value).startswith("Sidene kunne ikke skrives: en av prosessene")
    assert "kode -9" in str(info.value)
    assert multiprocessing.active_children() == []


def test_small_sites_are_rendered_in_one_process() -> None:
    assert page_pool.process_count(page_pool.POOL_MIN_PAGES - 1, None) == 1
    # Left to choose, a pool only where the children get the model for free.
    pooled = min(available_cpus(), page_pool.MAX_PROCESSES)
    pooled = pooled if processes.start_method() == "fork" else 1
    assert page_pool.process_count(page_pool.POOL_MIN_PAGES, None) == pooled
    assert page_pool.process_count(500, 1) == 1
    assert page_pool.process_count(500, 3) == 3
    assert page_pool.process_count(2, 3) == 2  # never a process without a page


def test_a_site_built_with_the_pool_equals_one_built_without(
    tsb: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In run_build the pool runs beside the download writer; the site is the same."""
    from statuskart.pipeline.build import run_build

    folder = tmp_path / "in"
    write_samples(tsb, folder, units=4, rounds=1, seed=2)
    run_build([folder], tmp_path / "alone", today=TODAY, workers=1)
    used: list[int] = []

    def two(pages: int, workers: int | None) -> int:
        used.append(pages)
        return 2

    monkeypatch.setattr(page_pool, "process_count", two)
    run_build([folder], tmp_path / "pooled", today=TODAY)
    assert used
    assert _files(tmp_path / "pooled") == _files(tmp_path / "alone")
    assert multiprocessing.active_children() == []
