import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from statuskart.catalog.model import Catalogue
from statuskart.core.errors import ConfigError
from statuskart.pipeline.run import check_files
from statuskart.validate.expected_units import find_registry, load_register, track_submissions

from .conftest import META, TODAY, WorkbookFactory, render_markdown, worksheet

REGISTRY = """
frister:
  2026-T1: 2026-05-14
enheter:
  - {rhf: Helse Vest RHF, hf: Helse Bergen HF, enhet: Poliklinikk for rus Sentrum,
     kontakt: Enhetsleder}
  - {rhf: Helse Vest RHF, hf: Helse Bergen HF, enhet: Døgnenhet Nord}
  - {rhf: Helse Vest RHF, hf: Helse Fonna HF, enhet: Poliklinikk Fonna}
"""


def test_yaml_registry_and_tracking(
    tmp_path: Path, filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue]
) -> None:
    folder = tmp_path / "checklists"
    folder.mkdir()
    (folder / "enheter.yaml").write_text(REGISTRY, encoding="utf-8")
    assert find_registry([folder]) == folder / "enheter.yaml"
    registry = load_register(folder / "enheter.yaml")
    assert len(registry.units) == 3 and registry.deadlines == {"2026-T1": dt.date(2026, 5, 14)}
    late = {"date": dt.date(2026, 5, 20)}
    files = [
        filled_workbook(name="a.xlsx", meta=late),  # Poliklinikk for rus Sentrum, late
        filled_workbook(name="b.xlsx"),  # the same unit again: duplicate
        filled_workbook(name="c.xlsx", meta={"unit": "Ukjent enhet"}),  # not in registry
        filled_workbook(name="d.xlsx", meta={"unit": "døgnenhet  nord"}),  # case and spaces
    ]
    reports = check_files(files, catalogues, TODAY)
    (round_,) = track_submissions(registry, reports, ["2026-T1"])
    bergen, fonna = round_.hfs
    assert bergen.hf == "Helse Bergen HF" and bergen.expected == 2
    assert set(bergen.submitted) == {"Poliklinikk for rus Sentrum", "Døgnenhet Nord"}
    assert bergen.duplicates == ("Poliklinikk for rus Sentrum",)
    assert bergen.late == ()  # one of the two files came in on time
    assert [u.unit for u in fonna.missing] == ["Poliklinikk Fonna"] and fonna.submitted == ()
    assert round_.unregistered == (("Helse Bergen HF", "Ukjent enhet"),)


def test_late_submission(
    tmp_path: Path, filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue]
) -> None:
    path = tmp_path / "enheter.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    reports = check_files([filled_workbook(meta={"date": dt.date(2026, 5, 20)})], catalogues, TODAY)
    (round_,) = track_submissions(load_register(path), reports, ["2026-T1"])
    assert round_.hfs[0].late == (("Poliklinikk for rus Sentrum", dt.date(2026, 5, 20)),)


def test_xlsx_registry(tmp_path: Path) -> None:
    wb = Workbook()
    ws = worksheet(wb)
    ws.append(["RHF", "HF", "Enhet", "Enhetstype", "Kontaktrolle"])
    ws.append([META["rhf"], META["hf"], META["unit"], "poliklinikk", "Enhetsleder"])
    ws.append([None, None, None, None, None])
    frister = wb.create_sheet("Frister")
    frister.append(["Runde", "Frist"])
    frister.append(["2026-T1", dt.date(2026, 5, 14)])
    wb.save(tmp_path / "enheter.xlsx")
    registry = load_register(tmp_path / "enheter.xlsx")
    assert registry.units[0].unit == META["unit"] and registry.units[0].contact == "Enhetsleder"
    assert registry.deadlines["2026-T1"] == dt.date(2026, 5, 14)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("enheter:\n  - {rhf: X, hf: Y}\n", "enhet nr. 1: mangler unit"),
        ("bare tekst\n", "har feil form"),
        ("frister: {2026-T1: snart}\nenheter: []\n", "fristen for 2026-T1"),
        ("enheter: [\n", "Kan ikke lese"),
    ],
)
def test_bad_registry_is_a_clear_error(tmp_path: Path, text, message) -> None:
    path = tmp_path / "enheter.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_register(path)


def test_build_shows_missing_units(tmp_path: Path, filled_workbook: WorkbookFactory) -> None:
    folder = filled_workbook().parent
    (folder / "enheter.yaml").write_text(REGISTRY, encoding="utf-8")  # found beside the skjema
    render_markdown(folder, tmp_path / "docs")
    page = (tmp_path / "docs" / "innlevering.md").read_text(encoding="utf-8")
    assert "Poliklinikk Fonna" in page and "Døgnenhet Nord" in page
    assert "1 av 3 forventede enheter har levert" in page


def test_a_unit_whose_only_skjema_was_rejected_is_sent_not_usable(
    tmp_path: Path, filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue]
) -> None:
    """Innlevering once counted a rejected file as «levert» with nothing else said."""
    from dataclasses import replace

    path = tmp_path / "enheter.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    files = [
        filled_workbook(name="a.xlsx"),  # Poliklinikk for rus Sentrum: rejected, then fixed
        filled_workbook(name="b.xlsx"),
        filled_workbook(name="c.xlsx", meta={"unit": "Døgnenhet Nord"}),  # rejected only
    ]
    a, b, c = check_files(files, catalogues, TODAY)
    reports = [
        replace(a, status="rejected"),
        replace(b, status="ok"),
        replace(c, status="rejected", submission=None),
    ]
    (round_,) = track_submissions(load_register(path), reports, ["2026-T1"])
    bergen = round_.hfs[0]
    assert set(bergen.submitted) == {"Poliklinikk for rus Sentrum", "Døgnenhet Nord"}
    assert bergen.rejected == ("Døgnenhet Nord",)
