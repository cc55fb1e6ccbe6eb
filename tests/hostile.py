"""Hostile input: a unique marker plus script/Markdown payloads in every field a person can type.

Used by the payload tests (nothing typed runs or loads anything) and the audience leak tests
(nothing typed leaves its audience). Each field gets its own marker, so a test can say which
field leaked or went missing.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from statuskart.catalog.load import load_catalogs
from statuskart.core.resources import catalog_data_dir
from statuskart.sample.checklists import write_samples
from statuskart.workbook import layout as L
from statuskart.workbook.write import HEADER_ROW, build_template, save_workbook


def payload(field: str) -> str:
    """Marker for ``field`` followed by the payloads that broke earlier versions."""
    n = sum(map(ord, field))
    return (
        f"ZQ{field}ZQ </title><svg onload=alert({n})> <img src=x onerror=alert({n})> "
        f"[lenke](javascript:alert({n})) ![bilde](http://example.invalid/{n}.png) "
        f'{{: onclick="alert({n})" }} <script>alert({n})</script>\n\n- liste\n    kode'
    )


def marker(field: str) -> str:
    """The unique, payload-free part of ``field``'s text."""
    return f"ZQ{field}ZQ"


FRONT = ("rhf", "hf", "unit", "unit_type", "date", "filled_by", "target")
"""Front-sheet fields with payloads (period is set per file: it decides the round)."""
ROW = ("comment", "action", "owner", "due", "risk")
"""Checklist columns with payloads in the good file."""
LOCAL = ("local_title", "local_text", "local_comment", "local_action", "local_owner")
"""A unit's own requirement («Egne krav», EGEN-1) in the good file: every text it has."""
REJECTED_ROW = ("status", "id")
"""Payloads in the second file, which is rejected (a requirement twice): findings only."""
REGISTER = ("reg_rhf", "reg_hf", "reg_enhet", "reg_kontakt")
CATALOGUE = ("cat_title", "cat_version", "phase_title", "req_title", "req_text", "req_action")
INDICATORS = (
    *("ind_source", "ind_note", "ind_indicator", "ind_period", "ind_value", "ind_place"),
    *("ind_direction", "ind_unit"),
)
"""Registry-figure table fields: shown with the figure, or (value, place, Retning, Måleenhet) in a
finding."""
PRIVATE = (
    "unit_type",
    "date",
    "filled_by",
    "target",
    *ROW,
    *LOCAL,
    *REJECTED_ROW,
    "reg_kontakt",
    "period_typed",
)
"""Fields whose typed text must never reach a regional build (names of units, HFs, RHFs and the
catalogue's own texts are shown there by design)."""
ALL_FIELDS = (
    *FRONT,
    *ROW,
    *LOCAL,
    *REJECTED_ROW,
    *REGISTER,
    *CATALOGUE,
    *INDICATORS,
    "period_typed",
)


def hostile_catalogue(folder: Path) -> Path:
    """The built-in SHL catalogue with payloads in its texts (a trust's own catalogue is input)."""
    data = yaml.safe_load((catalog_data_dir() / "shl.yaml").read_text(encoding="utf-8"))
    data["title"] = payload("cat_title")
    data["version"] = payload("cat_version")
    data["phases"][0]["title"] = payload("phase_title")
    first = data["requirements"][0]
    first.update(title=payload("req_title"), text=payload("req_text"), action=payload("req_action"))
    path = folder / "egen-katalog.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def write_hostile_inputs(root: Path) -> tuple[Path, Path]:
    """Checklists under ``root/checklists`` and a catalogue file; return (checklists, catalogue)."""
    root.mkdir(parents=True, exist_ok=True)
    catalogue_file = hostile_catalogue(root)
    shl = load_catalogs([catalogue_file])["shl"]
    tsb = load_catalogs()["tsb"]
    checklists = root / "checklists"
    write_samples(tsb, checklists, units=4, rounds=1, seed=3, last_period="2026-T1")
    round_dir = checklists / "2026-T1"
    columns = {c.key: i for i, c in enumerate(L.COLUMNS, start=1)}
    meta_rows = {f.key: 5 + i for i, f in enumerate(L.META_FIELDS)}

    wb = build_template(shl, {"period": "2026-T1"})
    front = wb[L.FRONT_SHEET]
    for key in FRONT:
        front.cell(meta_rows[key], 2).value = payload(key)
    front.cell(meta_rows["period"], 2).value = payload("period_typed")
    ws = wb[L.CHECKLIST_SHEET]
    for i, _req in enumerate(shl.requirements):
        row = HEADER_ROW + 1 + i
        ws.cell(row, columns["status"]).value = "Påbegynt"
        for key in ROW:
            ws.cell(row, columns[key]).value = payload(key)
    egen_1 = HEADER_ROW + len(shl.requirements) + 3  # after a blank row and the «Egne krav» heading
    ws.cell(egen_1, columns["status"]).value = "Påbegynt"
    for key in LOCAL:
        ws.cell(egen_1, columns[key.removeprefix("local_")]).value = payload(key)
    save_workbook(wb, round_dir / "fiendtlig.xlsx")

    bad = build_template(
        shl, {"rhf": "Helse Vest RHF", "hf": "Helse Bergen HF", "unit": "Avvist enhet"}
    )
    bad[L.FRONT_SHEET].cell(meta_rows["period"], 2).value = "2026-T1"
    ws = bad[L.CHECKLIST_SHEET]
    ws.cell(HEADER_ROW + 1, columns["status"]).value = payload("status")
    extra = HEADER_ROW + 1 + len(shl.requirements)
    ws.cell(extra, columns["id"]).value = payload("id")
    ws.cell(extra, columns["status"]).value = "Påbegynt"
    # the first requirement twice: statuskart cannot tell which row counts, so the file is rejected
    ws.cell(extra + 1, columns["id"]).value = shl.requirements[0].id
    ws.cell(extra + 1, columns["status"]).value = "Implementert"
    save_workbook(bad, round_dir / '"><img src=x onerror=alert(7)>.xlsx')

    register = {
        "frister": {"2026-T1": "2026-05-14"},
        "enheter": [
            {
                "rhf": payload("reg_rhf"),
                "hf": payload("reg_hf"),
                "enhet": payload("reg_enhet"),
                "enhetstype": "poliklinikk",
                "kontakt": payload("reg_kontakt"),
            }
        ],
    }
    (checklists / "enheter.yaml").write_text(
        yaml.safe_dump(register, allow_unicode=True), encoding="utf-8"
    )
    write_hostile_indicators(checklists / "indikatorer.csv", shl.requirements[0].id)
    return checklists, catalogue_file


def write_hostile_indicators(path: Path, requirement: str) -> None:
    """A registry-figure table for the hostile unit: payloads in every text it shows."""
    header = ["RHF", "HF", "Enhet", "Krav", "Periode", "Verdi", "Mål", "Kilde", "Merknad"]
    texts = [payload("ind_source"), payload("ind_note")]
    place = [payload("rhf"), payload("hf")]
    rows = [
        [*header, "Indikator"],
        [*place, "", requirement, payload("ind_period"), "50", "80", *texts],
        [*place, payload("unit"), requirement, "2026-T1", "40", "80", *texts],
        [*place, "", requirement, "2026-T1", payload("ind_value"), "", *texts],
        [payload("rhf"), payload("ind_place"), "", requirement, "2026-T1", "50", "", *texts],
    ]
    rows[1].append(payload("ind_indicator"))
    rows[0] += ["Retning", "Måleenhet"]
    odd = [*place, "", requirement, "2026-T1", "50", "", *texts, ""]
    rows += [[*odd, payload("ind_direction"), ""], [*odd, "", payload("ind_unit")]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
