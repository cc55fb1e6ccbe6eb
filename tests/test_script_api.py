"""statuskart.run_build from a plain script, without ``if __name__ == "__main__":``.

Python's spawn and forkserver start methods import the caller's script again in every child;
this script would then build again in each of them. The result must equal the CLI's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.sample.checklists import write_samples

SCRIPT = textwrap.dedent(
    """
    import datetime as dt
    import sys
    from pathlib import Path

    import statuskart

    print("script ran")  # once, not once per child process
    result = statuskart.run_build(
        [Path(sys.argv[1])], Path(sys.argv[2]), today=dt.date(2026, 11, 24), workers=2
    )
    print(f"{len(result.files)} files, {result.units} units, {result.pages} pages")
    """
)


@pytest.fixture(scope="module")
def checklists(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    root = tmp_path_factory.mktemp("script")
    write_samples(tsb, root, units=9, rounds=3, seed=11)  # 27 files: read in the worker pool
    return root


def test_a_script_without_a_main_guard_builds_what_the_cli_builds(
    checklists: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "lag_rapport.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    monkeypatch.chdir(tmp_path)  # no mkdocs.yml here for the CLI to pick up
    done = subprocess.run(
        [sys.executable, str(script), str(checklists), str(tmp_path / "fra-skript")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "script ran" and lines[1].startswith("27 files, 9 units, ")
    assert len(lines) == 2
    cli = CliRunner().invoke(
        main,
        ["build", str(checklists), "-o", str(tmp_path / "fra-cli"), "--today", "2026-11-24"],
    )
    assert cli.exit_code == 0, cli.output
    mine, theirs = tmp_path / "fra-skript", tmp_path / "fra-cli"
    files = sorted(p.relative_to(mine) for p in mine.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(theirs) for p in theirs.rglob("*") if p.is_file())
    for rel in files:
        if rel.suffix in (".html", ".js"):
            assert (mine / rel).read_bytes() == (theirs / rel).read_bytes(), rel
