"""HF and RHF pages list what a quality adviser chases; the regional build leaves the list out."""

import datetime as dt
import html

import pytest

from statuskart.model.audience import REGIONAL, choose_audience
from statuskart.pipeline.build import run_build

from .conftest import TODAY, WorkbookFactory


def test_follow_up_lists_on_the_hf_page(
    filled_workbook: WorkbookFactory, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = filled_workbook(
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
    ).parent
    filled_workbook({"TSB-21": "Ikke startet"}, meta={"unit": "Enhet B"})
    out = tmp_path_factory.mktemp("out")
    run_build([folder], out / "intern", today=TODAY)
    page = html.unescape(next((out / "intern" / "hf").glob("*.html")).read_text(encoding="utf-8"))
    section = page.split("<article", 1)[1].split("Å følge opp", 1)[1]  # not the contents list
    overdue = section.split("Frist passert", 1)[1].split("Tiltak uten ansvarlig", 1)[0]
    assert "TSB-08" in overdue and "15.01.2026" in overdue and "TSB-09" not in overdue
    no_owner = section.split("Tiltak uten ansvarlig", 1)[1].split("Ingen enhet har startet", 1)[0]
    assert "TSB-09" in no_owner and "Skriv rutine" in no_owner and "TSB-08" not in no_owner
    nobody = section.split("Ingen enhet har startet", 1)[1].split("</ul>", 1)[0]
    assert "TSB-21" in nobody and "TSB-08" not in nobody

    run_build([folder], out / "region", today=TODAY, audience=choose_audience(REGIONAL, None))
    regional = next((out / "region" / "hf").glob("*.html")).read_text(encoding="utf-8")
    assert "Å følge opp" not in html.unescape(regional)
