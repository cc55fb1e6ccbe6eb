import os
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.core import processes
from statuskart.core.timing import Stopwatch
from statuskart.pipeline.run import check_files
from statuskart.sample.checklists import write_samples
from statuskart.validate import intake
from statuskart.validate.model import FileReport
from statuskart.workbook.pool import map_isolated
from statuskart.workbook.raw import ReadResult
from statuskart.workbook.read import read_workbook

from .conftest import TODAY, WorkbookFactory

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run


@pytest.fixture(scope="session")
def folder(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    """30 skjema (10 units × 3 rounds), some with mistakes: enough to use the pool."""
    root = tmp_path_factory.mktemp("intake")
    paths = write_samples(tsb, root, units=10, rounds=3, mistakes=True)
    assert len(paths) >= intake.POOL_MIN_FILES
    return root


@pytest.fixture(scope="session")
def serial(folder: Path, catalogues: dict[str, Catalogue]) -> tuple[FileReport, ...]:
    return check_files([folder], catalogues, TODAY, workers=1)


def test_pool_gives_the_serial_result_in_the_same_order(
    folder: Path, catalogues: dict[str, Catalogue], serial: tuple[FileReport, ...]
) -> None:
    seen: list[Path] = []
    watch = Stopwatch()
    pooled = check_files([folder], catalogues, TODAY, seen.append, workers=2, watch=watch)
    assert pooled == serial
    assert sorted(seen) == sorted(Path(r.path) for r in serial)  # progress once per file
    assert {"read", "validate"} <= set(watch.seconds)
    assert any(r.status == "rejected" for r in serial)  # the mistakes are really in there


def _crash_on(victim: str, *, hard: bool) -> Callable[[Path | str], ReadResult]:
    def reader(path: Path | str) -> ReadResult:
        if Path(path).name == victim:
            if hard:
                os._exit(1)  # the worker process dies, as on a segfault or the OOM killer
            raise RecursionError("too deep")
        return read_workbook(path)

    return reader


@pytest.mark.skipif(
    processes.start_method() != "fork",
    reason="the patched reader reaches forked workers only; map_isolated's own tests below "
    "cover crashing workers under every start method",
)
@pytest.mark.parametrize("hard", [True, False], ids=["worker-dies", "reader-raises"])
def test_a_crash_is_a_finding_for_that_file_only(
    folder: Path,
    catalogues: dict[str, Catalogue],
    serial: tuple[FileReport, ...],
    monkeypatch: pytest.MonkeyPatch,
    hard: bool,
) -> None:
    victim = Path(serial[7].path).name
    monkeypatch.setattr(intake, "read_workbook", _crash_on(victim, hard=hard))
    pooled = check_files([folder], catalogues, TODAY, workers=2)
    assert [r.path for r in pooled] == [r.path for r in serial]
    for mine, expected in zip(pooled, serial, strict=True):
        if Path(mine.path).name != victim:
            assert mine == expected
            continue
        assert mine.status == "rejected"
        assert [f.code for f in mine.findings] == ["reader-crashed"]
        assert mine.findings[0].file == expected.path
        assert ("RecursionError" in mine.findings[0].message) is not hard


def _fail_some(n: int) -> int:
    if n in (3, 4, 11):
        os._exit(3)
    if n == 7:
        raise ValueError("seven")
    return n * n


def test_map_isolated_isolates_several_culprits() -> None:
    items = list(range(16))
    out = map_isolated(_fail_some, items, workers=2, on_failure=lambda n, why: f"{n}:{why}")
    expected: list[object] = [n * n for n in items]
    for n in (3, 4, 11):
        expected[n] = f"{n}:worker-died"
    expected[7] = "7:ValueError: seven"
    assert out == expected


def test_cache_reuses_unchanged_files_and_rereads_changed_ones(
    folder: Path,
    catalogues: dict[str, Catalogue],
    serial: tuple[FileReport, ...],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = tmp_path / "cache"
    assert check_files([folder], catalogues, TODAY, workers=1, cache_dir=cache) == serial
    calls: list[str] = []

    def counting(path: Path | str) -> ReadResult:
        calls.append(Path(path).name)
        return read_workbook(path)

    monkeypatch.setattr(intake, "read_workbook", counting)
    assert check_files([folder], catalogues, TODAY, workers=1, cache_dir=cache) == serial
    assert calls == []  # every report came from the cache
    # Another day: every report still comes from the cache, with that day's overdue findings.
    later = TODAY.replace(year=2027)
    next_year = check_files([folder], catalogues, later, workers=1, cache_dir=cache)
    assert calls == []
    monkeypatch.undo()
    assert next_year == check_files([folder], catalogues, later, workers=1)
    overdue = [
        sum(f.code == "due-in-past" for r in reports for f in r.findings)
        for reports in (serial, next_year)
    ]
    assert overdue[1] > overdue[0]  # the findings are not the cached day's


def test_cache_misses_on_changed_bytes_and_ignores_corrupt_entries(
    tmp_path: Path,
    catalogues: dict[str, Catalogue],
    filled_workbook: WorkbookFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = filled_workbook({"TSB-08": "Delvis implementert"}, name="skjema.xlsx")
    cache = tmp_path / "cache"
    first = check_files([path], catalogues, TODAY, cache_dir=cache)
    entries = [p for p in (cache / "reports").rglob("*") if p.is_file()]
    assert len(entries) == 1
    entries[0].write_bytes(b"\x80\x05garbage")  # truncated / foreign pickle
    assert check_files([path], catalogues, TODAY, cache_dir=cache) == first
    entries[0].write_bytes(pickle.dumps(["not", "a", "report"]))
    assert check_files([path], catalogues, TODAY, cache_dir=cache) == first
    changed = filled_workbook({"TSB-08": "Ikke startet"}, name="skjema.xlsx")  # new bytes
    assert changed == path
    again = check_files([path], catalogues, TODAY, cache_dir=cache)
    assert again != first
    assert again == check_files([path], catalogues, TODAY)


def test_default_cache_dir_honours_env_and_xdg(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STATUSKART_CACHE_DIR", str(tmp_path / "mine"))
    assert intake.default_cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("STATUSKART_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert intake.default_cache_dir() == tmp_path / "xdg" / "statuskart"


def test_serial_path_turns_a_raising_reader_into_a_finding_too(
    filled_workbook: WorkbookFactory,
    catalogues: dict[str, Catalogue],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good = filled_workbook(name="a.xlsx")
    bad = filled_workbook(name="b.xlsx")
    expected = check_files([good], catalogues, TODAY, workers=1)
    monkeypatch.setattr(intake, "read_workbook", _crash_on(bad.name, hard=False))
    reports = check_files([good, bad], catalogues, TODAY, workers=1)
    assert reports[0] == expected[0]
    assert [f.code for f in reports[1].findings] == ["reader-crashed"]
    assert reports[1].status == "rejected"
