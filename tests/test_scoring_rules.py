"""The scoring rules of «Metode» (templates/method.md.j2), pinned at their boundaries.

Expected values are worked out by hand from the documented rule, never copied from the code.
Catalogue weights: kritisk 3, høy 2, normal 1 (tests/rules_support.py).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from pathlib import Path

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.score.scoring import (
    ScoringSettings,
    band_for,
    group_stats,
    progress,
    score_submission,
)

from .rules_support import make_catalogue, make_submission

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

TEN = [
    {"id": f"R-{i:02}", "priority": "normal", "phase": "H" if i <= 5 else "B"} for i in range(1, 11)
]
FLOOR = [
    {"id": "K-01", "priority": "kritisk"},
    {"id": "H-01", "priority": "høy"},
    *({"id": f"N-{i:02}", "priority": "normal"} for i in range(1, 11)),
]


@pytest.fixture(scope="module")
def ten(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    return make_catalogue(tmp_path_factory.mktemp("ten"), TEN)


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    return make_catalogue(tmp_path_factory.mktemp("floor"), FLOOR)


def tens(implemented: int, *, rest: str | None = "Ikke startet", partial: int = 0, unit="E"):
    """R-01… implemented, then ``partial`` «Delvis implementert», the rest ``rest``."""
    statuses: dict[str, str | None] = {}
    for i in range(1, 11):
        if i <= implemented:
            statuses[f"R-{i:02}"] = "Implementert"
        elif i <= implemented + partial:
            statuses[f"R-{i:02}"] = "Delvis implementert"
        else:
            statuses[f"R-{i:02}"] = rest
    return make_submission(statuses, unit=unit)


def floors(**changed: str | None):
    statuses: dict[str, str | None] = {r["id"]: "Implementert" for r in FLOOR}
    statuses.update({k.replace("_", "-"): v for k, v in changed.items()})
    return make_submission(statuses)


# --- §3 Skår ------------------------------------------------------------------------------------


def test_score_is_weighted_mean_times_100(floor: Catalogue) -> None:
    """Metode §3 Skår: weighted mean of points × 100; K-01 (3) not started of 15 weight → 80."""
    s = score_submission(floors(K_01="Ikke startet"), floor)
    assert s.score == pytest.approx(100 * 12 / 15)


def test_not_started_counts_as_zero_points(ten: Catalogue) -> None:
    """Metode §1/§3: «Ikke startet» is 0 points but counted: 4 of 10 implemented → 40."""
    s = score_submission(tens(4), ten)
    assert s.score == pytest.approx(40)
    assert s.answered == 10 and s.unanswered == 0


def test_phase_scores_and_counts(ten: Catalogue) -> None:
    """Metode §3: each phase is scored the same way over its own counted requirements."""
    s = score_submission(tens(7), ten)  # H: R-01..05 all done; B: done of five
    phases = {p.phase: p for p in s.phases}
    assert phases["H"].score == pytest.approx(100) and phases["H"].counted == 5
    assert phases["B"].score == pytest.approx(40) and phases["B"].counted == 5
    assert phases["H"].title == "Henvisning"


def test_phase_with_nothing_counted_has_no_score(ten: Catalogue) -> None:
    """Metode §2/§3: a phase where every answer is «Ikke aktuelt» has no score, 0 counted."""
    s = score_submission(tens(5, rest="Ikke aktuelt"), ten)
    phases = {p.phase: p for p in s.phases}
    assert phases["B"].score is None and phases["B"].counted == 0
    assert phases["H"].counted == 5


# --- §2 Hvilke krav teller ----------------------------------------------------------------------


def test_not_applicable_leaves_numerator_and_denominator(ten: Catalogue) -> None:
    """Metode §2: «Ikke aktuelt» is out of both sides and shown on its own; coverage stays 100 %."""
    s = score_submission(tens(5, rest="Ikke aktuelt"), ten)
    assert s.score == pytest.approx(100)
    assert s.not_applicable == 5 and s.answered == 10 and s.coverage == 1
    assert sum(r.counted for r in s.results) == 5


def test_unanswered_lowers_coverage_not_score(ten: Catalogue) -> None:
    """Metode §2: «Ubesvart» is not zero: 7 implemented, 3 blank → score 100, coverage 70 %."""
    s = score_submission(tens(7, rest=None), ten)
    assert s.score == pytest.approx(100)
    assert s.coverage == pytest.approx(0.7)
    assert s.answered == 7 and s.unanswered == 3 and s.not_applicable == 0


def test_requirement_for_another_unit_type_is_not_applicable(tmp_path: Path) -> None:
    """Metode §2: a døgn requirement does not count for a poliklinikk, even if answered."""
    cat = make_catalogue(
        tmp_path,
        [
            {"id": "A-01", "priority": "normal"},
            {"id": "D-01", "priority": "kritisk", "unit_types": ["døgn"]},
        ],
    )
    s = score_submission(make_submission({"A-01": "Implementert", "D-01": "Ikke startet"}), cat)
    assert s.applicable == 1 and s.score == pytest.approx(100) and s.band == "Høy"
    d01 = next(r for r in s.results if r.requirement_id == "D-01")
    assert not d01.applicable and not d01.counted
    dogn = score_submission(
        make_submission({"A-01": "Implementert", "D-01": "Ikke startet"}, unit_type="døgn"), cat
    )
    assert dogn.applicable == 2 and dogn.score == pytest.approx(25)  # 1 of weight 1 + 3


def test_no_applicable_requirement_means_no_coverage_no_score(tmp_path: Path) -> None:
    """Metode §2/§4: nothing applicable → coverage 0 (0 of 0 answered), no score, «Ufullstendig»."""
    cat = make_catalogue(tmp_path, [{"id": "D-01", "priority": "normal", "unit_types": ["døgn"]}])
    s = score_submission(make_submission({"D-01": "Implementert"}), cat)
    assert s.applicable == 0 and s.coverage == 0
    assert s.score is None and s.band == "Ufullstendig" and not s.complete


def test_weights_that_sum_to_zero_give_no_score(ten: Catalogue) -> None:
    """Metode §3: the score divides by the summed weights; a catalogue handed to
    score_submission (public API) whose weights are all 0 gives no score, not a ZeroDivisionError.
    load_catalog refuses such weights, so only a catalogue built in a script gets here."""
    weightless = replace(ten, priorities=(("normal", 0.0),))
    s = score_submission(tens(10), weightless)
    assert s.score is None and s.band == "Ufullstendig" and not s.complete
    assert all(p.score is None and p.counted == 0 for p in s.phases)


# --- §4 Nivå ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("implemented", "partial", "score", "band"),
    [
        (10, 0, 100.0, "Høy"),
        (7, 0, 70.0, "Høy"),  # exactly the lower bound of «Høy»
        (6, 1, 66.67, "Middels"),
        (4, 0, 40.0, "Middels"),  # exactly the lower bound of «Middels»
        (3, 1, 36.67, "Lav"),
        (0, 0, 0.0, "Lav"),
    ],
)
def test_band_limits(ten: Catalogue, implemented, partial, score, band) -> None:
    """Metode §4 Nivå: «Høy» from 70, «Middels» from 40 (under 70), «Lav» from 0 (under 40)."""
    s = score_submission(tens(implemented, partial=partial), ten)
    assert s.score == pytest.approx(score, abs=0.01)
    assert s.band == band and s.complete and not s.floor_applied


def test_coverage_exactly_80_percent_is_complete(ten: Catalogue) -> None:
    """Metode §4: «Ufullstendig» is coverage *under* 80 %; 8 of 10 answered is complete."""
    s = score_submission(tens(8, rest=None), ten)
    assert s.coverage == pytest.approx(0.8) and s.complete and s.band == "Høy"


def test_coverage_under_80_percent_is_incomplete(ten: Catalogue) -> None:
    """Metode §4: 7 of 10 answered (70 %) → «Ufullstendig» even with a score of 100."""
    s = score_submission(tens(7, rest=None), ten)
    assert not s.complete and s.band == "Ufullstendig" and not s.floor_applied


def test_score_below_every_bound_gets_lowest_band() -> None:
    """Metode §4: bands are (lower bound, label), highest first; anything lower is the last one."""
    settings = ScoringSettings(bands=((70.0, "Høy"), (40.0, "Middels"), (10.0, "Lav")))
    assert band_for(5.0, settings) == "Lav"
    assert band_for(10.0, settings) == "Lav"
    assert band_for(39.99, ScoringSettings()) == "Lav"
    assert band_for(69.99, ScoringSettings()) == "Middels"


def test_published_bands_start_where_band_for_puts_them() -> None:
    """Metode §4 lists each band as «skår fra <lower bound>»: every bound is the lowest score
    with its label, and the lowest starts at 0, the lowest score, so the page leaves no score
    without a band (a bound of 1 would say «Lav: fra 1» while 0.5 still gets «Lav»)."""
    settings = ScoringSettings()
    lowers = [lower for lower, _ in settings.bands]
    assert lowers == sorted(lowers, reverse=True) and lowers[-1] == 0.0
    for lower, label in settings.bands:
        assert band_for(lower, settings) == label


# --- §4 Gulvregel -------------------------------------------------------------------------------


def test_floor_rule_critical_not_started_leaves_top_band(floor: Catalogue) -> None:
    """Metode §4 Gulvregel: score 80 would be «Høy»; a kritisk at «Ikke startet» → «Middels»."""
    s = score_submission(floors(K_01="Ikke startet"), floor)
    assert s.score == pytest.approx(80)
    assert s.band == "Middels" and s.floor_applied


@pytest.mark.parametrize(
    ("changed", "score"),
    [
        ({"H_01": "Ikke startet"}, 100 * 13 / 15),  # another priority at «Ikke startet»
        ({"K_01": "Påbegynt"}, 100 * (12 + 3 * 0.3333) / 15),  # kritisk, but started
        ({"K_01": "Ikke aktuelt"}, 100.0),  # kritisk, not counted
        ({"K_01": None}, 100.0),  # kritisk unanswered: not the same as «Ikke startet» (§2)
    ],
)
def test_floor_rule_needs_critical_and_not_started(floor: Catalogue, changed, score) -> None:
    """Metode §4 Gulvregel: only priority «kritisk» at «Ikke startet» triggers the floor."""
    s = score_submission(floors(**changed), floor)
    assert s.score == pytest.approx(score)
    assert s.band == "Høy" and not s.floor_applied


def test_floor_rule_only_matters_in_top_band(floor: Catalogue) -> None:
    """Metode §4 Gulvregel: a unit already below «Høy» keeps its band; the rule did nothing."""
    s = score_submission(
        floors(K_01="Ikke startet", **{f"N_{i:02}": "Ikke startet" for i in range(1, 7)}), floor
    )
    assert s.score == pytest.approx(40)  # (2 + 4) / 15
    assert s.band == "Middels" and not s.floor_applied


def test_floor_rule_moves_to_the_next_band_of_custom_bands(floor: Catalogue) -> None:
    """Metode §4 Gulvregel: «not the highest band» means the second one, whatever it is called."""
    settings = ScoringSettings(bands=((90.0, "A"), (50.0, "B"), (0.0, "C")))
    s = score_submission(floors(K_01="Ikke startet", H_01="Ikke aktuelt"), floor, settings)
    assert s.score == pytest.approx(100 * 10 / 13) and s.band == "B" and not s.floor_applied
    top = ScoringSettings(bands=((75.0, "A"), (50.0, "B"), (0.0, "C")))
    s = score_submission(floors(K_01="Ikke startet", H_01="Ikke aktuelt"), floor, top)
    assert s.band == "B" and s.floor_applied


# --- §5 Helseforetak og regioner ----------------------------------------------------------------


def test_group_stats_over_complete_units_only(ten: Catalogue) -> None:
    """Metode §5: mean of unit scores; n, median, span; incomplete units counted, not averaged."""
    units = [
        score_submission(tens(10, unit="A"), ten),  # 100, Høy
        score_submission(tens(4, unit="B"), ten),  # 40, Middels
        score_submission(tens(7, rest=None, unit="C"), ten),  # 100 but 70 % coverage
        score_submission(tens(7, unit="D"), ten),  # 70, Høy
    ]
    stats = group_stats(units)
    assert stats.n == 3 and stats.incomplete == 1
    assert stats.mean == pytest.approx(70)
    assert stats.median == pytest.approx(70)
    assert stats.minimum == pytest.approx(40) and stats.maximum == pytest.approx(100)
    assert stats.stdev == pytest.approx(30)  # sample sd of 100, 40, 70
    assert stats.bands == (("Høy", 2), ("Middels", 1), ("Lav", 0), ("Ufullstendig", 1))


def test_group_stats_of_two_and_one_unit(ten: Catalogue) -> None:
    """Metode §5: spread needs two units; one unit is its own mean, median and span."""
    a, b = score_submission(tens(10, unit="A"), ten), score_submission(tens(4, unit="B"), ten)
    two = group_stats([b, a])
    assert two.stdev == pytest.approx(math.sqrt(2 * 30**2))
    assert two.mean == pytest.approx(70) and two.minimum == pytest.approx(40)
    one = group_stats([b])
    assert one.n == 1 and one.stdev is None
    assert one.mean == one.median == one.minimum == one.maximum == pytest.approx(40)
    assert one.bands == (("Høy", 0), ("Middels", 1), ("Lav", 0), ("Ufullstendig", 0))


def test_group_of_only_incomplete_units_has_no_statistics(ten: Catalogue) -> None:
    """Metode §5: incomplete units are counted (n 0, 1 ufullstendig) but give no mean."""
    stats = group_stats([score_submission(tens(7, rest=None), ten)])
    assert stats.n == 0 and stats.incomplete == 1
    assert stats.mean is None and stats.median is None and stats.stdev is None
    assert stats.minimum is None and stats.maximum is None
    assert stats.bands[-1] == ("Ufullstendig", 1)


# --- §6 Framdrift mot mål -----------------------------------------------------------------------


def test_progress_is_share_of_way_from_first_round_to_target() -> None:
    """Metode §6: (now − first) / (target − first): 40 → 70 of 40 → 100 is half-way."""
    assert progress(70, 40, 100) == pytest.approx(0.5)
    assert progress(40, 40, 100) == pytest.approx(0)
    assert progress(100, 40, 100) == pytest.approx(1)
    assert progress(30, 40, 90) == pytest.approx(-0.2)


def test_progress_undefined_without_room_to_improve() -> None:
    """Metode §6: no target, no first round, or a target not above it → no progress figure."""
    assert progress(50, 50, 50) is None
    assert progress(50, 60, 55) is None
    assert progress(None, 40, 80) is None
    assert progress(50, 40, None) is None
    assert progress(50, None, 80) is None


def test_unit_key_ties_a_unit_across_rounds(ten: Catalogue) -> None:
    """Metode §6: progress compares a unit with its own first round, so rounds share its key."""
    first = score_submission(tens(4, unit="A"), ten)
    assert first.key == score_submission(tens(10, unit="A"), ten).key
    assert first.key != score_submission(tens(4, unit="B"), ten).key
    assert first.key.pathway == "rules"


def test_each_result_explains_its_number(floor: Catalogue) -> None:
    """Metode §3: every requirement's status, points, weight and cell are kept with the score."""
    s = score_submission(floors(K_01="Ikke startet", N_01="Ikke aktuelt", N_02=None), floor)
    k01, n01, n02 = (
        next(r for r in s.results if r.requirement_id == i) for i in ("K-01", "N-01", "N-02")
    )
    assert (k01.status, k01.points, k01.weight, k01.counted) == ("Ikke startet", 0.0, 3, True)
    assert k01.cell == "Statuskartlegging!G01" and k01.phase == "H"
    assert (n01.points, n01.weight, n01.counted, n01.applicable) == (None, 1, False, True)
    assert (n02.status, n02.counted, n02.cell) == (None, False, "Statuskartlegging!G02")


def test_each_result_keeps_the_units_own_words(floor: Catalogue) -> None:
    """Metode §7 and §2: the unit's own practice, plan, owner, frist, risk and «Andel innen
    forløpstid» stay with each requirement's result, so the unit page and the action plan show
    them next to the status (none when left blank); the share is shown, never scored."""
    due = dt.date(2026, 9, 1)
    statuses = {"K-01": "Påbegynt", "N-01": "Implementert"}
    plan = {
        "K-01": {
            "comment": "Rutine i arbeid",
            "action": "Lage rutine",
            "owner": "Leder",
            "due": due,
            "risk": "høy",
            "share": 40.0,
        }
    }
    s = score_submission(make_submission(statuses, plans=plan), floor)
    k01 = next(r for r in s.results if r.requirement_id == "K-01")
    assert (k01.comment, k01.action, k01.owner) == ("Rutine i arbeid", "Lage rutine", "Leder")
    assert (k01.due, k01.risk, k01.share) == (due, "høy", 40.0)
    n01 = next(r for r in s.results if r.requirement_id == "N-01")
    assert (n01.action, n01.owner, n01.due, n01.risk, n01.comment, n01.share) == (None,) * 6


def test_a_skjema_is_scored_against_the_version_it_was_stamped_with(tmp_path: Path) -> None:
    """Metode §11: a skjema filled in on an older catalogue version is scored by that version's
    requirements and weights; a version that is not loaded falls back to the one given."""
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old = make_catalogue(tmp_path / "old", [{"id": "A-01", "priority": "kritisk"}])
    new = make_catalogue(
        tmp_path / "new",
        [{"id": "A-01", "priority": "normal"}, {"id": "A-02", "priority": "normal"}],
    )
    current = replace(new, version="2", other_versions=(old,))
    answers = {"A-01": "Implementert"}

    stamped_old = score_submission(make_submission(answers, version="1"), current)
    assert [(r.requirement_id, r.weight) for r in stamped_old.results] == [("A-01", 3)]
    assert (stamped_old.coverage, stamped_old.score) == (1.0, 100.0)

    unknown = score_submission(make_submission(answers, version="9"), current)
    assert [(r.requirement_id, r.weight) for r in unknown.results] == [("A-01", 1), ("A-02", 1)]
    assert (unknown.coverage, unknown.band) == (0.5, "Ufullstendig")
