"""The unit's action plan workbook: only that unit, real dates, Norwegian headers, a filter."""

import datetime as dt

from openpyxl import load_workbook

from statuskart.audience import REGIONAL, choose_audience
from statuskart.build import run_build

from .conftest import TODAY


def build(filled_workbook, out, audience=None):
    folder = filled_workbook(
        {
            "TSB-08": {
                "status": "Påbegynt",
                "action": "+47 ring alle: opplæring",
                "owner": "Enhetsleder",
                "due": dt.date(2026, 12, 1),
            },
            "TSB-09": "Ikke startet",
        },
        meta={"unit": "Enhet A"},
    ).parent
    filled_workbook({"TSB-10": "Ikke startet"}, meta={"unit": "Enhet B"})
    run_build([folder], out, today=TODAY, audience=audience)
    return out


def plan_of(site, unit):
    page = next(p for p in (site / "enheter").glob("*.html") if f">{unit}</h1>" in p.read_text())
    plan = site / "nedlastinger" / "tiltaksplan" / page.name.replace(".html", ".xlsx")
    assert f"tiltaksplan/{plan.name}" in page.read_text()  # linked from the unit's page
    return load_workbook(plan)["Tiltaksplan"]


def test_plan_holds_this_unit_with_real_dates(filled_workbook, tmp_path_factory):
    site = build(filled_workbook, tmp_path_factory.mktemp("out") / "site")
    ws = plan_of(site, "Enhet A")
    header = [c.value for c in ws[1]]
    assert header[:5] == ["Rang", "Krav", "Tittel", "Status", "Tiltak"]
    assert "Ansvarlig" in header and "Frist" in header
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    assert [r["Krav"] for r in rows] == ["TSB-08", "TSB-09"]  # Enhet B's TSB-10 is not here
    first = rows[0]
    assert first["Frist"].date() == dt.date(2026, 12, 1)  # a date cell, not text
    assert first["Ansvarlig"] == "Enhetsleder" and first["Eget tiltak"] == "Ja"
    tiltak = ws.cell(2, header.index("Tiltak") + 1)
    assert tiltak.data_type == "s" and tiltak.value == "'+47 ring alle: opplæring"  # not a formula


def test_regional_plan_has_no_owner_column(filled_workbook, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "site"
    site = build(filled_workbook, out, audience=choose_audience(REGIONAL, None))
    ws = plan_of(site, "Enhet A")
    header = [c.value for c in ws[1]]
    assert "Ansvarlig" not in header
    values = [str(c.value) for r in ws.iter_rows() for c in r if c.value]
    assert not any("+47" in v or "Enhetsleder" in v for v in values)


def test_unchanged_plans_are_copied_from_the_cache(filled_workbook, tmp_path_factory):
    """A rebuild writes only the plans whose content changed, and drops plans no longer used."""
    folder = filled_workbook({"TSB-09": "Ikke startet"}, meta={"unit": "Enhet A"}).parent
    filled_workbook({"TSB-10": "Ikke startet"}, meta={"unit": "Enhet B"}, name="b.xlsx")
    cache = tmp_path_factory.mktemp("cache")
    site = tmp_path_factory.mktemp("o") / "s"

    def plans():
        return {p.name: p.stat().st_mtime_ns for p in cache.rglob("plans/*.xlsx")}

    run_build([folder], site, today=TODAY, cache_dir=cache)
    first = plans()
    assert len(first) == 2
    run_build([folder], site, today=TODAY, cache_dir=cache)
    assert plans() == first  # nothing changed: no plan written again
    filled_workbook({"TSB-10": "Påbegynt"}, meta={"unit": "Enhet B"}, name="b.xlsx")
    run_build([folder], site, today=TODAY, cache_dir=cache)
    after = plans()
    assert len(after) == 2 and len(set(after.items()) & set(first.items())) == 1  # A's is kept
    b = plan_of(site, "Enhet B")
    assert [c.value for c in b[2]][1:4:2] == ["TSB-10", "Påbegynt"]
