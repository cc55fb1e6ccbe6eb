"""The cache serves every day, stays under its bound, and says how much it holds."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.core import cache
from statuskart.sample.checklists import write_samples
from statuskart.validate import intake
from statuskart.workbook.raw import ReadResult
from statuskart.workbook.read import read_workbook

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run


@pytest.fixture(scope="module")
def checklists(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    root = tmp_path_factory.mktemp("days")
    write_samples(tsb, root, units=3, rounds=2, seed=5)
    return root


def _overdue(site: Path) -> int:
    """«due-in-past» findings shown on the unit pages."""
    pages = (site / "enheter").glob("*.html")
    return sum(p.read_text(encoding="utf-8").count("er passert, men kravet") for p in pages)


def test_a_build_the_next_day_reads_every_skjema_from_the_cache(
    checklists: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATUSKART_CACHE_DIR", str(tmp_path / "cache"))
    first_day = CliRunner().invoke(
        main, ["build", str(checklists), "-o", str(tmp_path / "a"), "--today", "2026-05-02"]
    )
    assert first_day.exit_code == 0, first_day.output
    reads: list[str] = []

    def reader(path: Path | str) -> ReadResult:
        reads.append(str(path))
        return read_workbook(path)

    monkeypatch.setattr(intake, "read_workbook", reader)  # 6 files: read in this process
    next_year = ["build", str(checklists), "-o", str(tmp_path / "b"), "--today", "2027-11-24"]
    second_day = CliRunner().invoke(main, next_year)
    assert second_day.exit_code == 0, second_day.output
    assert reads == []  # the other day's entries served this day
    monkeypatch.setenv("STATUSKART_CACHE_DIR", str(tmp_path / "cold"))
    fresh = CliRunner().invoke(main, [*next_year[:3], str(tmp_path / "c"), *next_year[4:]])
    assert fresh.exit_code == 0, fresh.output
    assert len(reads) == 6
    # The day's findings are the day's own, not the cached day's: as a cold build gives them.
    assert _overdue(tmp_path / "b") == _overdue(tmp_path / "c") > _overdue(tmp_path / "a")
    pages = sorted(p.relative_to(tmp_path / "c") for p in (tmp_path / "c").rglob("*.html"))
    for page in pages:
        assert (tmp_path / "b" / page).read_bytes() == (tmp_path / "c" / page).read_bytes(), page


def _entry(folder: Path, name: str, size: int, age_days: float) -> Path:
    path = folder / "reports" / name[:2] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    stamp = time.time() - age_days * 86400
    os.utime(path, (stamp, stamp))
    return path


def _site(folder: Path, name: str, size: int, age_days: float) -> Path:
    path = folder / "sites" / name
    (path / "site").mkdir(parents=True)
    (path / "site" / "index.html").write_bytes(b"x" * size)
    stamp = time.time() - age_days * 86400
    os.utime(path, (stamp, stamp))
    return path


def test_trim_removes_old_entries_then_the_least_recently_used(tmp_path: Path) -> None:
    old = _entry(tmp_path, "aa-old", 10, age_days=40)
    used = [_entry(tmp_path, f"b{i}-used", 100, age_days=i + 1) for i in range(4)]
    old_site = _site(tmp_path, "s-old", 1000, age_days=45)
    busy_site = _site(tmp_path, "s-busy", 1000, age_days=0)  # a build may be running in it
    theirs = tmp_path / "someone-elses.txt"
    theirs.write_text("not ours", encoding="utf-8")
    freed = cache.trim(tmp_path, limit=1250)
    assert not old.exists() and not old_site.exists()
    # 1,000 (busy) + 400 is over 1,250: the two least recently used go, the newest stay.
    assert [p.exists() for p in used] == [True, True, False, False]
    assert busy_site.exists() and theirs.exists()
    assert freed == 10 + 1000 + 200
    assert cache.usage(tmp_path) == cache.Usage(tmp_path, 1200, reports=2, sites=1)


def test_a_cache_hit_counts_as_use(
    tmp_path: Path, catalogues: dict[str, Catalogue], checklists: Path
) -> None:
    from statuskart.pipeline.run import check_files

    from .conftest import TODAY

    check_files([checklists], catalogues, TODAY, cache_dir=tmp_path)
    entries = [p for p in (tmp_path / "reports").rglob("*") if p.is_file()]
    stamp = time.time() - 40 * 86400
    for path in entries:
        os.utime(path, (stamp, stamp))
    check_files([checklists], catalogues, TODAY, cache_dir=tmp_path)  # every file a hit
    cache.trim(tmp_path)
    assert all(path.exists() for path in entries)


def test_the_cache_command_says_what_it_holds_and_clears_only_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATUSKART_CACHE_DIR", str(tmp_path))
    _entry(tmp_path, "cc-one", 1_500_000, age_days=1)
    _site(tmp_path, "s-one", 1_000_000, age_days=1)
    theirs = tmp_path / "notes.json"
    theirs.write_text(json.dumps({"mine": True}), encoding="utf-8")
    shown = CliRunner().invoke(main, ["cache"])
    assert shown.exit_code == 0, shown.output
    assert f"Hurtigbuffer: {tmp_path}" in shown.output
    assert "Størrelse: 2,5 MB (1 lest skjema og 1 nettsted)." in shown.output
    assert "Grense: 1\u00a0000 MB (STATUSKART_CACHE_MAX_MB)" in shown.output
    cleared = CliRunner().invoke(main, ["cache", "--clear"])
    assert cleared.exit_code == 0, cleared.output
    assert "2,5 MB frigjort" in cleared.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.json"]
    monkeypatch.setenv("STATUSKART_CACHE_MAX_MB", "mye")
    refused = CliRunner().invoke(main, ["cache"])
    assert refused.exit_code == 2
    assert "STATUSKART_CACHE_MAX_MB=mye er ikke et antall megabyte" in refused.stderr


def test_cache_key_covers_the_code_that_reads_and_validates() -> None:
    """A changed rule in any reading stage must miss the old entries (the move to stage packages
    once left the digest hashing no file at all)."""
    from statuskart.validate import intake

    package = Path(intake.__file__).resolve().parents[1]
    hashed = {p.relative_to(package).as_posix() for p in intake.reading_modules()}
    for needed in (
        "validate/rules.py",
        "validate/model.py",
        "validate/typed_values.py",
        "workbook/read.py",
        "workbook/grid.py",
        "workbook/fast_xlsx.py",
        "core/messages.py",
        "core/findings.py",
        "catalog/model.py",
    ):
        assert needed in hashed
