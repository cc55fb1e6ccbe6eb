"""Downloads an RHF adviser takes into Excel: every round, real types, Norwegian CSV (zipped)."""

import csv
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.downloads.export import Column, Table, csv_text, write_csv_zip
from statuskart.pipeline.build import run_build
from statuskart.sample.checklists import write_samples
from statuskart.workbook.styles import SHARE_FORMAT

from .conftest import TODAY, fits_to_page, page_texts, worksheet
from .shipped import download_csv, unzipped, unzipped_bytes


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    root = tmp_path_factory.mktemp("downloads")
    write_samples(tsb, root / "checklists", units=4, rounds=2, seed=8)
    run_build([root / "checklists"], root / "site", today=TODAY)
    return root


def width(ws, column):
    """A column's width: openpyxl keys a run of equal widths by the run's first column only."""
    return next(d.width for d in ws.column_dimensions.values() if d.min <= column <= d.max)


def rows(ws):
    header = [c.value for c in ws[1]]
    return header, [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2)]


def test_xlsx_has_every_round_real_types_and_excel_comforts(built: Path) -> None:
    folder = built / "site" / "nedlastinger"
    ws = worksheet(load_workbook(folder / "enheter.xlsx"))
    header, units = rows(ws)
    assert header[:5] == ["RHF", "HF", "Enhet", "Enhetstype", "Periode"]
    assert {u["Periode"].value for u in units} == {"2026-T1", "2026-T2"}  # every round
    first = units[0]
    assert isinstance(first["Skår"].value, float) and first["Skår"].number_format == "0.0"
    assert 0 <= first["Dekning"].value <= 1 and first["Dekning"].number_format == SHARE_FORMAT
    assert isinstance(first["Ubesvart"].value, int)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert width(ws, 3) >= 20
    actions = worksheet(load_workbook(folder / "tiltak.xlsx"))
    _, plans = rows(actions)
    dated = [p["Frist"] for p in plans if p["Frist"].value is not None]
    assert dated and all(isinstance(c.value, dt.datetime) for c in dated)
    assert dated[0].number_format == "DD.MM.YYYY"
    # The HF page's capped «Frist passert» list links here: the column filters to all of them.
    passed = {p["Frist passert"].value for p in plans}
    assert passed <= {"Ja", "Nei"} and "Ja" in passed
    statuses = worksheet(load_workbook(folder / "kravstatus.xlsx"))
    _, reqs = rows(statuses)
    assert {r["Aktuelt"].value for r in reqs} <= {"Ja", "Nei"}


def test_csv_opens_in_columns_in_norwegian_excel(built: Path) -> None:
    folder = built / "site" / "nedlastinger"
    raw = unzipped_bytes(folder / "enheter.csv.zip")
    assert raw.startswith("\ufeff".encode())  # BOM: Excel reads UTF-8
    text = raw.decode("utf-8-sig")
    units = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    coverages = [u["Dekning"] for u in units]
    assert all(0 <= float(c.replace(",", ".")) <= 100 for c in coverages)  # a number 0–100
    assert all("." not in c for c in coverages)  # comma decimals, never a point
    statuses = csv.DictReader(io.StringIO(download_csv(folder, "kravstatus")), delimiter=";")
    assert any("," in r["Poeng"] for r in statuses)
    plans = download_csv(folder, "tiltak")
    dates = [r["Frist"] for r in csv.DictReader(io.StringIO(plans), delimiter=";") if r["Frist"]]
    assert dates and all(re.fullmatch(r"\d\d\.\d\d\.\d{4}", d) for d in dates)


def test_cli_csv_is_plain_and_the_site_download_unzipped(built: Path, runner: CliRunner) -> None:
    out = runner.invoke(main, ["score", "--format", "csv", str(built / "checklists")]).output
    assert not out.startswith(("\ufeff", "PK"))  # plain CSV on stdout, neither BOM nor zip
    site = download_csv(built / "site" / "nedlastinger", "kravstatus")
    assert out.splitlines()[0].startswith("RHF;HF;Enhet;")
    assert out == site  # same exporter, same columns and rows


def test_json_is_a_table_with_the_same_columns(built: Path) -> None:
    folder = built / "site" / "nedlastinger"
    doc = json.loads(unzipped(folder / "kravstatus.json.zip"))
    csv_header = download_csv(folder, "kravstatus")
    assert ";".join(doc["kolonner"]) == csv_header.splitlines()[0]
    assert doc["rader"] and all(len(r) == len(doc["kolonner"]) for r in doc["rader"])


def test_site_ships_csv_only_zipped_and_links_the_zips(built: Path) -> None:
    site = built / "site"
    folder = site / "nedlastinger"
    assert sorted(p.name for p in folder.glob("*.csv*")) == [
        "enheter.csv.zip",
        "funn.csv.zip",
        "kravstatus.csv.zip",
        "tiltak.csv.zip",
    ]
    page = (site / "nedlastinger.html").read_text(encoding="utf-8")
    for name in ("enheter", "kravstatus", "tiltak", "funn"):
        assert f'href="nedlastinger/{name}.csv.zip"' in page, name
        assert f'href="nedlastinger/{name}.csv"' not in page, name
    assert "Pakk ut alle" in page  # tells an Excel user how to get at the CSV


TABLE = Table(
    "tiltak",
    (Column("Enhet", "text"), Column("Skår", "number"), Column("Frist", "date")),
    (("Øst;«Bø»", 12.5, dt.date(2026, 3, 1)), ("=1+1", None, None)),
)


def test_csv_zip_holds_exactly_the_plain_csv_bytes_reproducibly(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_csv_zip(TABLE, tmp_path / "a" / "tiltak.csv.zip")
    with zipfile.ZipFile(first) as archive:
        (entry,) = archive.infolist()
    assert entry.filename == "tiltak.csv" and entry.date_time == (2000, 1, 1, 0, 0, 0)
    assert entry.compress_type == zipfile.ZIP_DEFLATED
    assert entry.external_attr >> 16 == 0o644  # readable once unpacked on Linux or macOS
    assert unzipped_bytes(first) == ("\ufeff" + csv_text(TABLE)).encode("utf-8")
    assert b"\r\n" not in unzipped_bytes(first)  # the same line ends as the plain CSV
    second = write_csv_zip(TABLE, tmp_path / "b" / "tiltak.csv.zip")
    assert second.read_bytes() == first.read_bytes()  # no clock or path in the bytes
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["tiltak.csv.zip"]  # no temporary


def test_csv_zip_that_fails_midway_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "tiltak.csv.zip"
    write_csv_zip(TABLE, path)
    before = path.read_bytes()
    broken = Table(TABLE.name, TABLE.columns, (*TABLE.rows, ("x", 1.0, "not a date")))
    with pytest.raises(AttributeError):
        write_csv_zip(broken, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["tiltak.csv.zip"]


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("enheter", "Skår per enhet"),
        ("kravstatus", "Status per krav og enhet"),
        ("tiltak", "Foreslåtte tiltak"),
        ("funn", "Funn i skjemaene"),
    ],
)
def test_xlsx_prints_a4_landscape_one_page_wide_with_header_row(built: Path, name, title) -> None:
    ws = worksheet(load_workbook(built / "site" / "nedlastinger" / f"{name}.xlsx"))
    setup = ws.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == ws.PAPERSIZE_A4
    assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0  # as many pages as needed
    assert fits_to_page(ws) and ws.print_title_rows == "$1:$1"
    assert page_texts(ws) == (
        f"Statuskart – {title}",
        f"Laget {TODAY.strftime('%d.%m.%Y')}",
        "Side &P av &N",
    )
    # Names wrap and their rows grow: the HF and unit columns are narrower than the names.
    header, rows_ = rows(ws)
    hf = header.index("HF")
    tall = [
        r for r in ws.iter_rows(min_row=2) if len(r[hf].value) > ws.column_dimensions["B"].width
    ]
    assert tall and all(ws.row_dimensions[r[0].row or 0].height > 15 for r in tall)
    assert all(r[hf].alignment.wrap_text and r[0].alignment.vertical == "top" for r in tall)
    assert len(rows_) == ws.max_row - 1


def test_downloads_are_not_in_the_docs_yet_every_link_to_them_checks_out(
    tmp_path: Path, tsb: Catalogue
) -> None:
    """MkDocs is told the downloads exist: no placeholder file, --strict passes, real files land."""
    write_samples(tsb, tmp_path / "in", units=3, rounds=1, seed=4)
    docs = tmp_path / "keep" / "docs"
    run_build([tmp_path / "in"], tmp_path / "site", keep_docs=docs, strict=True, today=TODAY)
    assert not (docs / "nedlastinger").exists() or not any((docs / "nedlastinger").rglob("*.*"))
    plans = sorted((tmp_path / "site" / "nedlastinger" / "tiltaksplan").glob("*.xlsx"))
    assert len(plans) == 3
    assert all(zipfile.is_zipfile(p) for p in plans)  # the writer's files, not empty stand-ins
    linked = re.findall(r'href="(?:&#46;|\.)\./(nedlastinger/[^"#]+)"', _unit_pages(tmp_path))
    assert linked and all((tmp_path / "site" / rel).is_file() for rel in linked)


def _unit_pages(root: Path) -> str:
    pages = (root / "site" / "enheter").glob("*.html")
    return "".join(p.read_text(encoding="utf-8") for p in pages)


def test_a_page_linking_to_a_download_fails_strict_unless_mkdocs_is_told_of_it(
    tmp_path: Path,
) -> None:
    from statuskart.core.errors import SiteBuildError
    from statuskart.site.engine import build_site, site_config

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("[Last ned](nedlastinger/a.xlsx)\n", encoding="utf-8")
    for page in ("metode.md", "datakvalitet.md"):  # the user guide links to them
        (docs / page).write_text("# Side\n", encoding="utf-8")
    config = site_config(None)
    config = type(config)({**config.mkdocs, "nav": [{"Oversikt": "index.md"}]})
    later = ["nedlastinger/a.xlsx"]
    build_site(docs, tmp_path / "site", config=config, build_date=TODAY, strict=True, later=later)
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="nedlastinger/a.xlsx"' in page
    assert not (tmp_path / "site" / "nedlastinger").exists()  # MkDocs copied nothing for it
    with pytest.raises(SiteBuildError):
        build_site(docs, tmp_path / "other", config=config, build_date=TODAY, strict=True)
