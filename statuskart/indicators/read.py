"""Indicator files: where they are found and how each is read (the only I/O of the stage)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError
from statuskart.core.findings import Finding, finding
from statuskart.indicators.model import INDICATOR_NAMES, RawFigure
from statuskart.indicators.nki import read_nki
from statuskart.indicators.table import read_table


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadFile:
    """One indicator file as read: its rows before they are checked against the report."""

    path: str
    kind: str
    """«table» or «nki»."""
    rows: int
    raws: tuple[RawFigure, ...]
    findings: tuple[Finding, ...]


def find_indicator_files(checklists: Sequence[Path]) -> list[Path]:
    """indikatorer.xlsx/.csv/.json in the first checklists folder with any (like enheter.yaml)."""
    for folder in checklists:
        if folder.is_dir():
            found = [folder / name for name in INDICATOR_NAMES if (folder / name).is_file()]
            if found:
                return found
    return []


def indicator_files(given: Sequence[Path], checklists: Sequence[Path]) -> list[Path]:
    """The files named with --indicators, else the ones found next to the checklists.

    A named file that does not exist stops the run (ConfigError), like a missing --registry.
    """
    for path in given:
        if not path.is_file():
            raise ConfigError(msg.INDICATORS_MISSING.format(file=path))
    return list(given) if given else find_indicator_files(checklists)


def read_indicator_file(path: Path) -> ReadFile:
    """Read one table or NKI file; every problem is a finding, never an exception."""
    from statuskart.workbook.guarded import read_input_bytes

    name = str(path)
    data = read_input_bytes(path)
    is_json = path.suffix.casefold() == ".json" or (
        not isinstance(data, Finding) and data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")
    )
    kind = "nki" if is_json else "table"
    if isinstance(data, Finding):
        problem = finding("indicator-unreadable", name, detail=data.message.rstrip("."))
        return ReadFile(path=name, kind=kind, rows=0, raws=(), findings=(problem,))
    if is_json:
        raws, findings, rows = read_nki(name, data)
    else:
        raws, findings = read_table(name, data)
        rows = len(raws)
    return ReadFile(path=name, kind=kind, rows=rows, raws=tuple(raws), findings=tuple(findings))
