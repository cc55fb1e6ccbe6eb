"""Benchmark: a national build end to end, against a bare MkDocs build of the same docs.

Usage: python benchmarks/build.py [--units 1000] [--rounds 3] [--json build.json] [--workdir DIR]

For ``--units N`` and again for N/10 it: writes input with ``statuskart sample``; runs a cold
build (empty cache) in a fresh process, as ``statuskart build`` does, keeping the generated
docs and config; runs a bare ``mkdocs build`` of those; changes one workbook and builds again
(warm cache). It prints a table and the targets as PASS/MISS, and writes the figures as JSON.
Never a timed test: timings on a shared 2-core machine vary by ±20 %.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the script imports statuskart to change one skjema
TARGETS = {
    "build_vs_mkdocs": 1.25,
    "rebuild_vs_cold": 0.5,
    "peak_rss_mb": 500.0,
    "site_mb": 50.0,
    "growth_10x": 11.0,
}
CHILD = """
import json, sys
from pathlib import Path
from statuskart.validate.intake import default_cache_dir
from statuskart.pipeline.build import run_build
r = run_build([Path(sys.argv[1])], Path(sys.argv[2]), keep_docs=Path(sys.argv[3]),
              cache_dir=default_cache_dir())
json.dump({"stages": dict(r.stages), "pages": r.pages, "units": r.units,
           "files": len(r.files), "seconds_inside": r.seconds}, open(sys.argv[4], "w"))
"""


def tree_memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of ``pid`` and all its descendants, from /proc (Linux).

    RSS counts memory a forked child still shares with its parent twice; PSS splits shared
    pages between the processes that map them, so it is what the tree really occupies.
    """
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    rss = pss = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Rss:"):
                rss += int(line.split()[1])
            elif line.startswith("Pss:"):
                pss += int(line.split()[1])
    return rss, pss


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float, float]:
    """Run ``cmd``; return (wall seconds, peak RSS and CPU seconds, peak PSS) of its tree.

    CPU seconds (user + system of the whole tree) are the steadier figure on a shared machine,
    where wall time also counts waiting for a core.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = peak_pss = 0
    done = threading.Event()

    def poll() -> None:
        nonlocal peak, peak_pss
        while not done.wait(0.2):
            rss, pss = tree_memory_kb(proc.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    _, err = proc.communicate()
    done.set()
    watcher.join()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode(errors='replace')}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, peak / 1024, cpu, peak_pss / 1024


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def touch_one_workbook(folder: Path) -> Path:
    """Change one answer in the newest round's first skjema, as a unit correcting its file."""
    from openpyxl import load_workbook

    from statuskart.workbook.read import read_workbook

    path = sorted(folder.glob("*/*.xlsx"))[-1]  # a skjema in the newest round folder
    raw = read_workbook(path).raw
    assert raw is not None, path
    cell = next(r.cells["status"] for r in raw.rows if "status" in r.cells)
    wb = load_workbook(path)
    ws = wb[cell.sheet]
    ws[cell.cell] = "Ikke startet" if cell.value != "Ikke startet" else "Implementert"
    wb.save(path)
    return path


def measure(units: int, rounds: int, work: Path) -> dict[str, Any]:
    """Every figure for one scale, in ``work``."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    env |= {"STATUSKART_CACHE_DIR": str(work / "cache"), "NO_MKDOCS_2_WARNING": "1"}
    inputs = work / "checklists"
    if not inputs.is_dir():
        sample = [sys.executable, "-m", "statuskart.cli.commands", "sample", "-o", str(inputs)]
        run([*sample, "--units", str(units), "--rounds", str(rounds), "--seed", "1"], env)
    shutil.rmtree(work / "cache", ignore_errors=True)
    keep = work / "keep" / "docs"
    shutil.rmtree(keep.parent, ignore_errors=True)
    info = work / "result.json"
    child = [sys.executable, "-c", CHILD, str(inputs), str(work / "site"), str(keep), str(info)]
    cold, rss, cold_cpu, pss = run(child, env)
    result = json.loads(info.read_text())
    bare_cmd = [sys.executable, "-m", "mkdocs", "build", "-q"]
    bare_cmd += ["-f", str(keep.parent / "mkdocs.generated.yml"), "-d", str(work / "bare")]
    bare, bare_rss, bare_cpu, _ = run(bare_cmd, env)
    touch_one_workbook(inputs)
    shutil.rmtree(keep.parent, ignore_errors=True)
    rebuild, _, rebuild_cpu, _ = run(child, env)
    rebuilt = json.loads(info.read_text())
    site = work / "site"
    index = site / "search"
    return {
        "units": units,
        "rounds": rounds,
        "files": result["files"],
        "cold_s": round(cold, 2),
        "mkdocs_bare_s": round(bare, 2),
        "ratio": round(cold / bare, 2),
        "cold_cpu_s": round(cold_cpu, 2),
        "mkdocs_bare_cpu_s": round(bare_cpu, 2),
        "cpu_ratio": round(cold_cpu / bare_cpu, 2),
        "rebuild_s": round(rebuild, 2),
        "rebuild_cpu_s": round(rebuild_cpu, 2),
        "rebuild_ratio": round(rebuild / cold, 2),
        "stages_s": {k: round(v, 2) for k, v in result["stages"].items()},
        "rebuild_stages_s": {k: round(v, 2) for k, v in rebuilt["stages"].items()},
        "peak_rss_mb": round(rss, 1),
        "peak_pss_mb": round(pss, 1),
        "mkdocs_bare_peak_rss_mb": round(bare_rss, 1),
        "site_mb": round(size_mb(site), 1),
        "downloads_mb": round(size_mb(site / "nedlastinger"), 1),
        "pages": sum(1 for _ in site.rglob("*.html")),
        "search_index_mb": {
            p.name: round(p.stat().st_size / 1e6, 2) for p in sorted(index.glob("search_index*"))
        },
    }


def verdicts(big: dict[str, Any], small: dict[str, Any] | None) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for the national-scale targets."""
    out = [
        (f"build ≤ {TARGETS['build_vs_mkdocs']} × bare MkDocs", f"{big['ratio']} ×", None),
        (f"rebuild ≤ {TARGETS['rebuild_vs_cold']} × cold", f"{big['rebuild_ratio']} ×", None),
        (f"peak RSS ≤ {TARGETS['peak_rss_mb']:.0f} MB", f"{big['peak_rss_mb']} MB", None),
        (f"site ≤ {TARGETS['site_mb']:.0f} MB", f"{big['site_mb']} MB", None),
    ]
    limits = [
        big["ratio"] <= TARGETS["build_vs_mkdocs"],
        big["rebuild_ratio"] <= TARGETS["rebuild_vs_cold"],
        big["peak_rss_mb"] <= TARGETS["peak_rss_mb"],
        big["site_mb"] <= TARGETS["site_mb"],
    ]
    rows = [(name, value, ok) for (name, value, _), ok in zip(out, limits, strict=True)]
    if small is not None:
        growth = big["cold_s"] / small["cold_s"]
        rows.append(
            (
                f"time at {big['units']} ≤ {TARGETS['growth_10x']:.0f} × at {small['units']}",
                f"{growth:.2f} ×",
                growth <= TARGETS["growth_10x"],
            )
        )
    return rows


def table(results: list[dict[str, Any]]) -> str:
    """The figures side by side, one column per scale."""
    lines = [f"{'':28}" + "".join(f"{r['units']:>8} u" for r in results)]

    def row(label: str, get: Any) -> None:
        lines.append(f"{label:28}" + "".join(f"{get(r):>10}" for r in results))

    row("files", lambda r: r["files"])
    row("statuskart build (s)", lambda r: r["cold_s"])
    row("bare mkdocs build (s)", lambda r: r["mkdocs_bare_s"])
    row("ratio", lambda r: r["ratio"])
    row("statuskart build CPU (s)", lambda r: r["cold_cpu_s"])
    row("bare mkdocs CPU (s)", lambda r: r["mkdocs_bare_cpu_s"])
    row("CPU ratio", lambda r: r["cpu_ratio"])

    def stages(key: str, prefix: str) -> None:
        for stage in results[0][key]:
            row(f"  {prefix}{stage} (s)", lambda r, s=stage: r[key].get(s, 0))

    stages("stages_s", "")
    row("rebuild, 1 file changed (s)", lambda r: r["rebuild_s"])
    row("rebuild CPU (s)", lambda r: r["rebuild_cpu_s"])
    stages("rebuild_stages_s", "rebuild ")
    row("peak RSS tree (MB)", lambda r: r["peak_rss_mb"])
    row("peak PSS tree (MB)", lambda r: r["peak_pss_mb"])
    row("site (MB)", lambda r: r["site_mb"])
    row("  of which downloads (MB)", lambda r: r["downloads_mb"])
    row("pages (.html)", lambda r: r["pages"])
    for name in results[0]["search_index_mb"]:
        row(f"{name} (MB)", lambda r, n=name: r["search_index_mb"].get(n, 0))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, default=Path("build-benchmark.json"))
    parser.add_argument("--workdir", type=Path, help="keep inputs here and reuse them next time")
    parser.add_argument("--no-small", action="store_true", help="skip the 1/10 scale run")
    args = parser.parse_args()
    scales = [args.units] if args.no_small else [args.units, max(1, args.units // 10)]
    with tempfile.TemporaryDirectory(prefix="statuskart-bench-") as tmp:
        base = args.workdir or Path(tmp)
        results = []
        for units in scales:
            work = base / f"u{units}-r{args.rounds}"
            work.mkdir(parents=True, exist_ok=True)
            print(f"… {units} units × {args.rounds} rounds in {work}", file=sys.stderr)
            results.append(measure(units, args.rounds, work))
    print(table(results))
    print()
    checks = verdicts(results[0], results[1] if len(results) > 1 else None)
    for name, value, ok in checks:
        print(f"{'PASS' if ok else 'MISS'}  {name:34} {value}")
    big = results[0]
    print(
        f"INFO  CPU: build {big['cpu_ratio']} × bare MkDocs, rebuild "
        f"{big['rebuild_cpu_s'] / big['cold_cpu_s']:.2f} × cold (steadier on a busy machine)"
    )
    index = results[0]["search_index_mb"]
    print(f"INFO  search index ({results[0]['units']} units): {index}")
    payload = {
        "results": results,
        "targets": [{"target": n, "value": v, "met": ok} for n, v, ok in checks],
    }
    args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
