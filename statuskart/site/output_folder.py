"""Where a site may be written: checks, a lock, and the staged swap that replaces a site folder.

Users run statuskart in shared folders that hold other people's work, so ``build -o X`` replaces X
only when X is missing, empty, or a site statuskart built: marked with ``.statuskart-site``, or an
unmarked folder from an earlier version that has all of ``LEGACY_SIGNS``. An output that is,
contains or lies inside an input is refused. Staging and backup folders are unique temporary
folders beside the output and are removed on every exit path (errors, Ctrl-C, SIGTERM); they
carry the output's name, so after a SIGKILL the next build into it finds and removes them
(``remove_leftovers``, called while the lock is held).
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import secrets
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from statuskart.core import messages as msg
from statuskart.core.atomic import new_file_group
from statuskart.core.errors import OutputError
from statuskart.core.signals import held_signals

try:  # POSIX; elsewhere concurrent builds are not detected (docs/brukerveiledning/utdatamappe.md)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

MARKER = ".statuskart-site"
LEGACY_SIGNS = (
    "index.html",
    "search/search_index.json",
    "assets/javascripts/iframe-worker-shim.js",
)
STAGING_PREFIX = ".statuskart-staging-"
BACKUP_PREFIX = ".statuskart-old-"


def marker_text() -> str:
    """Content of the marker file: who built the folder, so it may be replaced next time."""
    from statuskart.core.version import __version__

    return f"statuskart {__version__}\n"


def is_statuskart_site(folder: Path) -> bool:
    """True for a marked site, or an unmarked one from an earlier statuskart (all legacy signs)."""
    marker = folder / MARKER
    if marker.is_file():
        with contextlib.suppress(OSError):
            return marker.read_text(encoding="utf-8").startswith("statuskart")
    return all((folder / sign).is_file() for sign in LEGACY_SIGNS)


def check_replaceable(site_dir: Path) -> None:
    """OutputError unless ``site_dir`` is missing, an empty folder or a statuskart site."""
    if site_dir.is_symlink():
        raise OutputError(msg.OUTPUT_SYMLINK.format(path=site_dir))
    if not site_dir.exists():
        return
    if not site_dir.is_dir():
        raise OutputError(msg.OUTPUT_NOT_A_FOLDER.format(path=site_dir))
    try:
        empty = next(site_dir.iterdir(), None) is None
    except OSError as exc:
        raise OutputError(
            msg.OUTPUT_UNWRITABLE.format(path=site_dir, reason=msg.os_reason(exc))
        ) from None
    if not empty and not is_statuskart_site(site_dir):
        raise OutputError(msg.OUTPUT_FOREIGN.format(path=site_dir))


def check_not_input(site_dir: Path, inputs: Iterable[Path]) -> None:
    """OutputError if the output is, contains or lies inside an input (symlinks resolved)."""
    out = site_dir.resolve()
    for raw in inputs:
        source = Path(raw).resolve()
        if out == source:
            relation = "same"
        elif source in out.parents:
            relation = "inside"
        elif out in source.parents:
            relation = "contains"
        else:
            continue
        raise OutputError(
            msg.OUTPUT_OVERLAPS_INPUT.format(
                path=site_dir, relation=msg.OUTPUT_RELATIONS[relation], input=raw
            )
        )


def check_output(site_dir: Path, inputs: Iterable[Path]) -> None:
    """Every rule for ``build -o``: not an input, and replaceable."""
    check_not_input(site_dir, inputs)
    check_replaceable(site_dir)


def lock_path(site_dir: Path) -> Path:
    """The lock file of builds into ``site_dir`` (beside it)."""
    return _parent(site_dir) / f".{site_dir.name}.statuskart-lock"


@contextlib.contextmanager
def locked(site_dir: Path) -> Iterator[bool]:
    """Hold an exclusive lock beside ``site_dir``; a second build into it fails with OutputError.

    Yields True when the lock file was already there: a build that was killed left it (a running
    one would hold the lock). The lock file is removed on release. Signals are held while it is
    taken, so a Ctrl-C cannot land between creating the file and the ``finally`` that removes it.
    """
    if fcntl is None:  # pragma: no cover - Windows
        yield False
        return
    path = lock_path(site_dir)
    fd: int | None = None
    try:
        with held_signals():
            stale = path.exists()
            fd = _take_lock(path, site_dir)
        yield stale
    finally:
        if fd is not None:
            with held_signals():
                with contextlib.suppress(OSError):
                    path.unlink()
                os.close(fd)


def _take_lock(path: Path, site_dir: Path) -> int:
    """Open and flock ``path``; retry if another build removed it between our open and lock."""
    assert fcntl is not None
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(
                msg.OUTPUT_UNWRITABLE.format(path=path.parent, reason=msg.os_reason(exc))
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputError(msg.OUTPUT_LOCKED.format(path=site_dir)) from None
        try:
            if os.fstat(fd).st_ino == os.stat(path).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


@contextlib.contextmanager
def staged(site_dir: Path, discard: Callable[[Path], bool] | None = None) -> Iterator[Path]:
    """Yield a fresh staging folder beside ``site_dir``; swap it in if the block succeeds.

    On any exit (error, KeyboardInterrupt, Terminated) the staging folder is removed and the old
    site is left as it was. ``discard``: takes the replaced site away to be removed later (trash.py;
    False if it cannot), instead of waiting here for the disk to free it.
    """
    check_replaceable(site_dir)
    parent = _parent(site_dir)
    staging: Path | None = None
    try:
        # Named before it exists, so a signal at any point (even one delivered to another thread
        # while this one has signals blocked) finds it owned by the ``finally`` below.
        staging = parent / f"{STAGING_PREFIX}{site_dir.name}-{secrets.token_hex(8)}"
        with _unwritable(site_dir):
            staging.mkdir(mode=0o777 & ~_umask())  # exclusive; colleagues must read the site
        yield staging
        with _unwritable(site_dir):
            (staging / MARKER).write_text(marker_text(), encoding="utf-8")
            check_replaceable(site_dir)  # it may have changed while we built
            link_unchanged(staging, site_dir)
            _swap(staging, site_dir, discard)
    finally:
        if staging is not None:
            with held_signals():
                shutil.rmtree(staging, ignore_errors=True)
            if staging.exists():  # a signal ended the first attempt part-way
                shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _unwritable(site_dir: Path) -> Iterator[None]:
    """OSError while preparing or swapping folders → OutputError with a bokmål reason."""
    try:
        yield
    except OSError as exc:
        raise OutputError(
            msg.OUTPUT_UNWRITABLE.format(path=site_dir, reason=msg.os_reason(exc))
        ) from None


def _parent(site_dir: Path) -> Path:
    parent = site_dir.absolute().parent
    with _unwritable(site_dir):
        parent.mkdir(parents=True, exist_ok=True)
    return parent


def link_unchanged(staging: Path, site_dir: Path) -> int:
    """Make each staged file that is byte for byte the published one a hard link to it.

    Swapping the site in then frees only what changed: on a disk that discards freed blocks as it
    goes (this project's build machine), removing the replaced 100 MB national site took ~9 s,
    most of a rebuild after one changed skjema. Only regular files of this user are linked (a
    colleague's file would stay theirs to change, so it stays a copy); where links cannot be made
    (another file system, a share, Windows), every file stays as written. Returns the files linked.
    """
    if _own_uid() is None or not site_dir.is_dir() or site_dir.is_symlink():
        return 0
    linked = 0
    for root, _dirs, names in os.walk(staging):
        for name in names:
            new = Path(root, name)
            old = site_dir / new.relative_to(staging)
            if not _same_published(old, new):
                continue
            spare = new.with_name(f".{name}.{secrets.token_hex(4)}")
            try:
                os.link(old, spare)
                os.replace(spare, new)
            except OSError:
                with contextlib.suppress(OSError):
                    spare.unlink()
                return linked  # links are not possible here: the rest stay copies
            linked += 1
    filecmp.clear_cache()
    return linked


def link_tree(kept: Path, staging: Path, site_dir: Path) -> None:
    """Put the kept site (site/incremental.py) into ``staging``, each file a link where it can be.

    Copying 2,100 files was 2 s at 1,000 units, one core busy and the other idle, at the end of
    every cold build. The kept site then shares its files with the published one, so MkDocs never
    rewrites a shared file in place (site/engine.py unlinks it first), and a published file
    changed in place makes the next build clean (incremental.site_manifest). Where no link can be
    made (another file system: a share), or where a link would not get what a new file in
    ``staging`` gets (the shared folder's group or default ACL, so colleagues can read it), the
    rule of ``link_unchanged``, without writing the copy first. Folders are made anew, so they
    get the staging folder's group and ACL as well.
    """
    group = new_file_group(staging)
    for root, _dirs, names in os.walk(kept):
        folder = staging / Path(root).relative_to(kept)
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            _place(Path(root, name), folder / name, staging, site_dir, group)


def _place(src: Path, dest: Path, staging: Path, site_dir: Path, group: int | None) -> None:
    """``src`` at ``dest``: a link to it, to the published file with its bytes, or a copy.

    A symbolic link in the kept site is left out: MkDocs makes none, and one planted in the
    cache would put the file it points to (anything this user may read) into a shared site.
    """
    if src.is_symlink():
        return
    if group is not None and _own_file(src, group):
        with contextlib.suppress(OSError):
            os.link(src, dest)
            return
    old = site_dir / dest.relative_to(staging)
    if _own_uid() is not None and _same_published(old, src):
        with contextlib.suppress(OSError):
            os.link(old, dest)
            return
    shutil.copy2(src, dest)


def _own_file(path: Path, group: int) -> bool:
    """Whether ``path`` is a regular file (not a link to one) of this user and ``group``."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_uid == _own_uid() and info.st_gid == group


def _own_uid() -> int | None:
    getuid = getattr(os, "getuid", None)
    return getuid() if getuid is not None else None


def _same_published(old: Path, new: Path) -> bool:
    """Whether ``old`` (published) is a regular file of this user with ``new``'s bytes and mode."""
    try:
        was, now = os.lstat(old), os.lstat(new)
    except OSError:
        return False
    if (was.st_dev, was.st_ino) == (now.st_dev, now.st_ino):
        return False  # already the published file
    return (
        stat.S_ISREG(was.st_mode)
        and stat.S_ISREG(now.st_mode)
        and was.st_uid == _own_uid()
        and stat.S_IMODE(was.st_mode) == stat.S_IMODE(now.st_mode)
        and was.st_size == now.st_size
        and filecmp.cmp(old, new, shallow=False)
    )


def _swap(staging: Path, site_dir: Path, discard: Callable[[Path], bool] | None = None) -> None:
    """Replace ``site_dir`` by ``staging``; the old site moves into a unique backup folder first."""
    with held_signals():
        if not site_dir.exists():
            staging.rename(site_dir)
            return
        holder = staging.parent / f"{BACKUP_PREFIX}{site_dir.name}-{secrets.token_hex(8)}"
        holder.mkdir(mode=0o700)
        try:
            backup = holder / "site"
            site_dir.rename(backup)
            try:
                staging.rename(site_dir)
            except OSError:
                backup.rename(site_dir)
                raise
        finally:
            if discard is not None and backup.is_dir() and discard(backup):
                holder.rmdir()
            else:
                shutil.rmtree(holder, ignore_errors=True)


def leftovers(site_dir: Path) -> list[tuple[str, Path]]:
    """Staging and backup folders of earlier builds into ``site_dir``: ("staging"|"backup", path).

    Only while holding ``locked(site_dir)`` are these known to be a dead build's.
    """
    parent = site_dir.absolute().parent
    found = []
    for kind, prefix in (("staging", STAGING_PREFIX), ("backup", BACKUP_PREFIX)):
        with contextlib.suppress(OSError):
            for path in sorted(parent.glob(f"{prefix}*")):
                name, _, token = path.name[len(prefix) :].rpartition("-")
                if name == site_dir.name and _is_token(token) and not path.is_symlink():
                    found.append((kind, path))
    return found


def _is_token(text: str) -> bool:
    return len(text) == 16 and all(c in "0123456789abcdef" for c in text)


def remove_leftovers(site_dir: Path) -> list[tuple[str, Path]]:
    """Remove what killed builds into ``site_dir`` left beside it; return (kind, path) of each.

    A backup is the previous site when a build was killed between the two renames of the swap;
    if the site is missing then, it is put back first (kind "restored").
    """
    done = []
    for kind, path in leftovers(site_dir):
        backup = path / "site"
        if kind == "backup" and not site_dir.exists() and is_statuskart_site(backup):
            with held_signals(), _unwritable(site_dir):
                backup.rename(site_dir)
            done.append(("restored", path))
        with held_signals():
            shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            done.append((kind, path))
    return done
