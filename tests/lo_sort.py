"""Sort a protected skjema's requirement rows in LibreOffice, as a user would, and save it.

Run by tests/test_workbook_sort.py with the system Python, which has LibreOffice's ``uno`` module
(Debian package python3-uno); the project's own Python does not. Arguments: skjema, first row,
last row, number of columns, output .xlsx or .ods, profile folder, and optionally the first and last
column of the range to sort (0-based; default: all columns, whole rows) and a copy
«SRC:DST» (0-based cell positions «col,row») done after the sort as a user's copy and paste.
The sort is by the range's first column, descending. Prints one JSON line:
{"protected": …, "sorted": …, "ids": [the ID column after the sort]}.
"""

from __future__ import annotations

import json
import sys

import uno  # type: ignore[import-not-found]
from lo_office import office, prop  # type: ignore[import-not-found]


def main() -> None:
    path, first, last, ncols, out, profile = sys.argv[1:7]
    first_row, last_row, columns = int(first), int(last), int(ncols)
    first_col, last_col = (int(a) for a in sys.argv[7:9]) if len(sys.argv) > 8 else (0, columns - 1)
    paste = sys.argv[9] if len(sys.argv) > 9 else ""
    with office(profile) as desktop:
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(path), "_blank", 0, (prop("Hidden", True),)
        )
        sheet = doc.Sheets.getByName("Statuskartlegging")
        cells = sheet.getCellRangeByPosition(first_col, first_row - 1, last_col, last_row - 1)
        before = [
            sheet.getCellByPosition(first_col, r).getString()
            for r in range(first_row - 1, last_row)
        ]
        key = uno.createUnoStruct("com.sun.star.table.TableSortField")
        key.Field, key.IsAscending = 0, False  # by ID, descending: every row moves
        descriptor = cells.createSortDescriptor()
        for item in descriptor:
            if item.Name == "SortFields":
                item.Value = uno.Any("[]com.sun.star.table.TableSortField", (key,))
            elif item.Name == "ContainsHeader":
                item.Value = False
        uno.invoke(cells, "sort", (descriptor,))  # refused silently where cells are protected
        after = [
            sheet.getCellByPosition(first_col, r).getString()
            for r in range(first_row - 1, last_row)
        ]
        if paste:  # copy one cell over another, value and formatting, as Ctrl+C / Ctrl+V does
            (src_col, src_row), (dst_col, dst_row) = (
                (int(n) for n in part.split(",")) for part in paste.split(":")
            )
            source = sheet.getCellRangeByPosition(src_col, src_row, src_col, src_row)
            sheet.copyRange(
                sheet.getCellByPosition(dst_col, dst_row).getCellAddress(),
                source.getRangeAddress(),
            )
        ids = [sheet.getCellByPosition(0, r).getString() for r in range(first_row - 1, last_row)]
        protected = bool(sheet.isProtected())
        kind = "calc8" if out.endswith(".ods") else "Calc MS Excel 2007 XML"
        doc.storeToURL(uno.systemPathToFileUrl(out), (prop("FilterName", kind),))
        doc.close(True)
        moved = after == sorted(before, reverse=True) and after != before
        print(json.dumps({"protected": protected, "sorted": moved, "ids": ids}))


if __name__ == "__main__":
    main()
