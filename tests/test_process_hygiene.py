"""Processes the build starts end with it: no hang, no orphan, no traceback, on kill or Ctrl-C.

Found by trying to break the forked render process and the spawned download writer with real
signals (SIGKILL as the out-of-memory killer sends it, SIGINT to the whole group as Ctrl-C does).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from statuskart import build
from statuskart.catalog.model import Catalogue
from statuskart.downloads import DownloadJob
from statuskart.errors import SiteBuildError
from statuskart.isolated import Events, can_fork, run_isolated
from statuskart.workbook.pool import map_isolated
from statuskart.workbook.sample import write_samples

from .conftest import TODAY

forks = pytest.mark.skipif(not can_fork(), reason="the OS cannot fork: runs in-process")


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


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _sleep_and_tell(folder: str, item: int) -> int:
    Path(folder, f"{os.getpid()}.pid").touch()
    time.sleep(0.5 if item else 60)
    return item


def _slow(item: int) -> int:
    time.sleep(0.4)
    return item


@forks
def test_a_render_child_killed_while_a_worker_holds_its_pipe_is_an_error_not_a_hang(
    tmp_path: Path, deadline: None
) -> None:
    def work(_events: Events) -> None:
        if os.fork() == 0:  # a reading worker: it has a copy of the pipe to the build
            time.sleep(30)
            os._exit(0)
        os._exit(9)  # killed, say by the out-of-memory killer, while its worker reads

    with pytest.raises(SiteBuildError, match="stoppet uventet \\(kode 9\\)"):
        run_isolated(work, Events())


@forks
def test_reading_workers_end_when_the_process_that_started_them_is_killed(
    tmp_path: Path, deadline: None
) -> None:
    import functools

    func = functools.partial(_sleep_and_tell, str(tmp_path))
    starter = multiprocessing.get_context("fork").Process(
        target=map_isolated,
        args=(func, [0, 0, 0]),
        kwargs={"workers": 2, "on_failure": lambda _i, _r: -1},
    )
    starter.start()
    while len(list(tmp_path.glob("*.pid"))) < 2:
        time.sleep(0.05)
    workers = [int(p.stem) for p in tmp_path.glob("*.pid")]
    os.kill(starter.pid or 0, signal.SIGKILL)
    starter.join()
    end = time.monotonic() + 5
    while not all(map(_gone, workers)) and time.monotonic() < end:
        time.sleep(0.1)
    left = [pid for pid in workers if not _gone(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_an_interrupted_pool_does_not_read_every_file_left_first(deadline: None) -> None:
    def interrupt(_item: int) -> None:
        raise KeyboardInterrupt

    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        map_isolated(
            _slow, list(range(40)), workers=2, on_failure=lambda i, r: i, on_done=interrupt
        )
    assert time.monotonic() - start < 4  # not 40 × 0.4 s / 2 workers


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


@forks
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


def _build_that_waits(folder: str) -> None:
    def work(_events: Events) -> bytes:
        Path(folder, "child.pid").write_text(str(os.getpid()))
        while not Path(folder, "go").exists():
            time.sleep(0.05)
        return b"x" * 1_000_000  # larger than a pipe holds

    run_isolated(work, Events())


@forks
def test_the_render_child_of_a_killed_build_ends_instead_of_waiting_forever(
    tmp_path: Path, deadline: None
) -> None:
    build = multiprocessing.get_context("fork").Process(
        target=_build_that_waits, args=(str(tmp_path),)
    )
    build.start()
    while not (tmp_path / "child.pid").exists():
        time.sleep(0.05)
    child = int((tmp_path / "child.pid").read_text())
    os.kill(build.pid or 0, signal.SIGKILL)  # the out-of-memory killer picked the build itself
    build.join()
    (tmp_path / "go").touch()
    end = time.monotonic() + 5
    while not _gone(child) and time.monotonic() < end:
        time.sleep(0.1)
    if not _gone(child):
        os.kill(child, signal.SIGKILL)
        pytest.fail("the render child outlived its build, blocked on its pipe")


def _child_then_signals(send: object, receive: object) -> None:
    from statuskart import isolated
    from statuskart.output import sigterm_raises

    with sigterm_raises():  # as in the build, whose handler the forked child inherits
        isolated._child(lambda _events: None, send, receive)  # type: ignore[arg-type]
        os.kill(os.getpid(), signal.SIGINT)  # a second Ctrl-C, after the child's work is done
        os.kill(os.getpid(), signal.SIGTERM)  # the parent stops the child as it ends
        time.sleep(1)


@forks
def test_a_render_child_stopped_as_it_ends_prints_no_traceback(
    capfd: pytest.CaptureFixture[str], deadline: None
) -> None:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child_then_signals, args=(send, receive))
    child.start()
    send.close()
    assert receive.recv() == ("done", None)
    child.join()
    assert "Traceback" not in capfd.readouterr().err
    assert child.exitcode == -signal.SIGTERM
