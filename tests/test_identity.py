"""Identity: one rule for «the same unit / HF / round», and page names unique by construction."""

from __future__ import annotations

import pytest

from statuskart.identity import (
    SLUG_MAX,
    UnitKey,
    canonical_period,
    name_key,
    page_names,
    period_id,
    period_key,
    same_period,
)


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
