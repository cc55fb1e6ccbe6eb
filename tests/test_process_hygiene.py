"""Processes the build starts end with it: no hang, no orphan, no traceback, on kill or Ctrl-C.

Found by trying to break the reading pool and the download writer with real signals (SIGKILL
as the out-of-memory killer sends it, SIGINT to the whole group as Ctrl-C does). They run under
the start method STATUSKART_START_METHOD names (CI runs this file under all three).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.core import processes
from statuskart.core.errors import SiteBuildError
from statuskart.core.signals import sigterm_raises
from statuskart.downloads.write import DownloadJob
from statuskart.pipeline import build
from statuskart.sample.checklists import write_samples
from statuskart.workbook.pool import map_isolated

from .conftest import TODAY
from .procs import process_gone


class _Alarm(Exception):
    pass


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail instead of hanging the test run when something waits forever."""

    def ring(_signum: int, _frame: object) -> None:
        raise _Alarm("waited more than 20 s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _sleep_and_tell(folder: str, item: int) -> int:
    Path(folder, f"{os.getpid()}.pid").touch()
    time.sleep(0.5 if item else 60)
    return item


def _slow_and_count(folder: str, item: int) -> int:
    Path(folder, f"{item}.started").touch()
    time.sleep(0.4)
    return item


def _read_three(folder: str) -> None:
    import functools

    func = functools.partial(_sleep_and_tell, folder)
    map_isolated(func, [0, 0, 0], workers=2, on_failure=_minus_one)


def _minus_one(_item: int, _reason: str) -> int:
    return -1


def test_reading_workers_end_when_the_process_that_started_them_is_killed(
    tmp_path: Path, deadline: None
) -> None:
    starter = processes.context().Process(  # type: ignore[attr-defined]
        target=_read_three, args=(str(tmp_path),)
    )
    starter.start()
    while len(list(tmp_path.glob("*.pid"))) < 2:
        time.sleep(0.05)
    workers = [int(p.stem) for p in tmp_path.glob("*.pid")]
    os.kill(starter.pid or 0, signal.SIGKILL)
    starter.join()
    end = time.monotonic() + 5
    while not all(map(process_gone, workers)) and time.monotonic() < end:
        time.sleep(0.1)
    left = [pid for pid in workers if not process_gone(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_an_interrupted_pool_does_not_read_every_file_left_first(
    tmp_path: Path, deadline: None
) -> None:
    """Counted, not timed: a forkserver start on a loaded machine took longer than the reading."""
    import functools

    def interrupt(_item: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        map_isolated(
            functools.partial(_slow_and_count, str(tmp_path)),
            list(range(40)),
            workers=2,
            on_failure=lambda i, r: i,
            on_done=interrupt,
        )
    time.sleep(1)  # a worker that kept going would start more files meanwhile
    started = len(list(tmp_path.glob("*.started")))
    # Running and already-queued calls finish (ProcessPoolExecutor hands out a few ahead); the
    # rest are cancelled: far from all 40.
    assert 1 <= started <= 12


def test_the_download_writer_leaves_ctrl_c_to_the_build(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], deadline: None
) -> None:
    job = DownloadJob(tmp_path / "downloads")
    job.launch()
    assert job.process is not None and job.process.pid is not None
    try:
        os.kill(job.process.pid, signal.SIGINT)  # while it starts up
        time.sleep(2)
        os.kill(job.process.pid, signal.SIGINT)  # while it waits for its parts
        time.sleep(0.5)
        assert job.process.is_alive()
    finally:
        job.stop()
    assert "Traceback" not in capfd.readouterr().err


def test_a_download_writer_stopped_as_it_starts_ends(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], deadline: None
) -> None:
    """A build refused at once stops its writer in the instant after the fork.

    SIGTERM then could reach the parent's inherited handler, be noted and never acted on; the
    writer waited for its parts for ever and the test run hung. Now its pipe closes first.
    """
    with sigterm_raises():  # as the CLI runs a build: SIGTERM is a Python handler's
        # Only a fork returns before the child is ready; spawn and forkserver wait for it.
        for attempt in range(30 if processes.start_method() == "fork" else 3):
            job = DownloadJob(tmp_path / f"downloads-{attempt}")
            job.launch()
            job.stop()
            assert job.process is not None and not job.process.is_alive()
    assert "Traceback" not in capfd.readouterr().err


def _sigterm_state(_item: int) -> tuple[bool, bool]:
    blocked = signal.SIGTERM in signal.pthread_sigmask(signal.SIG_BLOCK, [])
    return blocked, signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_reading_workers_can_be_stopped_with_sigterm(tmp_path: Path, deadline: None) -> None:
    """Started after a waiting child (which may start the fork server), as in a build."""
    with sigterm_raises():
        job = DownloadJob(tmp_path / "downloads")
        job.launch()
        try:
            states = map_isolated(_sigterm_state, [0, 1], workers=2, on_failure=_unknown_state)
        finally:
            job.stop()
    assert states == [(False, True), (False, True)]  # not blocked, the default action


def _unknown_state(_item: int, _reason: str) -> tuple[bool, bool]:
    return True, False


def _ignore_sigterm_and_wait(ready: Any) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ready.set()
    time.sleep(60)


def test_a_child_that_outlives_sigterm_is_killed(
    monkeypatch: pytest.MonkeyPatch, deadline: None
) -> None:
    monkeypatch.setattr(processes, "TERM_GRACE_SECONDS", 0.3)
    ctx: Any = processes.context()
    ready = ctx.Event()
    child = ctx.Process(target=_ignore_sigterm_and_wait, args=(ready,), daemon=True)
    with processes.hidden_main():
        child.start()
    assert ready.wait(timeout=15)  # its SIGTERM handler is set
    processes.end_child(child, grace=0)
    assert child.exitcode == -signal.SIGKILL


def test_a_share_process_not_needed_ends_by_itself(tmp_path: Path, deadline: None) -> None:
    """It sees the pipe close and returns, under every start method: not killed (exit code 0).

    A forked one held its own copy of the pipe's sending end and waited until it was killed.
    """
    from statuskart.site.engine import render_share
    from statuskart.site.shares import ShareJob

    job = ShareJob(tmp_path / "share")
    job.launch(render_share)
    job.stop()
    assert job.process is not None
    assert job.process.exitcode == 0
    assert not (tmp_path / "share").exists()


def test_a_writer_killed_before_the_model_exists_is_a_bokmal_error(
    tsb: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deadline: None
) -> None:
    checklists = tmp_path / "in"
    write_samples(tsb, checklists, units=3, rounds=1, seed=2)
    site = tmp_path / "site"
    build.run_build([checklists], site, today=TODAY)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    launch = DownloadJob.launch

    def launch_and_kill(self: DownloadJob) -> None:
        launch(self)
        assert self.process is not None and self.process.pid is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.join()

    monkeypatch.setattr(DownloadJob, "launch", launch_and_kill)
    # Not BrokenPipeError, which Click turns into a silent exit code 1.
    with pytest.raises(SiteBuildError, match="Nedlastingene kunne ikke skrives: prosessen som"):
        build.run_build([checklists], site, today=TODAY)
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def _launch_writer(folder: str) -> None:
    job = DownloadJob(Path(folder, "downloads"))
    job.launch()
    assert job.process is not None
    Path(folder, "writer.pid").write_text(str(job.process.pid))
    time.sleep(60)  # killed long before this


def test_the_download_writer_ends_when_its_build_is_killed(tmp_path: Path, deadline: None) -> None:
    build_process = processes.context().Process(  # type: ignore[attr-defined]
        target=_launch_writer, args=(str(tmp_path),)
    )
    build_process.start()
    while not (tmp_path / "writer.pid").exists():
        time.sleep(0.05)
    time.sleep(0.2)
    writer = int((tmp_path / "writer.pid").read_text())
    os.kill(build_process.pid or 0, signal.SIGKILL)
    build_process.join()
    end = time.monotonic() + 5
    while not process_gone(writer) and time.monotonic() < end:
        time.sleep(0.1)
    if not process_gone(writer):
        os.kill(writer, signal.SIGKILL)
        pytest.fail("the download writer outlived its build")
