"""A share typed in Norwegian LibreOffice reads the same from .xlsx, .ods and .xls, and shows right.

tests/lo_share.py types into the share cells of a generated skjema through LibreOffice's own API
(the cell's FormulaLocal: read as the input line reads it, in the profile's locale), saves it
three ways and opens each again; `statuskart validate --format json` must then give the same
findings and values from all three, and 80 % must still show as «80 %» in LibreOffice and
Gnumeric. Before the escaped space, nb-NO LibreOffice turned «0 %» into «0,%» (80 % shown 0 %);
before cell_formats.py, .ods and .xls took «150 %» as 1,5 % and «80» (8000 %) as 80 %.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.workbook import layout as L

from .conftest import SYSTEM_PYTHON, WorkbookFactory, column, has_uno, meta_row, row_of

SCRIPT = Path(__file__).with_name("lo_share.py")
TYPED = {"TSB-25": "80 %", "TSB-27": "150 %", "TSB-36": "80", "TSB-37": "-5 %", "TSB-42": "80,5 %"}
"""Requirement (all with a forløpstid) → what the unit types into its share cell (nb-NO)."""


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not has_uno(), reason="LibreOffice with python3-uno is not installed"),
]


def _type_in_libreoffice(skjema: Path, typed: dict[str, str], locale: str, tmp: Path) -> Any:
    args = [str(skjema), json.dumps(typed), str(tmp), str(tmp / "profile"), locale]
    done = subprocess.run(
        [str(SYSTEM_PYTHON), str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp)},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _validated(runner: Any, path: Path) -> dict[str, Any]:
    """The JSON report without what names the file itself."""
    result = runner.invoke(main, ["validate", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.output)
    text = json.dumps(report, ensure_ascii=False).replace(str(path), "FILE")
    plain: dict[str, Any] = json.loads(text)
    plain.pop("sha256", None)
    if plain.get("submission"):
        plain["submission"].pop("sha256", None)
        plain["submission"].pop("source", None)
    return plain


def _shown_in_gnumeric(path: Path, out: Path) -> str:
    """The checklist sheet as Gnumeric shows it (its number formats applied), one line a row."""
    options = f"sheet={L.CHECKLIST_SHEET} format=preserve separator=|"
    subprocess.run(
        ["ssconvert", "-T", "Gnumeric_stf:stf_assistant", "-O", options, str(path), str(out)],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return out.read_text(encoding="utf-8")


@pytest.fixture
def skjema_typed_in_nb(
    filled_workbook: WorkbookFactory, tsb: Catalogue, tmp_path: Path
) -> tuple[Path, Any, dict[str, str]]:
    path = filled_workbook()
    letter = get_column_letter(column("share"))
    cells = {rid: f"{L.CHECKLIST_SHEET}!{letter}{row_of(tsb, rid)}" for rid in TYPED}
    typed = {cells[rid]: text for rid, text in TYPED.items()}
    typed[f"{L.FRONT_SHEET}!B{meta_row('target')}"] = "80 %"  # «Mål for skår», a General cell
    seen = _type_in_libreoffice(path, typed, "nb-NO", tmp_path)
    return tmp_path, seen, cells


def test_typed_shares_read_alike_from_xlsx_ods_and_xls(
    skjema_typed_in_nb: tuple[Path, Any, dict[str, str]], runner: CliRunner
) -> None:
    folder, seen, cells = skjema_typed_in_nb
    reports = {ext: _validated(runner, folder / f"skjema.{ext}") for ext in ("xlsx", "ods", "xls")}
    assert reports["ods"] == reports["xlsx"] and reports["xls"] == reports["xlsx"]

    report = reports["xlsx"]
    shares = {
        a["requirement_id"]: a["share"]
        for a in report["submission"]["answers"]
        if a["requirement_id"] in TYPED
    }
    assert shares == {
        "TSB-25": 80.0,
        "TSB-27": None,
        "TSB-36": None,
        "TSB-37": None,
        "TSB-42": 80.5,
    }
    refused = {(f["cell"], f["detail"]) for f in report["findings"] if f["code"] == "share-invalid"}
    assert refused == {
        (cells["TSB-27"].split("!")[1], "150 %"),
        (cells["TSB-36"].split("!")[1], "8000 %"),
        (cells["TSB-37"].split("!")[1], "-5 %"),
    }
    assert not [f for f in report["findings"] if f["code"] == "share-format-unknown"]
    assert report["submission"]["meta"]["target"] == 80.0
    # LibreOffice itself saw what statuskart reads: 80 %, 150 %, 8000 % typed as «80».
    typed = seen["typed"]
    assert [typed[cells[r]][:2] for r in ("TSB-25", "TSB-27", "TSB-36")] == [
        ["80 %", 0.8],
        ["150 %", 1.5],
        ["8000 %", 80.0],
    ]


def test_80_percent_still_shows_as_80_percent_after_the_round_trip(
    skjema_typed_in_nb: tuple[Path, Any, dict[str, str]], tmp_path: Path
) -> None:
    folder, seen, cells = skjema_typed_in_nb
    ref = cells["TSB-25"]
    for ext in ("xlsx", "ods", "xls"):
        shown, value, code = seen[ext][ref]
        assert (shown, value) == ("80 %", 0.8), (ext, code)
        assert "," not in code, (ext, code)  # no thousands separator crept in («0,%»)
    if shutil.which("ssconvert") is None:
        return
    for ext in ("xlsx", "xls"):
        text = _shown_in_gnumeric(folder / f"skjema.{ext}", tmp_path / f"{ext}.txt")
        assert "80 %" in text and "|0%|" not in text, ext


def test_english_libreoffice_shows_and_reads_the_same(
    filled_workbook: WorkbookFactory, tsb: Catalogue, runner: CliRunner, tmp_path: Path
) -> None:
    path = filled_workbook()
    ref = f"{L.CHECKLIST_SHEET}!{get_column_letter(column('share'))}{row_of(tsb, 'TSB-25')}"
    seen = _type_in_libreoffice(path, {ref: "80%"}, "en-US", tmp_path)
    assert all(seen[ext][ref][:2] == ["80 %", 0.8] for ext in ("xlsx", "ods", "xls"))
    reports = [_validated(runner, tmp_path / f"skjema.{ext}") for ext in ("xlsx", "ods", "xls")]
    assert reports[0] == reports[1] == reports[2]
    share = next(
        a["share"] for a in reports[0]["submission"]["answers"] if a["requirement_id"] == "TSB-25"
    )
    assert share == 80.0
