"""Report statistics the RHF adviser reads: ties in «most often missing» broken by weight."""

import html
from pathlib import Path

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.model.audience import choose_audience
from statuskart.model.facts import score_rows

from .conftest import WorkbookFactory, render_markdown, report_model

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run


def test_most_often_missing_puts_critical_first_and_keeps_ties(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue]
) -> None:
    a = filled_workbook(default="Ikke startet", meta={"unit": "A"})
    b = filled_workbook(default="Ikke startet", meta={"unit": "B"})
    (hf,) = report_model([a, b], catalogues).hfs
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


def _five_units(filled_workbook: WorkbookFactory) -> Path:
    """Five poliklinikk units; «Enhet 1» has started nothing. Their phase-H scores: 0, 1/3,
    2/3, 1, 1 (the default status on every row), so the median is 2/3."""
    statuses = ["Implementert", "Ikke startet", "Påbegynt", "Delvis implementert", "Implementert"]
    for i, status in enumerate(statuses):
        folder = filled_workbook(default=status, meta={"unit": f"Enhet {i}"}).parent
    return folder


def test_peer_median_is_an_aggregate_on_a_one_unit_report(
    filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    one = choose_audience("enhet", "Enhet 1")
    model = render_markdown(_five_units(filled_workbook), docs, audience=one).model
    (unit,) = model.units
    row = next(r for r in unit.phases if r.title == "Henvisning og start")
    assert (row.now, row.before, row.peers.n, row.peers.shown) == (0, None, 5, True)
    assert row.peers.median == round(200 / 3, 2)  # of all five, not only this one (2 decimals)
    page = html.unescape((docs / "index.md").read_text(encoding="utf-8"))
    line = page.split("<tr><td>Henvisning og start</td>", 1)[1].split("</tr>", 1)[0]
    assert line == "<td>0</td><td>–</td><td>67 (n = 5)</td>"
    assert all(f"Enhet {i}" not in page for i in (0, 2, 3, 4))  # an aggregate, never a unit


def test_too_few_peers_show_no_median(filled_workbook: WorkbookFactory, tmp_path: Path) -> None:
    _five_units(filled_workbook)
    folder = filled_workbook(meta={"unit": "Døgn", "unit_type": "døgn"}).parent  # the only one
    model = render_markdown(folder, tmp_path / "docs").model
    (unit,) = [u for u in model.units if u.score.unit.unit == "Døgn"]
    assert {(r.peers.n, r.peers.shown) for r in unit.phases} == {(1, False)}
    page = (tmp_path / "docs" / "enheter" / f"{unit.slug}.md").read_text(encoding="utf-8")
    assert "få enheter (n = 1)" in html.unescape(page)


def test_small_n_rule_is_in_the_model_and_every_chart(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue]
) -> None:
    """Fewer than min_group units: no number in the heatmap and no lone dot in a strip plot."""
    big = [
        filled_workbook(default=status, meta={"unit": f"Stor {i}"})
        for i, status in enumerate(["Implementert", "Implementert", "Ikke startet"])
    ]
    alone = filled_workbook(default="Implementert", meta={"unit": "Alene", "hf": "Helse Fonna HF"})
    model = report_model([*big, alone], catalogues)
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


def test_one_median_everywhere() -> None:
    """The dot chart's median line and text use statistics.median (not the upper middle value)."""
    from statuskart.render.charts import strip_plot

    svg = strip_plot([("Helse X HF", [12.0, 77.0])], "Skår", "t")
    # 44,5 printed as every number on the site (Babel rounds half to even), never «77»
    assert '<desc id="t-d">Helse X HF: n&#61;2, median 44</desc>' in svg
    assert "median 77" not in svg
    assert 'x1="420.2" x2="420.2"' in svg  # the bar at 44,5: 260 + 360 × 0,445
