"""Benchmark: every page kind's size (kB) and height (screens at 1366 × 768) at national size.

Usage:
  python benchmarks/page_budget.py --site SITE [--site SITE2 ...]      measure built sites
  python benchmarks/page_budget.py --input CHECKLISTS [--audience intern --audience region]
  python benchmarks/page_budget.py [--units 1000] [--rounds 3]         write a sample first

Without --site it builds each audience from --input (or from a sample it writes into
--workdir) with ``statuskart build``, then measures. Heights come from headless Chromium
(/usr/bin/chromium via Playwright, file://, 1366 × 768): every page of a kind with up to 60
pages, else the ten largest by bytes; --no-browser skips them. The budget (tests/page_budget.py)
is ~300 kB and ~30 screens per page; figures over it are marked «!». Prints a Markdown table
per site and, with --json, writes the figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.page_budget import CHROMIUM, FLAGS, MAX_BYTES, MAX_SCREENS, budget_table, table_text  # noqa: E402


def build(inputs: Path, site: Path, audience: str, today: str | None) -> float:
    """Build ``inputs`` into ``site`` for ``audience`` in a fresh process; return seconds."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    cmd = [sys.executable, "-m", "statuskart", "build", str(inputs), "-o", str(site)]
    cmd += ["--audience", audience, *(["--today", today] if today else [])]
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):  # 1: some file has errors, the site is still built
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return time.perf_counter() - start


def sample(folder: Path, units: int, rounds: int) -> None:
    """A national-size sample with mistakes, as issue #27 measured."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    cmd = [sys.executable, "-m", "statuskart", "sample", "-o", str(folder)]
    cmd += ["--units", str(units), "--rounds", str(rounds), "--mistakes", "--seed", "1"]
    subprocess.run(cmd, env=env, check=True, capture_output=True)


def measure(sites: dict[str, Path], browser: bool) -> dict[str, Any]:
    """Label → table rows for every site; headless Chromium for the heights unless told not."""
    found: dict[str, Any] = {}
    if not browser:
        for label, site in sites.items():
            found[label] = budget_table(site)
        return found
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            for label, site in sites.items():
                found[label] = budget_table(site, chromium)
        finally:
            chromium.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, action="append", default=[])
    parser.add_argument("--input", type=Path)
    parser.add_argument("--audience", action="append", choices=("intern", "region"))
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--today", help="dd.mm.åååå, passed to statuskart build --today")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    sites = {str(s): s for s in args.site}
    if not sites:
        work = args.workdir or Path(tempfile.mkdtemp(prefix="page-budget-"))
        inputs = args.input
        if inputs is None:
            inputs = work / "checklists"
            if not inputs.is_dir():
                sample(inputs, args.units, args.rounds)
        for audience in args.audience or ["intern", "region"]:
            site = work / f"site-{audience}"
            seconds = build(inputs, site, audience, args.today)
            print(f"built {audience} in {seconds:.0f} s: {site}", file=sys.stderr)
            sites[audience] = site

    found = measure(sites, browser=CHROMIUM.exists() and not args.no_browser)
    over = False
    for label, rows in found.items():
        print(f"\n## {label}\n\n{table_text(rows)}")
        over |= any(r.max_kb * 1000 > MAX_BYTES for r in rows)
        over |= any(r.screens is not None and r.screens > MAX_SCREENS for r in rows)
    verdict = "MISS" if over else "PASS"
    print(f"\nBudget ≤ {MAX_BYTES // 1000} kB and ≤ {MAX_SCREENS:.0f} screens per page: {verdict}")
    if args.json:
        data = {k: [dataclasses.asdict(r) for r in v] for k, v in found.items()}
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
