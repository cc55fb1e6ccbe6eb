import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from statuskart.catalog.load import load_catalog
from statuskart.catalog.model import Catalogue
from statuskart.model.report import build_report
from statuskart.pipeline.run import check_files, score_files
from statuskart.sample.checklists import write_samples
from statuskart.score.rounds import (
    BETTER,
    NA_ENDED,
    NEW_NA,
    NEW_REQ,
    NOW_ANSWERED,
    NOW_BLANK,
    REMOVED_REQ,
    WORSE,
    comparable_segments,
    compare_units,
    group_trend,
    unit_trend,
)
from statuskart.score.scoring import score_submission

from .conftest import TODAY
from .test_scoring import CATALOGUE, submission

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

# Version 2 drops M-04 and adds M-05: the shape of a catalogue revision.
CATALOGUE_V2 = (
    CATALOGUE.replace('version: "1"', 'version: "2"').split("  - {id: M-04")[0]
    + "  - {id: M-05, phase: B, title: E, text: E, priority: normal, action: gjør E, source: x}\n"
)


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalogue, Catalogue]:
    folder = tmp_path_factory.mktemp("cat")
    (folder / "v1.yaml").write_text(CATALOGUE, encoding="utf-8")
    (folder / "v2.yaml").write_text(CATALOGUE_V2, encoding="utf-8")
    return load_catalog(folder / "v1.yaml"), load_catalog(folder / "v2.yaml")


def round_of(period, statuses, catalogue, *, plans=None, date=None, unit_type="døgn"):
    sub = submission(statuses, unit_type=unit_type, plans=plans, date=date)
    sub = replace(
        sub,
        meta=replace(sub.meta, period=period),
        catalogue_version=catalogue.version,
    )
    return score_submission(sub, catalogue)


def test_every_change_class(versions: tuple[Catalogue, Catalogue]) -> None:
    v1, _ = versions
    before = round_of(
        "2026-T1",
        {"M-01": "Påbegynt", "M-02": "Implementert", "M-03": "Implementert", "M-04": None},
        v1,
    )
    after = round_of(
        "2026-T2",
        {"M-01": "Implementert", "M-02": "Påbegynt", "M-03": "Ikke aktuelt", "M-04": "Påbegynt"},
        v1,
    )
    diff = compare_units(before, after)
    kinds = {c.requirement_id: c.kind for c in diff.changes}
    assert kinds == {"M-01": BETTER, "M-02": WORSE, "M-03": NEW_NA, "M-04": NOW_ANSWERED}
    back = compare_units(after, before)
    assert {c.requirement_id: c.kind for c in back.changes} == {
        "M-01": WORSE,
        "M-02": BETTER,
        "M-03": NA_ENDED,
        "M-04": NOW_BLANK,
    }
    assert diff.unchanged == 0 and not diff.catalogue_changed
    # What needs attention comes first.
    assert diff.changes[0].kind == WORSE


def test_same_answer_is_unchanged(versions: tuple[Catalogue, Catalogue]) -> None:
    v1, _ = versions
    answers = {"M-01": "Påbegynt", "M-02": "Implementert", "M-03": None, "M-04": "Ikke aktuelt"}
    diff = compare_units(round_of("2026-T1", answers, v1), round_of("2026-T2", answers, v1))
    assert diff.changes == () and diff.unchanged == 4


def test_catalogue_change_marks_new_and_removed_requirements(
    versions: tuple[Catalogue, Catalogue],
) -> None:
    v1, v2 = versions
    before = round_of("2026-T1", {f"M-0{i}": "Påbegynt" for i in range(1, 5)}, v1)
    after = round_of(
        "2026-T2",
        {"M-01": "Påbegynt", "M-02": "Påbegynt", "M-03": "Påbegynt", "M-05": "Implementert"},
        v2,
    )
    diff = compare_units(before, after)
    assert diff.catalogue_changed
    assert (diff.catalogue_before, diff.catalogue_after) == ("mini 1", "mini 2")
    assert {(c.requirement_id, c.kind) for c in diff.changes} == {
        ("M-05", NEW_REQ),
        ("M-04", REMOVED_REQ),
    }
    trend = unit_trend([before, after])
    assert [len(seg) for seg in comparable_segments(trend)] == [1, 1]  # never joined


def test_requirement_not_applicable_to_the_unit_type_is_not_a_change(
    versions: tuple[Catalogue, Catalogue],
) -> None:
    v1, _ = versions
    a = round_of("2026-T1", {"M-01": "Påbegynt"}, v1, unit_type="poliklinikk")
    b = round_of("2026-T2", {"M-01": "Påbegynt"}, v1, unit_type="poliklinikk")
    assert all(c.requirement_id != "M-04" for c in compare_units(a, b).changes)


def test_tiltak_due_between_rounds_and_whether_status_moved(
    versions: tuple[Catalogue, Catalogue],
) -> None:
    v1, _ = versions
    plans = {
        "M-01": {"action": "Ny rutine", "owner": "Leder", "due": dt.date(2026, 6, 1)},
        "M-02": {"action": "Opplæring", "owner": "Leder", "due": dt.date(2026, 7, 1)},
        "M-03": {"action": "Senere", "owner": "Leder", "due": dt.date(2027, 3, 1)},  # after
    }
    before = round_of(
        "2026-T1",
        {"M-01": "Påbegynt", "M-02": "Påbegynt", "M-03": "Ikke startet", "M-04": "Påbegynt"},
        v1,
        plans=plans,
        date=dt.date(2026, 4, 30),
    )
    after = round_of(
        "2026-T2",
        {"M-01": "Implementert", "M-02": "Påbegynt", "M-03": "Ikke startet", "M-04": "Påbegynt"},
        v1,
        date=dt.date(2026, 8, 31),
    )
    checks = compare_units(before, after).due_between
    assert [(c.requirement_id, c.moved) for c in checks] == [("M-02", False), ("M-01", True)]
    assert checks[0].action == "Opplæring" and checks[0].due == dt.date(2026, 7, 1)


def test_group_trend_is_mean_of_complete_unit_scores(versions: tuple[Catalogue, Catalogue]) -> None:
    v1, _ = versions
    a1 = round_of("2026-T1", {f"M-0{i}": "Implementert" for i in range(1, 5)}, v1)
    b1 = round_of("2026-T1", {f"M-0{i}": "Ikke startet" for i in range(1, 5)}, v1)
    a2 = round_of("2026-T2", {f"M-0{i}": "Implementert" for i in range(1, 5)}, v1)
    blank = round_of("2026-T2", {}, v1)  # coverage 0: counted, not averaged
    points = group_trend([a1, b1, a2, blank], ["2026-T1", "2026-T2"])
    assert [(p.period, p.score, p.n) for p in points] == [
        ("2026-T1", 50.0, 2),
        ("2026-T2", 100.0, 1),
    ]
    assert points[1].coverage == pytest.approx(0.5)
    assert points[0].catalogue == "mini 1"


def test_three_round_sample_through_the_report(
    tmp_path: Path, tsb: Catalogue, catalogues: dict[str, Catalogue]
) -> None:
    write_samples(tsb, tmp_path, units=6, rounds=3, seed=11)
    reports = check_files([tmp_path], catalogues, TODAY)
    scores = score_files(reports, catalogues)
    model = build_report(
        reports,
        scores,
        catalogues,
        build_date=TODAY,
        version="t",
        method_version="1",
        empty_rounds=["2026-T3"],
    )
    assert model.periods == ("2025-T3", "2026-T1", "2026-T2")
    assert [(r.period, r.files) for r in model.rounds][-1] == ("2026-T3", 0)
    for unit in model.units:
        assert [p.period for p in unit.trend] == list(model.periods)
        assert unit.trend[-1].score == (unit.score.score if unit.score.complete else None)
        assert unit.diff is not None and unit.diff.previous == "2026-T1"
        changed = {c.requirement_id for c in unit.diff.changes}
        assert len(changed) + unit.diff.unchanged == len(tsb.requirements)
    for group in model.rhfs:
        complete = [u.score for u in group.units if u.score.complete]
        latest = [s.score for s in complete if s.score is not None]
        assert len(latest) == len(complete)  # a complete score is a number
        assert group.trend[-1].score == pytest.approx(sum(latest) / len(latest))
        assert group.trend[-1].n == len(latest)


def test_group_trend_is_like_for_like(versions: tuple[Catalogue, Catalogue]) -> None:
    """Metode: a group's change between rounds counts only units complete in both rounds."""
    v1, _ = versions

    def unit(name, period, status):
        s = round_of(period, {f"M-0{i}": status for i in range(1, 5)}, v1)
        return replace(s, unit=replace(s.unit, unit=name))

    scores = [
        unit("A", "2026-T1", "Ikke startet"),
        unit("B", "2026-T1", "Ikke startet"),
        unit("A", "2026-T2", "Implementert"),  # A improved by 100
        unit("C", "2026-T2", "Ikke startet"),  # C came, B went: the plain mean moves 0 → 50
    ]
    first, second = group_trend(scores, ["2026-T1", "2026-T2"])
    assert (first.change, first.paired) == (None, 0)
    assert second.score == 50
    assert (second.change, second.paired, second.came, second.went) == (100, 1, 1, 1)
