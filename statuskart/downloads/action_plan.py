"""A unit's action plan as its own workbook: what the implementation meeting works from.

Real date cells, Norwegian headers, a filter, a frozen header and column widths, holding only that
unit; linked from the unit's page. Text from the skjema is written as text, never as a formula.
Printed, every page names the unit, HF, round and build date, and «Frist passert» says what was
overdue on that date (the date the report judged it by).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from statuskart.core.atomic import copy_whole
from statuskart.downloads import xlsx_table
from statuskart.downloads.xlsx_table import Sheet, copy_redated, page_header, write_tables
from statuskart.model.facts import catalogue_of, plain_reason, plan_path
from statuskart.model.views import ReportModel, UnitView
from statuskart.validate.model import LocalRequirement, overdue
from statuskart.workbook import fit
from statuskart.workbook import layout as L

COLUMNS: tuple[tuple[str, float, bool], ...] = (
    ("Rang", 6, False),
    ("Krav", 9, False),
    ("Tittel", 26, False),
    ("Status", 14, False),
    ("Tiltak", 38, False),
    ("Eget tiltak", 8, False),
    ("Ansvarlig", 16, True),
    ("Frist", 11, False),
    ("Frist passert", 9, False),
    ("Risiko", 8, False),
    ("Hvorfor nå", 28, False),
)
"""(header, width, holds free text that some audiences may not see). About 172 width units:
printed on A4 landscape at about 85 %, wrapped text making rows taller rather than the print
smaller."""
NAME_CHARS = 100
"""Unit and HF names longer than this are shortened in the page header (Excel allows 255)."""
DATE_SLOT = "\ue000" * 10
"""Where the build date goes in a plan's page header (``PlanJob.dated``), so the sheets and
their key hold no date. As long as «dd.mm.åååå», so the header's length limit shortens the
names alike."""
DATE_TEXT = re.compile(r"\d\d\.\d\d\.\d{4}")


@dataclass(frozen=True, slots=True)
class PlanJob:
    """One unit's plan as plain data: where it goes and its sheets (picklable, no model)."""

    path: str
    """Relative to the docs folder (facts.plan_path)."""
    sheets: tuple[tuple[Sheet, tuple[tuple[Any, ...], ...]], ...]
    """Their page headers hold DATE_SLOT where the build date goes."""
    date: str
    """The build date as the header prints it (dd.mm.åååå)."""

    def key(self) -> str:
        """Content key for the plan cache: the same sheets from the same code, the same file.

        The build date is not in it: «Frist passert» is in the rows, and a kept plan gets the
        day's date in its header as it is copied, so the day after a build keeps most plans.
        """
        content = repr((_CODE, self.sheets)).encode("utf-8")
        return hashlib.sha256(content).hexdigest()

    def dated(self) -> tuple[tuple[Sheet, tuple[tuple[Any, ...], ...]], ...]:
        """The sheets with the build date in their page headers (in the slot that ends them)."""
        return tuple(
            (replace(sheet, header=_dated(sheet.header, self.date)), rows)
            for sheet, rows in self.sheets
        )


_CODE = hashlib.sha256(
    b"".join(Path(str(m.__file__)).read_bytes() for m in (sys.modules[__name__], xlsx_table, fit))
).hexdigest()
"""This module, the sheet writer and the row-height rule: a change to any of them rewrites the
plans, which the cache would otherwise keep as the old code wrote them."""


def plan_jobs(model: ReportModel) -> tuple[PlanJob, ...]:
    """One plan per unit page, with the same plain-words reasons as the page."""
    jobs = []
    day = model.build_date.strftime("%d.%m.%Y")
    for unit in model.units:
        catalogue = catalogue_of(model, unit.score.unit.pathway)
        why = [plain_reason(a, catalogue) for a in unit.score.actions]
        header = plan_header(unit, DATE_SLOT)
        sheets = [_plan_sheet(unit, why, model.shows_text, header)]
        if model.shows_text and unit.local:
            sheets.append(_local_table(unit.local, model.build_date, header))
        jobs.append(PlanJob(plan_path(unit), tuple(sheets), day))
    return tuple(jobs)


def write_plans(
    jobs: Sequence[PlanJob],
    docs_dir: Path,
    cache: Path | None = None,
    staged: Path | None = None,
) -> list[Path]:
    """Write the plans; ``cache``: a folder of plans by content (``KEY-DATE.xlsx``).

    A plan whose rows are unchanged is not written again: the same day it is copied from the
    cache; another day the cached plan's header date is replaced as it is copied (a rebuild
    after one changed skjema, or on the next day, writes the plans whose rows changed, not a
    thousand). Either way the plan has the bytes it would have if written anew. Cached plans
    this build did not use are removed.
    ``staged``: the folder ``stage_kept_plans`` filled; a plan found there is moved into place.
    """
    kept = _kept_plans(cache)
    written = []
    used: set[str] = set()
    for job in jobs:
        path = docs_dir / job.path
        path.parent.mkdir(parents=True, exist_ok=True)
        written.append(path)
        if cache is None:
            write_tables(path, job.dated(), small=True)
            continue
        key = job.key()
        name = f"{key}-{job.date}.xlsx"
        used.add(name)
        old = kept.get(key)
        if old == job.date:
            if not (staged is not None and _move(staged / f"{key}.xlsx", path)):
                shutil.copy2(cache / name, path)
            continue
        if old is None or not copy_redated(
            cache / f"{key}-{old}.xlsx", path, old, job.date, len(job.sheets)
        ):
            write_tables(path, job.dated(), small=True)
        copy_whole(path, cache / name)
    if cache is not None and cache.is_dir():
        for entry in cache.glob("*.xlsx"):
            if entry.name not in used:
                entry.unlink(missing_ok=True)
    return written


def stage_kept_plans(cache: Path, staging: Path, date: str, stop: Callable[[], bool]) -> int:
    """Each kept plan dated ``date``, made while the writer waits for the plans; how many.

    The writer waits seconds for the report model, while the build reads. The day after a
    build, most plans are kept but for their header's date. So meanwhile each kept plan is
    redated into the cache as ``KEY-date.xlsx`` (its old entry removed), and a copy of it is
    put in ``staging`` as ``KEY.xlsx``, which ``write_plans`` moves into place if a plan with
    that key is wanted. A plan that cannot be redated is left as it is (written anew later if
    wanted). Stops as soon as ``stop()`` is true: the plans have come, and the rest is done as
    before.
    """
    staging.mkdir(parents=True, exist_ok=True)
    count = 0
    for key, old in _kept_plans(cache).items():
        if stop():
            break
        entry, ready = cache / f"{key}-{date}.xlsx", staging / f"{key}.xlsx"
        if old == date:
            shutil.copy2(entry, ready)
        else:
            source = cache / f"{key}-{old}.xlsx"
            if not copy_redated(source, ready, old, date, None):
                continue
            copy_whole(ready, entry)
            source.unlink(missing_ok=True)
        count += 1
    return count


def _move(staged: Path, path: Path) -> bool:
    """Move a plan ``stage_kept_plans`` made (a copy of its cache entry) into place, if there."""
    try:
        os.replace(staged, path)
    except FileNotFoundError:
        return False
    return True


def _kept_plans(cache: Path | None) -> dict[str, str]:
    """The cached plans: key → the date their header prints (one listing, not one per plan)."""
    found: dict[str, str] = {}
    if cache is None or not cache.is_dir():
        return found
    for entry in cache.glob("*.xlsx"):
        key, _, day = entry.name.removesuffix(".xlsx").partition("-")
        if DATE_TEXT.fullmatch(day):
            found[key] = day
    return found


def plan_header(unit: UnitView, day: str) -> str:
    """Whose plan, which round and as of when, on every printed page of it.

    ``day``: the build's date (SOURCE_DATE_EPOCH when set), the day «Frist passert» was judged,
    or DATE_SLOT where a kept plan gets it.
    """
    who = unit.score.unit
    names = ", ".join(_short(n) for n in (who.unit, who.hf) if n)
    when = f"Runde {who.period} · Laget {day}"
    return page_header(f"Handlingsplan – {names}", when)


def _dated(header: str, day: str) -> str:
    """``header`` with ``day`` in its last DATE_SLOT: plan_header puts it last, after the names."""
    head, slot, tail = header.rpartition(DATE_SLOT)
    return head + day + tail if slot else header


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"


def _plan_sheet(
    unit: UnitView, reasons: Sequence[str], shows_text: bool, header: str
) -> tuple[Sheet, tuple[tuple[Any, ...], ...]]:
    """The ranked plan: wrapped text, and on paper the unit and round on every page."""
    columns = [c for c in COLUMNS if shows_text or not c[2]]
    sheet = Sheet(
        "Tiltaksplan",
        [name for name, _, _ in columns],
        [width for _, width, _ in columns],
        ["DD.MM.YYYY" if name == "Frist" else None for name, _, _ in columns],
        wrap=[True] * len(columns),
        header=header,
    )
    rows: list[tuple[Any, ...]] = []
    for action, why in zip(unit.score.actions, reasons, strict=True):
        values = {
            "Rang": action.rank,
            "Krav": action.requirement_id,
            "Tittel": action.title,
            "Status": action.status or "Ubesvart",
            "Tiltak": action.text,
            "Eget tiltak": "Ja" if action.own_plan else "Nei",
            "Ansvarlig": action.owner or "",
            "Frist": action.due,
            "Frist passert": "Ja" if action.overdue else "",
            "Risiko": action.risk or "",
            "Hvorfor nå": why,
        }
        rows.append(tuple(values[name] for name, _, _ in columns))
    return sheet, tuple(rows)


LOCAL_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Krav", 10),
    ("Tittel", 30),
    ("Status", 14),
    ("Tiltak", 38),
    ("Ansvarlig", 16),
    ("Frist", 11),
    ("Frist passert", 9),
    ("Risiko", 8),
)


def _local_table(
    local: Sequence[LocalRequirement], today: dt.date, header: str
) -> tuple[Sheet, tuple[tuple[Any, ...], ...]]:
    """The unit's own requirements («Egne krav») on a sheet of their own, in skjema order.

    They are the unit's work too, so the meeting sees them; but they have no priority or
    dependencies to rank by, so they stay apart from the ranked plan. Only in builds that show
    free text: everything in them was typed by the unit.
    """
    sheet = Sheet(
        L.LOCAL_HEADING,
        [name for name, _ in LOCAL_COLUMNS],
        [width for _, width in LOCAL_COLUMNS],
        ["DD.MM.YYYY" if name == "Frist" else None for name, _ in LOCAL_COLUMNS],
        wrap=[True] * len(LOCAL_COLUMNS),
        header=header,
    )
    rows = tuple(
        (
            item.id,
            item.title,
            item.answer.status or "Ubesvart",
            item.answer.action,
            item.answer.owner,
            item.answer.due,
            "Ja" if overdue(item.answer, today) else "",
            item.answer.risk,
        )
        for item in local
    )
    return sheet, rows
