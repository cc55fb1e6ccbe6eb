"""Scoring ahead (score/ahead.py): skjemas scored while the others are read give the same scores.

A skjema is scored as it arrives by the day its round would have if it were not the newest; the
score is kept only when the real day reads the same of it. Held here against scoring after all
files are read, for a build inside the newest round and one long after it (where the early guess
is wrong for every skjema of the newest round), through the worker pool, the serial path and
the cache.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.pipeline.run import check_files, score_files
from statuskart.score.actions import day_signature
from statuskart.score.ahead import ScoresAhead
from statuskart.score.scoring import score_submission
from statuskart.validate.model import Submission

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    from statuskart.sample.checklists import write_samples

    folder = tmp_path_factory.mktemp("ahead") / "checklists"
    write_samples(tsb, folder, units=14, rounds=2, seed=11)  # 28 files: the pool reads them
    return folder


@pytest.mark.parametrize(
    ("today", "workers"), [(dt.date(2026, 6, 15), 1), (dt.date(2027, 3, 1), 2)]
)
def test_scores_ahead_equal_scores_after(
    sample: Path,
    catalogues: dict[str, Catalogue],
    tmp_path: Path,
    today: dt.date,
    workers: int,
) -> None:
    plain = check_files([sample], catalogues, today, workers=workers)
    expected = score_files(plain, catalogues, today=today)
    for _ in ("cold cache", "warm cache"):
        ahead = ScoresAhead(catalogues)
        reports = check_files(
            [sample], catalogues, today, workers=workers, cache_dir=tmp_path, ahead=ahead
        )
        assert reports == plain
        assert score_files(reports, catalogues, today=today, ahead=ahead) == expected
    assert len(expected) == 28


def test_round_folders_without_a_period_name_guess_wrong_and_score_right(
    sample: Path, catalogues: dict[str, Catalogue], tmp_path: Path
) -> None:
    """The guess of the newest round comes from the folder names; here they name none."""
    plain_names = tmp_path / "skjemaer"
    for n, folder in enumerate(sorted(p for p in sample.iterdir() if p.is_dir())):
        shutil.copytree(folder, plain_names / f"mappe-{n}")
    today = dt.date(2027, 3, 1)  # after the newest round's end: its guessed day is wrong
    plain = check_files([plain_names], catalogues, today, workers=1)
    ahead = ScoresAhead(catalogues)
    reports = check_files([plain_names], catalogues, today, workers=1, ahead=ahead)
    expected = score_files(plain, catalogues, today=today)
    assert score_files(reports, catalogues, today=today, ahead=ahead) == expected


def test_a_wrong_guess_is_scored_again(
    sample: Path, catalogues: dict[str, Catalogue], tsb: Catalogue
) -> None:
    """A skjema scored by a day whose frister read otherwise than the real day's is not kept."""
    reports = check_files([sample], catalogues, dt.date(2026, 6, 15), workers=1)
    sub = next(
        r.submission
        for r in reports
        if r.submission and sum(1 for a in r.submission.answers if a.due) >= 2
    )
    dues = sorted({a.due for a in sub.answers if a.due})
    early, late = dues[0] - dt.timedelta(days=1), dues[-1] + dt.timedelta(days=1)
    assert day_signature(sub, early) != day_signature(sub, late)
    ahead = ScoresAhead(catalogues)
    ahead.add(sub, early)
    assert ahead.score(sub, late) == score_submission(sub, tsb, None, late)
    assert ahead.score(sub, late) != score_submission(sub, tsb, None, early)


def test_days_that_read_a_skjema_alike_score_it_alike(
    sample: Path, catalogues: dict[str, Catalogue], tsb: Catalogue
) -> None:
    """What ScoresAhead relies on: the day matters to a score only through its signature."""
    reports = check_files([sample], catalogues, dt.date(2026, 6, 15), workers=1)
    subs: list[Submission] = [r.submission for r in reports if r.submission][:6]
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=37 * n) for n in range(30)]
    compared = 0
    for sub in subs:
        by_signature: dict[tuple[bool, ...], object] = {}
        for day in days:
            score = score_submission(sub, tsb, None, day)
            seen = by_signature.setdefault(day_signature(sub, day), score)
            assert seen == score, (sub.meta.unit, day)
            compared += seen is not score
    assert compared > 0
    undated = dataclasses.replace(subs[0], meta=dataclasses.replace(subs[0].meta, date=None))
    assert day_signature(undated, None) == ()


def test_cached_skjemas_are_taken_while_the_workers_read_the_new_round(
    sample: Path,
    catalogues: dict[str, Catalogue],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A new round beside cached ones: the pool reads the new files, the cache gives the rest."""
    from statuskart.validate import intake

    today = dt.date(2027, 3, 1)
    plain = check_files([sample], catalogues, today, workers=1)
    expected = score_files(plain, catalogues, today=today)
    earlier = sorted(p for p in sample.iterdir() if p.is_dir())[0]
    check_files([earlier], catalogues, today, workers=1, cache_dir=tmp_path)
    monkeypatch.setattr(intake, "POOL_MIN_FILES", 4)
    seen: list[Path] = []
    ahead = ScoresAhead(catalogues)
    reports = check_files(
        [sample],
        catalogues,
        today,
        seen.append,
        workers=2,
        cache_dir=tmp_path,
        ahead=ahead,
    )
    assert reports == plain
    assert sorted(seen) == sorted(Path(r.path) for r in plain)
    assert score_files(reports, catalogues, today=today, ahead=ahead) == expected


def test_scores_made_with_other_settings_are_not_used(
    sample: Path, catalogues: dict[str, Catalogue]
) -> None:
    from statuskart.score.scoring import ScoringSettings

    today = dt.date(2026, 6, 15)
    strict = ScoringSettings(coverage_threshold=0.99)
    ahead = ScoresAhead(catalogues)  # the default method
    reports = check_files([sample], catalogues, today, workers=1, ahead=ahead)
    expected = score_files(reports, catalogues, strict, today=today)
    assert score_files(reports, catalogues, strict, today=today, ahead=ahead) == expected
    assert expected != score_files(reports, catalogues, today=today)
