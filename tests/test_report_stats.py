"""Report statistics the RHF adviser reads: ties in «most often missing» broken by weight."""

import datetime as dt

import pytest

from statuskart.model.report import build_report
from statuskart.pipeline.run import check_files, score_files

from .conftest import TODAY


def test_most_often_missing_puts_critical_first_and_keeps_ties(filled_workbook, catalogues):
    folder = filled_workbook(default="Ikke startet", meta={"unit": "A"}).parent
    filled_workbook(default="Ikke startet", meta={"unit": "B"})
    reports = check_files([folder], catalogues, TODAY)
    scores = score_files(reports, catalogues, today=TODAY)
    model = build_report(
        reports,
        scores,
        catalogues,
        build_date=dt.date(2026, 11, 24),
        version="t",
        method_version="1",
    )
    (hf,) = model.hfs
    tsb = catalogues["tsb"]
    critical = {
        r.id
        for r in tsb.requirements
        if r.priority == "kritisk" and r.counts_for_unit("poliklinikk")
    }
    shown = [req for req, n, total in hf.weakest]
    assert all(n == total == 2 for _, n, total in hf.weakest)  # every one missing in both units
    assert {r.id for r in shown[: len(critical)]} == critical  # the weightiest of the tied first
    assert len(shown) >= min(len(critical), 5)  # ties with the last shown are not cut off


def test_unit_page_has_phase_history_and_peer_median_as_an_aggregate(
    filled_workbook, tmp_path_factory
):
    import html

    from statuskart.model.audience import choose_audience
    from statuskart.pipeline.build import run_build

    statuses = ["Implementert", "Ikke startet", "Påbegynt", "Delvis implementert", "Implementert"]
    folder = None
    for i, status in enumerate(statuses):
        path = filled_workbook(default=status, meta={"unit": f"Enhet {i}"})
        folder = path.parent
    out = tmp_path_factory.mktemp("out")
    run_build([folder], out / "one", today=TODAY, audience=choose_audience("enhet", "Enhet 1"))
    page = html.unescape((out / "one" / "index.html").read_text(encoding="utf-8"))
    row = page.split("Henvisning og start</td>", 1)[1].split("</tr>", 1)[0]
    # Enhet 1 scores 0; of the five units of its type (0, 1/3, 2/3, 1, 1) the median is 2/3 → 67
    assert row == "<td>0</td><td>–</td><td>67 (n = 5)</td>"
    assert all(f"Enhet {i}" not in page for i in (0, 2, 3, 4))  # an aggregate, never a unit

    run_build([folder], out / "all", today=TODAY)
    few = filled_workbook(default="Implementert", meta={"unit": "Døgn", "unit_type": "døgn"})
    run_build([few.parent], out / "again", today=TODAY)
    unit_page = next(
        p for p in (out / "again" / "enheter").glob("*.html") if ">Døgn</h1>" in p.read_text()
    )
    assert "få enheter (n = 1)" in html.unescape(unit_page.read_text(encoding="utf-8"))


def test_small_n_rule_is_in_the_model_and_every_chart(filled_workbook, catalogues):
    """Fewer than min_group units: no number in the heatmap and no lone dot in a strip plot."""
    from statuskart.model.facts import score_rows

    folder = None
    for i, status in enumerate(["Implementert", "Implementert", "Ikke startet"]):
        folder = filled_workbook(default=status, meta={"unit": f"Stor {i}"}).parent
    filled_workbook(default="Implementert", meta={"unit": "Alene", "hf": "Helse Fonna HF"})
    reports = check_files([folder], catalogues, TODAY)
    scores = score_files(reports, catalogues, today=TODAY)
    model = build_report(
        reports, scores, catalogues, build_date=TODAY, version="t", method_version="1"
    )
    (heat,) = model.heatmaps
    rows = {r.label: r for r in heat.by_hf}
    region = rows["Alle enheter i regionen"]
    assert region.n == 4 and all(c.share is not None for c in region.cells)
    bergen, fonna = rows["Helse Bergen HF"], rows["Helse Fonna HF"]
    assert bergen.n == 3 and bergen.cells[0].share == pytest.approx(2 / 3)
    assert fonna.n == 1 and all(c.share is None for c in fonna.cells)  # få enheter
    plot = dict(score_rows(model.hfs, model.min_group))
    assert plot["Helse Fonna HF (få enheter, n = 1)"] == []
    assert len(plot["Helse Bergen HF"]) == 3


def test_one_median_everywhere():
    """The dot chart's median line and text use statistics.median (not the upper middle value)."""
    from statuskart.render.charts import strip_plot

    svg = strip_plot([("Helse X HF", [12.0, 77.0])], "Skår", "t")
    assert "median 44" in svg or "median 45" in svg  # 44,5 rounded, never «77»
    assert "median 77" not in svg
