"""Run the build's first half in a forked process, so its memory is the OS's again after it.

Reading, scoring and rendering a national build hold the parsed skjemas and the report model,
about 250 MB. CPython keeps freed memory in its arenas, so MkDocs used to start on top of it and
the build peaked at nearly 500 MB. Run in a forked child that ends when the docs are written,
that memory goes back to the OS before MkDocs starts. The child reports progress and stages over
a pipe, so the progress bars are drawn by this process as before; its result and any error come
back pickled. Where the OS cannot fork, the function simply runs here.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from statuskart import messages as msg
from statuskart.errors import SiteBuildError

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Events:
    """Where progress goes: one call per file read, one per stage started."""

    progress: Callable[[Path], None] | None = None
    on_stage: Callable[[str], None] | None = None


def can_fork() -> bool:
    """True on Linux, where a child can safely start as a copy of this process.

    Windows cannot fork, and on macOS a forked child may crash in system libraries.
    """
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def run_isolated(func: Callable[[Events], R], events: Events) -> R:
    """``func(events)`` in a forked child; its result or exception, as if run here."""
    if not can_fork():
        return func(events)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    # Not a daemon: the child starts its own worker pool for reading.
    child = context.Process(target=_child, args=(func, send, receive))
    child.start()
    send.close()
    try:
        while True:
            # Watches the child's life too, not only its pipe: the reading workers it started
            # have copies of the pipe (and of its sentinel), so a child killed while they live
            # might never give EOF.
            while not receive.poll(POLL_SECONDS) and child.is_alive():
                pass
            try:
                if not receive.poll():  # ended, and every word it sent has been read
                    raise EOFError
                kind, value = receive.recv()
            except EOFError:  # died without a word: killed, out of memory, a crash in C
                child.join()
                raise SiteBuildError(msg.RENDER_DIED.format(code=child.exitcode)) from None
            if kind == "file" and events.progress is not None:
                events.progress(Path(value))
            elif kind == "stage" and events.on_stage is not None:
                events.on_stage(value)
            elif kind == "error":
                raise value
            elif kind == "done":
                result: R = value
                child.join(timeout=JOIN_SECONDS)  # it is ending on its own; let it
                return result
    finally:
        receive.close()
        if child.is_alive():  # an error or an interrupt here: the child's work is moot
            child.terminate()
        child.join()


POLL_SECONDS = 0.25
"""How often the build checks that the child still lives while it waits for a word from it."""
JOIN_SECONDS = 30.0
"""How long a child that has sent its result may take to exit before it is stopped."""


def _child(func: Callable[[Events], Any], send: Connection, receive: Connection) -> None:
    """Never lets an exception out: multiprocessing would print its traceback for the user."""
    # The pipe's other end is the parent's alone: held here too, a parent that was killed would
    # leave this process blocked forever sending its result (the build's lock still held).
    receive.close()
    relay = Events(
        progress=lambda path: send.send(("file", str(path))),
        on_stage=lambda name: send.send(("stage", name)),
    )
    try:
        try:
            try:
                outcome = ("done", func(relay))
            except BaseException as exc:  # every error is the parent's to raise, Ctrl-C included
                outcome = ("error", _picklable(exc))
            send.send(outcome)
            send.close()
        finally:
            _quiet()
    except BaseException:  # the parent is gone or stopped us (interrupt, SIGTERM): say nothing
        return


def _quiet() -> None:
    """From here on a signal ends this process without a word.

    The parent stops a child that has not ended yet (SIGTERM); one that comes after the child
    left the ``try`` above would raise where only multiprocessing would catch it and print a
    traceback (as would a second Ctrl-C).
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _picklable(exc: BaseException) -> BaseException:
    """The exception itself if it survives pickling, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
