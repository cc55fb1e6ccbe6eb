"""Intake: input files → FileReports (read + validate each), cached, in parallel where it pays.

Per-file work only; cross-file checks stay in pipeline/run.py. The result is the same as the plain
serial loop, in the same order: the cache is keyed by everything that decides a report, and
the pool returns results in input order. A worker that raises or dies gives that one file a
«reader-crashed» finding.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from statuskart.catalog.model import Catalogue
from statuskart.core import heap, pickling
from statuskart.core.cache import mark_used
from statuskart.core.cache_guard import seal, secure_folder, unseal
from statuskart.core.findings import finding
from statuskart.core.timing import Stopwatch
from statuskart.validate.model import FileReport
from statuskart.validate.rules import report_unread, validate_submission
from statuskart.workbook.pool import available_cpus, map_isolated
from statuskart.workbook.read import read_workbook

FREEZE_EVERY = 250
"""Reports between two freezes of what is alive (core/heap.py): a full collection then walks
at most the objects of this many, not of every report read so far."""
POOL_MIN_FILES = 24
"""Fewer files than this are read serially: starting workers costs more than it saves."""
CACHE_ENV = "STATUSKART_CACHE_DIR"


@dataclass(frozen=True, slots=True)
class Checked:
    """One file's report, pickled, and the seconds its reading and validating took.

    Pickled where it was made (a worker, in parallel): the build's process unpickles it once (fast,
    in C) and stores the very same bytes in the cache. Pickling a report's slotted dataclasses
    runs Python code per object, and doing it again in the build's process for the cache took
    ~1.5 s of its time at 3,000 files, while the workers waited for it. ``pickling`` writes the
    dataclasses so that loading them takes 0.25 ms a skjema instead of 0.45 ms.
    """

    payload: bytes
    read_seconds: float
    validate_seconds: float

    @classmethod
    def of(cls, report: FileReport, read_seconds: float, validate_seconds: float) -> Checked:
        payload = pickling.dumps(report)
        return cls(payload, read_seconds, validate_seconds)

    def report(self) -> FileReport:
        """The report (unpickled: our own bytes, made by this build)."""
        value: FileReport = pickle.loads(self.payload)
        return value


def check_one(path: Path, catalogues: Mapping[str, Catalogue]) -> Checked:
    """Read and validate one file (no cross-file checks, nothing that depends on the day)."""
    start = time.perf_counter()
    result = read_workbook(path)
    read_done = time.perf_counter()
    if result.raw is None:
        report = report_unread(result)
    else:
        report = validate_submission(result.raw, catalogues, None)
    return Checked.of(report, read_done - start, time.perf_counter() - read_done)


def crashed_report(path: Path, reason: str) -> Checked:
    """The report for a file whose reader raised or took its worker process down."""
    found = (finding("reader-crashed", str(path), detail=reason),)
    report = FileReport(
        path=str(path), sha256="", status="rejected", submission=None, findings=found
    )
    return Checked.of(report, 0.0, 0.0)


def default_cache_dir() -> Path:
    """$STATUSKART_CACHE_DIR, else $XDG_CACHE_HOME/statuskart, else ~/.cache/statuskart."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "statuskart"


READING_STAGES = ("core", "catalog", "workbook", "validate")
"""Stage packages whose code shapes a cached FileReport: reading, validating, and what they use."""


def reading_modules() -> list[Path]:
    """Every module of the reading stages, in a fixed order."""
    package = Path(__file__).resolve().parents[1]
    return sorted(p for stage in READING_STAGES for p in (package / stage).rglob("*.py"))


def _code() -> str:
    """Digest of the reading stages' code, so a changed rule never meets an old entry."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in reading_modules():
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


class ReportCache:
    """FileReports on disk, one file per key; safe to delete, unreadable entries are misses.

    The key covers the file's bytes and path, the statuskart version, the source of the modules
    that read and validate (so a changed rule or type never meets an old entry), the catalogues'
    full content: a hit is exactly what reading again would give. Nothing in an entry depends
    on the day (the pipeline adds that with ``rules.dated``), so it serves every day.
    Entries are pickles sealed with the cache's key (cache_guard.py): one planted or changed by
    someone else is a miss and is never unpickled.
    """

    def __init__(self, folder: Path, catalogues: Mapping[str, Catalogue]) -> None:
        from statuskart.core.version import __version__

        self._key = secure_folder(folder)
        self.folder = folder / "reports"
        context = repr((__version__, _code(), sorted(catalogues.items())))
        self._context = hashlib.sha256(context.encode()).hexdigest()

    def key(self, path: Path) -> str | None:
        """The entry name for ``path`` as it is now; None if it can't be read."""
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest = hashlib.sha256(data).hexdigest()
        return hashlib.sha256(f"{self._context}\0{path}\0{digest}".encode()).hexdigest()

    def has(self, key: str) -> bool:
        """True when an entry is stored under ``key`` (``get`` decides whether it is valid)."""
        return (self.folder / key[:2] / key).is_file()

    def get(self, key: str) -> FileReport | None:
        """The cached report, or None when absent or not a valid entry."""
        try:
            payload = unseal(self._key, (self.folder / key[:2] / key).read_bytes())
            if payload is None:  # not sealed with this cache's key: planted or changed
                return None
            value = pickle.loads(payload)
        except Exception:  # missing, truncated, from another Python: all just misses
            return None
        if not isinstance(value, FileReport):
            return None
        mark_used(self.folder / key[:2] / key)  # the cache's bound keeps what is used
        return value

    def put(self, key: str, payload: bytes) -> None:
        """Store a pickled report atomically (temp file, rename); a full disk only loses it."""
        target = self.folder / key[:2] / key
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(seal(self._key, payload))
            os.replace(tmp, target)
        except OSError:
            return


def check_paths(
    files: Sequence[Path],
    catalogues: Mapping[str, Catalogue],
    *,
    progress: Callable[[Path], None] | None = None,
    watch: Stopwatch | None = None,
    workers: int | None = None,
    cache_dir: Path | None = None,
    on_report: Callable[[FileReport], FileReport] | None = None,
) -> list[FileReport]:
    """Reports for ``files`` in order: cached ones reused, the rest read serially or in a pool.

    ``workers`` None means one per CPU; 1 forces the serial path. ``cache_dir`` None: no cache.
    ``on_report`` gets each report once, as it becomes available, and what it returns is kept:
    read ones as the workers finish them, cached ones while the workers read, so the caller's
    per-file work runs beside the workers instead of after them.
    """
    start = time.perf_counter()
    given = on_report or _same
    arrived = 0

    def accept(report: FileReport) -> FileReport:
        nonlocal arrived
        arrived += 1
        if arrived % FREEZE_EVERY == 0:  # inside a build's heap.frozen: see core/heap.py
            heap.freeze_more()
        return given(report)

    cache = ReportCache(cache_dir, catalogues) if cache_dir is not None else None
    keys: list[str | None] = [cache.key(p) if cache else None for p in files]
    reports: list[FileReport | None] = [None] * len(files)
    stored = [i for i, k in enumerate(keys) if cache and k and cache.has(k)]
    todo = sorted(set(range(len(files))) - set(stored))
    missed: list[int] = []  # stored, but not a valid entry: read after all

    def load_stored() -> None:
        for i in stored:
            key = keys[i]
            report = cache.get(key) if cache and key else None
            if report is None:
                missed.append(i)
                continue
            reports[i] = accept(report)
            if progress is not None:
                progress(files[i])

    def take(i: int, one: Checked) -> None:
        report = one.report()
        key = keys[i]
        if cache is not None and key is not None and not _crashed(report):
            cache.put(key, one.payload)
        reports[i] = accept(report)

    checked: list[Checked] = []
    count = workers if workers is not None else available_cpus()

    def read(indexes: list[int], meanwhile: Callable[[], None] | None = None) -> None:
        if count > 1 and len(indexes) >= POOL_MIN_FILES:
            pooled = map_isolated(
                functools.partial(check_one, catalogues=catalogues),
                [files[i] for i in indexes],
                workers=count,
                on_failure=crashed_report,
                on_done=progress,
                on_result=lambda n, one: take(indexes[n], one),
                meanwhile=meanwhile,
            )
            for i, one in zip(indexes, pooled, strict=True):
                if reports[i] is None:  # the worker raised or died: on_failure's report
                    take(i, one)
            checked.extend(pooled)
            return
        if meanwhile is not None:
            meanwhile()
        for i in indexes:
            if progress is not None:
                progress(files[i])
            try:
                one = check_one(files[i], catalogues)
            except Exception as exc:  # as in the pool: one file's crash is that file's finding
                one = crashed_report(files[i], f"{type(exc).__name__}: {exc}"[:200])
            take(i, one)
            checked.append(one)

    read(todo, meanwhile=load_stored)
    read(sorted(missed))
    if watch is not None:
        _split_wall_time(watch, time.perf_counter() - start, checked)
    return [r for r in reports if r is not None]


def _same(report: FileReport) -> FileReport:
    return report


def _crashed(report: FileReport) -> bool:
    return any(f.code == "reader-crashed" for f in report.findings)


def _split_wall_time(watch: Stopwatch, wall: float, checked: Sequence[Checked]) -> None:
    """Share the wall time between «read» and «validate» as the workers' own times split."""
    read = sum(c.read_seconds for c in checked)
    validate = sum(c.validate_seconds for c in checked)
    share = read / (read + validate) if read + validate > 0 else 1.0
    watch.add("read", wall * share)
    watch.add("validate", wall * (1 - share))
