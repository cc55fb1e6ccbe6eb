"""The pages stage on every core: page jobs shared out between this process and a few children.

Rendering a national site's ~1,100 pages is CPU-bound Jinja (about 8 s in one process) while the
second core waits. So this process and ``count - 1`` children each build the same ``PageWriter``
from the report model and take the next few job numbers from a shared counter until none are
left; each writes its pages itself. Under fork a child gets the model for free. Under spawn and
forkserver it is pickled to it (``Process`` arguments): at 1,000 units 56 MB, whose pickling and
loading took longer than rendering all the pages, so there the pool is used only when asked
for (``workers``). Small sites are rendered in one process: starting children would cost more
than it saves.

The outcome does not depend on the number of processes: every page is the same file, and when
pages fail the error raised is that of the first failing page in job order, as in one process
(a process skips every job after the first known failure, never one before it).
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Protocol

from statuskart.core import messages as msg
from statuskart.core import processes
from statuskart.core.errors import SiteBuildError

POOL_MIN_PAGES = 400
"""Fewer pages than this are rendered in one process (about 300 units and up use the pool)."""
MAX_PROCESSES = 4
"""Each forked child copies what it touches of the model (about 120 MB at 1,000 units)."""
CHUNK = 8
"""Job numbers taken at a time: few trips to the shared counter, little left over at the end."""
LOCK_WAIT = 0.5
"""Seconds between checks that the children are alive while this process waits for the lock."""
NEXT, FAILED = 0, 1
"""Slots of the shared state: the next job number to take, the first job number that failed."""


class PageWriter(Protocol):
    """What renders the pages (pages.PageWriter): numbered jobs, each written on its own."""

    @property
    def jobs(self) -> Sequence[object]:
        """Every page of the site, in the order one process renders them."""
        ...

    def write(self, number: int, docs_dir: Path) -> Path:
        """Render job ``number`` into ``docs_dir``."""
        ...


def process_count(pages: int, workers: int | None) -> int:
    """How many processes render ``pages`` pages: ``workers`` if given, else by size and CPUs.

    Left to choose, only under fork: spawn and forkserver would have to pickle the model to each
    child, and at 1,000 units that took longer than rendering every page (docs/dev/benchmarks.md).
    """
    from statuskart.workbook.pool import available_cpus

    if workers is not None:
        return max(1, min(workers, pages))
    if pages < POOL_MIN_PAGES or processes.start_method() != "fork":
        return 1
    return min(available_cpus(), MAX_PROCESSES)


def render_all(
    writer: PageWriter, make_writer: Callable[[], PageWriter], docs_dir: Path, count: int
) -> None:
    """Render every job of ``writer`` into ``docs_dir`` in this process and ``count - 1`` others.

    ``make_writer`` builds the same writer in a child: a picklable call (a ``partial`` of the
    writer's class with the model), which under fork is not pickled at all.

    Raises what rendering the first failing page raised (ConfigError for a template problem),
    or SiteBuildError when a child ended without saying why (killed, out of memory).
    """
    context = processes.context()
    state = context.Array("q", [0, len(writer.jobs)])
    children: list[tuple[Any, Connection]] = []
    failures: list[tuple[int, BaseException]] = []

    def check_children() -> None:
        for child, _receive in children:
            if child.exitcode not in (None, 0):
                reason = msg.PAGES_WORKER_GONE.format(code=child.exitcode)
                raise SiteBuildError(msg.PAGES_FAILED.format(error=reason))

    with processes.Lifeline(context) as lifeline:
        try:
            process_type = context.Process  # type: ignore[attr-defined]
            with processes.no_sigint(), processes.hidden_main():
                for _ in range(count - 1):
                    receive, send = context.Pipe(duplex=False)
                    args = (make_writer, docs_dir, state, send, lifeline.end)
                    child = process_type(target=_child, args=args, daemon=True)
                    child.start()
                    send.close()
                    children.append((child, receive))
            failure = take_jobs(writer, docs_dir, state, check_children)
            if failure is not None:
                failures.append(failure)
            waiting = {receive: child for child, receive in children}
            while waiting:
                for ready in wait(list(waiting)):
                    assert isinstance(ready, Connection)
                    child = waiting.pop(ready)
                    try:
                        reported: tuple[int, BaseException] | None = ready.recv()
                    except EOFError:  # it ended without a word: killed, or out of memory
                        child.join()
                        check_children()
                        raise SiteBuildError(
                            msg.PAGES_FAILED.format(
                                error=msg.PAGES_WORKER_GONE.format(code=child.exitcode)
                            )
                        ) from None
                    if reported is not None:
                        failures.append(reported)
                    child.join()
        finally:
            for child, receive in children:
                receive.close()
                if child.is_alive():  # this process was interrupted or a sibling died
                    child.terminate()
                    child.join()
    if failures:
        raise min(failures, key=lambda f: f[0])[1]


def take_jobs(
    writer: PageWriter, docs_dir: Path, state: Any, check: Callable[[], None] | None = None
) -> tuple[int, BaseException] | None:
    """Render jobs from the shared counter until none are left; the first failure, if any.

    ``check`` is called while the counter's lock is slow to come, and raises if the process
    holding it has died (a lock is not released by a killed process).
    """
    total = len(writer.jobs)
    lock = state.get_lock()
    shared = state.get_obj()  # read and written under ``lock`` where it matters
    while True:
        _acquire(lock, check)
        try:
            start = shared[NEXT]
            if start >= min(total, shared[FAILED]):
                return None
            shared[NEXT] = start + CHUNK
        finally:
            lock.release()
        for number in range(start, min(start + CHUNK, total)):
            if number > shared[FAILED]:  # an earlier page failed: its error is the one raised
                return None
            try:
                writer.write(number, docs_dir)
            except Exception as exc:
                _acquire(lock, check)
                try:
                    shared[FAILED] = min(shared[FAILED], number)
                finally:
                    lock.release()
                return number, exc


def _acquire(lock: Any, check: Callable[[], None] | None) -> None:
    while not lock.acquire(timeout=LOCK_WAIT):
        if check is not None:
            check()


def _child(
    make_writer: Callable[[], PageWriter],
    docs_dir: Path,
    state: Any,
    send: Connection,
    lifeline: Connection,
) -> None:
    """A rendering process: takes jobs like its parent, then reports its first failure or None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's; it ends us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the CLI's handler a fork inherits
    processes.hold(lifeline)  # a parent that is gone wants no more pages
    writer = make_writer()
    failure = take_jobs(writer, docs_dir, state)
    try:
        send.send(failure)
    except Exception as exc:  # an exception that will not pickle: say what it was
        text = f"{type(exc).__name__}: {failure[1] if failure else exc}"[:300]
        number = failure[0] if failure else 0
        send.send((number, SiteBuildError(msg.PAGES_FAILED.format(error=text))))
    send.close()
