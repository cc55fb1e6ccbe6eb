"""Worker pool for reading workbooks: a process map that survives crashing workers.

Reading is CPU-bound pure Python (openpyxl), so threads don't help; processes do. A worker that
dies (segfault, ``os._exit``, killed for memory) breaks a ``ProcessPoolExecutor`` and fails every
pending task with ``BrokenProcessPool``. Here the tasks that did finish are kept, the rest are
retried in fresh pools split in halves until the file that kills its worker is alone; that one
file gets ``on_failure``, and every other file its real result, in input order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
from typing import Any, NamedTuple, TypeVar

from statuskart.core import processes

T = TypeVar("T")
R = TypeVar("R")

_worker_func: Callable[[Any], Any] | None = None
"""The function a worker process runs, installed once per worker by ``_install`` (not pickled
per task: it carries the catalogues)."""


def _install(func: Callable[[Any], Any], lifeline: Connection) -> None:
    global _worker_func  # a worker process's own slot, set once when it starts
    _worker_func = func
    # Ctrl-C and SIGTERM are the starting process's to handle (it ends the pool); a worker that
    # raised KeyboardInterrupt while waiting for work would print a traceback for the user.
    processes.child_signals()
    # An orphaned worker would wait forever on a queue nobody reads, holding every pipe it
    # inherited: it ends when the process that started it does, under every start method.
    processes.hold(lifeline)


def _call(item: Any) -> Any:
    assert _worker_func is not None
    return _worker_func(item)


def available_cpus() -> int:
    """CPUs this process may run on (affinity-aware where the OS tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


class _Failure:
    """Marker for an item whose worker raised or died; ``reason`` is for the finding."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def map_isolated(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int,
    on_failure: Callable[[T, str], R],
    on_done: Callable[[T], None] | None = None,
    on_result: Callable[[int, R], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[R]:
    """``[func(x) for x in items]`` in ``workers`` processes, results in input order.

    ``func`` must be picklable (a module-level function or a ``functools.partial`` of one).
    An exception in ``func`` or a worker that dies becomes ``on_failure(item, reason)`` for
    that item alone; the others are unaffected. ``on_done`` is called in this process once per
    item as it finishes, for a progress bar; ``on_result(index, result)`` once per result
    ``func`` returned, as it arrives, so this process can work on it while the workers go on.
    ``meanwhile`` is called once, when the work is handed out: this process's own work beside
    the workers.
    """
    results: dict[int, R | _Failure] = {}
    queue = [list(range(len(items)))]
    hooks = _Hooks(on_done, on_result, meanwhile)
    while queue:
        crashed = _run_pool(func, items, queue.pop(), workers, results, hooks)
        hooks = hooks._replace(meanwhile=None)  # once, beside the first pool
        if len(crashed) == 1:  # the only task a dead worker took down is the one that killed it
            results[crashed[0]] = _Failure("worker-died")
            if hooks.on_done is not None:
                hooks.on_done(items[crashed[0]])
        elif crashed:
            half = len(crashed) // 2
            queue += [crashed[half:], crashed[:half]]
    out: list[R] = []
    for i, item in enumerate(items):
        value = results[i]
        out.append(on_failure(item, value.reason) if isinstance(value, _Failure) else value)
    return out


class _Hooks(NamedTuple):
    on_done: Callable[[Any], None] | None
    on_result: Callable[[int, Any], None] | None
    meanwhile: Callable[[], None] | None


def _run_pool(
    func: Callable[[T], R],
    items: Sequence[T],
    batch: Sequence[int],
    workers: int,
    results: dict[int, R | _Failure],
    hooks: _Hooks,
) -> list[int]:
    """Run ``batch`` in one fresh pool; store results; return the indexes lost to a crash."""
    crashed: list[int] = []
    context = processes.context()
    with (
        processes.Lifeline(context) as lifeline,
        ProcessPoolExecutor(
            max_workers=min(workers, len(batch)),
            mp_context=context,
            initializer=_install,
            initargs=(func, lifeline.end),
        ) as pool,
    ):
        try:
            futures: list[tuple[int, Future[Any]]] = []
            with processes.hidden_main():  # workers start in submit() under spawn, forkserver
                for n, i in enumerate(batch):
                    try:
                        futures.append((i, pool.submit(_call, items[i])))
                    except BrokenProcessPool:  # a worker died while we still handed out work
                        crashed += batch[n:]
                        break
            if hooks.meanwhile is not None:
                hooks.meanwhile()
            for i, future in futures:
                try:
                    result = results[i] = future.result()
                except BrokenProcessPool:
                    crashed.append(i)
                    continue
                except Exception as exc:  # func raised: only this item fails
                    results[i] = _Failure(f"{type(exc).__name__}: {exc}".splitlines()[0][:200])
                else:
                    if hooks.on_result is not None:
                        hooks.on_result(i, result)
                if hooks.on_done is not None:
                    hooks.on_done(items[i])
        except BaseException:  # Ctrl-C, SIGTERM: don't read every file left before stopping
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return sorted(crashed)
