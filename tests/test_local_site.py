"""«Egne krav» and the share on the site: shown on the unit's own page, nowhere across units.

Three units; one adds two local requirements. Their text may appear on that unit's page and in its
action plan, and nowhere else: not on comparison, requirement, group or overview pages, not in the
downloads. The regional build shows only how many there are.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from statuskart.catalog.model import Catalogue
from statuskart.core.findings import TEXT_LEFT_OUT
from statuskart.model.audience import REGIONAL, choose_audience
from statuskart.pipeline.build import run_build

from .conftest import TODAY, submission_of
from .shipped import unzipped
from .test_local_requirements import TIMED, fill_local

LOCAL_TITLE = "ZQlokaltkravZQ"
LOCAL_TIPS = "ZQlokalttiltakZQ"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    """Three skjema in one folder: unit A with «Egne krav», every unit with a share on TIMED."""
    from openpyxl.workbook.workbook import Workbook

    from statuskart.workbook import layout as L
    from statuskart.workbook.write import build_template, save_workbook

    from .conftest import META, column, row_of

    folder = tmp_path_factory.mktemp("local") / "checklists"
    folder.mkdir()
    local = fill_local(
        tsb,
        {
            1: {"title": LOCAL_TITLE, "status": "Påbegynt", "action": LOCAL_TIPS},
            2: {"title": "Andre lokale", "status": "Implementert", "comment": "På plass"},
        },
    )
    for name, share, extra in (("Enhet A", 0.8, local), ("Enhet B", 0.55, None), ("C", None, None)):
        wb: Workbook = build_template(tsb, {**META, "unit": name})
        ws = wb[L.CHECKLIST_SHEET]
        for req in tsb.requirements:
            ws.cell(row_of(tsb, req.id), column("status")).value = "Implementert"
        ws.cell(row_of(tsb, TIMED), column("share")).value = share
        if extra:
            extra(wb)
        save_workbook(wb, folder / f"{name}.xlsx")
    return folder


@pytest.fixture(scope="module")
def site(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local-site") / "site"
    run_build([inputs], out, today=TODAY)
    return out


def _unit_page(site: Path, unit: str) -> Path:
    (page,) = [
        p
        for p in (site / "enheter").glob("*.html")
        if f">{unit}</h1>" in p.read_text(encoding="utf-8")
    ]
    return page


def test_unit_page_shows_local_requirements_and_share(site: Path) -> None:
    page = _unit_page(site, "Enhet A").read_text(encoding="utf-8")
    section = page[page.index('id="egne-krav"') :]
    assert "Lokalt" in section and LOCAL_TITLE in section and LOCAL_TIPS in section
    assert "EGEN-2" in section and "Andre lokale" in section and "På plass" in section
    assert "80\u00a0% innen forløpstid" in page
    other = _unit_page(site, "C").read_text(encoding="utf-8")
    assert 'id="egne-krav"' not in other and "innen forløpstid</small>" not in other


def test_local_requirements_appear_on_no_other_page_or_download(site: Path) -> None:
    own = _unit_page(site, "Enhet A")
    for path in site.rglob("*"):
        text = _shipped_text(path)
        if text is None or path == own:
            continue
        assert not [t for t in (LOCAL_TITLE, LOCAL_TIPS, "Andre lokale", "På plass") if t in text]
    assert not list((site / "krav").glob("egen*"))  # no requirement page for a local one
    for name in ("kravstatus", "tiltak"):
        table = json.loads(_shipped_text(site / "nedlastinger" / f"{name}.json.zip") or "")
        column = table["kolonner"].index("Krav")
        assert not [r for r in table["rader"] if str(r[column]).startswith("EGEN")], name


def test_requirement_page_and_download_carry_the_share(site: Path) -> None:
    page = (site / "krav" / f"{TIMED.lower()}.html").read_text(encoding="utf-8")
    section = page[page.index(">Andel innen forløpstid</h2>") : page.index(">Lær av andre</h2>")]
    assert section.index("Enhet A") < section.index("Enhet B")  # highest share first
    assert "80\u00a0%" in section and "55\u00a0%" in section and ">C<" not in section
    table = json.loads(_shipped_text(site / "nedlastinger" / "kravstatus.json.zip") or "")
    rows = [dict(zip(table["kolonner"], r, strict=True)) for r in table["rader"]]
    shares = {
        (r["Enhet"], r["Krav"]): r["Andel innen forløpstid"]
        for r in rows
        if r["Krav"] in (TIMED, "TSB-01")
    }
    assert shares[("Enhet A", TIMED)] == 0.8 and shares[("Enhet B", TIMED)] == 0.55
    assert shares[("C", TIMED)] is None and shares[("Enhet A", "TSB-01")] is None


def test_action_plan_lists_local_requirements_on_their_own_sheet(site: Path) -> None:
    plans = {p.name: p for p in (site / "nedlastinger" / "tiltaksplan").glob("*.xlsx")}
    (plan_a,) = [p for name, p in plans.items() if "-enhet-a-" in name]
    wb = load_workbook(plan_a)
    assert wb.sheetnames == ["Tiltaksplan", "Egne krav"]
    rows = list(wb["Egne krav"].iter_rows(values_only=True))
    assert rows[1][:4] == ("EGEN-1", LOCAL_TITLE, "Påbegynt", LOCAL_TIPS)
    (plan_c,) = [p for name, p in plans.items() if name.endswith("-c-tsb.xlsx")]
    assert load_workbook(plan_c).sheetnames == ["Tiltaksplan"]


def test_regional_build_shows_only_a_count(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "region"
    run_build([inputs], out, today=TODAY, audience=choose_audience(REGIONAL, None))
    page = _unit_page(out, "Enhet A").read_text(encoding="utf-8")
    assert "lagt til 2 egne krav" in page
    for path in out.rglob("*"):
        text = _shipped_text(path)
        if text is not None:
            assert LOCAL_TITLE not in text and LOCAL_TIPS not in text, path
        if path.suffix == ".xlsx":
            wb = load_workbook(path, read_only=True)
            wb.close()  # read-only keeps the file open; the sheet names are already read
            assert "Egne krav" not in wb.sheetnames, path


def test_regional_audience_strips_every_text_of_local_requirements(inputs: Path) -> None:
    from statuskart.catalog.load import load_catalogs
    from statuskart.model.audience import apply_audience
    from statuskart.pipeline.run import check_files

    reports = check_files([inputs], load_catalogs(), TODAY)
    (before,) = [r for r in reports if r.submission and r.submission.local]
    files, _ = apply_audience(choose_audience(REGIONAL, None), reports, ())
    (after,) = [f for f in files if f.path == before.path]
    assert len(submission_of(after).local) == len(submission_of(before).local) == 2
    assert submission_of(before).local[0].title == LOCAL_TITLE
    for old, item in zip(submission_of(before).local, submission_of(after).local, strict=True):
        typed = (old.title, old.text, old.answer.comment, old.answer.action, old.answer.owner)
        left = (item.title, item.text, item.answer.comment, item.answer.action, item.answer.owner)
        # the words go; that something was written stays (a fact the reader keeps)
        assert left == tuple(TEXT_LEFT_OUT if text else None for text in typed)
        assert any(typed)


def _shipped_text(path):
    """A shipped text file's content (the CSV or JSON inside a zip), or None for others."""
    if path.name.endswith((".csv.zip", ".json.zip")):
        return unzipped(path)
    if path.suffix in (".html", ".json", ".js"):
        return path.read_text(encoding="utf-8", errors="replace")
    return None
