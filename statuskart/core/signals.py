"""SIGTERM as an exception, and signals held while folders change hands.

A build killed by SIGTERM must clean up like one stopped with Ctrl-C, and a swap of site folders
must not be cut in half: the CLI wraps commands in ``sigterm_raises``, the output folder's swap
runs under ``held_signals``.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator


class Terminated(BaseException):
    """SIGTERM as an exception so ``finally`` blocks run; a BaseException, so nothing eats it."""


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """Defer SIGINT/SIGTERM while folders are renamed or removed, so no half-state is left."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # pragma: no cover - Windows
        yield
        return
    old = mask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """While the block runs (main thread only), SIGTERM raises Terminated instead of killing us."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise Terminated(signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
