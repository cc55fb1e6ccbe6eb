"""Unit types per pathway (issue #28 point 3): TSB has avrusning, BUP and PHV do not.

The pathway's own list is used by the catalogue rows («Gjelder for»), the front sheet's Enhetstype
list and hint, validation and ``statuskart template --unit-type``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from statuskart.catalog.load import load_catalog
from statuskart.catalog.model import TREATMENT_TYPES, UNIT_TYPES, Catalogue
from statuskart.cli.commands import main
from statuskart.core.errors import CatalogError
from statuskart.validate.rules import validate_submission
from statuskart.workbook import layout as L
from statuskart.workbook.read import read_workbook
from statuskart.workbook.write import HEADER_ROW, build_template, save_workbook
from tests.conftest import META, TODAY

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

WITHOUT_AVRUSNING = ("bup", "phv", "psykose", "ocd", "spiseforstyrrelser")
"""Psykisk helsevern pathways: their units are never avrusning units."""


def test_tsb_has_every_unit_type_and_psykisk_helsevern_has_no_avrusning(
    catalogues: dict[str, Catalogue],
) -> None:
    assert catalogues["tsb"].unit_types == UNIT_TYPES
    assert "avrusning" in catalogues["gravide"].unit_types
    for cid in WITHOUT_AVRUSNING:
        cat = catalogues[cid]
        akutt = ("akutt",) if cid == "psykose" else ()  # the øyeblikkelig-hjelp rows PSY-03/04
        assert cat.unit_types == ("poliklinikk", "døgn", "ambulant", "dagbehandling", *akutt), cid
        assert all("avrusning" not in r.unit_types for r in cat.requirements), cid


@pytest.mark.parametrize(
    "cid", ["bup", "gravide", "ocd", "phv", "psykose", "shl", "spiseforstyrrelser", "tsb"]
)
def test_every_row_names_only_its_pathways_types_and_every_type_has_rows(
    catalogues: dict[str, Catalogue], cid: str
) -> None:
    cat = catalogues[cid]
    for req in cat.requirements:
        assert set(req.unit_types) <= set(cat.unit_types), req.id
    for t in cat.unit_types:
        assert any(r.counts_for_unit(t) for r in cat.requirements), (cid, t)


def _catalogue_file(tmp_path: Path, unit_types: str, row_types: str = "") -> Path:
    row_extra = f", unit_types: [{row_types}]" if row_types else ""
    path = tmp_path / "egen.yaml"
    path.write_text(
        "id: egen\ntitle: Eget\nversion: '1'\nvalid_from: 2024-01-01\n"
        f"unit_types: [{unit_types}]\nscale: implementering\npriorities: {{høy: 1}}\n"
        "phases: [{id: H, title: Start}]\nrequirements:\n"
        "  - {id: E-01, phase: H, title: T, text: x, priority: høy, action: a, "
        f"source: x{row_extra}}}\n",
        encoding="utf-8",
    )
    return path


def test_a_row_without_unit_types_gets_the_pathways_treating_types(tmp_path: Path) -> None:
    cat = load_catalog(_catalogue_file(tmp_path, "døgn, poliklinikk"))
    assert cat.unit_types == ("poliklinikk", "døgn")  # UNIT_TYPES order, whatever the file's
    assert cat.requirements[0].unit_types == ("poliklinikk", "døgn")
    assert cat.treatment_types == tuple(t for t in TREATMENT_TYPES if t in cat.unit_types)


@pytest.mark.parametrize(
    ("unit_types", "row_types", "problem"),
    [
        ("poliklinikk", "avrusning", "enhetstypen «avrusning» finnes ikke i forløpet"),
        ("poliklinikk, sengepost", "", "unit_types: ukjent enhetstype sengepost"),
        ("poliklinikk, akutt", "", "ingen krav gjelder for enhetstypen «akutt»"),
    ],
)
def test_loader_refuses_unit_types_outside_the_pathway(
    tmp_path: Path, unit_types: str, row_types: str, problem: str
) -> None:
    with pytest.raises(CatalogError) as err:
        load_catalog(_catalogue_file(tmp_path, unit_types, row_types))
    assert problem in str(err.value)


def _front_unit_type(cat: Catalogue) -> tuple[str, str]:
    """The front sheet's Enhetstype drop-down list and hint of a blank skjema."""
    ws = build_template(cat)[L.FRONT_SHEET]
    row = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Enhetstype")
    lists = [
        str(dv.formula1) for dv in ws.data_validations.dataValidation if f"B{row}" in str(dv.sqref)
    ]
    return lists[0], str(ws.cell(row, 3).value)


def test_front_sheet_offers_the_pathways_types_only(catalogues: dict[str, Catalogue]) -> None:
    bup_list, bup_hint = _front_unit_type(catalogues["bup"])
    assert bup_list == '"poliklinikk,døgn,ambulant,dagbehandling"'
    assert bup_hint == (
        "Velg fra listen (enhetstypene i dette forløpet): poliklinikk, døgn, ambulant eller "
        "dagbehandling"
    )
    tsb_list, tsb_hint = _front_unit_type(catalogues["tsb"])
    assert tsb_list == '"' + ",".join(UNIT_TYPES) + '"'
    assert "avrusning" in tsb_hint


def test_gjelder_for_on_a_bup_row_names_no_avrusning(catalogues: dict[str, Catalogue]) -> None:
    ws = build_template(catalogues["bup"])[L.CHECKLIST_SHEET]
    col = 1 + [c.key for c in L.COLUMNS].index("applies")
    assert ws.cell(HEADER_ROW, col).value == "Gjelder for"
    rows = range(HEADER_ROW + 1, HEADER_ROW + 1 + len(catalogues["bup"].requirements))
    applies = [str(ws.cell(r, col).value) for r in rows]
    assert "poliklinikk, døgn, ambulant, dagbehandling" in applies
    assert not any("avrusning" in a for a in applies)


def test_a_type_the_pathway_lacks_is_a_warning_and_every_row_counts(
    catalogues: dict[str, Catalogue], tmp_path: Path
) -> None:
    bup = catalogues["bup"]
    path = tmp_path / "bup.xlsx"
    save_workbook(build_template(bup, {**META, "unit_type": "avrusning"}), path)
    raw = read_workbook(path).raw
    assert raw is not None
    report = validate_submission(raw, catalogues, TODAY)
    found = [f for f in report.findings if f.code == "unit-type-not-in-pathway"]
    assert [(f.severity, f.detail, f.cell) for f in found] == [("warning", "avrusning", "B8")]
    assert found[0].fix == (
        "Velg en av forløpets enhetstyper: poliklinikk, døgn, ambulant eller dagbehandling."
    )
    assert report.submission is not None and report.submission.meta.unit_type is None


def test_template_refuses_a_type_the_pathway_lacks(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "bup.xlsx"
    result = runner.invoke(
        main, ["template", "-p", "bup", "--unit-type", "Avrusning", "-o", str(out)]
    )
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.strip().splitlines() == [
        "Feil: Enhetstypen «avrusning» finnes ikke i forløpet «Psykisk helsevern barn og unge». "
        "Forløpets enhetstyper: poliklinikk, døgn, ambulant, dagbehandling"
    ]
    ok = runner.invoke(main, ["template", "-p", "tsb", "--unit-type", "avrusning", "-o", str(out)])
    assert ok.exit_code == 0 and out.exists()
