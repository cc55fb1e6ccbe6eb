"""The cache folder: how much it holds, a bound on it, and clearing it.

It holds ``reports/`` (parsed skjemas, intake.ReportCache) and ``sites/<hash>`` (the last docs,
site and action plans of each output folder, site_incremental.WorkDir). Left alone it only
grows: every changed skjema adds an entry, every output folder a copy of its site. So after each
build ``trim`` removes what was not used for ``MAX_AGE_DAYS``, then the least recently used until
the whole is under the limit ($STATUSKART_CACHE_MAX_MB, default ``DEFAULT_MAX_MB``). A hit marks
its entry as used. A site folder used within ``BUSY_SECONDS`` is never removed: a build may be
running in it. Only these two folders are ever touched: the cache folder may be a shared one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError

PARTS = ("reports", "sites")
"""The cache's own subfolders; nothing else in the cache folder is read, counted or removed."""
MAX_MB_ENV = "STATUSKART_CACHE_MAX_MB"
DEFAULT_MAX_MB = 1000
MAX_AGE_DAYS = 30
BUSY_SECONDS = 3600.0
"""A site folder used this recently may belong to a running build."""
TEMP_SECONDS = 3600.0
"""A half-written entry (``.tmp-*``, its writer killed) older than this is litter."""


@dataclass(frozen=True, slots=True)
class Usage:
    """What the cache holds."""

    folder: Path
    bytes: int
    reports: int
    """Parsed skjemas kept."""
    sites: int
    """Output folders whose last build is kept."""


@dataclass(frozen=True, slots=True)
class _Entry:
    path: Path
    size: int
    used: float
    is_site: bool


def max_bytes() -> int:
    """The size limit: $STATUSKART_CACHE_MAX_MB (whole megabytes, 0 = keep nothing) or default."""
    raw = os.environ.get(MAX_MB_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_MB * 1_000_000
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise ConfigError(msg.BAD_CACHE_LIMIT.format(env=MAX_MB_ENV, value=raw[:40]))
    return int(raw) * 1_000_000


def usage(folder: Path) -> Usage:
    """Size and counts of the cache in ``folder`` (missing folder: empty)."""
    entries = _entries(folder)
    return Usage(
        folder=folder,
        bytes=sum(e.size for e in entries),
        reports=sum(1 for e in entries if not e.is_site),
        sites=sum(1 for e in entries if e.is_site),
    )


def mark_used(path: Path) -> None:
    """Record that an entry (a report file, a site folder) was just used."""
    with contextlib.suppress(OSError):
        os.utime(path)


def trim(folder: Path, *, limit: int | None = None, now: float | None = None) -> int:
    """Remove stale and least recently used entries; return the bytes freed."""
    now = time.time() if now is None else now
    limit = max_bytes() if limit is None else limit
    _remove_half_written(folder / "reports", now)
    entries = sorted(_entries(folder), key=lambda e: e.used)
    total = sum(e.size for e in entries)
    freed = 0
    for entry in entries:
        busy = entry.is_site and now - entry.used < BUSY_SECONDS
        if busy or (now - entry.used < MAX_AGE_DAYS * 86400 and total - freed <= limit):
            continue
        _remove(entry.path)
        if not entry.path.exists():
            freed += entry.size
    return freed


def clear(folder: Path) -> int:
    """Remove everything the cache holds (its own subfolders only); return the bytes freed."""
    before = usage(folder).bytes
    for part in PARTS:
        shutil.rmtree(folder / part, ignore_errors=True)
    return before - usage(folder).bytes


def _entries(folder: Path) -> list[_Entry]:
    entries = []
    for path in _children(folder / "reports", depth=2):
        with contextlib.suppress(OSError):
            info = path.lstat()
            if path.is_file() and not path.name.startswith(".tmp-"):
                entries.append(_Entry(path, info.st_size, info.st_mtime, is_site=False))
    for path in _children(folder / "sites", depth=1):
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                used = path.stat().st_mtime
                entries.append(_Entry(path, _tree_size(path), used, is_site=True))
    return entries


def _children(folder: Path, depth: int) -> Iterable[Path]:
    """The paths ``depth`` levels below ``folder`` (no symlinks followed)."""
    level = [folder]
    for _ in range(depth):
        nxt = []
        for parent in level:
            with contextlib.suppress(OSError):
                if parent.is_dir() and not parent.is_symlink():
                    nxt.extend(sorted(parent.iterdir()))
        level = nxt
    return level


def _tree_size(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_size
    return total


def _remove_half_written(reports: Path, now: float) -> None:
    for path in _children(reports, depth=2):
        with contextlib.suppress(OSError):
            if path.name.startswith(".tmp-") and now - path.lstat().st_mtime > TEMP_SECONDS:
                path.unlink()


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
