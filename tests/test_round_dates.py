"""A round's frister are judged by the end of that round; only the newest round by today.

Last round's skjema had every frist «passed» when judged against today: 1,209 of 1,369 findings
in the sample were such reminders, and the data-quality page said «0 OK» of 72 files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.core.identity import period_end
from statuskart.pipeline.run import check_files, score_files

from .conftest import TODAY

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

PLAN = {"status": "Delvis implementert", "action": "Tiltak", "owner": "Leder"}


def _due(day: dt.date) -> dict[str, Any]:
    return {**PLAN, "due": day}


@pytest.mark.parametrize(
    ("period", "end"),
    [
        ("2026-T1", dt.date(2026, 4, 30)),
        ("2026-T3", dt.date(2026, 12, 31)),
        ("2026-H1", dt.date(2026, 6, 30)),
        ("2026-K2", dt.date(2026, 6, 30)),
        ("2025", dt.date(2025, 12, 31)),
        ("T2 2026", dt.date(2026, 8, 31)),
        ("våren", None),
    ],
)
def test_period_end(period: str, end: dt.date | None) -> None:
    assert period_end(period) == end


def test_an_earlier_round_is_judged_by_its_own_last_day(
    tmp_path: Path, filled_workbook: Any, catalogues: dict[str, Catalogue]
) -> None:
    early, late = dt.date(2026, 3, 1), dt.date(2026, 6, 1)  # T1 ends 30.04
    old = filled_workbook(
        {"TSB-08": _due(early), "TSB-09": _due(late)},
        meta={"period": "2026-T1", "date": dt.date(2026, 4, 1)},
        name="t1.xlsx",
    )
    new = filled_workbook(
        {"TSB-08": _due(late), "TSB-09": _due(dt.date(2027, 1, 1))},
        meta={"period": "2026-T2", "date": dt.date(2026, 8, 1)},
        name="t2.xlsx",
    )
    reports = {Path(r.path).name: r for r in check_files([old, new], catalogues, TODAY)}

    def passed(name: str) -> list[str]:
        return [f.requirement for f in reports[name].findings if f.code == "due-in-past"]

    assert passed("t1.xlsx") == ["TSB-08"]  # 01.06 was still ahead when T1 closed
    assert passed("t2.xlsx") == ["TSB-08"]  # the newest round: judged by today
    scored = score_files(list(reports.values()), catalogues, today=TODAY)
    overdue = {
        Path(s.unit.path).name: sorted(a.requirement_id for a in s.actions if a.overdue)
        for s in scored
    }
    assert overdue == {"t1.xlsx": ["TSB-08"], "t2.xlsx": ["TSB-08"]}


def test_a_round_after_today_is_never_judged_later_than_today(
    filled_workbook: Any, catalogues: dict[str, Catalogue]
) -> None:
    """--today in the middle of an earlier round: that round's frister are judged by --today."""
    old = filled_workbook(
        {"TSB-08": _due(dt.date(2026, 4, 20))}, meta={"period": "2026-T1"}, name="a.xlsx"
    )
    new = filled_workbook(meta={"period": "2026-T2"}, name="b.xlsx")
    reports = check_files([old, new], catalogues, dt.date(2026, 4, 10))
    assert not [f for r in reports for f in r.findings if f.code == "due-in-past"]


def test_one_round_alone_is_judged_by_today(
    filled_workbook: Any, catalogues: dict[str, Catalogue]
) -> None:
    only = filled_workbook({"TSB-08": _due(dt.date(2026, 6, 1))}, meta={"period": "2026-T1"})
    (report,) = check_files([only], catalogues, TODAY)
    assert [f.requirement for f in report.findings if f.code == "due-in-past"] == ["TSB-08"]
