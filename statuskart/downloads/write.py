"""Downloads stage: every «Nedlastinger» file (XLSX, zipped CSV/JSON), written beside MkDocs.

At 1,000 units the downloads (about 170,000 requirement rows, a plan per unit) cost as much CPU
as MkDocs itself, and neither needs the other. So the build tells MkDocs which files will be
there (its links to them are checked; site/engine.py), hands the tables and plans as plain data
to a second process (started before anything is read, so it holds only that data under every
start method) that writes them while pages and MkDocs are made, and moves them into the site
before it is swapped in. A failure in the writer fails the build; the
old site stays. The writer ends with the build (processes.Lifeline), even a killed one.
"""

from __future__ import annotations

import contextlib
import multiprocessing.process
import pickle
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path, PurePosixPath
from typing import Any

from statuskart.core import messages as msg
from statuskart.core import processes
from statuskart.core.atomic import move_in
from statuskart.core.errors import SiteBuildError
from statuskart.downloads.action_plan import PlanJob, plan_jobs, stage_kept_plans, write_plans
from statuskart.downloads.export import FORMATS, Table, table_names, tables, write_tables
from statuskart.model.facts import plan_path
from statuskart.model.views import ReportModel

FOLDER = "nedlastinger"
_ERROR = ".statuskart-error"
_SECONDS = ".statuskart-seconds"


def download_files(model: ReportModel) -> tuple[PurePosixPath, ...]:
    """Every download's path relative to the docs folder (the site has the same layout)."""
    tables = [PurePosixPath(FOLDER, f"{n}.{ext}") for n in table_names() for ext in FORMATS]
    plans = [PurePosixPath(plan_path(unit)) for unit in model.units]
    return (*tables, *plans)


@dataclass(frozen=True, slots=True)
class Work:
    """Everything the writer needs, as picklable data: the tables and the plans."""

    tables: tuple[Table, ...]
    plans: tuple[PlanJob, ...]

    @classmethod
    def of(cls, model: ReportModel) -> Work:
        """The downloads of a report model (the rows are built here, written elsewhere)."""
        made = tables(
            model.history,
            files=model.files,
            shows_text=model.shows_text,
            build_date=model.build_date,
        )
        return cls(made, plan_jobs(model))


def write_all(model: ReportModel, root: Path, cache: Path | None = None) -> None:
    """Write every download under ``root`` (laid out as in the docs folder), in this process.

    ``cache``: a folder where the downloads are kept by content between builds (``write_work``).
    """
    write_work(Work.of(model), root, cache)


def write_work(work: Work, root: Path, cache: Path | None = None, seal_key: bytes = b"") -> None:
    """Write the tables into ``root``/nedlastinger and the plans where their pages link.

    ``cache``: tables (``cache``/tables) and plans (``cache``/plans) by content; only what is
    not there is written, the rest is copied with its time, and entries not used are removed.
    ``seal_key``: the cache's key, which seals the tables' kept pieces (export.write_tables).
    """
    used: set[str] = set()
    write_tables(work.tables, root / FOLDER, _part(cache, TABLES), used, seal_key)
    write_plans(work.plans, root, _part(cache, PLANS))
    prune(_part(cache, TABLES), used)


STAGE_KEPT = "stage-kept-plans"
"""What the build may send the waiting writer before its parts (``DownloadJob.stage_kept``)."""
STAGED = ".statuskart-kept-plans"
"""In the writer's folder: kept plans dated while it waited, moved into place when wanted."""
TABLES = "tables"
PLANS = "plans"
"""The download cache's folders: the national tables' files and the units' action plans."""


def _part(cache: Path | None, name: str) -> Path | None:
    return cache / name if cache is not None else None


def prune(folder: Path | None, used: set[str]) -> None:
    """Remove the cached files this build did not use: a changed table leaves its old files."""
    if folder is None or not folder.is_dir():
        return
    for old in folder.iterdir():
        if old.is_file() and old.name not in used:
            old.unlink(missing_ok=True)


@dataclass(slots=True)
class DownloadJob:
    """Downloads being written into ``root`` (a private folder) by a second process.

    ``cache``: where the downloads are kept by content between builds (None: write them all).
    ``seal_key``: the cache's key (cache_guard.py), for what the writer keeps in pieces.
    ``date``: the build date as a plan's header prints it; with it and a cache, the writer
    dates the kept plans while it waits for the model, when told to (``stage_kept``).
    """

    root: Path
    cache: Path | None = None
    seal_key: bytes = b""
    date: str = ""
    files: tuple[PurePosixPath, ...] = ()
    process: multiprocessing.process.BaseProcess | None = None
    seconds: float = 0.0

    _send: Connection | None = None
    _lifeline: processes.Lifeline | None = None

    def launch(self) -> None:
        """Start the writer now; it waits for the parts that ``prepare`` sends it.

        Started before the model exists, so its start-up overlaps the reading, and a forked
        writer is a copy of a process that has read nothing yet.
        """
        self.process, self._send, self._lifeline = processes.start_waiting_child(
            _child, self.root, self.cache, self.seal_key, self.date
        )

    def stage_kept(self) -> None:
        """Have the waiting writer date the kept plans meanwhile (action_plan.stage_kept_plans).

        Worth it when most plans will be kept (a rebuild); a new round's plans are all new.
        """
        assert self._send is not None, "launch() the writer first"
        with contextlib.suppress(OSError):  # the writer is gone: prepare() says so
            self._send.send(STAGE_KEPT)

    def prepare(self, model: ReportModel) -> None:
        """Put the model's tables and plans in files and hand them to the waiting writer."""
        self.files = download_files(model)
        self.root.mkdir(parents=True, exist_ok=True)
        assert self._send is not None, "launch() the writer first"
        parts = _dump(Work.of(model), self.root)
        try:
            self._send.send(parts)
        except OSError:  # the writer is gone (killed): an error now, not a silent exit 1
            raise SiteBuildError(
                msg.DOWNLOADS_FAILED.format(error=msg.DOWNLOADS_WRITER_GONE)
            ) from None
        finally:
            self._send.close()

    def finish(self, site: Path) -> None:
        """Wait for the writer, then put every download into the built ``site``."""
        if self.process is None:
            return
        self.process.join()
        error = self.root / _ERROR
        if self.process.exitcode != 0 or error.exists():
            reason = error.read_text(encoding="utf-8") if error.exists() else ""
            detail = reason.strip().splitlines()[-1:] or [f"kode {self.process.exitcode}"]
            raise SiteBuildError(msg.DOWNLOADS_FAILED.format(error=detail[0]))
        self.seconds = float((self.root / _SECONDS).read_text(encoding="utf-8"))
        for rel in self.files:
            move_in(self.root / rel, site / rel)

    def stop(self) -> None:
        """End a writer that is still running (the build failed or was interrupted)."""
        if self._send is not None:
            self._send.close()  # a writer still waiting for its parts returns
        if self.process is not None and self.process.is_alive():
            processes.end_child(self.process, grace=0)  # no use waiting: it stops mid-write
        if self._lifeline is not None:
            self._lifeline.close()


def _dump(work: Work, root: Path) -> tuple[Path, ...]:
    """The work as one pickle per table and one for the plans, in ``root``.

    The writer loads one part at a time, so it never holds all the tables at once.
    """
    parts = []
    for i, item in enumerate((*work.tables, work.plans)):
        path = root / f".statuskart-part-{i}.pickle"
        with path.open("wb") as fh:
            pickle.dump(item, fh, protocol=pickle.HIGHEST_PROTOCOL)
        parts.append(path)
    return tuple(parts)


def _child(
    receive: Connection,
    root: Path,
    cache: Path | None,
    seal_key: bytes,
    date: str,
    lifeline: Connection,
    ready: Any,
) -> None:
    """The writer process: the outcome goes to files in ``root``; never a traceback on screen."""
    ready.set()  # Ctrl-C ignored, SIGTERM ends us quietly (processes.child_signals)
    processes.hold(lifeline)  # a build that was killed wants nothing written any more
    tempfile.tempdir = str(root)  # XlsxWriter's temporary files: removed with root if stopped
    plans = _part(cache, PLANS)
    staged = root / STAGED if plans is not None and date else None
    try:
        parts: Any = receive.recv()
        if parts == STAGE_KEPT:
            if plans is not None and staged is not None and plans.is_dir():
                # A head start while the build reads; what is not done is done as before.
                with contextlib.suppress(OSError):
                    stage_kept_plans(plans, staged, date, receive.poll)
            parts = receive.recv()
    except EOFError:  # the build stopped before there was anything to write
        return
    started = time.perf_counter()
    used: set[str] = set()
    try:
        for part in parts:
            with part.open("rb") as fh:
                item = pickle.load(fh)  # our own file, written by the parent a moment ago
            part.unlink()
            if isinstance(item, Table):
                write_tables([item], root / FOLDER, _part(cache, TABLES), used, seal_key)
            else:
                write_plans(item, root, plans, staged)
            del item
        prune(_part(cache, TABLES), used)
    except BaseException as exc:
        # The last line is what the user sees, in bokmål; the traceback above it is for support.
        if isinstance(exc, OSError):
            last = msg.os_reason(exc)
        else:
            last = msg.DOWNLOADS_UNEXPECTED.format(error=f"{type(exc).__name__}: {exc}"[:200])
        (root / _ERROR).write_text(traceback.format_exc() + last, encoding="utf-8")
        sys.exit(1)
    (root / _SECONDS).write_text(str(time.perf_counter() - started), encoding="utf-8")
