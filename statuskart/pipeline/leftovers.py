"""What a killed build leaves behind, found and removed by the next build.

SIGKILL (the out-of-memory killer, ``kill -9``, a virtual machine switched off) runs no cleanup:
the build's temporary folder, a staging or backup folder beside the site and the lock file stay.
Each is made so that a later build can tell it belongs to no running build:

- the temporary folder (``statuskart-build-*`` in $TMPDIR) holds a file that its build keeps
  locked; a folder whose lock can be taken is a dead build's;
- staging and backup folders carry the site's name and are made only while that site's lock is
  held, so the next build into that site (holding the lock) knows any it finds are stale;
- the lock file is reused by the next build, which removes it when it ends;
- Python's forkserver puts its socket in a ``pymp-*`` folder that only a normal exit removes;
  one whose sockets no process listens on any more (Linux: /proc/net/unix) is a dead one's.

Nothing is removed that does not have these names and marks: the parent folder is the user's.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

try:  # POSIX; on Windows a dead build's temporary folder is left to the OS's cleanup
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

TEMP_PREFIX = "statuskart-build-"
OWNER = ".statuskart-owner"
"""The file in a build's temporary folder that its build keeps locked."""
UNMARKED_SECONDS = 3600.0
"""A temporary folder without its owner file (killed as it was made) is stale after this."""


@contextlib.contextmanager
def build_tempdir() -> Iterator[Path]:
    """A private temporary folder for one build, locked while it runs, removed after it."""
    folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
    fd: int | None = None
    try:
        if fcntl is not None:
            fd = os.open(folder / OWNER, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield folder
    finally:
        if fd is not None:
            os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)


def remove_stale_tempdirs(root: Path | None = None) -> list[Path]:
    """Remove the temporary folders of builds that are no longer running; return them."""
    if fcntl is None:  # pragma: no cover - Windows
        return []
    base = Path(root or tempfile.gettempdir())
    removed = []
    with contextlib.suppress(OSError):
        for folder in sorted(base.glob(f"{TEMP_PREFIX}*")):
            if _is_stale(folder):
                shutil.rmtree(folder, ignore_errors=True)
                if not folder.exists():
                    removed.append(folder)
    return removed


FORKSERVER_PREFIX = "pymp-"


def remove_dead_forkserver_dirs(root: Path | None = None) -> list[Path]:
    """Remove ``pymp-*`` folders of ours that hold only sockets nobody listens on (Linux)."""
    try:
        with open("/proc/net/unix", encoding="utf-8", errors="replace") as fh:
            bound = {line.split()[-1] for line in fh.readlines()[1:] if len(line.split()) > 7}
    except OSError:
        return []  # not Linux: nothing can be known, so nothing is removed
    removed = []
    with contextlib.suppress(OSError):
        for folder in sorted(Path(root or tempfile.gettempdir()).glob(f"{FORKSERVER_PREFIX}*")):
            if _dead_sockets_only(folder, bound):
                shutil.rmtree(folder, ignore_errors=True)
                if not folder.exists():
                    removed.append(folder)
    return removed


def _dead_sockets_only(folder: Path, bound: set[str]) -> bool:
    try:
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return False
        entries = list(folder.iterdir())
        if time.time() - info.st_mtime < UNMARKED_SECONDS and not entries:
            return False  # just made: its socket may be on its way
        return all(stat.S_ISSOCK(p.lstat().st_mode) and str(p) not in bound for p in entries)
    except OSError:
        return False


def _is_stale(folder: Path) -> bool:
    """True for our own folder whose build is gone (its owner file not locked by anyone)."""
    assert fcntl is not None
    try:
        info = folder.lstat()
    except OSError:
        return False
    if not folder.is_dir() or folder.is_symlink() or info.st_uid != os.getuid():
        return False
    try:
        fd = os.open(folder / OWNER, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return time.time() - info.st_mtime > UNMARKED_SECONDS
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a running build holds it
    finally:
        os.close(fd)
    return True
