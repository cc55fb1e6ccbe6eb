"""Text from files reaches the terminal inert: no ESC, C1 or bidi control survives raw."""

import json
import re
from pathlib import Path

from click.testing import CliRunner

from statuskart.catalog.load import load_catalogs
from statuskart.cli.commands import main
from statuskart.core.serialise import to_data
from statuskart.core.terminal import inert
from statuskart.pipeline.run import check_files

from .conftest import TODAY, WorkbookFactory

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
UNIT = "Poliklinikk \x9b2J\u202eSNART\u2069 \x85slutt"  # C1 CSI, bidi override, C1 NEL


def test_inert_escapes_controls_and_keeps_text() -> None:
    assert inert("a\x1b[2Jb\tc\nd\re\x7f") == "a\\u001b[2Jb\tc\nd\\u000de\\u007f"
    assert inert("Bodø – «å» \u202eabc\u2066") == "Bodø – «å» \\u202eabc\\u2066"
    assert inert("\ud800") == "\\ud800"


def test_validate_and_score_output_is_inert(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    filled_workbook(meta={"unit": UNIT})  # scored: its unit name is printed by score
    path = filled_workbook({"TSB-08": "Tja\u202e\x9b31m"}, meta={"unit": "Annen"})
    evil = path.with_name("skjema\x1b]0;tittel\x07\x1b[2J.xlsx")  # ESC in a file name
    path.rename(evil)

    for args in (
        ["validate", str(evil)],
        ["score", str(tmp_path)],
        ["score", "--format", "csv", str(tmp_path)],
        ["validate", str(tmp_path / "mangler\x1b[31m")],
    ):
        result = runner.invoke(main, args)
        assert not RAW.search(result.output + result.stderr), (args, result.output)
    text = runner.invoke(main, ["validate", str(evil)]).output
    assert "skjema\\u001b]0;tittel\\u0007\\u001b[2J.xlsx" in text
    assert "«Tja\\u202e\\u009b31m»" in text
    table = runner.invoke(main, ["score", str(tmp_path)]).output
    # the name as shown: bidi marks are no part of a name (identity.visible), controls escaped
    assert "Poliklinikk \\u009b2JSNART \\u0085slutt (Helse Bergen HF" in table


def test_json_output_is_inert_and_still_the_library_result(
    runner: CliRunner, filled_workbook: WorkbookFactory
) -> None:
    path = filled_workbook({"TSB-08": "Tja\u202e\x9b31m"}, meta={"unit": UNIT})
    result = runner.invoke(main, ["validate", "--format", "json", str(path)])
    assert not RAW.search(result.output)
    assert json.loads(result.output) == to_data(check_files([path], load_catalogs(), TODAY))
