"""`build -o` never harms the user's folders: refusals, marker, lock, clean-up on every exit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.core import messages as msg
from statuskart.core.errors import OutputError, SiteBuildError
from statuskart.pipeline.build import run_build
from statuskart.sample.checklists import write_samples
from statuskart.site import output_folder as output

from .conftest import TODAY

pytestmark = pytest.mark.own_logic  # our process and site-swap code: not in the lowest-versions run

ROOT = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    """Staging, backup and lock entries statuskart may create beside an output."""
    return sorted(p.name for p in folder.iterdir() if "statuskart-" in p.name)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    folder = tmp_path_factory.mktemp("sample") / "checklists"
    write_samples(tsb, folder, units=3, rounds=1, seed=3)
    return folder


@pytest.fixture
def fake_mkdocs(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Replace MkDocs' build with a quick one that writes index.html (or runs ``action``)."""
    calls: dict[str, Any] = {"action": None}

    def build(config, **_kw):
        site = Path(config["site_dir"])
        (site / "index.html").write_text("ny", encoding="utf-8")
        calls["site_dir"] = site
        if calls["action"] is not None:
            calls["action"]()

    monkeypatch.setattr("mkdocs.commands.build.build", build)
    return calls


def old_site(folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    (folder / output.MARKER).write_text(output.marker_text(), encoding="utf-8")
    (folder / "index.html").write_text("gammel", encoding="utf-8")
    return snapshot(folder)


def build(runner, *args: str):
    return runner.invoke(main, ["build", *args, "--today", "2026-11-24"])


def assert_refused(result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(msg.ERROR_PREFIX), result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0]


# --- refusals: nothing is touched ----------------------------------------------------------------


def test_output_equal_to_the_checklists_is_refused_and_every_file_kept(
    runner: CliRunner, work: Path
) -> None:
    before = snapshot(work)
    result = build(runner, "checklists", "-o", "checklists")
    assert_refused(result, "checklists", "er det samme som")
    assert snapshot(work) == before
    assert leftovers(work) == []


def test_output_dot_is_refused(runner: CliRunner, work: Path) -> None:
    before = snapshot(work)
    result = build(runner, "checklists", "-o", ".")
    assert_refused(result, "inneholder")
    assert snapshot(work) == before and leftovers(work) == []


def test_output_inside_an_input_is_refused(runner: CliRunner, work: Path) -> None:
    result = build(runner, "checklists", "-o", "checklists/2026-T2/site")
    assert_refused(result, "ligger inni")
    assert not (work / "checklists/2026-T2/site").exists()


@pytest.mark.parametrize("option", ["--config", "--templates", "--catalog", "--registry"])
def test_output_overlapping_any_other_input_is_refused(
    runner: CliRunner, work: Path, option
) -> None:
    inputs = work / "innstillinger"
    inputs.mkdir()
    (inputs / "mkdocs.yml").write_text("site_name: X\n", encoding="utf-8")
    (inputs / "katalog.yaml").write_text("id: x\n", encoding="utf-8")
    (inputs / "enheter.yaml").write_text("enheter: []\n", encoding="utf-8")
    value = {
        "--config": "innstillinger/mkdocs.yml",
        "--templates": "innstillinger",
        "--catalog": "innstillinger/katalog.yaml",
        "--registry": "innstillinger/enheter.yaml",
    }[option]
    before = snapshot(inputs)
    result = build(runner, "checklists", option, value, "-o", "innstillinger")
    assert_refused(result, "innstillinger")
    assert snapshot(inputs) == before


def test_symlinks_are_resolved_before_comparing(runner: CliRunner, work: Path) -> None:
    (work / "lenke").symlink_to(work / "checklists")
    result = build(runner, "checklists", "-o", "lenke/site")
    assert_refused(result, "ligger inni")
    assert not (work / "checklists/site").exists()


def test_output_that_is_a_symlink_is_refused(runner: CliRunner, work: Path) -> None:
    target = work / "et-annet-sted"
    old = old_site(target)
    (work / "site").symlink_to(target)
    assert_refused(build(runner, "checklists", "-o", "site"), "snarvei")
    assert snapshot(target) == old


def test_non_empty_foreign_folder_is_refused_and_untouched(runner: CliRunner, work: Path) -> None:
    foreign = work / "rapporter"
    foreign.mkdir()
    (foreign / "notat.docx").write_bytes(b"noe viktig")
    (foreign / "index.html").write_text("ikke vårt", encoding="utf-8")
    result = build(runner, "checklists", "-o", "rapporter")
    assert_refused(result, "rapporter", "ikke et nettsted laget av statuskart")
    assert snapshot(foreign) == {"index.html": "ikke vårt".encode(), "notat.docx": b"noe viktig"}
    assert leftovers(work) == []


def test_a_file_as_output_is_refused(runner: CliRunner, work: Path) -> None:
    (work / "site").write_text("fil", encoding="utf-8")
    assert build(runner, "checklists", "-o", "site").exit_code == 2  # Click's own check
    with pytest.raises(OutputError, match="er en fil"):
        run_build([work / "checklists"], work / "site", today=TODAY)
    assert (work / "site").read_text(encoding="utf-8") == "fil"


def test_partial_legacy_site_is_not_enough(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError):
        output.check_replaceable(folder)
    for sign in output.LEGACY_SIGNS:
        (folder / sign).parent.mkdir(parents=True, exist_ok=True)
        (folder / sign).write_text("x", encoding="utf-8")
    output.check_replaceable(folder)  # an unmarked site from an earlier statuskart


# --- replacing what may be replaced ---------------------------------------------------------


def test_previous_site_is_replaced_and_a_users_site_old_survives(
    runner: CliRunner, work: Path, fake_mkdocs: dict[str, Any]
) -> None:
    old_site(work / "site")
    mine = work / "site.old"
    mine.mkdir()
    (mine / "mitt.txt").write_text("behold meg", encoding="utf-8")
    result = build(runner, "checklists", "-o", "site")
    assert result.exit_code == 0, result.output
    assert (work / "site/index.html").read_text(encoding="utf-8") == "ny"
    assert (work / "site" / output.MARKER).read_text(encoding="utf-8") == output.marker_text()
    assert snapshot(mine) == {"mitt.txt": b"behold meg"}
    assert leftovers(work) == []


def test_empty_folder_is_accepted_and_site_is_readable_by_others(
    runner: CliRunner, work: Path, fake_mkdocs: dict[str, Any]
) -> None:
    (work / "site").mkdir()
    assert build(runner, "checklists", "-o", "site").exit_code == 0
    assert (work / "site/index.html").is_file()
    assert (work / "site").stat().st_mode & 0o777 == 0o777 & ~_umask()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_failed_build_keeps_old_site_and_leaves_nothing(
    work: Path, fake_mkdocs: dict[str, Any]
) -> None:
    before = old_site(work / "site")

    def fail():
        raise OSError("disken er full")

    fake_mkdocs["action"] = fail
    with pytest.raises(SiteBuildError):
        run_build([work / "checklists"], work / "site", today=TODAY)
    assert fake_mkdocs["site_dir"].name.startswith(output.STAGING_PREFIX)
    assert snapshot(work / "site") == before
    assert leftovers(work) == []


def test_ctrl_c_exits_130_and_cleans_up(
    runner: CliRunner, work: Path, fake_mkdocs: dict[str, Any]
) -> None:
    before = old_site(work / "site")

    def interrupt():
        raise KeyboardInterrupt

    fake_mkdocs["action"] = interrupt
    result = build(runner, "checklists", "-o", "site")
    assert result.exit_code == 130
    assert result.stderr.strip() == msg.INTERRUPTED
    assert snapshot(work / "site") == before
    assert leftovers(work) == []


def test_second_build_into_a_locked_folder_fails(
    runner: CliRunner, work: Path, fake_mkdocs: dict[str, Any]
) -> None:
    with output.locked(work / "site"):
        result = build(runner, "checklists", "-o", "site")
        assert_refused(result, "Et annet bygg")
        assert not (work / "site").exists()
    assert leftovers(work) == []  # the lock file goes with the lock
    assert build(runner, "checklists", "-o", "site").exit_code == 0


# --- real builds and real signals ----------------------------------------------------------------


@pytest.mark.slow
def test_real_build_marks_the_site_and_rebuilds_over_it(work: Path) -> None:
    run_build([work / "checklists"], work / "site", today=TODAY)
    assert output.is_statuskart_site(work / "site")
    # Make it look like an unmarked site of an earlier version (which also had search_index.json).
    (work / "site" / output.MARKER).unlink()
    (work / "site" / "search" / "search_index.json").write_text("{}", encoding="utf-8")
    for sign in output.LEGACY_SIGNS:
        assert (work / "site" / sign).is_file(), sign
    run_build([work / "checklists"], work / "site", today=TODAY)
    assert (work / "site" / output.MARKER).is_file()
    assert leftovers(work) == []


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
@pytest.mark.parametrize("delay", [0.0, 0.2], ids=["at-staging", "mid-build"])
def test_signal_during_a_real_build_leaves_no_staging_folder(work: Path, sig, code, delay) -> None:
    before = old_site(work / "site")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "statuskart.cli.commands", "build", "checklists", "-o", "site"],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as in a terminal: a test run started in the background (``.ci/run &``) ignores
        # SIGINT, every process it starts inherits that, and Python then leaves it ignored.
        preexec_fn=_default_sigint,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(output.STAGING_PREFIX) for p in work.iterdir()):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    time.sleep(delay)
    assert proc.poll() is None
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert err.strip().splitlines()[-1] == msg.INTERRUPTED and "Traceback" not in err
    assert snapshot(work / "site") == before
    assert leftovers(work) == []


@pytest.mark.slow
def test_two_concurrent_real_builds_the_second_fails(runner: CliRunner, work: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen(
        [sys.executable, "-m", "statuskart.cli.commands", "build", "checklists", "-o", "site"],
        cwd=work,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The staging folder appears only once the first build holds the lock (the lock file itself
    # exists a moment before it is locked).
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(output.STAGING_PREFIX) for p in work.iterdir()):
        assert first.poll() is None and time.monotonic() < deadline
        time.sleep(0.005)
    second = build(runner, "checklists", "-o", "site")
    _out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert_refused(second, "Et annet bygg")
    assert output.is_statuskart_site(work / "site") and leftovers(work) == []


def test_ctrl_c_in_any_command_exits_130(
    runner: CliRunner, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(path):
        raise KeyboardInterrupt

    monkeypatch.setattr("statuskart.validate.intake.read_workbook", interrupt)
    for command in ("validate", "score"):
        result = runner.invoke(main, [command, "checklists"])
        assert result.exit_code == 130, command
        assert result.stderr.strip() == msg.INTERRUPTED


def test_staged_files_equal_to_the_published_ones_become_links_to_them(tmp_path: Path) -> None:
    site, staging = tmp_path / "site", tmp_path / "staging"
    for folder in (site / "a", staging / "a"):
        folder.mkdir(parents=True)
    (site / "a" / "same.html").write_text("lik")
    (staging / "a" / "same.html").write_text("lik")
    (site / "changed.html").write_text("gammel")
    (staging / "changed.html").write_text("ny    ")  # same size, other bytes
    (site / "theirs.html").write_text("lik")
    (staging / "theirs.html").write_text("lik")
    os.chown(site / "theirs.html", os.getuid() + 1, -1)  # a colleague's file stays a copy
    (tmp_path / "elsewhere.html").write_text("lik")
    (site / "link.html").symlink_to(tmp_path / "elsewhere.html")
    (staging / "link.html").write_text("lik")
    (staging / "new.html").write_text("ny")

    assert output.link_unchanged(staging, site) == 1
    assert (staging / "a" / "same.html").stat().st_ino == (site / "a" / "same.html").stat().st_ino
    for name in ("changed.html", "theirs.html", "link.html"):
        assert (staging / name).stat().st_ino != (site / name).stat().st_ino, name
        assert not (staging / name).is_symlink()
    assert (staging / "changed.html").read_text() == "ny    "
    assert sorted(p.name for p in staging.rglob("*")) == sorted(
        ["a", "same.html", "changed.html", "theirs.html", "link.html", "new.html"]
    )


def test_a_rebuild_keeps_the_unchanged_files_of_the_site_it_replaces(
    tmp_path: Path, tsb: Catalogue
) -> None:
    checklists = tmp_path / "in"
    write_samples(tsb, checklists, units=3, rounds=1, seed=2)
    site = tmp_path / "site"
    run_build([checklists], site, today=TODAY)
    before = {p: p.stat().st_ino for p in site.rglob("*.html")}
    run_build([checklists], site, today=TODAY)
    kept = [p for p, ino in before.items() if p.stat().st_ino == ino]
    assert len(kept) == len(before)  # nothing changed: the new site is the old files, linked


def test_the_kept_site_is_linked_in_but_a_symlink_planted_in_it_is_left_out(
    tmp_path: Path,
) -> None:
    kept, staging, site = tmp_path / "kept", tmp_path / "staging", tmp_path / "site"
    (kept / "a").mkdir(parents=True)
    staging.mkdir()
    (kept / "a" / "side.html").write_text("side")
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("passord")
    (kept / "a" / "lekk.html").symlink_to(secret)
    output.link_tree(kept, staging, site)
    assert (staging / "a" / "side.html").stat().st_ino == (kept / "a" / "side.html").stat().st_ino
    assert sorted(p.name for p in staging.rglob("*")) == ["a", "side.html"]
