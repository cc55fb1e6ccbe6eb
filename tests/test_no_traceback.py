"""No traceback for any option value or file, every message in bokmål, no forged output lines."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from statuskart.cli.commands import main
from statuskart.core import messages as msg

from .conftest import WorkbookFactory


def _one_error_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(msg.ERROR_PREFIX)
    return line


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "31.12.1899"])
@pytest.mark.parametrize("command", ["build", "validate", "score"])
def test_today_far_off_is_one_line(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path, command, day
) -> None:
    folder = filled_workbook().parent
    args = [command, str(folder), "--today", day]
    if command == "build":
        args += ["-o", str(tmp_path / "site")]
    assert "år 2000 til 2099" in _one_error_line(runner.invoke(main, args))


@pytest.mark.parametrize("period", ["9999-T3", "1999-T1", "2026-T4"])
def test_sample_period_out_of_range_is_one_line(runner: CliRunner, tmp_path: Path, period) -> None:
    result = runner.invoke(main, ["sample", "-o", str(tmp_path / "s"), "--last-period", period])
    assert period in _one_error_line(result)
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("value", ["a\x01b", "Enhet\x1b[2J", "x\x7f"])
def test_template_option_with_a_control_character_is_one_line(
    runner: CliRunner, tmp_path: Path, value
) -> None:
    out = tmp_path / "skjema.xlsx"
    result = runner.invoke(main, ["template", "--pathway", "tsb", "-o", str(out), "--unit", value])
    assert "kontrolltegn" in _one_error_line(result)
    assert not out.exists()


def test_deeply_nested_site_config_is_one_line(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp_path = tmp_path_factory.mktemp("config")
    depth = 20_000
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nnav:\n- " + "[" * depth + "a.md" + "]" * depth + "\n")
    folder = filled_workbook().parent
    args = ["build", str(folder), "-o", str(tmp_path / "site"), "--config", str(config)]
    assert "for dypt nøstet" in _one_error_line(runner.invoke(main, args))


def test_impossible_date_in_the_register_is_bokmal(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = filled_workbook().parent
    (folder / "enheter.yaml").write_text(
        "frister:\n  2026-T1: 2026-02-30\nenheter:\n"
        "  - {rhf: Helse Vest RHF, hf: Helse Bergen HF, enhet: Poliklinikk for rus Sentrum}\n",
        encoding="utf-8",
    )
    site = tmp_path_factory.mktemp("out") / "site"
    line = _one_error_line(runner.invoke(main, ["build", str(folder), "-o", str(site)]))
    assert "«2026-02-30» er ikke en gyldig dato (linje 2)" in line
    assert "out of range" not in line


def test_unreadable_is_not_called_unwritable() -> None:
    denied = PermissionError(errno.EACCES, "Permission denied")
    assert msg.os_reason(denied, reading=True) == "mangler lesetilgang"
    assert msg.os_reason(denied) == "mangler skrivetilgang"


def test_line_break_in_a_file_name_cannot_forge_an_output_line(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    source = filled_workbook()
    forged = source.parent / "ny\nlinje [feil] X!A1: falsk.xlsx"
    shutil.copy(source, forged)
    result = runner.invoke(main, ["validate", str(forged)])
    lines = result.stdout.splitlines()
    assert not any(line.startswith("linje") for line in lines), lines
    assert any("ny\\nlinje" in line for line in lines)


@pytest.mark.slow
@pytest.mark.parametrize("case", ["no spreadsheets", "output inside the input"])
def test_a_build_refused_early_prints_one_line_in_a_real_process(tmp_path: Path, case: str) -> None:
    """The download writer is a forked process; it once inherited the CLI's SIGTERM handler and
    printed «Terminated: 15» with a traceback after the «Feil:» line when the build stopped it."""
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    out = tmp_path / "site" if case == "no spreadsheets" else folder / "site"
    if case != "no spreadsheets":
        (folder / "a.xlsx").write_bytes(b"PK")
    done = subprocess.run(
        [sys.executable, "-m", "statuskart", "build", str(folder), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "Terminated" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(msg.ERROR_PREFIX)
