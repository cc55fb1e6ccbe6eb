import datetime as dt

import pytest

from statuskart.catalog.load import load_catalog
from statuskart.catalog.model import Catalogue
from statuskart.score.actions import suggest_actions
from statuskart.score.scoring import ScoringSettings, group_stats, progress, score_submission
from statuskart.validate.model import Answer, Submission, UnitMeta

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

CATALOGUE = """
id: mini
title: Mini
version: "1"
valid_from: 2024-01-01
scale: implementering
priorities: {kritisk: 3, høy: 2, normal: 1}
phases: [{id: H, title: Henvisning}, {id: B, title: Behandling}]
requirements:
  - {id: M-01, phase: H, title: A, text: A, priority: kritisk, action: gjør A, source: x}
  - {id: M-02, phase: H, title: B, text: B, priority: normal, action: gjør B, source: x,
     depends_on: [M-01]}
  - {id: M-03, phase: B, title: C, text: C, priority: høy, action: gjør C, source: x}
  - {id: M-04, phase: B, title: D, text: D, priority: normal, action: gjør D, source: x,
     unit_types: [døgn]}
"""
POINTS = {
    "Ikke startet": 0.0,
    "Påbegynt": 0.3333,
    "Delvis implementert": 0.6667,
    "Implementert": 1.0,
    "Ikke aktuelt": None,
}


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    path = tmp_path_factory.mktemp("cat") / "mini.yaml"
    path.write_text(CATALOGUE, encoding="utf-8")
    return load_catalog(path)


def submission(statuses, unit_type="poliklinikk", unit="Enhet", plans=None, date=None):
    plans = plans or {}
    answers = tuple(
        Answer(
            requirement_id=rid,
            status=st,
            points=POINTS[st] if st else None,
            not_applicable=st == "Ikke aktuelt",
            comment=None,
            action=plans.get(rid, {}).get("action"),
            owner=plans.get(rid, {}).get("owner"),
            due=plans.get(rid, {}).get("due"),
            risk=plans.get(rid, {}).get("risk"),
            cell=f"Statuskartlegging!G{i + 4}",
        )
        for i, (rid, st) in enumerate(statuses.items())
    )
    meta = UnitMeta(
        rhf="Helse Vest RHF",
        hf="Helse Bergen HF",
        unit=unit,
        unit_type=unit_type,
        period="2026-T1",
        date=date or dt.date(2026, 4, 30),
    )
    return Submission(
        path="x.xlsx",
        sha256="0",
        catalogue_id="mini",
        catalogue_version="1",
        meta=meta,
        answers=answers,
    )


def all_(status, **kw):
    return submission({f"M-0{i}": status for i in range(1, 5)}, **kw)


def test_all_implemented_is_100_and_high(mini: Catalogue) -> None:
    s = score_submission(all_("Implementert"), mini)
    assert s.score == pytest.approx(100)
    assert s.band == "Høy" and s.coverage == 1 and s.complete


def test_all_not_started_is_0_and_low(mini: Catalogue) -> None:
    s = score_submission(all_("Ikke startet"), mini)
    assert s.score == 0 and s.band == "Lav"


def test_not_applicable_changes_neither_score_nor_denominator(mini: Catalogue) -> None:
    base = submission({"M-01": "Implementert", "M-02": "Ikke startet", "M-03": "Implementert"})
    with_na = submission({"M-01": "Implementert", "M-02": "Ikke aktuelt", "M-03": "Implementert"})
    # weights 3, 1, 2 → base = (3 + 0 + 2) / 6; N/A removes M-02 from both sides → 5 / 5
    assert score_submission(base, mini).score == pytest.approx(500 / 6)
    s = score_submission(with_na, mini)
    assert s.score == pytest.approx(100)
    assert s.not_applicable == 1 and s.coverage == 1


def test_blanks_lower_coverage_not_score(mini: Catalogue) -> None:
    s = score_submission(submission({"M-01": "Implementert", "M-02": None, "M-03": None}), mini)
    assert s.score == pytest.approx(100)
    assert s.coverage == pytest.approx(1 / 3)
    assert s.unanswered == 2
    assert not s.complete and s.band == "Ufullstendig"


def test_weights_by_priority(mini: Catalogue) -> None:
    s = score_submission(
        submission({"M-01": "Implementert", "M-02": "Ikke startet", "M-03": "Ikke startet"}), mini
    )
    assert s.score == pytest.approx(50)  # 3 / (3 + 1 + 2)
    assert {p.phase: p.score for p in s.phases} == {"H": pytest.approx(75), "B": 0}


def test_requirement_for_other_unit_type_does_not_count(mini: Catalogue) -> None:
    s = score_submission(all_("Implementert", unit_type="poliklinikk"), mini)
    assert s.applicable == 3
    assert not next(r for r in s.results if r.requirement_id == "M-04").counted
    d = score_submission(all_("Implementert", unit_type="døgn"), mini)
    assert d.applicable == 4


def test_floor_rule_keeps_unit_with_critical_not_started_out_of_top_band(mini: Catalogue) -> None:
    sub = submission({"M-01": "Ikke startet", "M-02": "Implementert", "M-03": "Implementert"})
    # 3 of 6 weight → 50: not high anyway; use a lower threshold to isolate the rule
    settings = ScoringSettings(bands=((40.0, "Høy"), (20.0, "Middels"), (0.0, "Lav")))
    s = score_submission(sub, mini, settings)
    assert s.score == pytest.approx(50)
    assert s.band == "Middels" and s.floor_applied


def test_group_mean_is_mean_of_unit_means_not_pooled(mini: Catalogue) -> None:
    a = score_submission(
        submission({"M-01": "Implementert", "M-02": "Implementert", "M-03": "Implementert"}), mini
    )  # 100, weight 6
    b = score_submission(
        submission(
            {"M-01": "Ikke startet", "M-02": "Ikke aktuelt", "M-03": "Ikke aktuelt"}, unit="B"
        ),
        mini,
    )  # 0, weight 3
    stats = group_stats([a, b])
    assert stats.mean == pytest.approx(50)
    pooled = 100 * (6 * 1 + 3 * 0) / 9
    assert stats.mean != pytest.approx(pooled)
    assert stats.n == 2 and stats.median == pytest.approx(50)


def test_progress_toward_target() -> None:
    assert progress(60, 40, 80) == pytest.approx(0.5)
    assert progress(60, None, 80) is None
    assert progress(60, 90, 80) is None


def test_actions_ranked_by_gain_with_dependencies_first(mini: Catalogue) -> None:
    sub = submission({"M-01": "Delvis implementert", "M-02": "Ikke startet", "M-03": "Påbegynt"})
    actions = suggest_actions(mini, sub)
    ids = [a.requirement_id for a in actions]
    # gains: M-01 3×⅓=1, M-02 1×1=1 (but depends on M-01), M-03 2×⅔=1.33
    assert ids == ["M-03", "M-01", "M-02"]
    assert ids.index("M-01") < ids.index("M-02")
    assert actions[1].blocks == ("M-02",)
    assert "må på plass før M-02" in actions[1].reason


def test_high_risk_and_overdue_raise_rank_and_flags(mini: Catalogue) -> None:
    plans = {"M-02": {"risk": "høy", "due": dt.date(2026, 1, 1), "action": "Egen plan"}}
    sub = submission(
        {"M-01": "Implementert", "M-02": "Påbegynt", "M-03": "Delvis implementert"}, plans=plans
    )
    actions = suggest_actions(mini, sub)
    assert [a.requirement_id for a in actions] == ["M-02", "M-03"]
    first = actions[0]
    assert first.overdue and first.no_owner and not first.no_due
    assert first.own_plan and first.text == "Egen plan" and first.suggested == "gjør B"
    assert "høy risiko" in first.reason and "fristen er passert" in first.reason
    assert actions[1].no_owner and actions[1].no_due and not actions[1].overdue


def test_implemented_and_not_applicable_give_no_action(mini: Catalogue) -> None:
    sub = submission({"M-01": "Implementert", "M-02": "Ikke aktuelt", "M-03": None})
    assert [a.requirement_id for a in suggest_actions(mini, sub)] == ["M-03"]
