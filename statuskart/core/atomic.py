"""Safe writing of the files statuskart produces: all or nothing, and never over a user's file.

A crash, a full disk or a pulled network cable must leave either the old file or the new one,
never half of it; a temporary file in the same folder is renamed into place with ``os.replace``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path

from statuskart.core import messages as msg
from statuskart.core.errors import OutputError


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it.

    The temporary file is removed on any failure; OutputError says why in bokmål.
    """
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # os.open with mode 0o666 honours the umask, unlike mkstemp's 0o600: others on the
        # share must be able to read what we write.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
    except OSError as exc:
        raise OutputError(
            msg.OUTPUT_UNWRITABLE.format(path=path, reason=msg.os_reason(exc))
        ) from None


def copy_whole(source: Path, target: Path) -> None:
    """Copy ``source`` (with its time) to ``target`` through a hidden partial file, renamed.

    For the cache's own entries: a killed copy leaves no entry, and a failed one no litter. An
    OSError is raised as it is, for the caller to report.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        shutil.copy2(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)  # gone after the rename


def write_new(path: Path, data: bytes) -> None:
    """Write ``data`` into a new file at ``path``, never into the file that was there.

    For the generated docs: the work folder links their files (site/incremental.sync_docs), so
    writing into one in place would change the kept copy behind the build's back.
    """
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def copy_new(source: Path, target: Path) -> None:
    """``source``'s bytes into a new file at ``target`` (``write_new``'s rule)."""
    target.unlink(missing_ok=True)
    shutil.copyfile(source, target)


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` as a second name of ``source`` where the file system allows, else a copy.

    A link cost a twentieth of making a file on the test machine. Only for files nothing
    writes into in place (``write_new``'s rule): the two names are one file.
    """
    try:
        os.link(source, target)
    except OSError:  # another file system, or one that does not link
        shutil.copyfile(source, target)


def new_file_group(folder: Path) -> int | None:
    """The group a new file in ``folder`` gets; None where it would also get a default ACL.

    A folder with the set-group-ID bit gives its own group (a team's shared folder), else the
    file gets this process's group. None too where there are no such groups (Windows).
    """
    getxattr = getattr(os, "getxattr", None)
    if getattr(os, "getegid", None) is None:
        return None
    try:
        info = os.stat(folder)
        if getxattr is not None:
            with contextlib.suppress(OSError):  # none, or none supported: no default ACL
                getxattr(folder, "system.posix_acl_default")
                return None
    except OSError:
        return None
    return info.st_gid if info.st_mode & stat.S_ISGID else os.getegid()


def move_in(source: Path, target: Path) -> None:
    """Move ``source`` (a file this process made) to ``target``, as a new file there would be.

    A moved file keeps its group and gets no default ACL; in a team folder (set-group-ID, or a
    default ACL) colleagues may then not read it, so there it is copied and the source removed.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    group = new_file_group(target.parent)
    if getattr(os, "getegid", None) is None or group == os.getegid():
        shutil.move(source, target)
        return
    target.unlink(missing_ok=True)
    shutil.copyfile(source, target)
    source.unlink()


def existing(paths: Iterable[Path]) -> list[Path]:
    """The paths that already exist (as file, folder or dangling link), in the given order."""
    return [p for p in paths if p.exists() or p.is_symlink()]


def refuse_existing(paths: Iterable[Path], hint: str) -> None:
    """Raise OutputError naming the first existing path and how many exist, before any write."""
    found = existing(paths)
    if found:
        text = msg.OUTPUT_EXISTS if len(found) == 1 else msg.OUTPUT_EXISTS_MANY
        raise OutputError(text.format(path=found[0], n=len(found), hint=hint))
