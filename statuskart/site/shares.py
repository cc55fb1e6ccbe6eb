"""MkDocs on every core: a site's pages rendered as contiguous shares by parallel processes.

MkDocs renders pages one after another; at 1,000 units that was ~50 s on one core while the
other waited. A page's HTML depends only on its own Markdown, the navigation (every nav entry has
its title written out, settings.py) and the theme, so N processes can load the same config and
each render one share of the pages (engine.py tells MkDocs which). The shares are contiguous runs
of MkDocs' own page order, balanced by Markdown size, so their search indexes put end to end are
the index one process writes. Share 0 is rendered by the build's own process into the real target,
with the static files, sitemap and search index; each other share is rendered by a ``ShareJob``
into a folder of its own, and only its pages are moved over.

This module holds the processes and the bookkeeping; everything that touches MkDocs is in
engine.py, which hands its share function to ``ShareJob.launch``.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing.process
import shutil
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from statuskart.core import messages as msg
from statuskart.core import processes
from statuskart.core.errors import SiteBuildError

MIN_PAGES = 300
"""Pages to render below which one process does it all: a second MkDocs process costs about a
second to start (its imports and theme), more than it saves on a small site."""
MIN_CHANGED_PAGES = 40
"""Changed pages a rebuild (MkDocs' dirty mode) renders alone below. The helpers were launched
anyway (the input is national-sized) and wait, so only the second process's MkDocs start-up and
pass over every file stands against half the pages: measured with 84 changed pages (a frist
passed overnight), see docs/dev/benchmarks.md."""
MAX_SHARES = 4
"""More MkDocs processes than this cost more memory than they save time."""
_RESULT = "share-result.json"
_ERROR = "share-error.txt"


@dataclass(frozen=True, slots=True)
class ShareTask:
    """One share of a build, as sent to the process that renders it."""

    config_file: str
    site_dir: str
    index: int
    count: int
    wanted: tuple[str, ...] | None
    """The Markdown files (src URIs) to render, split among the shares; None: every page."""
    build_date: dt.date
    """The date MkDocs stamps (SOURCE_DATE_EPOCH), as in the build's own process."""
    later: tuple[str, ...] = ()
    """Files put into the site after MkDocs (the downloads): pages link to them."""


def split(pages: Sequence[tuple[str, int]], count: int) -> list[list[str]]:
    """``pages`` ((name, weight) in order) as ``count`` contiguous shares of about equal weight.

    A page goes to the share its weight's midpoint falls in, so the shares keep the order and
    their concatenation is ``pages`` again. Weights of 0 count as 1.
    """
    shares: list[list[str]] = [[] for _ in range(max(count, 1))]
    weights = [max(weight, 1) for _, weight in pages]
    total = sum(weights)
    done = 0
    for (name, _), weight in zip(pages, weights, strict=True):
        share = min(len(shares) - 1, int((done + weight / 2) * len(shares) / total))
        shares[share].append(name)
        done += weight
    return shares


def share_count(pages: int, cpus: int, *, rebuild: bool = False) -> int:
    """How many processes render ``pages`` pages on ``cpus`` CPUs (1: MkDocs' own single pass).

    ``rebuild``: only ``pages`` changed pages are rendered (a dirty build), by helpers already
    waiting, so fewer pages are worth a second process.
    """
    least = MIN_CHANGED_PAGES if rebuild else MIN_PAGES
    if pages < least:
        return 1
    return max(1, min(cpus, MAX_SHARES, pages * 2 // least))


def joined_index(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The shares' search indexes end to end: share order is page order."""
    docs: list[Any] = []
    for part in parts:
        docs.extend(part.get("docs", []))
    return {"config": parts[0].get("config", {}), "docs": docs}


@dataclass(slots=True)
class ShareJob:
    """A process that waits for one share of the MkDocs build and renders it into ``root``.

    Launched when the build starts, so a forked one is a copy of a process that has read
    nothing yet; told ``run(task)`` once the docs exist, or ``stop()`` if it is not needed.
    """

    root: Path
    process: multiprocessing.process.BaseProcess | None = None
    _send: Connection | None = None
    _lifeline: processes.Lifeline | None = None

    @property
    def site(self) -> Path:
        """Where this share's pages are rendered."""
        return self.root / "site"

    def launch(self, render: Callable[[ShareTask], list[str]]) -> None:
        """Start the process; ``render`` (a module-level function) renders a task's share."""
        self.process, self._send, self._lifeline = processes.start_waiting_child(
            _child, render, self.root
        )

    def run(self, task: ShareTask) -> None:
        """Hand the process its share."""
        assert self._send is not None, "launch() the job first"
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            self._send.send(task)
        except OSError:  # the process is gone (killed)
            raise SiteBuildError(msg.SITE_BUILD_FAILED.format(error=msg.SHARE_GONE)) from None
        finally:
            self._send.close()

    def finish(self, target: Path) -> dict[str, Any] | None:
        """Wait for the share, move its pages into ``target``; its search index, if it wrote one."""
        assert self.process is not None
        self.process.join()
        error = self.root / _ERROR
        if self.process.exitcode != 0 or error.exists():
            reason = error.read_text(encoding="utf-8") if error.exists() else ""
            detail = reason.strip().splitlines()[-1:] or [f"kode {self.process.exitcode}"]
            raise SiteBuildError(msg.SITE_BUILD_FAILED.format(error=detail[0]))
        built: list[str] = json.loads((self.root / _RESULT).read_text(encoding="utf-8"))
        for rel in built:
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(self.site / rel, dest)
        index_file = self.site / "search" / "search_index.json"
        if not index_file.is_file():
            return None
        index: dict[str, Any] = json.loads(index_file.read_text(encoding="utf-8"))
        return index

    def stop(self) -> None:
        """Tell a waiting process it is not needed, or end one still running (a failed build)."""
        if self._send is not None:
            self._send.close()
        if self.process is not None and self.process.is_alive():
            processes.end_child(self.process)  # a waiting one sees the closed pipe and returns
        if self._lifeline is not None:
            self._lifeline.close()


def _child(
    receive: Connection,
    render: Callable[[ShareTask], list[str]],
    root: Path,
    lifeline: Connection,
    ready: Any,
) -> None:
    """A share process: its outcome goes to files in ``root``; never a traceback on screen."""
    ready.set()  # Ctrl-C ignored, SIGTERM ends us quietly (processes.child_signals)
    processes.hold(lifeline)
    try:
        task: ShareTask = receive.recv()
    except EOFError:  # not needed: the build rendered every page itself, or stopped
        return
    try:
        built = render(task)
        (root / _RESULT).write_text(json.dumps(built), encoding="utf-8")
    except BaseException as exc:
        (root / _ERROR).write_text(traceback.format_exc() + f"\n{exc}", encoding="utf-8")
        raise SystemExit(1) from None
