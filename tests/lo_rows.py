"""Open workbooks in LibreOffice, print them to PDF, and measure whether each row shows its text.

Run by tests/test_print_downloads.py with the system Python, which has LibreOffice's ``uno``
module (Debian package python3-uno); the project's own Python does not. Arguments: profile
folder, PDF folder, then the .xlsx files. For each file it first exports the PDF as delivered,
then asks LibreOffice for every row's optimal height (what the wrapped text needs with the fonts
here) and compares it with the height the file sets. Prints one JSON line: {file name: {sheet:
{"header": …, "footer": …, "landscape": …, "short": [[row, set, needed], …], "rows": n}}}, heights
in points. A row is short when LibreOffice needs more than half a point more than it has.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from lo_office import office, prop  # type: ignore[import-not-found]

HUNDREDTH_MM_PER_POINT = 2540 / 72


def _sheet_report(doc: Any, sheet: Any) -> dict[str, object]:
    style = doc.StyleFamilies.getByName("PageStyles").getByName(sheet.PageStyle)
    header = style.RightPageHeaderContent
    footer = style.RightPageFooterContent
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    last = cursor.RangeAddress.EndRow
    rows = sheet.Rows
    short = []
    for r in range(last + 1):
        row = rows.getByIndex(r)
        given = row.Height
        row.OptimalHeight = True
        needed = row.Height
        if needed > given + HUNDREDTH_MM_PER_POINT / 2:
            short.append([r + 1, given / HUNDREDTH_MM_PER_POINT, needed / HUNDREDTH_MM_PER_POINT])
    texts = lambda c: [c.LeftText.String, c.CenterText.String, c.RightText.String]  # noqa: E731
    return {
        "header": texts(header),
        "footer": texts(footer),
        "landscape": bool(style.IsLandscape),
        "rows": last + 1,
        "short": short,
    }


def main() -> None:
    profile, pdf_dir, *files = sys.argv[1:]
    with office(profile) as desktop:
        report = {}
        for name in files:
            path = Path(name)
            doc = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(str(path.resolve())), "_blank", 0, (prop("Hidden", True),)
            )
            pdf = Path(pdf_dir, f"{path.stem}.pdf").resolve()
            doc.storeToURL(
                uno.systemPathToFileUrl(str(pdf)), (prop("FilterName", "calc_pdf_Export"),)
            )
            sheets = doc.Sheets
            report[path.name] = {
                s.Name: _sheet_report(doc, s)
                for s in (sheets.getByIndex(i) for i in range(sheets.Count))
            }
            doc.close(True)
        print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
