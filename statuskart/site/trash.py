"""Old files of the kept work folder, removed by a background thread while the build renders.

Freeing a file's blocks can be slow: on a disk that discards blocks as they are freed (the build
machine's ext4), rewriting or removing 4,000 written-out 25 kB files took 8–9 s, nearly all of
it waiting on the disk, not the CPU. An incremental build paid that in its path: the kept docs
rewritten in place, the kept site cleaned for a clean build, changed pages overwritten. Renamed
into a trash folder instead (instant, same file system), they are removed beside MkDocs' CPU
work; the build waits for the thread only at its end.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import threading
from pathlib import Path

PREFIX = ".trash-"


class Trash:
    """A trash folder in ``root`` (the work folder, statuskart's own), emptied in the background."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / f"{PREFIX}{secrets.token_hex(8)}"
        self._count = 0
        self._thread: threading.Thread | None = None

    def take(self, path: Path) -> bool:
        """Move ``path`` (file or folder) into the trash; False if it is missing or cannot move."""
        if not os.path.lexists(path):
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        self._count += 1
        try:
            path.rename(self.folder / str(self._count))
        except OSError:
            return False
        return True

    def empty(self) -> None:
        """Start removing this trash."""
        if self.folder.is_dir():
            self._thread = _start([self.folder])

    def wait(self) -> None:
        """Wait until the trash is gone (at the end of the build)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None


def sweep(root: Path) -> threading.Thread | None:
    """Start removing the trash earlier builds left in ``root``.

    That is the sites they replaced (moved here rather than waited for) and what killed builds
    left; the removal runs beside this build's reading.
    """
    if not root.is_dir():
        return None
    old = [p for p in root.glob(f"{PREFIX}*") if p.is_dir() and not p.is_symlink()]
    return _start(old) if old else None


def _start(folders: list[Path]) -> threading.Thread:
    thread = threading.Thread(target=_remove, args=(folders,), name="statuskart-trash", daemon=True)
    thread.start()
    return thread


def _remove(folders: list[Path]) -> None:
    for folder in folders:
        with contextlib.suppress(OSError):
            shutil.rmtree(folder)
