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

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "ods": "calc8", "xls": "MS Excel 97"}
LOCALE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>{locale}</value></prop></item>
</oor:items>
"""


def _prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _cell(doc: object, ref: str) -> object:
    sheet, _, address = ref.rpartition("!")
    return doc.Sheets.getByName(sheet).getCellRangeByName(address)  # type: ignore[attr-defined]


def _seen(doc: object, refs: list[str]) -> dict[str, list[object]]:
    formats = doc.NumberFormats  # type: ignore[attr-defined]
    out: dict[str, list[object]] = {}
    for ref in refs:
        cell = _cell(doc, ref)
        code = formats.getByKey(cell.NumberFormat).FormatString  # type: ignore[attr-defined]
        out[ref] = [cell.getString(), cell.getValue(), code]  # type: ignore[attr-defined]
    return out


def main() -> None:
    path, typed_json, out_dir, profile, locale = sys.argv[1:6]
    typed: dict[str, str] = json.loads(typed_json)
    user = Path(profile) / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(LOCALE_XCU.format(locale=locale))
    port = 20000 + os.getpid() % 20000
    office = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation=file://{profile}",
            f"--accept=socket,host=127.0.0.1,port={port};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
        for _ in range(240):
            try:
                ctx = resolver.resolve(url)
                break
            except Exception:  # the office is not listening yet
                time.sleep(0.5)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        hidden = (_prop("Hidden", True),)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, hidden)
        for ref, text in typed.items():
            # FormulaLocal reads the text as the input line does, in the office's locale
            # (setFormula would read it in the English formula grammar: «80,5 %» as text).
            _cell(doc, ref).FormulaLocal = text
        result: dict[str, object] = {"typed": _seen(doc, list(typed))}
        for ext, name in FILTERS.items():
            target = uno.systemPathToFileUrl(str(Path(out_dir) / f"skjema.{ext}"))
            doc.storeToURL(target, (_prop("FilterName", name),))
        doc.close(True)
        for ext in FILTERS:
            source = uno.systemPathToFileUrl(str(Path(out_dir) / f"skjema.{ext}"))
            again = desktop.loadComponentFromURL(source, "_blank", 0, hidden)
            result[ext] = _seen(again, list(typed))
            again.close(True)
        print(json.dumps(result, ensure_ascii=False))
    finally:
        if desktop is not None:
            with contextlib.suppress(Exception):  # the bridge drops as the office quits
                desktop.terminate()
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
