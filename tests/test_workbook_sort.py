"""Sorting the skjema under sheet protection, done in LibreOffice through its own API.

Excel documents that it sorts no range holding a locked cell on a protected sheet; LibreOffice
behaves the same, which is what can be tested here (there is no Excel on this machine). The new
skjema unlocks its requirement rows, so the sort goes through and the sorted file reads the same;
a skjema from before (locked question cells) is refused.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from statuskart.validation import validate_submission
from statuskart.workbook import layout as L
from statuskart.workbook.read import read_workbook
from statuskart.workbook.write import HEADER_ROW

from .conftest import TODAY

SYSTEM_PYTHON = Path("/usr/bin/python3")
SCRIPT = Path(__file__).with_name("lo_sort.py")
OLD_SKJEMA = Path(__file__).parent / "data" / "skjema-before-local-rows.xlsx"


def _has_uno() -> bool:
    if not SYSTEM_PYTHON.exists() or shutil.which("soffice") is None:
        return False
    probe = [str(SYSTEM_PYTHON), "-c", "import uno"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not _has_uno(), reason="LibreOffice with python3-uno is not installed"),
]


def _sort(path: Path, rows: int, columns: int, tmp_path: Path) -> tuple[dict, Path]:
    out = tmp_path / f"sortert-{path.stem}.xlsx"
    first, last = HEADER_ROW + 1, HEADER_ROW + rows
    args = [str(SYSTEM_PYTHON), str(SCRIPT), str(path), str(first), str(last), str(columns)]
    done = subprocess.run(
        [*args, str(out), str(tmp_path / "profile")],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), out


def test_new_skjema_sorts_under_protection_and_reads_the_same(
    filled_workbook, tsb, catalogues, tmp_path
):
    source = filled_workbook(
        {"TSB-08": {"status": "Påbegynt", "comment": "Noe", "share": 0.5}, "TSB-09": None}
    )
    outcome, sorted_file = _sort(source, len(tsb.requirements), len(L.COLUMNS), tmp_path)
    assert outcome["protected"] and outcome["sorted"], outcome
    before = validate_submission(read_workbook(source).raw, catalogues, TODAY)
    after = validate_submission(read_workbook(sorted_file).raw, catalogues, TODAY)
    assert after.submission is not None
    strip = lambda answers: [(a.requirement_id, a.status, a.comment, a.share) for a in answers]  # noqa: E731
    assert strip(after.submission.answers) == strip(before.submission.answers)
    moved = {a.requirement_id: a.cell for a in after.submission.answers}
    assert moved["TSB-01"] != next(
        a.cell for a in before.submission.answers if a.requirement_id == "TSB-01"
    )


def test_skjema_from_before_with_locked_questions_is_refused(tsb, tmp_path):
    outcome, _ = _sort(OLD_SKJEMA, len(tsb.requirements), 12, tmp_path)
    assert outcome["protected"] and not outcome["sorted"], outcome
