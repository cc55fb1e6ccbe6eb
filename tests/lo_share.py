"""Type into a skjema in LibreOffice with a Norwegian locale, as a user would, and save it 3 ways.

Run by tests/test_share_formats.py with the system Python, which has LibreOffice's ``uno`` module
(Debian package python3-uno). Arguments: skjema, JSON {"Sheet!A1": "typed text", …}, output
folder, profile folder, locale (e.g. «nb-NO»). The locale is set in the fresh profile's
registrymodifications.xcu (``/org.openoffice.Setup/L10N/ooSetupSystemLocale``), which decides
how LibreOffice reads typed numbers and number formats; the machine needs no nb_NO system
locale for it. Saves skjema.xlsx, skjema.ods and skjema.xls, opens each again and prints one
JSON line: {ext: {"Sheet!A1": [shown text, value, format code]}}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from lo_office import office, prop  # type: ignore[import-not-found]

FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "ods": "calc8", "xls": "MS Excel 97"}
LOCALE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>{locale}</value></prop></item>
</oor:items>
"""


def _cell(doc: Any, ref: str) -> Any:
    sheet, _, address = ref.rpartition("!")
    return doc.Sheets.getByName(sheet).getCellRangeByName(address)


def _seen(doc: Any, refs: list[str]) -> dict[str, list[object]]:
    formats = doc.NumberFormats
    out: dict[str, list[object]] = {}
    for ref in refs:
        cell = _cell(doc, ref)
        code = formats.getByKey(cell.NumberFormat).FormatString
        out[ref] = [cell.getString(), cell.getValue(), code]
    return out


def main() -> None:
    path, typed_json, out_dir, profile, locale = sys.argv[1:6]
    typed: dict[str, str] = json.loads(typed_json)
    user = Path(profile) / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(LOCALE_XCU.format(locale=locale))
    with office(profile) as desktop:
        hidden = (prop("Hidden", True),)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, hidden)
        for ref, text in typed.items():
            # FormulaLocal reads the text as the input line does, in the office's locale
            # (setFormula would read it in the English formula grammar: «80,5 %» as text).
            _cell(doc, ref).FormulaLocal = text
        result: dict[str, object] = {"typed": _seen(doc, list(typed))}
        for ext, name in FILTERS.items():
            target = uno.systemPathToFileUrl(str(Path(out_dir) / f"skjema.{ext}"))
            doc.storeToURL(target, (prop("FilterName", name),))
        doc.close(True)
        for ext in FILTERS:
            source = uno.systemPathToFileUrl(str(Path(out_dir) / f"skjema.{ext}"))
            again = desktop.loadComponentFromURL(source, "_blank", 0, hidden)
            result[ext] = _seen(again, list(typed))
            again.close(True)
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
