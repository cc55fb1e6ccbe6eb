"""Validation rules at their edges, on hand-made raw workbooks: each test pins one decision that a
slightly wrong rule would get wrong (found by tools/mutate.py --module validation)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from statuskart.catalog.load import load_catalogs
from statuskart.catalog.model import Catalogue
from statuskart.validate.rules import validate_submission
from statuskart.workbook.raw import RawCell

from .conftest import submission_of
from .test_validation_rules import TODAY, answer, cats, check, codes, raw

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

__all__ = ["cats"]  # the module-scoped fixture, shared with test_validation_rules


def test_front_sheet_missing_lists_only_the_fields_not_found(cats: dict[str, Catalogue]) -> None:
    """Skjema: without «Forside» one error lists the fields that could not be read, no others."""
    partial = raw(meta={"unit": ..., "period": ..., "filled_by": ...})
    report = validate_submission(replace(partial, front_sheet=None), cats, TODAY)
    assert list(codes(report)) == ["front-sheet-missing"]
    (f,) = report.findings
    assert "«Enhet», «Periode / runde», «Utfylt av (rolle)»" in f.message
    assert "«HF eller institusjon»" not in f.message and report.status == "rejected"


def test_front_sheet_missing_but_every_required_field_found(cats: dict[str, Catalogue]) -> None:
    """Skjema: fields found elsewhere need no front sheet; the empty optional one is a warning."""
    report = validate_submission(
        replace(raw(meta={"filled_by": ...}), front_sheet=None), cats, TODAY
    )
    assert codes(report) == {"missing-metadata-optional": 1}
    assert report.submission is not None


def test_stamped_earlier_version_is_read_against_its_own_rows() -> None:
    """Catalogue versions: a skjema of a loaded earlier version is read against that version
    with no version finding, even when that version is also listed as retired."""
    catalogues = load_catalogs()
    tsb = catalogues["tsb"]
    old = tsb.version_of("2023.1")
    assert old is not None and "2023.1" in tsb.retired_versions
    rows = [(r.id, "Implementert") for r in old.requirements]
    stamp = {"catalogue_id": "tsb", "catalogue_version": "2023.1"}
    report = validate_submission(raw(rows, stamp=stamp), catalogues, TODAY)
    assert report.catalogue == old.label
    assert not {"catalogue-version-retired", "catalogue-version-unknown"} & set(codes(report))
    assert submission_of(report).catalogue_version == "2023.1"
    assert [a.requirement_id for a in submission_of(report).answers] == [
        r.id for r in old.requirements
    ]


def test_due_today_is_not_passed(cats: dict[str, Catalogue]) -> None:
    """Metode §7: a frist is passed the day after it, not on it."""
    report = check(cats, {"V-01": {"status": "Påbegynt", "due": TODAY, "comment": "x"}})
    assert "due-in-past" not in codes(report)
    late = check(cats, {"V-01": {"status": "Påbegynt", "due": TODAY - dt.timedelta(1)}})
    assert codes(late)["due-in-past"] == 1


def test_not_applicable_without_reason_points_at_the_comment_cell(
    cats: dict[str, Catalogue],
) -> None:
    """Skjema: the note goes where the reason is to be written, not on the status."""
    report = check(cats, {"V-02": {"status": "Ikke aktuelt", "comment": " "}})
    (f,) = [f for f in report.findings if f.code == "na-without-reason"]
    assert f.cell == "H6" and f.requirement == "V-02"
    assert answer(report, "V-02").not_applicable


def test_target_at_the_edges(cats: dict[str, Catalogue]) -> None:
    """Metode §6: 0 and 100 are targets; just outside is not."""
    for typed, expected in ((0, 0.0), (100, 100.0), ("0,5", 0.5)):
        assert check(cats, meta={"target": typed}).submission.meta.target == expected
    for outside in (-0.5, 100.5):
        assert "target-invalid" in codes(check(cats, meta={"target": outside}))


def test_target_cell_with_only_blanks_is_no_target(cats: dict[str, Catalogue]) -> None:
    """Metode §6: a target cell holding spaces is empty, not an invalid target."""
    blank = raw(meta={"target": "   "})
    report = validate_submission(blank, cats, TODAY)
    assert "target-invalid" not in codes(report) and submission_of(report).meta.target is None
    # 80.5 % shown as «81 %» (or «80 %») in a «0%» cell: the number counts, not the display.
    cell = RawCell("Forside", "B8", 0.805, "0%")
    percent = replace(blank, meta={**blank.meta, "target": cell})
    assert submission_of(validate_submission(percent, cats, TODAY)).meta.target == 80.5


def test_passed_frister_keep_row_order_among_the_other_findings(cats: dict[str, Catalogue]) -> None:
    """The «due-in-past» findings, added after the cache, sit with their own rows' findings."""
    late = TODAY - dt.timedelta(30)
    rows = {
        rid: {"status": "Påbegynt", "due": late, "action": "Tiltak", "comment": "x"}
        for rid in ("V-01", "V-02", "V-03")
    }
    report = check(cats, rows)
    order = [(f.requirement or f.message, f.code) for f in report.findings if f.cell]
    by_row = [f.cell for f in report.findings if f.cell]
    assert codes(report)["due-in-past"] == 3 and codes(report)["action-without-owner"] == 3
    rows_seen = [int("".join(ch for ch in cell if ch.isdigit())) for cell in by_row]
    assert rows_seen == sorted(rows_seen), order
