"""Registry figures: tables and NKI JSON read, bad rows reported by file and row, pages show them.

The fixture build has Helse Bergen HF with four units that all report TSB-25 «Implementert» and
Helse Fonna HF with one unit that has not started it, so the flag («most say implemented, the
registry is under target») must appear for Bergen and never for Fonna.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from statuskart.catalog.load import load_catalog
from statuskart.catalog.model import (
    DIRECTIONS,
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    MEASURE_UNITS,
    Catalogue,
)
from statuskart.cli.commands import main
from statuskart.core.errors import CatalogError
from statuskart.core.identity import name_key
from statuskart.core.resources import catalog_data_dir
from statuskart.indicators.model import Figure, Measurement, measure_text
from statuskart.indicators.nki import period_of, read_nki
from statuskart.indicators.read import find_indicator_files, read_indicator_file
from statuskart.indicators.resolve import Places, Requirements, parse_share, resolve
from statuskart.indicators.table import read_table
from statuskart.model.audience import choose_audience
from statuskart.pipeline.build import run_build
from statuskart.pipeline.run import collect_inputs, render_docs
from statuskart.workbook.write import save_workbook

from .conftest import TODAY, WorkbookFactory

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

FIXTURES = Path(__file__).parent / "fixtures"
NKI_FILE = FIXTURES / "nki-kvalitetsindikator.json"
BERGEN_UNITS = ("Poliklinikk A", "Poliklinikk B", "Poliklinikk C", "Poliklinikk D")
TABLE = (
    "Registertall fra NPR (testdata)\n"
    "RHF;Helseforetak;Enhet;Krav;Periode;Verdi (%);Teller;Nevner;Mål;Kilde;Merknad\n"
    "Helse Vest RHF;Helse Bergen HF;;TSB-25;2026-T1;52,3;312;597;80;NPR, Helsedirektoratet;"
    "Kjent feil i utredningsindikatoren, om lag 1 prosentpoeng i 2023\n"
    "Helse Vest RHF;Helse Fonna HF;;TSB-25;2026_t1;40;;;80;NPR, Helsedirektoratet;\n"
    "Hele landet;;;TSB-25;2026-T1;61,0;;;80;NPR, Helsedirektoratet;\n"
    "Helse Vest RHF;Helse Bergen HF;Poliklinikk A;TSB-25;2026-T1;45;9;20;80;HF-ets BI-rapport;"
    "Data mangler for april\n"
    "Helse Vest RHF;Helse Bergen HF;;TSB-99;2026-T1;50;;;;NPR;\n"
    "Helse Vest RHF;Helse Ukjent HF;;TSB-25;2026-T1;50;;;;NPR;\n"
    "Helse Vest RHF;Helse Bergen HF;;TSB-03;2026-T1;mye;;;;NPR;\n"
    "Helse Vest RHF;Helse Bergen HF;;TSB-03;2026-T1;-10000000;;;;NPR;\n"
    "Helse Vest RHF;Helse Bergen HF;;TSB-03;2026-T1;40;50;20;;NPR;\n"
    ";;;TSB-03;2026-T1;40;;;;NPR;\n"
    "Helse Vest RHF;Helse Bergen HF;;TSB-03;;40;;;;NPR;\n"
    "Helse Vest RHF;Helse Bergen HF;;TSB-03;2026-T1;40;;;;;\n"
    "Helse Vest RHF;Helse Bergen HF;;TSB-25;2026-T1;53;;;80;NPR, Helsedirektoratet;\n"
    "Helse Vest RHF;Helse Bergen HF;;TSB-05;2026-T1;150;;;;NPR;\n"
    "Helse Vest RHF;Helse Bergen HF;;TSB-05;2026-T1;70;70;80;;NPR;\n"
)
"""Rows 3–6 are good; every later row but the count mismatch (row 17) is a bad one."""
EXPECTED_FINDINGS = {
    "rad 7, celle D7": "indicator-unknown-requirement",
    "rad 8": "indicator-unknown-place",
    "rad 9, celle F9": "indicator-bad-value",
    "rad 10, celle F10": "indicator-no-data",
    "rad 11, celle G11": "indicator-bad-count",
    "rad 12": "indicator-no-place",
    "rad 13, celle E13": "indicator-no-period",
    "rad 14, celle J14": "indicator-no-source",
    "rad 15": "indicator-duplicate",
    "rad 16, celle F16": "indicator-bad-value",
    "rad 17": "indicator-count-mismatch",
}
"""Where each finding points: the row, and the cell where one cell is wrong."""


def write_table(folder: Path, name: str = "npr.csv", text: str = TABLE) -> Path:
    path = folder / name
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # Excel's «CSV UTF-8» has a BOM
    return path


def linked_catalogue(folder: Path) -> Path:
    """The built-in TSB catalogue with NKI-TEST-01 linked to TSB-25 (target 80 %)."""
    data = yaml.safe_load((catalog_data_dir() / "tsb.yaml").read_text(encoding="utf-8"))
    for req in data["requirements"]:
        if req["id"] == "TSB-25":
            req["indicators"] = [{"id": "NKI-TEST-01", "target": 80}]
    path = folder / "tsb-med-indikatorer.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def checklists(tmp_path: Path, filled_workbook: WorkbookFactory) -> Path:
    folder = tmp_path / "checklists"
    folder.mkdir()
    for unit in BERGEN_UNITS:
        filled_workbook(meta={"unit": unit}, name=f"checklists/{unit}.xlsx")
    filled_workbook(
        {"TSB-25": "Ikke startet"},
        meta={"hf": "Helse Fonna HF", "unit": "Poliklinikk Fonna"},
        name="checklists/fonna.xlsx",
    )
    return folder


def render(checklists: Path, docs: Path, **kwargs) -> Path:
    render_docs([checklists], docs, build_date=TODAY, **kwargs)
    return docs


def page(docs: Path, pattern: str) -> str:
    (found,) = docs.glob(pattern)
    return found.read_text(encoding="utf-8")


# --- reading --------------------------------------------------------------------------------


def test_csv_with_bom_semicolons_comma_decimals_and_a_title_line(tmp_path: Path) -> None:
    raws, findings = read_table("npr.csv", write_table(tmp_path).read_bytes())
    assert findings == []
    first = raws[0]
    assert (first.where, first.rhf, first.hf, first.requirement) == (
        "rad 3",
        "Helse Vest RHF",
        "Helse Bergen HF",
        "TSB-25",
    )
    assert (first.value, first.numerator, first.denominator, first.target) == (
        "52,3",
        "312",
        "597",
        "80",
    )
    assert first.note.startswith("Kjent feil") and first.source == "NPR, Helsedirektoratet"
    assert parse_share(first.value) == pytest.approx(52.3)


def test_csv_with_commas_and_quoted_decimals(tmp_path: Path) -> None:
    text = 'HF,Krav,Periode,Verdi,Kilde\n"Helse Førde HF",TSB-25,2026-T1,"52,3",NPR\n'
    raws, findings = read_table("t.csv", text.encode("cp1252"))  # «CSV» from Excel on Windows
    assert findings == [] and [r.hf for r in raws] == ["Helse Førde HF"]
    assert parse_share(raws[0].value) == pytest.approx(52.3)


def test_xlsx_table_reads_percent_formatted_cells_as_shown(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "Tall"
    ws.append(["HF", "Krav", "Periode", "Andel", "Kilde", "Mål"])
    ws.append(["Helse Bergen HF", "TSB-25", "2026-T1", 0.523, "NPR", 0.8])
    ws["D2"].number_format = "0.0%"
    ws["F2"].number_format = "0%"
    path = tmp_path / "tall.xlsx"
    save_workbook(wb, path)
    raws, findings = read_table(str(path), path.read_bytes())
    assert findings == []
    assert (raws[0].where, raws[0].value, raws[0].target) == ("Tall, rad 2", 52.3, 80.0)


def test_a_bad_value_in_a_workbook_table_names_sheet_and_cell(
    tmp_path: Path, tsb: Catalogue
) -> None:
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "Tall"
    ws.append(["HF", "Krav", "Periode", "Andel", "Kilde"])
    ws.append(["Helse Bergen HF", "TSB-25", "2026-T1", "mye", "NPR"])
    path = tmp_path / "tall.xlsx"
    save_workbook(wb, path)
    raws, _ = read_table(str(path), path.read_bytes())
    _, findings = resolve(raws, Requirements.of([tsb]), bergen_places(), str(path))
    assert [(f.code, f.location) for f in findings] == [("indicator-bad-value", "Tall!D2")]


def test_a_table_without_the_needed_columns_is_one_error_naming_them(tmp_path: Path) -> None:
    path = write_table(tmp_path, text="HF;Krav;Tall\nHelse Bergen HF;TSB-25;50\n")
    read = read_indicator_file(path)
    (problem,) = read.findings
    assert problem.code == "indicator-no-header" and problem.severity == "error"
    assert (
        "Periode" in problem.message and "Verdi" in problem.message and "Kilde" in problem.message
    )


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01binary junk", b"PK\x03\x04broken zip", b"", b"{not json"],
)
def test_broken_files_become_findings_not_crashes(tmp_path: Path, content) -> None:
    path = tmp_path / ("x.json" if content.startswith(b"{") else "x.csv")
    path.write_bytes(content)
    read = read_indicator_file(path)
    assert read.raws == () and [f.code for f in read.findings] == ["indicator-unreadable"]


def test_nki_json_rows_become_figures_with_level_and_period() -> None:
    raws, findings, count = read_nki(str(NKI_FILE), NKI_FILE.read_bytes())
    assert count == 8
    assert findings == []  # the «Antall» row is read as a count, not dropped
    assert [r.measure_unit for r in raws] == ["prosent"] * 5 + ["antall", "prosent", "prosent"]
    national, rhf, hf, older = raws[:4]
    assert (national.level, national.period, national.value) == ("national", "2026-T1", 61.2)
    assert (rhf.level, rhf.rhf) == ("rhf", "Helse Vest RHF")
    assert (hf.level, hf.hf, hf.rhf, hf.indicator) == (
        "hf",
        "Helse Bergen HF",
        "Helse Vest RHF",
        "NKI-TEST-01",
    )
    assert older.period == "2025-T3"
    assert all(r.nlod and r.source.startswith("Helsedirektoratet") for r in raws)


def test_nki_json_as_a_bare_list_of_rows_with_their_own_indicator_id() -> None:
    rows = [{"IndicatorId": "X", "Value": "47,5", "LocationName": "Helse Bergen HF",
             "LocationParentId": 3, "TimeFrom": "2025-01-01", "TimeTo": "2025-12-31"}]  # fmt: skip
    raws, findings, _ = read_nki("x.json", json.dumps(rows).encode())
    assert findings == [] and (raws[0].indicator, raws[0].period, raws[0].level) == (
        "X",
        "2025",
        "hf",
    )


@pytest.mark.parametrize(
    ("start", "end", "kind", "period"),
    [
        ("2025-01-01T00:00:00", "2025-12-31T00:00:00", "År", "2025"),
        ("2026-05-01", "2026-08-31", "Tertial", "2026-T2"),
        ("2026-07-01", "2026-12-31", "Halvår", "2026-H2"),
        ("2026-07-01", "2026-09-30", "Kvartal", "2026-K3"),
        ("2026-03-01", "2026-03-31", "Måned", "01.03.2026–31.03.2026"),
        (None, None, "", ""),
    ],
)
def test_nki_periods_line_up_with_the_rounds(start, end, kind, period) -> None:
    assert period_of(start, end, kind) == period


# --- checking rows --------------------------------------------------------------------------


def bergen_places() -> Places:
    pathways = frozenset({"tsb"})
    return Places(
        hfs={name_key(h): (h, "Helse Vest RHF") for h in ("Helse Bergen HF", "Helse Fonna HF")},
        rhfs={name_key("Helse Vest RHF"): "Helse Vest RHF"},
        units={
            (name_key("Helse Bergen HF"), name_key("Poliklinikk A")): (
                "Helse Vest RHF",
                "Helse Bergen HF",
                "Poliklinikk A",
                pathways,
            )
        },
    )


def test_every_bad_row_is_one_finding_with_file_and_row(tmp_path: Path, tsb: Catalogue) -> None:
    raws, _ = read_table("npr.csv", write_table(tmp_path).read_bytes())
    measurements, findings = resolve(raws, Requirements.of([tsb]), bergen_places(), "npr.csv")
    assert {f.sheet: f.code for f in findings} == EXPECTED_FINDINGS
    assert all(f.file == "npr.csv" and f.location == f.sheet for f in findings)
    assert Counter(f.severity for f in findings) == {"warning": 10, "info": 1}
    used = {(m.where, m.level) for m in measurements}
    assert used == {
        ("rad 3", "hf"),
        ("rad 4", "hf"),
        ("rad 5", "national"),
        ("rad 6", "unit"),
        ("rad 11", "hf"),  # used, without n
        ("rad 17", "hf"),  # used as given, with a warning
    }
    bergen = next(m for m in measurements if m.where == "rad 3")
    assert (bergen.value, bergen.numerator, bergen.denominator, bergen.target) == (
        52.3,
        312,
        597,
        80.0,
    )
    assert bergen.nlod and bergen.period == "2026-T1"
    assert next(m for m in measurements if m.where == "rad 4").period == "2026-T1"  # «2026_t1»
    assert next(m for m in measurements if m.where == "rad 11").numerator is None
    assert not next(m for m in measurements if m.where == "rad 6").nlod  # an HF's own BI report


def test_nki_rows_are_linked_through_the_catalogue(tmp_path: Path) -> None:
    tsb = load_catalog(linked_catalogue(tmp_path))
    raws, _, _ = read_nki(str(NKI_FILE), NKI_FILE.read_bytes())
    measurements, findings = resolve(raws, Requirements.of([tsb]), bergen_places(), "nki.json")
    assert {(m.level, m.value) for m in measurements} == {
        ("national", 61.2),
        ("rhf", 58.0),
        ("hf", 47.5),
        ("hf", 44.0),
    }
    assert all(m.requirement_id == "TSB-25" and m.target == 80.0 for m in measurements)
    codes = {f.code: f for f in findings}
    assert set(codes) == {
        "indicator-no-data",
        "indicator-unmapped",
        "indicator-places-outside",
        "indicator-other-unit",  # the «Antall» row beside a share the catalogue links
    }
    assert "«antall»" in codes["indicator-other-unit"].message
    assert "NKI-TEST-99" in codes["indicator-unmapped"].message
    assert "Sykehuset Innlandet HF" in codes["indicator-places-outside"].message
    assert (codes["indicator-no-data"].sheet or "").endswith("rad 5")


def _measurement(**fields: Any) -> Measurement:
    """An HF-level measurement for TSB-25 in Helse Bergen, with ``fields`` changed."""
    base: dict[str, Any] = {
        "level": "hf",
        "rhf": "Helse Vest RHF",
        "hf": "Helse Bergen HF",
        "unit": "",
        "pathway": "tsb",
        "requirement_id": "TSB-25",
        "period": "2026-T1",
        "value": 50.0,
        "numerator": None,
        "denominator": None,
        "target": 80.0,
        "source": "NPR",
        "note": "",
        "indicator": "",
        "nlod": False,
        "file": "f",
        "where": "rad 3",
    }
    return Measurement(**{**base, **fields})


@pytest.mark.parametrize(
    ("implemented", "answered", "value", "target", "flagged"),
    [
        (4, 5, 61.0, 80.0, True),  # exactly 80 % say implemented
        (3, 4, 61.0, 80.0, False),  # 75 %: not most
        (5, 5, 80.0, 80.0, False),  # at the target is not under it
        (5, 5, 79.9, 80.0, True),
        (5, 5, 10.0, None, False),  # no target, no flag
        (0, 0, 10.0, 80.0, False),  # nobody answered
    ],
)
def test_flag_rule(tsb: Catalogue, implemented, answered, value, target, flagged) -> None:
    measurement = _measurement(rhf="", value=value, target=target)
    figure = Figure(
        measurement=measurement,
        requirement=tsb.by_id["TSB-25"],
        place="Helse Bergen HF",
        answered=answered,
        implemented=implemented,
    )
    assert figure.flagged is flagged


@pytest.mark.parametrize(
    ("answered", "status", "level", "requirement", "shown", "flagged"),
    [
        (1, "", "hf", "TSB-25", "få enheter (n = 1)", False),  # «1 av 1» in a group
        (2, "", "rhf", "TSB-25", "få enheter (n = 2)", False),
        (3, "", "rhf", "TSB-25", "100\u00a0% (3 av 3)", True),
        (1, "Implementert", "unit", "TSB-25", "Implementert", True),  # the unit's own answer
        (1, "", "hf", "TSB-03", "100\u00a0% (1 av 1)", True),  # the HF's own answer (HF row)
        (2, "", "rhf", "TSB-03", "få enheter (n = 2)", False),  # two HFs of a region
    ],
)
def test_the_small_n_rule_holds_for_shares_and_flags(
    tsb: Catalogue,
    answered: int,
    status: str,
    level: str,
    requirement: str,
    shown: str,
    flagged: bool,
) -> None:
    measurement = _measurement(level=level, requirement_id=requirement, value=40.0, target=80.0)
    figure = Figure(
        measurement=measurement,
        requirement=tsb.by_id[requirement],
        place="x",
        answered=answered,
        implemented=answered,
        status=status,
        min_group=3,
    )
    assert (figure.share_text, figure.flagged) == (shown, flagged)


def test_catalogue_indicator_links_are_checked(tmp_path: Path) -> None:
    tsb = load_catalog(linked_catalogue(tmp_path))
    (link,) = tsb.by_id["TSB-25"].indicators
    assert (link.id, link.target) == ("NKI-TEST-01", 80.0)
    data = yaml.safe_load((tmp_path / "tsb-med-indikatorer.yaml").read_text(encoding="utf-8"))
    data["requirements"][0]["indicators"] = [{"id": "X", "target": 180}, {"target": 50}]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError, match="target «180»") as caught:
        load_catalog(bad)
    assert "må ha en id" in str(caught.value)


WITHOUT_NATIONAL_INDICATOR = {"shl"}
"""Somatisk helse og levevaner runs inside every PHR pathway; no national indicator of its own
could be found on helsedirektoratet.no, so its catalogue links none."""
OFFICIAL_STATISTICS = "https://www.helsedirektoratet.no/statistikk/"


def test_every_pathway_links_its_national_indicators_as_published(
    catalogues: dict[str, Catalogue],
) -> None:
    """Issue #28 point 5, held for every built-in pathway.

    Each pathway but SHL links at least one real national indicator; every link says what it
    measures, which way is better and in what unit, and points at Helsedirektoratet's statistics
    page. A target is in the link's unit, and never sits beside a time limit the law sets (a right,
    not a share). Ids are unique, so an NKI row lands on one pathway's requirement only.
    """
    ids: Counter[str] = Counter()
    linked: dict[str, int] = {}
    for pathway, cat in catalogues.items():
        links = [(req, link) for req in cat.requirements for link in req.indicators]
        linked[pathway] = len(links)
        for req, link in links:
            ids[name_key(link.id)] += 1
            assert link.measures and link.url.startswith(OFFICIAL_STATISTICS), (req.id, link.id)
            assert link.direction in DIRECTIONS and link.unit in MEASURE_UNITS, (req.id, link.id)
            if link.target is not None:
                assert link.target >= 0 and (link.unit != "prosent" or link.target <= 100)
                assert not any(t.version == "lov" for t in req.time_limits), req.id
    assert {p for p, n in linked.items() if n == 0} == WITHOUT_NATIONAL_INDICATOR
    assert [i for i, n in ids.items() if n > 1] == []
    tsb = catalogues["tsb"]
    (vurdering,) = tsb.by_id["TSB-03"].indicators
    assert (vurdering.direction, vurdering.unit, vurdering.target) == (
        LOWER_IS_BETTER,
        "prosent",
        None,
    )  # the sample once put an 80 % target here; the law sets a right
    (ventetid,) = tsb.by_id["TSB-04"].indicators
    assert (ventetid.direction, ventetid.unit, ventetid.target) == (LOWER_IS_BETTER, "dager", 30.0)


def test_catalogue_checks_direction_unit_target_and_url(tmp_path: Path) -> None:
    data = yaml.safe_load((catalog_data_dir() / "tsb.yaml").read_text(encoding="utf-8"))
    data["requirements"][0]["indicators"] = [
        {"id": "A", "direction": "bra"},
        {"id": "B", "unit": "timer"},
        {"id": "C", "unit": "dager", "target": -1},
        {"id": "D", "url": "helsedirektoratet.no/x"},
        {"id": "E", "unit": "dager", "target": 120, "direction": "Lavere er bedre"},
    ]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(bad)
    text = str(caught.value)
    assert "direction «bra»" in text and "unit «timer»" in text
    assert "target «-1»" in text and "url «helsedirektoratet.no/x»" in text
    assert "«E»" not in text and "target «120»" not in text  # 120 days is a valid target


DIRECTED = (
    "Krav;HF;Periode;Verdi;Retning;Måleenhet;Mål;Kilde\n"
    "TSB-03;Helse Bergen HF;2026-T1;12;;;5;NPR\n"  # catalogue: lower is better, prosent
    "TSB-04;Helse Bergen HF;2026-T1;35,5;;dager;;NPR\n"  # catalogue: dager, target 30
    "TSB-25;Helse Bergen HF;2026-T1;40;;dager;;HF-ets BI\n"  # days: the 80 % link says nothing
    "TSB-25;Helse Fonna HF;2026-T1;12;Lavere er bedre;prosent;20;NPR\n"  # the row's own reading
    "TSB-25;Helse Bergen HF;2026-T1;50;bra;;;NPR\n"
    "TSB-25;Helse Bergen HF;2026-T1;50;;timer;;NPR\n"
    "TSB-04;Helse Fonna HF;2026-T1;-3;;dager;;NPR\n"
    "TSB-04;Helse Fonna HF;2026-T1;140;;prosent;;NPR\n"
    "TSB-04;Helse Fonna HF;2026-T1;140;;antall;;NPR\n"
)


def test_direction_and_unit_come_from_the_row_or_the_catalogue(tmp_path: Path) -> None:
    """Retning and Måleenhet columns win; else the catalogue link, when its unit matches."""
    tsb = load_catalog(linked_catalogue(tmp_path))  # TSB-25: NKI-TEST-01, prosent, target 80
    raws, problems = read_table("r.csv", DIRECTED.encode())
    measurements, findings = resolve(raws, Requirements.of([tsb]), bergen_places(), "r.csv")
    assert problems == []
    assert {f.sheet: f.code for f in findings} == {
        "rad 6, celle E6": "indicator-bad-direction",
        "rad 7, celle F7": "indicator-bad-unit",
        "rad 8, celle D8": "indicator-bad-value",
        "rad 9, celle D9": "indicator-bad-value",
    }
    assert "«bra»" in next(f.message for f in findings if f.code == "indicator-bad-direction")
    read = {
        m.where: (m.direction, m.measure_unit, m.target, m.value_text, m.target_text)
        for m in measurements
    }
    assert read == {
        "rad 2": (LOWER_IS_BETTER, "prosent", 5.0, "12\u00a0%", "5\u00a0%"),
        "rad 3": (LOWER_IS_BETTER, "dager", 30.0, "35,5\u00a0dager", "30\u00a0dager"),
        "rad 4": (HIGHER_IS_BETTER, "dager", None, "40\u00a0dager", "–"),
        "rad 5": (LOWER_IS_BETTER, "prosent", 20.0, "12\u00a0%", "20\u00a0%"),
        "rad 10": (HIGHER_IS_BETTER, "antall", None, "140", "–"),
    }


@pytest.mark.parametrize(
    ("value", "target", "direction", "unit", "flagged", "side"),
    [
        (12.0, 5.0, LOWER_IS_BETTER, "prosent", True, "over målet på 5\u00a0%"),
        (3.0, 5.0, LOWER_IS_BETTER, "prosent", False, ""),  # under a lower-is-better target
        (5.0, 5.0, LOWER_IS_BETTER, "prosent", False, ""),  # at it is no miss
        (33.0, 30.0, LOWER_IS_BETTER, "dager", True, "over målet på 30\u00a0dager"),
        (28.0, 30.0, LOWER_IS_BETTER, "dager", False, ""),
        (900.0, None, LOWER_IS_BETTER, "dager", False, ""),  # days without a target
        (0.0, None, HIGHER_IS_BETTER, "antall", False, ""),  # a count without a target
        (61.0, 80.0, HIGHER_IS_BETTER, "prosent", True, "under målet på 80\u00a0%"),
    ],
)
def test_flags_respect_direction_and_unit(
    tsb: Catalogue,
    value: float,
    target: float | None,
    direction: str,
    unit: str,
    flagged: bool,
    side: str,
) -> None:
    figure = Figure(
        measurement=_measurement(
            requirement_id="TSB-04",
            value=value,
            target=target,
            direction=direction,
            measure_unit=unit,
        ),
        requirement=tsb.by_id["TSB-04"],
        place="Helse Bergen HF",
        answered=1,
        implemented=1,
        min_group=1,
    )
    assert figure.flagged is flagged
    if flagged:
        assert side in figure.flag_text


def test_values_are_written_in_their_unit() -> None:
    assert [
        measure_text(52.34, "prosent"),
        measure_text(1, "dager"),
        measure_text(33.26, "dager"),
        measure_text(1234, "antall"),
    ] == ["52,3\u00a0%", "1\u00a0dag", "33,3\u00a0dager", "1\u00a0234"]


def test_nki_measure_types_become_units_or_a_finding() -> None:
    rows = [
        {"IndicatorId": "X", "Value": v, "MeasureType": kind, "LocationName": "Norge",
         "LocationParentId": 0, "TimeFrom": "2025-01-01", "TimeTo": "2025-12-31"}
        for v, kind in ((4.2, "Andel"), (33, "Gjennomsnitt dager"), (12, "Antall"), (1.1, "Indeks"))
    ]  # fmt: skip
    rows[0]["Retning"] = "lavere er bedre"
    raws, findings, count = read_nki("x.json", json.dumps(rows).encode())
    assert count == 4 and [f.code for f in findings] == ["indicator-measure-type"]
    assert "«Indeks»" in findings[0].message
    assert [(r.measure_unit, r.direction) for r in raws] == [
        ("prosent", "lavere er bedre"),
        ("dager", ""),
        ("antall", ""),
    ]


def test_figures_never_fall_into_the_value_parser_wrongly() -> None:
    assert [parse_share(v) for v in ("52,3 %", "−1e7", "1 000", "nan", True, None, "")] == [
        pytest.approx(52.3),
        -1e7,
        1000.0,
        None,
        None,
        None,
        None,
    ]


# --- pages ----------------------------------------------------------------------------------


def test_hf_page_shows_the_figure_beside_the_self_assessment_and_flags_it(
    tmp_path: Path, checklists: Path
) -> None:
    docs = render(checklists, tmp_path / "docs", indicator_files=[write_table(tmp_path)])
    bergen = page(docs, "hf/helse-bergen-hf.md")
    assert "## Registertall ved siden av egenvurderingen" in bergen
    row = html.unescape(
        next(r for r in bergen.splitlines() if r.startswith("<tr>") and "52,3" in r)
    )
    for part in ("2026-T1", "80\u00a0%", "312 av 597", "100\u00a0% (4 av 4)", "Kjent feil i"):
        assert part in row, part
    assert "NPR, Helsedirektoratet" in row
    assert "Norsk lisens for offentlige data (NLOD)" in bergen
    flag = html.unescape(bergen.split('!!! question "', 1)[1].split("\n\n", 1)[0])
    assert flag.startswith("Verdt å se nærmere på: TSB-25 Helse Bergen HF")
    assert "100\u00a0% av enhetene (4 av 4)" in flag and "52,3\u00a0%" in flag
    assert flag.rstrip().endswith("registrert på en annen måte?")  # a question, not a verdict
    fonna = page(docs, "hf/helse-fonna-hf.md")
    assert "40\u00a0%" in fonna and "få enheter (n = 1)" in html.unescape(fonna)  # small-n rule
    assert "!!! question" not in fonna  # nobody there says implemented
    region = page(docs, "regioner/helse-vest-rhf.md")
    assert "## Registertall" not in region  # no RHF-level row in the table


def test_unit_and_requirement_pages(tmp_path: Path, checklists: Path) -> None:
    docs = render(checklists, tmp_path / "docs", indicator_files=[write_table(tmp_path)])
    unit = page(docs, "enheter/helse-bergen-hf-poliklinikk-a*.md")
    row = html.unescape(
        next(r for r in unit.splitlines() if r.startswith("<tr>") and "45\u00a0%" in r)
    )
    assert "9 av 20" in row and "Implementert" in row and "Data mangler for april" in row
    assert "Enhetens svar" in unit and "!!! question" in unit
    assert "NLOD" not in unit  # the HF's own BI report is not Helsedirektoratet's
    other = page(docs, "enheter/helse-bergen-hf-poliklinikk-b*.md")
    assert "Registertall" not in other
    req = page(docs, "krav/tsb-25.md")
    national = html.unescape(
        next(r for r in req.splitlines() if r.startswith("<tr>") and "Hele" in r)
    )
    assert "61\u00a0%" in national and "80\u00a0% (4 av 5)" in national
    assert req.index("Hele landet") < req.index("Helse Bergen HF</td>")
    assert '!!! question "Verdt å se nærmere på: TSB-25 Hele landet"' in req  # 80 % say implemented


def test_data_quality_page_lists_every_bad_row(tmp_path: Path, checklists: Path) -> None:
    docs = render(checklists, tmp_path / "docs", indicator_files=[write_table(tmp_path)])
    quality = page(docs, "datakvalitet.md")
    section = quality.split("## Registertall", 1)[1]
    assert "<td>tabell</td><td>15</td><td>6</td><td>0</td><td>10</td><td>1</td>" in section
    for where in EXPECTED_FINDINGS:
        assert f"<strong>{where}</strong>" in section, where
    assert "TSB-99" in section and "Helse Ukjent HF" in section


def test_nki_figures_reach_hf_rhf_and_requirement_pages(tmp_path: Path, checklists: Path) -> None:
    catalogue = linked_catalogue(tmp_path)
    docs = render(
        checklists, tmp_path / "docs", indicator_files=[NKI_FILE], catalog_files=[catalogue]
    )
    bergen = page(docs, "hf/helse-bergen-hf.md")
    assert "47,5\u00a0%" in bergen and "44\u00a0%" not in bergen  # the latest period only
    assert "Kilde: Helsedirektoratet, nasjonale kvalitetsindikatorer" in bergen
    assert "!!! question" in bergen
    assert "58\u00a0%" in page(docs, "regioner/helse-vest-rhf.md")
    assert "61,2\u00a0%" in page(docs, "krav/tsb-25.md")


def test_figures_are_never_mixed_into_scores(tmp_path: Path, checklists: Path) -> None:
    plain = render(checklists, tmp_path / "plain")
    figures = render(checklists, tmp_path / "figures", indicator_files=[write_table(tmp_path)])
    downloads = sorted(p.relative_to(plain) for p in (plain / "nedlastinger").rglob("*.csv.zip"))
    assert downloads
    for rel in downloads:
        assert (plain / rel).read_bytes() == (figures / rel).read_bytes(), rel


def test_regional_build_keeps_figures_and_drops_typed_text_from_findings(
    tmp_path: Path, checklists: Path
) -> None:
    docs = render(
        checklists,
        tmp_path / "docs",
        indicator_files=[write_table(tmp_path)],
        audience=choose_audience("region", None),
    )
    assert "52,3\u00a0%" in page(docs, "hf/helse-bergen-hf.md")  # figures are public
    section = page(docs, "datakvalitet.md").split("## Registertall", 1)[1]
    assert "<strong>rad 8</strong>" in section and "Helse Ukjent HF" not in section


def test_one_unit_report_shows_that_units_figure(tmp_path: Path, checklists: Path) -> None:
    audience = choose_audience("enhet", "Helse Bergen HF/Poliklinikk A")
    docs = render(
        checklists, tmp_path / "docs", indicator_files=[write_table(tmp_path)], audience=audience
    )
    assert "45\u00a0%" in page(docs, "index.md")
    assert "<strong>rad" not in page(docs, "datakvalitet.md")  # other places' rows stay out


def test_indicator_files_next_to_the_checklists_are_found_and_never_read_as_skjema(
    checklists: Path,
) -> None:
    write_table(checklists, "indikatorer.csv")
    (checklists / "indikatorer.json").write_bytes(NKI_FILE.read_bytes())
    found = find_indicator_files([checklists])
    assert [p.name for p in found] == ["indikatorer.csv", "indikatorer.json"]
    assert {p.suffix for p in collect_inputs([checklists])} == {".xlsx"}


def test_build_with_indicators_site_and_output_guard(
    tmp_path: Path, checklists: Path, runner: CliRunner
) -> None:
    table = write_table(tmp_path)
    site = tmp_path / "site"
    run_build([checklists], site, indicator_files=[table], today=TODAY)
    html = (site / "hf" / "helse-bergen-hf.html").read_text(encoding="utf-8")
    assert 'class="admonition question"' in html and "52,3\u00a0%" in html
    inside = tmp_path / "figs"
    inside.mkdir()
    guarded = runner.invoke(
        main,
        ["build", str(checklists), "-o", str(inside), "--indicators", str(write_table(inside))],
    )
    assert guarded.exit_code == 2 and guarded.stderr.startswith("Feil: ")
    missing = runner.invoke(
        main, ["build", str(checklists), "--indicators", str(tmp_path / "nei.csv")]
    )
    assert missing.exit_code == 2
    assert missing.stderr.strip() == f"Feil: Finner ikke indikatorfilen {tmp_path / 'nei.csv'}"


def test_sample_writes_a_marked_invented_indicator_table(tmp_path: Path, tsb: Catalogue) -> None:
    from statuskart.sample.checklists import write_samples

    write_samples(tsb, tmp_path, units=6, rounds=1, seed=2)
    read = read_indicator_file(tmp_path / "indikatorer.xlsx")
    assert read.findings == () and read.rows > 6
    assert all(r.source == "Eksempeltall (oppdiktet)" for r in read.raws)
    assert all(r.target is None for r in read.raws)  # no invented targets
    links = {r.id: r.indicators[0] for r in tsb.requirements if r.indicators}
    assert {r.requirement for r in read.raws} == set(list(links)[:3])
    assert all(
        (r.direction, r.measure_unit) == (links[r.requirement].direction, links[r.requirement].unit)
        for r in read.raws
    )
    assert {r.period for r in read.raws} == {"2026-T2"}
    assert any(r.unit for r in read.raws) and any(r.note for r in read.raws)
    assert any(name_key(r.rhf) == name_key("Hele landet") for r in read.raws)
    wb = load_workbook(tmp_path / "indikatorer.xlsx", read_only=True)
    try:
        first = next(wb.worksheets[0].iter_rows(values_only=True))[0]
    finally:
        wb.close()  # a read-only workbook keeps its file open until closed
    assert str(first).startswith("OPPDIKTEDE TALL")


def test_a_row_the_hf_answers_once_is_compared_with_the_hfs_answer(
    tmp_path: Path, checklists: Path
) -> None:
    """TSB-03 is an HF row: Helse Fonna's one unit answers it for the HF, so 1 of 1 HF says so.

    Its catalogue indicator (brudd på vurderingsgarantien) is lower-is-better: 12 % over a 5 %
    target is the miss.
    """
    header = "\n".join(line for line in TABLE.splitlines()[:4] if "Krav" in line)
    table = header + "\nHelse Vest RHF;Helse Fonna HF;;TSB-03;2026-T1;12;;;5;NPR;\n"
    path = write_table(tmp_path, text=table)
    docs = render(checklists, tmp_path / "docs", indicator_files=[path])
    fonna = html.unescape(page(docs, "hf/helse-fonna-hf.md"))
    figures = fonna.split("## Registertall", 1)[1]
    row = next(r for r in figures.splitlines() if r.startswith("<tr>") and "TSB-03" in r)
    assert "100\u00a0% (1 av 1)" in row  # the HF's answer, not «ingen svar»
    assert "100\u00a0% av helseforetakene (1 av 1)" in fonna
    assert "registeret viser 12\u00a0% for 2026-T1, over målet på 5\u00a0%" in fonna
    assert "lavere er bedre" in row
    bergen = html.unescape(page(docs, "krav/tsb-03.md"))
    assert "100\u00a0% av helseforetakene" not in bergen.split("Helse Fonna HF")[0]
    national = bergen.split("**Nasjonale indikatorer:**", 1)[1].split("</ul>", 1)[0]
    assert "Rusbehandling - brudd på vurderingsgarantien</a>: Andel henvisninger i TSB" in national
    assert "(lavere er bedre, måles i prosent, uten publisert mål)" in national
    waiting = html.unescape(page(docs, "krav/tsb-04.md"))
    assert "(lavere er bedre, måles i dager, publisert mål 30\u00a0dager)" in waiting


def test_learn_from_marks_units_whose_hf_figure_disagrees(tmp_path: Path, checklists: Path) -> None:
    """«Lær av andre» once recommended units in an HF flagged «?» with nothing said."""
    docs = render(checklists, tmp_path / "docs", indicator_files=[write_table(tmp_path)])
    learn = html.unescape(page(docs, "krav/tsb-25.md")).split("## Lær av andre", 1)[1]
    rows = [r for r in learn.splitlines() if r.startswith("<tr><td><a")]
    assert len(rows) == len(BERGEN_UNITS)  # all four Bergen units say implemented
    assert all("? Registertallene for helseforetaket ligger under målet" in r for r in rows)
    plain = html.unescape(page(docs, "krav/tsb-26.md")).split("## Lær av andre", 1)[1]
    assert "Registertallene" not in plain  # no figure for TSB-26: nobody is marked


def test_the_requirement_index_counts_hfs_for_an_hf_row(tmp_path: Path, checklists: Path) -> None:
    docs = render(checklists, tmp_path / "docs")
    index = html.unescape(page(docs, "krav/index.md"))
    row = next(r for r in index.splitlines() if "TSB-03 " in r)
    # two HFs: Fonna's one unit answers for Fonna («Implementert»); Bergen's four leave it unclear
    assert "<td>1</td><td>2 helseforetak</td>" in row
    unit_row = next(r for r in index.splitlines() if "TSB-25 " in r)
    assert f"<td>{len(BERGEN_UNITS)}</td><td>{len(BERGEN_UNITS) + 1} enheter</td>" in unit_row
