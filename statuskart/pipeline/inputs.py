"""Input collection: command-line paths → the spreadsheet files to read, and what was skipped.

Every file found is accounted for: it is read once, or listed as skipped with a bokmål reason (lock
files, the unit register, statuskart's own copies, a second name for a file already read — a hard
link or a symlink). Symlinks are followed only while they stay inside the folder given: one that
leads elsewhere is listed by its name and not read, so a link cannot pull a private folder's file
and sheet names into a report. No file content is read here.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError
from statuskart.core.identity import canonical_period
from statuskart.indicators.model import INDICATOR_NAMES
from statuskart.validate.expected_units import REGISTRY_NAMES
from statuskart.workbook.annotate import ANNOTATED_SUFFIX
from statuskart.workbook.carry import SUMMARY_NAME as ROUND_SUMMARY

INPUT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".fods", ".numbers", ".et", ".csv")
"""Name ending of the annotated copies ``validate --annotate`` writes."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """A file or folder under the inputs that is not read as a skjema, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Inputs:
    """The files to read, in order, and everything that was passed over."""

    files: tuple[Path, ...]
    skipped: tuple[Skipped, ...]
    folders: tuple[Path, ...] = ()
    """Every folder walked, in walk order: period folders without a file are empty rounds."""

    def without(self, exclude: Iterable[Path]) -> Inputs:
        """The same inputs less ``exclude`` (a register or figure file found later): no new walk.

        A file is the same by device and inode (one stat), or where that cannot be told by its
        resolved path (resolving 3,000 paths took 0.2 s, one core, before any reading).
        """
        exclude = tuple(exclude)
        if not exclude:
            return self
        ids = {i for i in map(_file_id, exclude) if i is not None}
        resolved = {_resolved(p) for p in exclude}

        def kept(path: Path) -> bool:
            same = _file_id(path)
            return same not in ids if same is not None else _resolved(path) not in resolved

        return replace(self, files=tuple(filter(kept, self.files)))


def gather_inputs(paths: Iterable[Path | str], *, exclude: Iterable[Path] = ()) -> Inputs:
    """Files given directly plus spreadsheet-like files found in folders, each once.

    ``exclude`` names files that are never a skjema (the ``--registry`` file). A path that does
    not exist raises ConfigError.
    """
    excluded = {_resolved(p) for p in exclude}
    files: list[Path] = []
    skipped: list[Skipped] = []
    folders: list[Path] = []
    seen: set[Path] = set()
    inodes: dict[tuple[int, int], Path] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates = sorted(_walk(path, skipped, folders))
        elif path.exists():
            candidates = [(path, _resolved(path))]
        else:
            raise ConfigError(msg.INPUT_MISSING.format(path=path))
        for candidate, key in candidates:
            if key in seen:
                continue  # the same path given twice
            seen.add(key)
            reason = skip_reason(candidate, excluded, resolved=key)
            same = _file_id(candidate)
            if reason is None and same is not None:
                if same in inodes:  # a hard link, or a symlink, to a file already taken
                    reason = msg.SKIP_SAME_FILE.format(other=inodes[same])
                else:
                    inodes[same] = candidate
            if reason:
                skipped.append(Skipped(path=str(candidate), reason=reason))
            else:
                files.append(candidate)
    return Inputs(files=tuple(files), skipped=tuple(skipped), folders=tuple(folders))


def empty_rounds(inputs: Inputs) -> list[str]:
    """Period-named folders (e.g. 2026-T3) among the inputs that hold none of their files.

    A round that was opened but where nobody has submitted yet is reported, not silently absent.
    """
    used = {parent for f in inputs.files for parent in f.parents}
    folders = sorted(set(inputs.folders))
    found = (canonical_period(folder.name) for folder in folders if folder not in used)
    return [period for period in found if period]


def skip_reason(
    path: Path, excluded: Collection[Path] = (), *, resolved: Path | None = None
) -> str | None:
    """Why ``path`` is not read as a skjema, or None if it should be.

    ``resolved``: ``path`` resolved, where the caller has it already.
    """
    name = path.name
    if name.startswith("~$"):
        return msg.SKIP_EXCEL_LOCK
    if name.startswith(".~lock."):
        return msg.SKIP_LIBREOFFICE_LOCK
    if name.startswith("._"):
        return msg.SKIP_MACOS_FORK
    if not path.exists():
        return msg.SKIP_BROKEN_LINK
    if not path.is_file():  # a FIFO or device named like a spreadsheet would block the read
        return msg.SKIP_NOT_A_FILE
    if name.casefold() in INDICATOR_NAMES:
        return msg.SKIP_INDICATORS
    if name.casefold() in REGISTRY_NAMES or (resolved or _resolved(path)) in excluded:
        return msg.SKIP_REGISTRY
    if name.casefold().endswith(ANNOTATED_SUFFIX):
        return msg.SKIP_ANNOTATED
    if name.casefold() == ROUND_SUMMARY:
        return msg.SKIP_ROUND_SUMMARY
    return None


def _walk(root: Path, skipped: list[Skipped], folders: list[Path]) -> Iterator[tuple[Path, Path]]:
    """Spreadsheet-like files below ``root`` (and lock files), each with its resolved path.

    Lock files are listed as skipped later. Every folder taken into the walk is added to
    ``folders``.
    """
    visited: set[str] = set()
    inside = os.path.realpath(root)

    def unreadable(exc: OSError) -> None:
        denied = isinstance(exc, PermissionError)
        reason = msg.SKIP_NO_FOLDER_ACCESS if denied else msg.os_reason(exc)
        skipped.append(Skipped(path=str(exc.filename or root), reason=reason))

    for folder, subfolders, names in os.walk(root, followlinks=True, onerror=unreadable):
        real = os.path.realpath(folder)
        if real in visited:  # a symlink back up the tree, or a second link to the same folder
            subfolders[:] = []
            continue
        visited.add(real)
        folders.append(Path(folder))
        for sub in list(subfolders):
            if not _within(os.path.realpath(os.path.join(folder, sub)), inside):
                subfolders.remove(sub)
                skipped.append(
                    Skipped(path=os.path.join(folder, sub), reason=msg.SKIP_LINK_OUTSIDE)
                )
        subfolders.sort()
        for name in names:
            if name.casefold() in INDICATOR_NAMES:
                continue  # read by the registry-figures stage; not a candidate skjema at all
            # «.~lock.x.xlsx#» is LibreOffice's lock file for x.xlsx
            if Path(name.rstrip("#")).suffix.lower() not in INPUT_SUFFIXES:
                continue
            target = os.path.realpath(os.path.join(folder, name))
            if os.path.exists(target) and not _within(target, inside):
                skipped.append(
                    Skipped(path=os.path.join(folder, name), reason=msg.SKIP_LINK_OUTSIDE)
                )
                continue
            yield Path(folder) / name, Path(target)


def _within(path: str, root: str) -> bool:
    """True when the real ``path`` is ``root`` or below it."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _file_id(path: Path) -> tuple[int, int] | None:
    """(device, inode): the same file under two names has one; None if it cannot be told."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if info.st_ino else None


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop on older Pythons
        return path.absolute()
