"""The action rules of «Metode» §7 (Foreslåtte tiltak), pinned with hand-worked gains.

Weights: kritisk 3, høy 2, normal 1; gain = weight × (1 − points), × 1.25 for high risk and for a
passed frist; a requirement others depend on comes first and inherits their best gain.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.score.actions import suggest_actions
from statuskart.score.scoring import score_submission

from .rules_support import FILLED_IN, make_catalogue, make_submission

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

REQUIREMENTS: list[dict[str, Any]] = [
    {"id": "X-01", "priority": "kritisk"},
    {"id": "X-02", "priority": "høy"},
    {"id": "X-03", "priority": "normal"},
    {"id": "X-04", "priority": "normal", "unit_types": ["døgn"]},
    {"id": "X-05", "priority": "normal"},
]
BEFORE, AFTER = FILLED_IN - dt.timedelta(days=1), FILLED_IN + dt.timedelta(days=1)


@pytest.fixture(scope="module")
def cat(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    return make_catalogue(tmp_path_factory.mktemp("actions"), REQUIREMENTS)


def by_id(actions):
    return {a.requirement_id: a for a in actions}


def done(**changed):
    """Everything implemented except ``changed`` (X_03="Påbegynt", …)."""
    statuses: dict[str, str | None] = {r["id"]: "Implementert" for r in REQUIREMENTS}
    statuses.update({k.replace("_", "-"): v for k, v in changed.items()})
    return statuses


def test_every_open_applicable_requirement_is_an_action(cat: Catalogue) -> None:
    """Metode §7: every applicable requirement not implemented, unanswered too, is an action."""
    sub = make_submission(
        {
            "X-01": "Implementert",
            "X-02": "Ikke aktuelt",
            "X-03": "Ikke startet",
            "X-04": "Ikke startet",
            "X-05": None,
        }
    )
    assert [a.requirement_id for a in suggest_actions(cat, sub)] == ["X-03", "X-05"]
    dogn = make_submission(done(X_04="Delvis implementert"), unit_type="døgn")
    assert [a.requirement_id for a in suggest_actions(cat, dogn)] == ["X-04"]
    assert suggest_actions(cat, make_submission(done())) == ()


@pytest.mark.parametrize(
    ("changed", "gain"),
    [
        ({"X_01": "Ikke startet"}, 3.0),  # kritisk, nothing done: the whole weight
        ({"X_01": None}, 3.0),  # unanswered: the whole weight too
        ({"X_02": "Påbegynt"}, 1.333),  # 2 × (1 − ⅓)
        ({"X_01": "Delvis implementert"}, 1.0),  # 3 × (1 − ⅔)
        ({"X_03": "Delvis implementert"}, 0.333),  # 1 × (1 − ⅔)
    ],
)
def test_gain_is_weight_times_what_remains(cat: Catalogue, changed, gain) -> None:
    """Metode §7: expected gain = weight × (1 − points)."""
    (action,) = suggest_actions(cat, make_submission(done(**changed)))
    assert action.gain == pytest.approx(gain, abs=0.001)
    assert action.rank == 1


def test_unanswered_reason_says_status_missing(cat: Catalogue) -> None:
    """Metode §7: an unanswered requirement is an action, and the reason says why."""
    (action,) = suggest_actions(cat, make_submission(done(X_01=None)))
    assert "status mangler" in action.reason and action.status is None
    (started,) = suggest_actions(cat, make_submission(done(X_01="Påbegynt")))
    assert "status mangler" not in started.reason and started.status == "Påbegynt"


@pytest.mark.parametrize(
    ("risk", "gain"), [("høy", 1.25), ("middels", 1.0), ("lav", 1.0), (None, 1.0)]
)
def test_only_high_risk_raises_gain(cat: Catalogue, risk, gain) -> None:
    """Metode §7: high self-reported risk gives × 1.25; middels and lav do not."""
    sub = make_submission(done(X_03="Ikke startet"), plans={"X-03": {"risk": risk}})
    (action,) = suggest_actions(cat, sub)
    assert action.gain == pytest.approx(gain)
    assert ("høy risiko" in action.reason) is (risk == "høy")
    assert action.risk == risk


@pytest.mark.parametrize(
    ("due", "overdue"), [(BEFORE, True), (FILLED_IN, False), (AFTER, False), (None, False)]
)
def test_passed_frist_is_judged_against_the_fill_in_date(cat: Catalogue, due, overdue) -> None:
    """Metode §7: a frist before the day the skjema was filled in is passed: flag and × 1.25."""
    sub = make_submission(done(X_03="Ikke startet"), plans={"X-03": {"due": due}})
    (action,) = suggest_actions(cat, sub)
    assert action.overdue is overdue
    assert action.gain == pytest.approx(1.25 if overdue else 1.0)
    assert ("fristen er passert" in action.reason) is overdue
    assert action.no_due is (due is None) and action.due == due


def test_high_risk_and_passed_frist_multiply(cat: Catalogue) -> None:
    """Metode §7: both raises apply: 2 × 1 × 1.25 × 1.25 = 3.125."""
    sub = make_submission(done(X_02="Ikke startet"), plans={"X-02": {"due": BEFORE, "risk": "høy"}})
    (action,) = suggest_actions(cat, sub)
    assert action.gain == pytest.approx(3.125)


def test_reference_date_replaces_fill_in_date(cat: Catalogue) -> None:
    """Metode §7: frister are judged against a date; a caller may give a later one."""
    sub = make_submission(done(X_03="Ikke startet"), plans={"X-03": {"due": AFTER}})
    (action,) = suggest_actions(cat, sub, AFTER + dt.timedelta(days=1))
    assert action.overdue and action.gain == pytest.approx(1.25)
    (scored,) = score_submission(sub, cat, reference_date=AFTER + dt.timedelta(days=1)).actions
    assert scored.overdue


def test_without_a_fill_in_date_nothing_is_overdue(cat: Catalogue) -> None:
    """Metode §7: with no date to judge against, no frist counts as passed."""
    sub = make_submission(done(X_03="Ikke startet"), date=None, plans={"X-03": {"due": BEFORE}})
    (action,) = suggest_actions(cat, sub)
    assert not action.overdue and action.gain == pytest.approx(1.0)


def test_flags_and_own_plan(cat: Catalogue) -> None:
    """Metode §7: flags «no owner», «no frist»; the unit's own tiltak before the catalogue's."""
    sub = make_submission(
        done(X_02="Ikke startet", X_03="Ikke startet"),
        plans={"X-02": {"action": "Egen plan", "owner": "Leder", "due": AFTER}},
    )
    own, suggested = suggest_actions(cat, sub)
    assert own.requirement_id == "X-02" and own.own_plan and own.text == "Egen plan"
    assert own.suggested == "gjør X-02" and own.owner == "Leder"
    assert not own.no_owner and not own.no_due and not own.overdue
    assert not suggested.own_plan and suggested.text == "gjør X-03"
    assert suggested.no_owner and suggested.no_due and suggested.owner is None


def test_ranked_by_gain_from_one(cat: Catalogue) -> None:
    """Metode §7: ranked by expected gain, highest first; ranks are 1, 2, 3 …"""
    sub = make_submission(
        {
            "X-01": "Delvis implementert",
            "X-02": "Ikke startet",
            "X-03": "Ikke startet",
            "X-04": "Ikke startet",
            "X-05": "Påbegynt",
        }
    )
    actions = suggest_actions(cat, sub)  # gains: X-02 2, X-01 1, X-03 1, X-05 0.667
    assert [(a.rank, a.requirement_id) for a in actions] == [
        (1, "X-02"),
        (2, "X-01"),
        (3, "X-03"),
        (4, "X-05"),
    ]
    assert [a.gain for a in actions] == pytest.approx([2.0, 1.0, 1.0, 0.667], abs=0.001)


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    return make_catalogue(
        tmp_path_factory.mktemp("chain"),
        [
            {"id": "C-01", "priority": "normal"},
            {"id": "C-02", "priority": "normal", "depends_on": ["C-01"]},
            {"id": "C-03", "priority": "kritisk", "depends_on": ["C-02"]},
            {"id": "C-04", "priority": "høy"},
        ],
    )


def test_enabler_comes_first_and_inherits_best_gain(chain: Catalogue) -> None:
    """Metode §7: C-01 ← C-02 ← C-03 (gain 3): both enablers rank above C-04 (gain 2)."""
    sub = make_submission(
        {
            "C-01": "Delvis implementert",
            "C-02": "Delvis implementert",
            "C-03": "Ikke startet",
            "C-04": "Ikke startet",
        }
    )
    actions = suggest_actions(chain, sub)
    assert [a.requirement_id for a in actions] == ["C-01", "C-02", "C-03", "C-04"]
    assert [a.rank for a in actions] == [1, 2, 3, 4]
    # the inherited gain only orders; each action shows its own
    assert [a.gain for a in actions] == pytest.approx([0.333, 0.333, 3.0, 2.0], abs=0.001)
    assert actions[0].blocks == ("C-02",) and actions[1].blocks == ("C-03",)
    assert actions[2].blocks == () and "må på plass før C-03" in actions[1].reason


def test_dependency_ordering_without_inheritance_need(chain: Catalogue) -> None:
    """Metode §7: a dependent never comes before what it depends on, even with a higher gain."""
    sub = make_submission(
        {"C-01": "Påbegynt", "C-02": "Ikke startet", "C-03": "Implementert", "C-04": "Implementert"}
    )
    assert [a.requirement_id for a in suggest_actions(chain, sub)] == ["C-01", "C-02"]


def test_implemented_enabler_does_not_hold_anything_back(chain: Catalogue) -> None:
    """Metode §7: only open requirements order others; a done one is no longer a step."""
    sub = make_submission(
        {"C-01": "Implementert", "C-02": "Implementert", "C-03": "Påbegynt", "C-04": "Ikke startet"}
    )
    actions = suggest_actions(chain, sub)  # C-03: 3 × ⅔ = 2.0 ties C-04 2.0 → catalogue order
    assert [a.requirement_id for a in actions] == ["C-03", "C-04"]
    assert all(a.blocks == () for a in actions)
    assert all("må på plass" not in a.reason for a in actions)


def test_requirement_with_no_answer_at_all_is_open(cat: Catalogue) -> None:
    """Metode §7: a requirement the submission has no row for is open like an unanswered one."""
    statuses = done(X_03="Påbegynt")
    del statuses["X-01"]  # a kritisk requirement missing from the submission entirely
    actions = suggest_actions(cat, make_submission(statuses, plans={"X-03": {"risk": "høy"}}))
    missing = by_id(actions)["X-01"]
    assert missing.rank == 1 and missing.gain == 3.0 and missing.status is None
    assert missing.no_owner and missing.no_due and not missing.overdue and missing.risk is None
    assert not missing.own_plan and missing.text == "gjør X-01"
    assert "status mangler" in missing.reason and "høy risiko" not in missing.reason
    assert by_id(actions)["X-03"].gain == pytest.approx(0.833)  # 1 × ⅔ × 1.25


def test_gain_is_shown_with_three_decimals(cat: Catalogue) -> None:
    """Metode §7: gains are weighted points rounded to three decimals: 2 × (1 − 0.3333) = 1.333."""
    (action,) = suggest_actions(cat, make_submission(done(X_02="Påbegynt")))
    assert action.gain == 1.333


def test_requirement_waits_for_all_its_enablers(tmp_path: Path) -> None:
    """Metode §7: a requirement with two open enablers comes after both, and only once."""
    cat = make_catalogue(
        tmp_path,
        [
            {"id": "D-01", "priority": "normal"},
            {"id": "D-02", "priority": "normal"},
            {"id": "D-03", "priority": "kritisk", "depends_on": ["D-01", "D-02"]},
            {"id": "D-04", "priority": "høy"},
        ],
    )
    sub = make_submission(
        {"D-01": "Påbegynt", "D-02": "Delvis implementert", "D-03": "Ikke startet", "D-04": None}
    )
    actions = suggest_actions(cat, sub)
    assert [a.requirement_id for a in actions] == ["D-01", "D-02", "D-03", "D-04"]
    assert [a.rank for a in actions] == [1, 2, 3, 4]
    assert actions[0].blocks == ("D-03",) and actions[1].blocks == ("D-03",)


def test_done_requirement_is_not_listed_as_waiting(chain: Catalogue) -> None:
    """Metode §7: «bygger på» lists only open requirements; a done dependent waits for nothing."""
    sub = make_submission(
        {"C-01": "Påbegynt", "C-02": "Implementert", "C-03": "Implementert", "C-04": "Implementert"}
    )
    (action,) = suggest_actions(chain, sub)
    assert action.requirement_id == "C-01" and action.blocks == ()
