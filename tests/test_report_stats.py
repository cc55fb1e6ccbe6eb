"""Report statistics the RHF adviser reads: ties in «most often missing» broken by weight."""

import datetime as dt

from statuskart.pipeline import check_files, score_files
from statuskart.report import build_report

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
        r.id for r in tsb.requirements if r.priority == "kritisk" and r.applies_to("poliklinikk")
    }
    shown = [req for req, n, total in hf.weakest]
    assert all(n == total == 2 for _, n, total in hf.weakest)  # every one missing in both units
    assert {r.id for r in shown[: len(critical)]} == critical  # the weightiest of the tied first
    assert len(shown) >= min(len(critical), 5)  # ties with the last shown are not cut off
