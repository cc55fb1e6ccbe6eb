"""Benchmark: validate throughput on generated sample files (target ≤ 10 ms per file, one core).

Usage: python benchmarks/validate_throughput.py [--units 500] [--rounds 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from statuskart.catalog.load import load_catalogs
from statuskart.pipeline.run import check_files
from statuskart.sample.checklists import write_samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    catalogues = load_catalogs()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        paths = write_samples(catalogues["tsb"], Path(tmp), units=args.units, rounds=args.rounds)
        made = time.perf_counter() - start
        start = time.process_time()
        reports = check_files([tmp], catalogues, dt.date(2026, 11, 24), workers=1)
        cpu = time.process_time() - start
    per_file = 1000 * cpu / len(paths)
    print(f"{len(paths)} files generated in {made:.1f} s")
    print(f"validate: {len(reports)} files in {cpu:.2f} s CPU = {per_file:.1f} ms per file")


if __name__ == "__main__":
    main()
