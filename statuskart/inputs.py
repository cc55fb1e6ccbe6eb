"""Input collection: command-line paths → the spreadsheet files to read, and what was skipped.

Every file found is accounted for: it is read once (duplicates by resolved path are dropped), or
listed as skipped with a bokmål reason (lock files, the unit register, statuskart's own copies).
Symlinked folders are followed once, so a symlink loop ends. No file content is read here.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from statuskart import messages as msg
from statuskart.errors import ConfigError
from statuskart.indicators.model import INDICATOR_NAMES
from statuskart.registry import REGISTRY_NAMES

INPUT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".fods", ".numbers", ".et", ".csv")
ANNOTATED_SUFFIX = ".tilbakemelding.xlsx"
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


def gather_inputs(paths: Iterable[Path | str], *, exclude: Iterable[Path] = ()) -> Inputs:
    """Files given directly plus spreadsheet-like files found in folders, each once.

    ``exclude`` names files that are never a skjema (the ``--registry`` file). A path that does
    not exist raises ConfigError.
    """
    excluded = {_resolved(p) for p in exclude}
    files: list[Path] = []
    skipped: list[Skipped] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates = sorted(_walk(path, skipped))
        elif path.exists():
            candidates = [path]
        else:
            raise ConfigError(msg.INPUT_MISSING.format(path=path))
        for candidate in candidates:
            key = _resolved(candidate)
            if key in seen:
                continue  # the same file given twice, or reached through a symlink
            seen.add(key)
            reason = skip_reason(candidate, excluded)
            if reason:
                skipped.append(Skipped(path=str(candidate), reason=reason))
            else:
                files.append(candidate)
    return Inputs(files=tuple(files), skipped=tuple(skipped))


def skip_reason(path: Path, excluded: Collection[Path] = ()) -> str | None:
    """Why ``path`` is not read as a skjema, or None if it should be."""
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
    if name.casefold() in REGISTRY_NAMES or _resolved(path) in excluded:
        return msg.SKIP_REGISTRY
    if name.casefold().endswith(ANNOTATED_SUFFIX):
        return msg.SKIP_ANNOTATED
    return None


def _walk(root: Path, skipped: list[Skipped]) -> Iterator[Path]:
    """Spreadsheet-like files below ``root`` (and lock files, to be listed as skipped)."""
    visited: set[str] = set()

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
        subfolders.sort()
        for name in names:
            if name.casefold() in INDICATOR_NAMES:
                continue  # read by the registry-figures stage; not a candidate skjema at all
            # «.~lock.x.xlsx#» is LibreOffice's lock file for x.xlsx
            if Path(name.rstrip("#")).suffix.lower() in INPUT_SUFFIXES:
                yield Path(folder) / name


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop on older Pythons
        return path.absolute()
