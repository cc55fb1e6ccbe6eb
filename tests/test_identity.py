"""Identity: one rule for «the same unit / HF / round», and page names unique by construction."""

from __future__ import annotations

from pathlib import Path

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.core.identity import (
    SLUG_MAX,
    UnitKey,
    canonical_period,
    mixed_scripts,
    name_key,
    page_names,
    period_id,
    period_key,
    same_period,
    visible,
)

from .conftest import WorkbookFactory, submission_of

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run


@pytest.mark.parametrize(
    "spelling", ["2026-T2", "2026_t2", "2026T2", "T2 2026", "t2-2026", " 2026 - T2 ", "2026/T2"]
)
def test_period_spellings_are_one_round(spelling: str) -> None:
    assert canonical_period(spelling) == "2026-T2"
    assert same_period(spelling, "2026-T2")


@pytest.mark.parametrize("text", ["våren 2026", "2026-T4", "2026-H3", "T0 2026", "", "26-T1"])
def test_not_a_period(text: str) -> None:
    assert canonical_period(text) is None


def test_quarters_and_half_years() -> None:
    assert canonical_period("2026 Q3") == "2026-K3"
    assert canonical_period("2026-h1") == "2026-H1"
    assert canonical_period("2026") == "2026"


def test_unrecognised_period_never_sorts_as_current() -> None:
    periods = sorted(["2026-T1", "zzz runde", "2025-T3"], key=period_key)
    assert periods[-1] == "2026-T1"
    assert periods[0] == "zzz runde"
    assert period_id("Vår 2026!") == period_id("vår  2026")


def test_names_ignore_case_spacing_and_punctuation_but_keep_letters() -> None:
    assert name_key("ROP-poliklinikk  Byen.") == name_key("rop poliklinikk byen")
    assert UnitKey.of("Helse Fonna HF", "Ambulant rusteam", "TSB") == UnitKey.of(
        "helse fonna hf", "Ambulant  rusteam.", "tsb"
    )
    assert name_key("Čáhcesuolu") != name_key("Cahcesuolu")
    assert name_key("Øst") != name_key("Ost")


def test_page_names_never_share_a_page() -> None:
    names = page_names({"a": "Čáhcesuolu team", "b": "Cahcesuolu team", "c": "Annet team"})
    assert len(set(names.values())) == 3
    assert names["c"] == "annet-team"
    assert names["a"].startswith("cahcesuolu-team-")
    # stable: the same input gives the same names
    assert names == page_names({"a": "Čáhcesuolu team", "b": "Cahcesuolu team", "c": "Annet team"})


def test_page_names_are_short_and_never_device_names() -> None:
    names = page_names({1: "x" * 300, 2: "CON", 3: "nul", 4: "<>", 5: "lpt1 enhet"})
    assert len(names[1]) <= SLUG_MAX + 9
    for key in (2, 3, 5):
        assert names[key].split("-")[0] in {"con", "nul", "lpt1"}
        assert "-" in names[key]
    assert names[4].startswith("side-")
    assert len(set(names.values())) == 5


def test_long_names_differing_at_the_end_get_different_pages() -> None:
    a, b = "Avdeling " * 20 + "A", "Avdeling " * 20 + "B"
    names = page_names({a: a, b: b})
    assert names[a] != names[b]


def test_units_told_apart_by_letters_get_their_own_pages(
    tmp_path_factory: pytest.TempPathFactory, filled_workbook: WorkbookFactory
) -> None:
    from statuskart.pipeline.build import run_build

    from .conftest import TODAY

    folder = filled_workbook(meta={"unit": "Čáhcesuolu team"}, default="Implementert").parent
    filled_workbook(meta={"unit": "Cahcesuolu team"}, default="Ikke startet")
    filled_workbook(meta={"unit": "Avdeling " * 35 + "lang"}, default="Påbegynt")
    site = tmp_path_factory.mktemp("out") / "site"
    result = run_build([folder], site, today=TODAY)
    assert result.units == 3
    pages = sorted(p for p in (site / "enheter").glob("*.html") if p.name != "index.html")
    assert len(pages) == 3 and all(len(p.name) < 100 for p in pages)
    titles = {p.read_text(encoding="utf-8").split("<title>")[1].split(" - ")[0]: p for p in pages}
    assert "<strong>100</strong><br>skår" in titles["Čáhcesuolu team"].read_text(encoding="utf-8")
    assert "<strong>0</strong><br>skår" in titles["Cahcesuolu team"].read_text(encoding="utf-8")


def test_period_spellings_in_folders_and_front_sheets(
    tmp_path: Path, filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue]
) -> None:
    from statuskart.pipeline.inputs import empty_rounds, gather_inputs
    from statuskart.pipeline.run import check_files

    from .conftest import TODAY

    made = filled_workbook(meta={"period": "2026 T1"}, name="a.xlsx")
    for folder, period in (("2026_T1", "T1 2026"), ("2026T1", "2026-t1"), ("2026-T2", "våren")):
        (tmp_path / "in" / folder).mkdir(parents=True)
        target = tmp_path / "in" / folder / f"{folder}.xlsx"
        target.write_bytes(
            filled_workbook(
                meta={"period": period, "unit": folder}, name=f"{folder}.xlsx"
            ).read_bytes()
        )
    (tmp_path / "in" / "2026-t3").mkdir()
    reports = check_files([tmp_path / "in"], catalogues, TODAY)
    by_folder = {r.path.split("/")[-2]: r for r in reports}
    assert submission_of(by_folder["2026_T1"]).meta.period == "2026-T1"
    assert submission_of(by_folder["2026T1"]).meta.period == "2026-T1"
    codes = {f.code for r in reports for f in r.findings}
    assert "period-folder-mismatch" not in codes
    # an unreadable period is flagged and the folder decides the round
    spring = by_folder["2026-T2"]
    assert submission_of(spring).meta.period == "2026-T2"
    assert "period-unrecognised" in {f.code for f in spring.findings}
    assert made.exists()
    gathered = gather_inputs([tmp_path / "in"])
    assert sorted(p.parent.name for p in gathered.files) == ["2026-T2", "2026T1", "2026_T1"]
    assert empty_rounds(gathered) == ["2026-T3"]


def test_one_unit_spelled_two_ways_in_one_round_is_a_duplicate(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue]
) -> None:
    from statuskart.pipeline.run import check_files

    from .conftest import TODAY

    folder = filled_workbook(meta={"unit": "ROP-poliklinikk Byen", "period": "2026-T1"}).parent
    filled_workbook(meta={"unit": "rop poliklinikk  byen.", "period": "T1 2026"})
    filled_workbook(meta={"unit": "ROP-poliklinikk Byen", "period": "2026-T2"})
    reports = check_files([folder], catalogues, TODAY)
    duplicates = [r for r in reports if "duplicate-submission" in {f.code for f in r.findings}]
    assert len(duplicates) == 2 and all(r.submission is None for r in duplicates)


def test_invisible_characters_are_not_part_of_a_name() -> None:
    real = "ROP-poliklinikk Byen"
    for spoof in (
        "ROP-poliklinikk By\u200ben",
        "\u202eROP-poliklinikk Byen",
        "ROP\u2060-poliklinikk Byen\ufeff",
    ):
        assert name_key(spoof) == name_key(real)
        assert visible(spoof) in (real, "ROP-poliklinikk Byen")
    assert visible("Čáhcesuolu") == "Čáhcesuolu"


def test_a_word_mixing_scripts_is_named() -> None:
    assert mixed_scripts("ROP-poliklinikk By\u0435n") == "By\u0435n"  # Cyrillic «е»
    assert mixed_scripts("Čáhcesuolu Sámi ÆØÅ æøå") is None
    assert mixed_scripts("Бергенская клиника") is None  # one script throughout
    assert mixed_scripts("Poliklinikk 2") is None


def test_front_sheet_names_are_cleaned_and_look_alikes_refused(
    filled_workbook: WorkbookFactory,
) -> None:
    from statuskart.catalog.load import load_catalogs
    from statuskart.pipeline.run import check_files

    from .conftest import TODAY

    hidden = filled_workbook(meta={"unit": "Poliklinikk\u200b for rus Sentrum"})
    cyrillic = filled_workbook(meta={"unit": "Poliklinikk for rus S\u0435ntrum"})
    clean, spoof = check_files([hidden, cyrillic], load_catalogs(), TODAY)
    assert clean.submission is not None
    assert clean.submission.meta.unit == "Poliklinikk for rus Sentrum"
    assert "name-invisible" in {f.code for f in clean.findings}
    assert spoof.status == "rejected"
    (finding,) = [f for f in spoof.findings if f.code == "name-mixed-scripts"]
    assert finding.cell is not None and "S\u0435ntrum" in finding.message
