"""Downloads stage: every XLSX/CSV/JSON file of «Nedlastinger», written beside the MkDocs build.

At 1,000 units the downloads (about 170,000 requirement rows, a plan per unit) cost as much CPU
as MkDocs itself, and neither needs the other. So the build puts empty placeholders into the
docs folder (MkDocs checks links to them and copies them in no time), writes the real files in a
forked process while MkDocs runs, and puts them over the placeholders before the new site is
swapped in. Where fork is not available (Windows, macOS' default) they are written first, in
this process: slower, same files. A failure in the writer fails the build; the old site stays.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import time
import traceback
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from statuskart import messages as msg
from statuskart.errors import SiteBuildError
from statuskart.export import table_names
from statuskart.pages import plan_path
from statuskart.report import ReportModel

FORMATS = ("xlsx", "csv", "json.zip")
FOLDER = "nedlastinger"
_ERROR = ".statuskart-error"
_SECONDS = ".statuskart-seconds"


def download_files(model: ReportModel) -> tuple[PurePosixPath, ...]:
    """Every download's path relative to the docs folder (the site has the same layout)."""
    tables = [PurePosixPath(FOLDER, f"{n}.{ext}") for n in table_names() for ext in FORMATS]
    plans = [PurePosixPath(plan_path(unit)) for unit in model.units]
    return (*tables, *plans)


def write_all(model: ReportModel, root: Path, cache: Path | None = None) -> None:
    """Write every download under ``root`` (laid out as in the docs folder).

    ``cache``: a folder where unchanged action plans are kept between builds.
    """
    from statuskart.action_plan import write_action_plans
    from statuskart.export import write_downloads

    write_downloads(model, root / FOLDER)
    write_action_plans(model, root, cache)


def write_placeholders(model: ReportModel, docs: Path) -> None:
    """Empty files where the downloads go, so MkDocs sees every link's target."""
    for rel in download_files(model):
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()


@dataclass(slots=True)
class DownloadJob:
    """Downloads being written into ``root`` (a private folder), maybe in a child process.

    ``cache``: where unchanged action plans are kept between builds (None: write them all).
    """

    root: Path
    cache: Path | None = None
    model: ReportModel | None = None
    process: multiprocessing.process.BaseProcess | None = None
    seconds: float = 0.0

    def start(self, model: ReportModel) -> None:
        """Fork the writer, or write right here where fork is not available."""
        self.model = model
        self.root.mkdir(parents=True, exist_ok=True)
        if "fork" not in multiprocessing.get_all_start_methods():
            started = time.perf_counter()
            write_all(model, self.root, self.cache)
            self.seconds = time.perf_counter() - started
            return
        context = multiprocessing.get_context("fork")
        args = (model, self.root, self.cache)
        self.process = context.Process(target=_child, args=args, daemon=True)
        # Objects that exist now are left out of the child's garbage collection, which would
        # otherwise write to every object and so copy the parent's whole heap.
        gc.freeze()
        try:
            self.process.start()
        finally:
            gc.unfreeze()

    def finish(self, site: Path) -> None:
        """Wait for the writer, then put every download into the built ``site``."""
        if self.process is not None:
            self.process.join()
            error = self.root / _ERROR
            if self.process.exitcode != 0 or error.exists():
                reason = error.read_text(encoding="utf-8") if error.exists() else ""
                detail = reason.strip().splitlines()[-1:] or [f"kode {self.process.exitcode}"]
                raise SiteBuildError(msg.DOWNLOADS_FAILED.format(error=detail[0]))
            self.seconds = float((self.root / _SECONDS).read_text(encoding="utf-8"))
        if self.model is None:
            return
        for rel in download_files(self.model):
            target = site / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(self.root / rel, target)

    def stop(self) -> None:
        """End a writer that is still running (the build failed or was interrupted)."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


def _child(model: ReportModel, root: Path, cache: Path | None) -> None:
    """The forked writer: the outcome goes to files in ``root``; never a traceback on screen."""
    started = time.perf_counter()
    gc.disable()  # a short-lived writer: its few cycles go when it exits
    try:
        write_all(model, root, cache)
    except BaseException:
        (root / _ERROR).write_text(traceback.format_exc(), encoding="utf-8")
        os._exit(1)
    (root / _SECONDS).write_text(str(time.perf_counter() - started), encoding="utf-8")
