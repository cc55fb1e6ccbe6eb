"""README stays true: every command is documented there, and everything README runs exists."""

import re
from pathlib import Path

from click.testing import CliRunner

from statuskart.cli.commands import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_readme_and_has_help(runner: CliRunner) -> None:
    for name, command in main.commands.items():
        assert f"statuskart {name}" in README, name
        assert command.help, name
        assert runner.invoke(main, [name, "--help"]).exit_code == 0


def test_every_option_readme_mentions_exists() -> None:
    for name, command in main.commands.items():
        known = {opt for p in command.params for opt in getattr(p, "opts", [])}
        for line in README.splitlines():
            if f"`statuskart {name}" not in line:
                continue
            for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", line):
                assert option in known | {"--help"}, (name, option)


def test_readme_test_command_is_what_ci_runs() -> None:
    assert "bash .ci/run" in README
    assert (ROOT / ".ci" / "run").is_file()


def test_readme_regeneration_command_matches_checklists() -> None:
    assert "statuskart sample -o checklists --units 36 --rounds 2 --seed 1 --mistakes" in README
