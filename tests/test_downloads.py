"""Downloads an RHF adviser takes into Excel: every round, real types, Norwegian CSV."""

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from statuskart.cli import main
from statuskart.pipeline import run_build
from statuskart.workbook.sample import write_samples

from .conftest import TODAY


@pytest.fixture(scope="module")
def built(tmp_path_factory, tsb):
    root = tmp_path_factory.mktemp("downloads")
    write_samples(tsb, root / "checklists", units=4, rounds=2, seed=8)
    run_build([root / "checklists"], root / "site", today=TODAY)
    return root


def rows(ws):
    header = [c.value for c in ws[1]]
    return header, [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2)]


def test_xlsx_has_every_round_real_types_and_excel_comforts(built):
    folder = built / "site" / "nedlastinger"
    ws = load_workbook(folder / "enheter.xlsx").active
    header, units = rows(ws)
    assert header[:5] == ["RHF", "HF", "Enhet", "Enhetstype", "Periode"]
    assert {u["Periode"].value for u in units} == {"2026-T1", "2026-T2"}  # every round
    first = units[0]
    assert isinstance(first["Skår"].value, float) and first["Skår"].number_format == "0.0"
    assert 0 <= first["Dekning"].value <= 1 and first["Dekning"].number_format == "0 %"
    assert isinstance(first["Ubesvart"].value, int)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert ws.column_dimensions["C"].width >= 20
    actions = load_workbook(folder / "tiltak.xlsx").active
    _, plans = rows(actions)
    dated = [p["Frist"] for p in plans if p["Frist"].value is not None]
    assert dated and all(isinstance(c.value, dt.datetime) for c in dated)
    assert dated[0].number_format == "DD.MM.YYYY"
    statuses = load_workbook(folder / "kravstatus.xlsx").active
    _, reqs = rows(statuses)
    assert {r["Aktuelt"].value for r in reqs} <= {"Ja", "Nei"}


def test_csv_opens_in_columns_in_norwegian_excel(built):
    raw = (built / "site" / "nedlastinger" / "enheter.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())  # BOM: Excel reads UTF-8
    text = raw.decode("utf-8-sig")
    units = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    coverages = [u["Dekning"] for u in units]
    assert all(0 <= float(c.replace(",", ".")) <= 100 for c in coverages)  # a number 0–100
    assert all("." not in c for c in coverages)  # comma decimals, never a point
    assert any(
        "," in r["Poeng"]
        for r in csv.DictReader(
            io.StringIO(
                (built / "site" / "nedlastinger" / "kravstatus.csv").read_text(encoding="utf-8-sig")
            ),
            delimiter=";",
        )
    )
    plans = (built / "site" / "nedlastinger" / "tiltak.csv").read_text(encoding="utf-8-sig")
    dates = [r["Frist"] for r in csv.DictReader(io.StringIO(plans), delimiter=";") if r["Frist"]]
    assert dates and all(re.fullmatch(r"\d\d\.\d\d\.\d{4}", d) for d in dates)


def test_cli_csv_and_site_download_have_the_same_columns(built, runner):
    out = runner.invoke(main, ["score", "--format", "csv", str(built / "checklists")]).output
    cli_header = out.splitlines()[0]
    site = (built / "site" / "nedlastinger" / "kravstatus.csv").read_text(encoding="utf-8-sig")
    assert cli_header == site.splitlines()[0]


def test_json_is_a_table_with_the_same_columns(built):
    import json

    doc = json.loads((built / "site" / "nedlastinger" / "kravstatus.json").read_text("utf-8"))
    csv_header = (built / "site" / "nedlastinger" / "kravstatus.csv").read_text("utf-8-sig")
    assert ";".join(doc["kolonner"]) == csv_header.splitlines()[0]
    assert doc["rader"] and all(len(r) == len(doc["kolonner"]) for r in doc["rader"])
