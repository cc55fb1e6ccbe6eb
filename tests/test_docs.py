"""README and developer docs stay true: short, and every command, option, path and name exists."""

import importlib
import importlib.util
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

import statuskart
from statuskart.cli.commands import main

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SHELL_BLOCKS = re.findall(r"```sh\n(.*?)```", README, re.S)
INSTALL_AND_BUILD = "python -m pip install -e '.[dev]' && statuskart build"
TEST_COMMAND = "bash .ci/run"


def section(title: str) -> str:
    """The README text under one «## title» heading, up to the next one."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert match, title
    return match.group(1)


def test_readme_is_read_in_five_minutes() -> None:
    assert len(README.encode("utf-8")) <= 6000


def test_the_two_set_up_commands_are_the_first_commands_shown() -> None:
    assert [block.strip() for block in SHELL_BLOCKS[:2]] == [INSTALL_AND_BUILD, TEST_COMMAND]


def test_readme_test_command_is_what_ci_runs() -> None:
    program, script = shlex.split(TEST_COMMAND)
    ci = ROOT / script
    text = ci.read_text(encoding="utf-8")
    assert program == "bash" and text.startswith("#!/usr/bin/env bash\n")
    # The tools the README says it runs are commands in the script, not only words in a comment.
    said = section("Quick start").split(TEST_COMMAND, 1)[1].split("\n\n", 2)[1]
    tools = re.findall(r"`([^`]+)`", said)
    assert {"ruff check", "ruff format --check", "mypy", "pytest"} <= set(tools)
    commands = [line.strip() for line in text.splitlines() if not line.lstrip().startswith("#")]
    for tool in tools:
        assert any(re.search(rf"(^|[\s(]){re.escape(tool)}(\s|$)", c) for c in commands), tool
    assert "pip install -q -e '.[dev]'" in text  # the same install as the first command


def cli_commands(runner: CliRunner) -> set[str]:
    """The command names `statuskart --help` lists under «Kommandoer»."""
    helped = runner.invoke(main, ["--help"])
    assert helped.exit_code == 0
    listing = helped.output.split("Kommandoer:", 1)[1]
    return set(re.findall(r"^  (\w+)\s", listing, re.M))


def test_readme_lists_every_command_and_only_real_ones(runner: CliRunner) -> None:
    listed = set(re.findall(r"^\| `statuskart (\w+)", section("Commands"), re.M))
    mentioned = set(re.findall(r"`statuskart (\w+)", README))
    assert listed == cli_commands(runner) == set(main.commands)
    assert mentioned <= listed
    for name, command in main.commands.items():
        assert command.help, name
        assert runner.invoke(main, [name, "--help"]).exit_code == 0


def test_every_option_readme_mentions_exists() -> None:
    for name, command in main.commands.items():
        known = {opt for p in command.params for opt in getattr(p, "opts", [])}
        for line in README.splitlines():
            if f"`statuskart {name}" not in line:
                continue
            for option in re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", line):
                assert option in known | {"--help", "-h"}, (name, option)


def test_readme_regeneration_command_matches_checklists() -> None:
    # tests/test_sample.py checks that this command writes exactly checklists/.
    assert "`statuskart sample -o checklists --units 36 --rounds 2 --seed 1 --mistakes`" in README


def test_library_api_is_the_package_root_and_every_move_is_real() -> None:
    text = section("Library API")
    names = set(re.findall(r"`(\w+)`", text.split("Old → new", 1)[0]))
    assert names - {"statuskart"} == set(statuskart.__all__)
    moves = re.findall(r"^\| `(statuskart[\w.]*)` \| `(statuskart[\w.]*)` \(([^)]*)\)", text, re.M)
    assert moves
    for old, new, what in moves:
        module = importlib.import_module(new)
        for name in re.findall(r"`(\w+)`", what):
            if name != "statuskart":  # the console script's name
                assert hasattr(module, name), (new, name)
            old_module = importlib.import_module(old) if importlib.util.find_spec(old) else None
            assert old_module is None or not hasattr(old_module, name), (old, name)
    unmoved_line = text.split("did not move", 1)[0].splitlines()[-1]
    for module in re.findall(r"`(statuskart\.[\w.]+)`", unmoved_line):
        assert importlib.util.find_spec(module) is not None, module


def test_readme_links_lead_to_files() -> None:
    links = re.findall(r"\]\(([^)#\s]+)\)", README)
    assert "docs/brukerveiledning/index.md" in links
    local = [link for link in links if not link.startswith(("http://", "https://"))]
    for link in local:
        assert (ROOT / link).exists(), link
    for path in re.findall(r"`((?:templates|statuskart|docs)/[\w./-]+)`", README):
        assert (ROOT / path).exists(), path


def test_module_map_lists_exactly_the_modules_on_disk() -> None:
    text = (ROOT / "docs/dev/modules.md").read_text(encoding="utf-8")
    listed = re.findall(r"^- `(\w+/\w+\.py)`: \S", text, re.M)
    on_disk = [
        p.relative_to(ROOT / "statuskart").as_posix()
        for p in (ROOT / "statuskart").glob("*/*.py")
        if p.name != "__init__.py"
    ]
    assert sorted(listed) == sorted(on_disk)
    assert len(listed) == len(set(listed))
