"""HF and RHF pages list what a quality adviser chases; the regional build leaves the list out."""

import datetime as dt
import html
from pathlib import Path

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.model.audience import REGIONAL, choose_audience
from statuskart.model.facts import follow_up

from .conftest import WorkbookFactory, render_markdown, report_model

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run


def _two_units(filled_workbook: WorkbookFactory) -> Path:
    """Enhet A: a passed frist with an owner, a plan without one; both units leave TSB-21."""
    filled_workbook(
        {
            "TSB-08": {
                "status": "Påbegynt",
                "action": "Utpek koordinator",
                "owner": "Enhetsleder",
                "due": dt.date(2026, 1, 15),  # passed by TODAY
            },
            "TSB-09": {"status": "Påbegynt", "action": "Skriv rutine", "due": dt.date(2027, 1, 1)},
            "TSB-21": "Ikke startet",
        },
        meta={"unit": "Enhet A", "date": dt.date(2025, 12, 1)},
    )
    return filled_workbook({"TSB-21": "Ikke startet"}, meta={"unit": "Enhet B"}).parent


def test_follow_up_sorts_passed_frister_plans_without_owner_and_what_nobody_started(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue]
) -> None:
    (hf,) = report_model([_two_units(filled_workbook)], catalogues).hfs
    fu = follow_up(hf)
    overdue = [row for g in fu.overdue.groups for row in g.rows]
    no_owner = [row for g in fu.no_owner.groups for row in g.rows]
    assert (fu.overdue.total, fu.no_owner.total) == (1, 1)
    assert [(u.score.unit.unit, a.requirement_id, a.due) for u, a in overdue] == [
        ("Enhet A", "TSB-08", dt.date(2026, 1, 15))
    ]
    assert [(u.score.unit.unit, a.requirement_id, a.text) for u, a in no_owner] == [
        ("Enhet A", "TSB-09", "Skriv rutine")
    ]
    assert [(rid, n) for rid, _title, n in fu.not_started] == [("TSB-21", 2)]


def test_follow_up_is_on_the_hf_page_and_not_in_the_regional_report(
    filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    folder = _two_units(filled_workbook)
    (hf,) = render_markdown(folder, tmp_path / "intern").model.hfs
    page = html.unescape((tmp_path / "intern" / "hf" / f"{hf.slug}.md").read_text("utf-8"))
    section = page.split("## Å følge opp", 1)[1].split("## Enheter", 1)[0]
    overdue = section.split("### Frist passert (1)", 1)[1].split("### Tiltak uten ansvarlig", 1)[0]
    assert "TSB-08" in overdue and "15.01.2026" in overdue and "TSB-09" not in overdue
    no_owner = section.split("### Tiltak uten ansvarlig (1)", 1)[1].split("### Ingen enhet", 1)[0]
    assert "TSB-09" in no_owner and "Skriv rutine" in no_owner and "TSB-08" not in no_owner
    nobody = section.split("### Ingen enhet har startet (1 krav)", 1)[1]
    assert "TSB-21" in nobody and "(2 enheter har svart «Ikke startet»)" in nobody

    regional = render_markdown(
        folder, tmp_path / "region", audience=choose_audience(REGIONAL, None)
    ).model
    assert not regional.shows_text
    page = (tmp_path / "region" / "hf" / f"{hf.slug}.md").read_text("utf-8")
    assert "Å følge opp" not in html.unescape(page)
