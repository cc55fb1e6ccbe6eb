"""Benchmark: a skjema read against its floor, python-calamine's value load (issue #29, target 1).

Both figures are CPU time per workbook in this one process (time.process_time, so the other
processes on a shared machine disturb them less), on the same files, each the median of
``--repeat`` passes over all of them. «calamine» opens each file and loads every sheet's values
(``to_python``); «statuskart» is ``read_workbook``: values, the number formats and row marks the
checks need, the stamp and the front sheet, with every guard. No cache is involved.

Usage: python benchmarks/read_floor.py [--dir /tmp/read-set] [--units 100] [--rounds 3]
       [--repeat 5] [--profile 30]

Without ``--dir`` the skjemas (with mistakes) are generated into a temporary folder first.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import python_calamine

from statuskart.catalog.load import load_catalogs
from statuskart.sample.checklists import write_samples
from statuskart.workbook.read import read_workbook


def calamine_values(path: Path) -> None:
    """The floor: every sheet's values as Python objects, nothing else."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        for title in book.sheet_names:
            book.get_sheet_by_name(title).to_python()
    finally:
        book.close()


def statuskart_read(path: Path) -> None:
    """The full reader, as intake.check_one calls it; a file it cannot read would be a failure."""
    result = read_workbook(path)
    if result.raw is None and not result.findings:
        raise AssertionError(f"{path}: neither read nor refused")


def cpu_per_file(read: Callable[[Path], None], files: Sequence[Path]) -> float:
    """Milliseconds of CPU per file for one pass over ``files``."""
    start = time.process_time()
    for path in files:
        read(path)
    return 1000 * (time.process_time() - start) / len(files)


def measure(files: Sequence[Path], repeat: int) -> tuple[list[float], list[float]]:
    """Per-pass CPU per file for calamine and statuskart, the passes interleaved."""
    for path in files[:3]:  # imports and first-use caches outside the measurement
        calamine_values(path)
        statuskart_read(path)
    floor: list[float] = []
    ours: list[float] = []
    for _ in range(repeat):
        floor.append(cpu_per_file(calamine_values, files))
        ours.append(cpu_per_file(statuskart_read, files))
    return floor, ours


def skjemas(folder: Path) -> list[Path]:
    """The skjemas under ``folder``: the .xlsx files in its round folders (not indikatorer.xlsx)."""
    return sorted(p for p in folder.glob("*/*.xlsx") if p.is_file())


def report(files: Sequence[Path], repeat: int, profile: int) -> None:
    """Print both figures side by side, and optionally statuskart's top profile entries."""
    floor, ours = measure(files, repeat)
    low, high = statistics.median(floor), statistics.median(ours)
    print(f"{len(files)} workbooks, median of {repeat} passes, CPU per workbook:")
    print(f"  calamine (values only) {low:6.2f} ms   passes {_fmt(floor)}")
    print(f"  statuskart read        {high:6.2f} ms   passes {_fmt(ours)}")
    print(f"  ratio                  {high / low:6.2f} ×  (target ≤ 3 ×)")
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for path in files:
            statuskart_read(path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(profile)


def _fmt(values: Sequence[float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="folder written by `statuskart sample`")
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, help="print this many profile rows")
    args = parser.parse_args()
    if args.dir is not None:
        report(skjemas(args.dir), args.repeat, args.profile)
        return
    catalogue = load_catalogs()["tsb"]
    with tempfile.TemporaryDirectory() as tmp:
        write_samples(catalogue, Path(tmp), units=args.units, rounds=args.rounds, mistakes=True)
        report(skjemas(Path(tmp)), args.repeat, args.profile)


if __name__ == "__main__":
    main()
