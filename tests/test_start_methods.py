"""Children end with their parent by the pipe alone, as on macOS and Windows (no prctl there).

The reading and build tests run under the start method STATUSKART_START_METHOD names; CI runs
them under fork, forkserver and spawn (the defaults of Linux ≤ 3.13, Linux 3.14+, Windows/macOS).
"""

from __future__ import annotations

import ctypes
import os
import signal
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from statuskart.core import processes
from statuskart.core.errors import ConfigError

from .procs import process_gone


def _orphan_candidate(end: Connection, folder: str) -> None:
    processes.hold(end)
    # Undo the kernel's route (Linux only), so only the lifeline can end this process.
    ctypes.CDLL(None).prctl(processes.PR_SET_PDEATHSIG, 0, 0, 0, 0)
    Path(folder, "child.pid").write_text(str(os.getpid()))
    time.sleep(60)


def _parent(folder: str) -> None:
    context = processes.context()
    lifeline = processes.Lifeline(context)
    # typeshed's BaseContext has no Process; every concrete context (fork, forkserver, spawn) does.
    child = context.Process(  # type: ignore[attr-defined]
        target=_orphan_candidate, args=(lifeline.end, folder)
    )
    with processes.hidden_main():
        child.start()
    time.sleep(60)  # killed long before this


def test_a_child_ends_through_its_lifeline_when_its_parent_is_killed(tmp_path: Path) -> None:
    parent = processes.context().Process(  # type: ignore[attr-defined]
        target=_parent, args=(str(tmp_path),)
    )
    parent.start()
    end = time.monotonic() + 20
    while not (tmp_path / "child.pid").exists() and time.monotonic() < end:
        time.sleep(0.05)
    child = int((tmp_path / "child.pid").read_text())
    os.kill(parent.pid or 0, signal.SIGKILL)
    parent.join()
    end = time.monotonic() + 5
    while not process_gone(child) and time.monotonic() < end:
        time.sleep(0.05)
    if not process_gone(child):
        os.kill(child, signal.SIGKILL)
        pytest.fail("the child outlived its parent: the lifeline did not end it")


def test_the_start_method_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(processes.START_METHOD_ENV, "spawn")
    assert processes.context().get_start_method() == "spawn"
    monkeypatch.setenv(processes.START_METHOD_ENV, "teleport")
    with pytest.raises(ConfigError, match="STATUSKART_START_METHOD=teleport er ikke en måte"):
        processes.context()
