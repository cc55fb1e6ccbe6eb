"""Child processes: the start method picked in one place, and children that end with their parent.

Python starts children differently per platform: ``fork`` on Linux up to 3.13, ``forkserver`` on
Linux from 3.14, ``spawn`` on Windows and macOS. statuskart's code must not care, so:

- ``context()`` is the only place a start method is chosen: the platform's default, or the one
  named in STATUSKART_START_METHOD (tests and CI run the same code under all three);
- a child learns that its parent is gone from a *lifeline*: a pipe whose writing end only the
  parent holds. However the parent ends (SIGKILL, out of memory, a crash), the child's read gives
  EOF and it exits. The parent's pid proves nothing: under forkserver the child's parent is the
  fork server. On Linux PR_SET_PDEATHSIG is set too, so the kernel ends it at once;
- ``hidden_main()`` keeps spawn and forkserver from importing the caller's script in every child
  (Python does that by default), so a script may call ``run_build`` without a ``__main__`` guard.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.process
import os
import signal
import sys
import threading
import types
import weakref
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import Any

from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError

START_METHOD_ENV = "STATUSKART_START_METHOD"
ORPHANED_EXIT = 3
"""Exit code of a child that ended because its parent was gone."""
PR_SET_PDEATHSIG = 1

_write_ends: weakref.WeakSet[Connection] = weakref.WeakSet()
"""Every open lifeline's writing end in this process (closed in forked children)."""


def start_method() -> str:
    """The start method statuskart's children use: $STATUSKART_START_METHOD or the default.

    ConfigError (bokmål) for a method this platform does not have.
    """
    wanted = os.environ.get(START_METHOD_ENV, "").strip()
    known = multiprocessing.get_all_start_methods()
    if not wanted:  # what the program set, else the platform's default (listed first)
        return multiprocessing.get_start_method(allow_none=True) or known[0]
    if wanted not in known:
        raise ConfigError(
            msg.BAD_START_METHOD.format(
                env=START_METHOD_ENV, value=wanted[:40], known=", ".join(known)
            )
        )
    return wanted


def context() -> BaseContext:
    """The multiprocessing context for every process statuskart starts."""
    return multiprocessing.get_context(start_method())


class Lifeline:
    """The parent's side of a lifeline: keep it open while the children it was given to work.

    Pass ``end`` to each child, which calls ``hold(end)`` first thing. ``close()`` (or leaving the
    ``with`` block) tells them the parent no longer needs them.
    """

    def __init__(self, ctx: BaseContext) -> None:
        self.end, self._write = ctx.Pipe(duplex=False)
        _write_ends.add(self._write)

    def __enter__(self) -> Lifeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of both ends here; the children see EOF once they have nothing else to do."""
        _write_ends.discard(self._write)
        self._write.close()
        self.end.close()


def _close_inherited_write_ends() -> None:
    """In a forked child: the copies of the parent's writing ends would keep every lifeline open."""
    for conn in list(_write_ends):
        with contextlib.suppress(OSError):
            conn.close()
    _write_ends.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_inherited_write_ends)


def hold(end: Connection) -> None:
    """In a child: exit as soon as the parent that gave us ``end`` is gone."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    threading.Thread(target=_watch, args=(end,), name="statuskart-lifeline", daemon=True).start()


def _watch(end: Connection) -> None:
    """Block until the parent's end closes (the parent never writes), then end this process."""
    with contextlib.suppress(EOFError, OSError):
        while True:
            end.recv_bytes()
    os._exit(ORPHANED_EXIT)  # no cleanup: the parent that wanted our work is gone


@contextlib.contextmanager
def hidden_main() -> Iterator[None]:
    """While children start: spawn and forkserver must not import the caller's ``__main__``.

    They would run the caller's script again in each child. statuskart's children run only
    statuskart's own functions and need nothing from it. Hold this only while starting them.
    """
    if start_method() == "fork" or "__main__" not in sys.modules:
        yield
        return
    caller = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = caller


@contextlib.contextmanager
def quiet_start() -> Iterator[None]:
    """SIGINT ignored and blocked while a process starts, and SIGTERM blocked too under fork.

    A Ctrl-C reaches every process in the terminal's group; one in a child (even while it
    starts up) would print a traceback, so the child starts (and stays) ignoring it. SIGTERM is
    blocked too under fork: a forked child starts with this process's handler, which raises, and
    a SIGTERM in its first instant printed a traceback or was lost. The child unblocks SIGTERM
    once its own handler is set (``child_signals``). A signal that comes meanwhile is not lost:
    Linux keeps a blocked signal pending, and it reaches this process once the mask is back.
    """
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None or threading.current_thread() is not threading.main_thread():
        yield  # pragma: no cover - Windows, or a build run from another thread
        return
    # Only a fork copies this process's handlers; a blocked SIGTERM would also be inherited by a
    # fork server started now, and by every process it forks later.
    held = {signal.SIGINT, signal.SIGTERM} if start_method() == "fork" else {signal.SIGINT}
    old_mask = mask(signal.SIG_BLOCK, held)
    try:
        old_handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, old_handler)
    finally:
        mask(signal.SIG_SETMASK, old_mask)


def start_waiting_child(
    target: Callable[..., None], *args: Any
) -> tuple[multiprocessing.process.BaseProcess, Connection, Lifeline]:
    """Start ``target(receive, *args, lifeline_end, ready)``: a daemon child that waits for work.

    Returns the process, the sending end of its pipe and its lifeline. The child must ignore
    Ctrl-C (this process handles it and stops the child) and set ``ready`` once it does: a
    forkserver or spawned child starts with Python's own Ctrl-C handler, not the ignored one a
    forked child inherits, so this waits for it.
    """
    ctx = context()
    receive, send = ctx.Pipe(duplex=False)
    lifeline = Lifeline(ctx)
    ready = ctx.Event()
    # Every concrete context has Process; typeshed's BaseContext does not say so.
    process_type = ctx.Process  # type: ignore[attr-defined]
    args = (target, send, receive, *args, lifeline.end, ready)
    process = process_type(target=_waiting_child, args=args, daemon=True)
    with quiet_start(), hidden_main():
        process.start()
    receive.close()
    if ctx.get_start_method() != "fork":
        ready.wait(timeout=60)
    return process, send, lifeline


def _waiting_child(target: Callable[..., None], send: Connection, *args: Any) -> None:
    """start_waiting_child's child: without its own sending end, then ``target(*args)``.

    A forked child holds a copy of every descriptor its parent had, the pipe's sending end too,
    so it never saw the pipe close when the build let go of it (a child not needed waited until
    it was killed). Under spawn and forkserver this end is a duplicate; closing it is harmless.
    """
    send.close()
    child_signals()
    target(*args)


def child_signals() -> None:
    """In a child the build started: Ctrl-C is the build's to handle; SIGTERM ends us quietly.

    The build stops its children with SIGTERM. A forked child starts with the build's handler,
    which raises (a traceback on screen), and with SIGTERM blocked by ``quiet_start``.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


STOP_GRACE_SECONDS = 0.5
"""How long a child that was told to stop (its pipe closed) gets before SIGTERM."""
TERM_GRACE_SECONDS = 5.0
"""How long a child gets after SIGTERM before SIGKILL."""


def end_child(
    process: multiprocessing.process.BaseProcess, grace: float = STOP_GRACE_SECONDS
) -> None:
    """Wait for ``process`` to end, closing in: ``grace`` seconds, then SIGTERM, then SIGKILL.

    The caller has closed the child's work pipe first, so a waiting child returns by itself.
    SIGTERM alone could be lost: sent in the instant after a fork, it found the parent's Python
    handler, which only noted it, and the child replaced that handler before it ran; the child
    then waited for work for ever and the build with it.
    """
    process.join(timeout=grace)
    if process.is_alive():
        process.terminate()
        process.join(timeout=TERM_GRACE_SECONDS)
    if process.is_alive():
        process.kill()
        process.join()
