"""No traceback for bad environment or templates, and no process-wide side effects from a build."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError, SiteBuildError
from statuskart.pipeline.build import build_date_from_env, run_build
from statuskart.sample.checklists import write_samples

from .conftest import TODAY


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    folder = tmp_path_factory.mktemp("robust") / "checklists"
    write_samples(tsb, folder, units=2, rounds=1, seed=7)
    return folder


def one_error_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(msg.ERROR_PREFIX), result.stderr
    return lines[0]


# --- SOURCE_DATE_EPOCH --------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["i går", "-1", "1.7e9", "17672256OO", "٣٣٣", "9" * 5000])
def test_bad_source_date_epoch_is_refused(
    runner: CliRunner, work: Path, monkeypatch: pytest.MonkeyPatch, value
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    line = one_error_line(runner.invoke(main, ["build", "checklists", "-o", "site"]))
    assert "SOURCE_DATE_EPOCH" in line
    assert not (work / "site").exists()


def test_valid_or_empty_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert build_date_from_env() == dt.date(2026, 1, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    assert build_date_from_env() == dt.date(9999, 12, 31)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300800")
    with pytest.raises(ConfigError):
        build_date_from_env()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    assert build_date_from_env() == dt.date.today()  # noqa: DTZ011


# --- page templates from --templates -------------------------------------------------------------


def test_template_syntax_error_names_file_and_line(runner: CliRunner, work: Path) -> None:
    maler = work / "maler"
    maler.mkdir()
    (maler / "overview.md.j2").write_text("# Oversikt\n\n{% if %}\n", encoding="utf-8")
    line = one_error_line(
        runner.invoke(main, ["build", "checklists", "-o", "site", "--templates", "maler"])
    )
    assert "maler/overview.md.j2, linje 3" in line
    assert not (work / "site").exists()


def test_unknown_included_template_is_named(runner: CliRunner, work: Path) -> None:
    maler = work / "maler"
    maler.mkdir()
    (maler / "overview.md.j2").write_text('{% include "finnes-ikke.md.j2" %}\n', "utf-8")
    line = one_error_line(
        runner.invoke(main, ["build", "checklists", "-o", "site", "--templates", "maler"])
    )
    assert "«finnes-ikke.md.j2»" in line and "overview.md.j2" in line


def test_undefined_variable_in_a_template_is_one_line(runner: CliRunner, work: Path) -> None:
    maler = work / "maler"
    maler.mkdir()
    (maler / "overview.md.j2").write_text("{{ model.finnes_ikke.heller_ikke }}\n", "utf-8")
    line = one_error_line(
        runner.invoke(main, ["build", "checklists", "-o", "site", "--templates", "maler"])
    )
    assert "overview.md.j2" in line


def test_missing_templates_folder_is_an_error(runner: CliRunner, work: Path) -> None:
    line = one_error_line(
        runner.invoke(main, ["build", "checklists", "-o", "site", "--templates", "finnes-ikke"])
    )
    assert "finnes-ikke" in line


# --- no process-wide side effects ---------------------------------------------------------------


@pytest.mark.parametrize("fails", [False, True])
def test_build_site_restores_environment_and_logger(
    work: Path, monkeypatch: pytest.MonkeyPatch, fails
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    logger = logging.getLogger("mkdocs")
    monkeypatch.setattr(logger, "level", logging.DEBUG)
    during: dict[str, object] = {}

    def build(config, **_kw):
        import os

        during["epoch"] = os.environ["SOURCE_DATE_EPOCH"]
        during["level"] = logger.level
        (Path(config["site_dir"]) / "index.html").write_text("x", encoding="utf-8")
        if fails:
            raise OSError("disken er full")

    monkeypatch.setattr("mkdocs.commands.build.build", build)
    if fails:
        with pytest.raises(SiteBuildError):
            run_build([work / "checklists"], work / "site", today=TODAY)
    else:
        run_build([work / "checklists"], work / "site", today=TODAY)
    expected = dt.datetime.combine(TODAY, dt.time(), tzinfo=dt.UTC).timestamp()
    assert during == {"epoch": str(int(expected)), "level": logging.WARNING}
    import os

    assert os.environ["SOURCE_DATE_EPOCH"] == "1767225600"
    assert logger.level == logging.DEBUG
