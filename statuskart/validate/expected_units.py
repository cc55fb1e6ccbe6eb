"""Submission tracking: which expected units submitted in each round, which did not or were late.

Input: an optional register of expected units (enheter.yaml or enheter.xlsx) and the FileReports.
Output: frozen per-round, per-HF tracking. Units found in checklists but not in the register are
listed, never dropped. Reading the register is the only I/O here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from statuskart.catalog.safe_yaml import read_yaml_file, yaml_problem
from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError
from statuskart.core.identity import name_key, period_id
from statuskart.validate.model import FileReport
from statuskart.validate.typed_values import parse_date
from statuskart.workbook.layout import normalise_label

REGISTRY_NAMES = ("enheter.yaml", "enheter.yml", "enheter.xlsx")
FIELDS = {
    "rhf": ("rhf",),
    "hf": ("hf", "helseforetak", "hf eller institusjon", "institusjon"),
    "unit": ("enhet", "unit"),
    "unit_type": ("enhetstype", "type", "unit_type"),
    "contact": ("kontakt", "kontaktrolle", "kontaktperson (rolle)", "contact"),
}
HF_ANSWER_FIELD = ("svarer for hf", "svarer_for_hf", "svarer for helseforetaket", "hf-svar")
"""Register column/key marking the unit whose skjema answers the HF rows (scope: hf)."""
YES = frozenset({"ja", "j", "x", "yes", "true", "1"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpectedUnit:
    """A unit the RHF expects a skjema from."""

    rhf: str
    hf: str
    unit: str
    unit_type: str | None = None
    contact: str | None = None
    """A role (e.g. «Enhetsleder»), not a person's name."""
    answers_for_hf: bool = False
    """True for the unit whose answers to the HF rows are the HF's (hf_scope.py)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitRegister:
    """Expected units and each round's submission deadline."""

    source: str
    units: tuple[ExpectedUnit, ...]
    deadlines: Mapping[str, dt.date]


@dataclass(frozen=True, slots=True, kw_only=True)
class HfTracking:
    """One HF in one round."""

    hf: str
    rhf: str
    expected: int
    submitted: tuple[str, ...]
    missing: tuple[ExpectedUnit, ...]
    late: tuple[tuple[str, dt.date], ...]
    """(unit, skjema date) for submissions dated after the deadline."""
    duplicates: tuple[str, ...]
    rejected: tuple[str, ...] = ()
    """Units among ``submitted`` whose every skjema this round was rejected: sent, not usable."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RoundTracking:
    """Every HF in one round, and what the registry did not know."""

    period: str
    deadline: dt.date | None
    hfs: tuple[HfTracking, ...]
    unregistered: tuple[tuple[str, str], ...]
    """(HF, unit) found in this round's checklists but not in the registry."""


def find_registry(checklists: Sequence[Path]) -> Path | None:
    """enheter.yaml / enheter.xlsx in the first checklists folder, if there is one."""
    for folder in checklists:
        if folder.is_dir():
            for name in REGISTRY_NAMES:
                if (folder / name).is_file():
                    return folder / name
    return None


def load_register(path: Path) -> UnitRegister:
    """Read enheter.yaml or enheter.xlsx; ConfigError naming the file and the bad entry."""
    if not path.is_file():
        raise ConfigError(msg.REGISTRY_MISSING.format(file=path))
    if path.suffix.lower() == ".xlsx":
        rows, deadlines = _read_xlsx(path)
    else:
        rows, deadlines = _read_yaml(path)
    units = []
    for i, row in enumerate(rows, start=1):
        entry = {key: _field(row, names) for key, names in FIELDS.items()}
        missing = [k for k in ("rhf", "hf", "unit") if not entry[k]]
        if missing:
            raise ConfigError(
                msg.REGISTRY_ENTRY.format(file=path, entry=i, fields=", ".join(missing))
            )
        flag = _field(row, HF_ANSWER_FIELD)
        answers_for_hf = flag is not None and flag.casefold() in YES
        units.append(ExpectedUnit(**entry, answers_for_hf=answers_for_hf))  # type: ignore[arg-type]
    parsed: dict[str, dt.date] = {}
    for period, value in deadlines.items():
        if isinstance(value, dt.datetime):  # Excel stores dates as datetimes
            value = value.date()
        date = value if isinstance(value, dt.date) else parse_date(str(value))
        if date is None:
            raise ConfigError(msg.REGISTRY_DEADLINE.format(file=path, period=period, value=value))
        parsed[period_id(period)] = date
    return UnitRegister(source=path.name, units=tuple(units), deadlines=parsed)


def _field(row: Mapping[str, Any], names: Iterable[str]) -> str | None:
    for name in names:
        value = row.get(name)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def _read_yaml(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    try:
        data = read_yaml_file(path)
    except OSError as exc:
        raise ConfigError(
            msg.REGISTRY_UNREADABLE.format(file=path, error=msg.os_reason(exc, reading=True))
        ) from None
    except ValueError as exc:  # too large, or not UTF-8
        raise ConfigError(msg.REGISTRY_UNREADABLE.format(file=path, error=exc)) from None
    except yaml.YAMLError as exc:
        error = yaml_problem(exc)
        raise ConfigError(msg.REGISTRY_UNREADABLE.format(file=path, error=error)) from None
    if not isinstance(data, dict) or not isinstance(data.get("enheter"), list):
        raise ConfigError(msg.REGISTRY_SHAPE.format(file=path))
    rows = [
        {normalise_label(str(k)): v for k, v in row.items()} if isinstance(row, dict) else {}
        for row in data["enheter"]
    ]
    deadlines = data.get("frister") or {}
    if not isinstance(deadlines, dict):
        raise ConfigError(msg.REGISTRY_SHAPE.format(file=path))
    return rows, deadlines


def _read_xlsx(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Through the skjema reader's guards: size, zip checks and defusedxml before any parsing."""
    from statuskart.core.findings import Finding
    from statuskart.workbook.guarded import failure_finding, open_guarded, read_guarded

    data = read_guarded(path)
    if isinstance(data, Finding):
        raise ConfigError(msg.REGISTRY_UNREADABLE.format(file=path, error=data.message))
    try:
        wb = open_guarded(data)
        try:
            sheets = wb.worksheets
            table = [
                list(r) for r in sheets[0].iter_rows(max_row=5001, max_col=10, values_only=True)
            ]
            deadlines: dict[str, Any] = {}
            for ws in sheets[1:]:
                if normalise_label(ws.title) == "frister":
                    for period, date, *_ in ws.iter_rows(min_row=2, max_col=2, values_only=True):
                        if period:
                            deadlines[str(period)] = date
        finally:
            wb.close()
    except Exception as exc:  # openpyxl raises many types for broken files
        error = failure_finding(exc, str(path)).message
        raise ConfigError(msg.REGISTRY_UNREADABLE.format(file=path, error=error)) from None
    if not table:
        raise ConfigError(msg.REGISTRY_SHAPE.format(file=path))
    header = [normalise_label(str(h or "")) for h in table[0]]
    rows = [dict(zip(header, r, strict=False)) for r in table[1:] if any(v is not None for v in r)]
    return rows, deadlines


def hf_designations(registry: UnitRegister | None) -> dict[str, tuple[str, ...]]:
    """HF name key → the units marked to answer the HF rows (usually one)."""
    out: dict[str, tuple[str, ...]] = {}
    for u in registry.units if registry else ():
        if u.answers_for_hf:
            out[name_key(u.hf)] = (*out.get(name_key(u.hf), ()), u.unit)
    return out


def _key(hf: str, unit: str) -> tuple[str, str]:
    return name_key(hf), name_key(unit)


def track_submissions(
    registry: UnitRegister, files: Sequence[FileReport], periods: Sequence[str]
) -> tuple[RoundTracking, ...]:
    """Per round and HF: submitted, missing, late and duplicate skjema."""
    found: dict[str, dict[tuple[str, str], list[FileReport]]] = defaultdict(
        lambda: defaultdict(list)
    )
    names: dict[tuple[str, str], tuple[str, str]] = {}
    for f in files:
        hf, unit, period = f.sender()
        if hf and unit and period:
            found[period_id(period)][_key(hf, unit)].append(f)
            names[_key(hf, unit)] = (hf, unit)
    expected = {_key(u.hf, u.unit): u for u in registry.units}
    by_hf: dict[str, list[ExpectedUnit]] = defaultdict(list)
    for u in registry.units:
        by_hf[name_key(u.hf)].append(u)
    rounds = []
    for period in periods:
        deadline = registry.deadlines.get(period_id(period))
        here = found.get(period_id(period), {})
        hfs = []
        for units in sorted(by_hf.values(), key=lambda us: us[0].hf):
            got = [u for u in units if _key(u.hf, u.unit) in here]
            late = []
            for u in got:
                dates = [
                    f.submission.meta.date
                    for f in here[_key(u.hf, u.unit)]
                    if f.submission and f.submission.meta.date
                ]
                if deadline and dates and min(dates) > deadline:
                    late.append((u.unit, min(dates)))
            hfs.append(
                HfTracking(
                    hf=units[0].hf,
                    rhf=units[0].rhf,
                    expected=len(units),
                    submitted=tuple(u.unit for u in got),
                    missing=tuple(u for u in units if _key(u.hf, u.unit) not in here),
                    late=tuple(late),
                    duplicates=tuple(u.unit for u in got if len(here[_key(u.hf, u.unit)]) > 1),
                    rejected=tuple(
                        u.unit
                        for u in got
                        if all(f.status == "rejected" for f in here[_key(u.hf, u.unit)])
                    ),
                )
            )
        rounds.append(
            RoundTracking(
                period=period,
                deadline=deadline,
                hfs=tuple(hfs),
                unregistered=tuple(sorted(names[k] for k in here if k not in expected)),
            )
        )
    return tuple(rounds)
