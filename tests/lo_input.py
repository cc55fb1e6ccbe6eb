"""Fill in a blank skjema in LibreOffice, as a user would, and report what the app makes of it.

Run by tests/test_workbook_input.py with the system Python, which has LibreOffice's ``uno`` module
(Debian package python3-uno). Arguments: skjema, JSON file with the cells to try, profile folder,
PDF to write. Prints one JSON line: the input messages LibreOffice shows, which typed values its
validity check marks invalid («Verktøy › Detektiv › Merk ugyldige data»), the heights of a row
before and after a long comment is typed into it, and whether the workbook structure is locked.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import uno  # type: ignore[import-not-found]
from lo_office import office, prop  # type: ignore[import-not-found]


def _messages(doc: Any, cells: dict[str, str]) -> dict[str, list[object]]:
    """Input title, input message and whether it is shown, per «Sheet!A1»."""
    out = {}
    for name, ref in cells.items():
        sheet, address = ref.split("!")
        v = doc.Sheets.getByName(sheet).getCellRangeByName(address).Validation
        out[name] = [v.InputTitle, v.InputMessage, bool(v.ShowInputMessage)]
    return out


def _invalid(doc: Any, ref: str, typed: list[str]) -> dict[str, list[object]]:
    """Per typed text: the value LibreOffice stores and whether its validity check marks it."""
    sheet_name, address = ref.split("!")
    sheet = doc.Sheets.getByName(sheet_name)
    cell = sheet.getCellRangeByName(address)
    out = {}
    for text in typed:
        cell.setFormula(text)  # as typed in the cell, read as a number where it is one
        sheet.clearArrows()
        sheet.showInvalid()
        value = cell.getValue() if cell.Type.value == "VALUE" else cell.getString()
        out[text] = [value, sheet.DrawPage.Count > 0]
        sheet.clearArrows()
    cell.setString("")
    return out


def _row_heights(doc: Any, sheet_name: str, comment: str, row: int, other: int, text: str) -> Any:
    sheet = doc.Sheets.getByName(sheet_name)
    rows = sheet.getRows()
    before = [rows.getByIndex(r - 1).Height for r in (row, other)]
    sheet.getCellRangeByName(comment).setString(text)
    after = [rows.getByIndex(r - 1).Height for r in (row, other)]
    return {
        "before": before,
        "after": after,
        "optimal": bool(rows.getByIndex(row - 1).OptimalHeight),
    }


def main() -> None:
    path, spec_file, profile, pdf = sys.argv[1:5]
    with open(spec_file, encoding="utf-8") as handle:
        spec = json.load(handle)
    with office(profile) as desktop:
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(path), "_blank", 0, (prop("Hidden", True),)
        )
        result = {
            "messages": _messages(doc, spec["messages"]),
            "invalid": {ref: _invalid(doc, ref, typed) for ref, typed in spec["typed"].items()},
            "rows": _row_heights(doc, **spec["long_answer"]),
            "structure_locked": bool(doc.isProtected()),
        }
        doc.storeToURL(uno.systemPathToFileUrl(pdf), (prop("FilterName", "calc_pdf_Export"),))
        doc.close(True)
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
