"""Sorting the skjema under sheet protection, done in LibreOffice through its own API.

Excel documents that it sorts no range holding a locked cell on a protected sheet; LibreOffice
behaves the same, which is what can be tested here (there is no Excel on this machine). The new
skjema unlocks its requirement rows, so the sort goes through and the sorted file reads the same;
a skjema from before (locked question cells) is refused.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from statuskart.catalog.load import load_catalogs
from statuskart.catalog.model import Catalogue
from statuskart.validate.rules import validate_submission
from statuskart.workbook import layout as L
from statuskart.workbook.write import HEADER_ROW

from .conftest import SYSTEM_PYTHON, TODAY, WorkbookFactory, column, has_uno, raw_of, submission_of

SCRIPT = Path(__file__).with_name("lo_sort.py")
OLD_SKJEMA = Path(__file__).parent / "data" / "skjema-before-local-rows.xlsx"


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not has_uno(), reason="LibreOffice with python3-uno is not installed"),
]


def _sort(
    path: Path, rows: int, columns: int, tmp_path: Path, *extra: str, suffix: str = ".xlsx"
) -> tuple[dict[str, Any], Path]:
    out = tmp_path / f"sortert-{path.stem}{suffix}"
    first, last = HEADER_ROW + 1, HEADER_ROW + rows
    args = [str(SYSTEM_PYTHON), str(SCRIPT), str(path), str(first), str(last), str(columns)]
    done = subprocess.run(
        [*args, str(out), str(tmp_path / "profile"), *extra],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), out


def test_new_skjema_sorts_under_protection_and_reads_the_same(
    filled_workbook: WorkbookFactory,
    tsb: Catalogue,
    catalogues: dict[str, Catalogue],
    tmp_path: Path,
) -> None:
    source = filled_workbook(
        {"TSB-08": {"status": "Påbegynt", "comment": "Noe", "share": 0.5}, "TSB-09": None}
    )
    outcome, sorted_file = _sort(source, len(tsb.requirements), len(L.COLUMNS), tmp_path)
    assert outcome["protected"] and outcome["sorted"], outcome
    before = validate_submission(raw_of(source), catalogues, TODAY)
    after = validate_submission(raw_of(sorted_file), catalogues, TODAY)
    assert after.submission is not None
    strip = lambda answers: [(a.requirement_id, a.status, a.comment, a.share) for a in answers]  # noqa: E731
    assert strip(submission_of(after).answers) == strip(submission_of(before).answers)
    moved = {a.requirement_id: a.cell for a in after.submission.answers}
    assert moved["TSB-01"] != next(
        a.cell for a in submission_of(before).answers if a.requirement_id == "TSB-01"
    )


def test_skjema_from_before_with_locked_questions_is_refused(
    tsb: Catalogue, tmp_path: Path
) -> None:
    outcome, _ = _sort(OLD_SKJEMA, len(tsb.requirements), 12, tmp_path)
    assert outcome["protected"] and not outcome["sorted"], outcome


def _varied(tsb):
    statuses = ("Implementert", "Ikke startet", "Påbegynt", "Delvis implementert")
    return {
        r.id: {"status": statuses[i % 4], "comment": f"Praksis for {r.id}"}
        for i, r in enumerate(tsb.requirements)
        if not r.hf_scope
    }


def _report(path):
    return validate_submission(raw_of(path), load_catalogs(), TODAY)


@pytest.mark.parametrize(
    ("key", "suffix"),
    [("id", ".xlsx"), ("status", ".xlsx"), ("comment", ".xlsx"), ("status", ".ods")],
)
def test_one_column_sorted_alone_is_an_error_and_nothing_is_scored(
    key, suffix, filled_workbook: WorkbookFactory, tsb: Catalogue, tmp_path: Path
) -> None:
    source = filled_workbook(_varied(tsb))
    col = str(column(key) - 1)
    rows, columns = len(tsb.requirements), len(L.COLUMNS)
    outcome, sorted_file = _sort(source, rows, columns, tmp_path, col, col, suffix=suffix)
    assert outcome["protected"] and outcome["sorted"], outcome
    report = _report(sorted_file)
    expected = "row-title-mismatch" if key == "id" else "answers-moved"
    assert expected in {f.code for f in report.findings}, report.findings
    assert report.status == "rejected" and report.submission is None


def _copy_after_sort(source, tsb, tmp_path, column_index: int, src: int, dst: int):
    """Sort whole rows in LibreOffice, then copy one cell over another (0-based positions)."""
    last = str(len(L.COLUMNS) - 1)
    paste = f"{column_index},{src}:{column_index},{dst}"
    _, out = _sort(source, len(tsb.requirements), len(L.COLUMNS), tmp_path, "0", last, paste)
    return _report(out)


def test_id_pasted_over_another_row_in_libreoffice(
    filled_workbook: WorkbookFactory, tsb: Catalogue, tmp_path: Path
) -> None:
    src, dst = HEADER_ROW + 5, HEADER_ROW + 20  # 0-based rows of requirements
    report = _copy_after_sort(filled_workbook(_varied(tsb)), tsb, tmp_path, 0, src, dst)
    mismatch = [f for f in report.findings if f.code == "row-title-mismatch"]
    assert len(mismatch) == 1 and mismatch[0].cell == f"A{dst + 1}", report.findings
    assert report.submission is None


def test_answer_copied_in_libreoffice_is_no_finding(
    filled_workbook: WorkbookFactory, tsb: Catalogue, tmp_path: Path
) -> None:
    status = column("status") - 1
    source = filled_workbook(_varied(tsb))
    report = _copy_after_sort(source, tsb, tmp_path, status, HEADER_ROW + 10, HEADER_ROW + 11)
    assert not {"answers-moved", "answer-pasted"} & {f.code for f in report.findings}
    assert report.submission is not None
