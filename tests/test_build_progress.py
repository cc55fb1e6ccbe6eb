from pathlib import Path

import pytest
from click.testing import CliRunner

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.core.messages import STAGE_NAMES
from statuskart.core.timing import STAGES
from statuskart.pipeline.build import run_build
from statuskart.sample.checklists import write_samples
from statuskart.validate import intake
from statuskart.workbook.raw import ReadResult
from statuskart.workbook.read import read_workbook

from .conftest import TODAY

pytestmark = pytest.mark.own_logic  # our process and site-swap code: not in the lowest-versions run


@pytest.fixture(scope="module")
def checklists(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    root = tmp_path_factory.mktemp("progress")
    write_samples(tsb, root, units=4, rounds=2, seed=3)
    return root


def test_build_result_says_where_the_time_went(checklists: Path, tmp_path: Path) -> None:
    keep = tmp_path / "work" / "docs"
    started: list[str] = []
    result = run_build(
        [checklists], tmp_path / "site", today=TODAY, keep_docs=keep, on_stage=started.append
    )
    stages = dict(result.stages)
    # The downloads are written in a forked process while pages and MkDocs are made.
    assert list(stages) == [s for s in STAGES if s != "downloads"]
    assert all(seconds >= 0 for seconds in stages.values())
    assert 0 < stages["downloads-parallel"] <= stages["pages"] + stages["mkdocs"]
    assert sum(t for s, t in stages.items() if s != "downloads-parallel") <= result.seconds
    assert started == ["read", "score", "report", "pages", "mkdocs"]
    assert (tmp_path / "site" / "nedlastinger" / "kravstatus.xlsx").stat().st_size > 1000
    assert (keep / "index.md").is_file()  # the docs and config a bare mkdocs build needs
    assert (keep.parent / "mkdocs.generated.yml").is_file()


def test_cli_build_uses_the_cache_and_prints_stage_times(
    checklists: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("STATUSKART_CACHE_DIR", str(cache))
    args = ["build", str(checklists), "-o", str(tmp_path / "s"), "--today", "2026-11-24"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "Tid per trinn: " in first.stderr and "Mest tid gikk til " in first.stderr
    for stage in STAGES:
        assert f"{STAGE_NAMES[stage]} " in first.stderr
    assert len([p for p in (cache / "reports").rglob("*") if p.is_file()]) == 8
    log = tmp_path / "reads.txt"  # a file: the reading happens in a forked child process
    log.touch()

    def reader(path: Path | str) -> ReadResult:
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"{path}\n")
        return read_workbook(path)

    def reads() -> list[str]:
        return log.read_text(encoding="utf-8").splitlines()

    monkeypatch.setattr(intake, "read_workbook", reader)
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    assert reads() == []  # every skjema came from the cache
    assert _counts(again.stderr) == _counts(first.stderr)
    uncached = CliRunner().invoke(main, [*args, "--no-cache"])
    assert uncached.exit_code == 0, uncached.output
    assert len(reads()) == 8  # --no-cache reads every file again
    assert _counts(uncached.stderr) == _counts(first.stderr)


def _counts(stderr: str) -> str:
    """The summary line without its seconds: files, statuses, units, pages."""
    line = next(x for x in stderr.splitlines() if x.startswith("Ferdig på"))
    return line.split(" s: ", 1)[1]


def test_a_failing_download_writer_fails_the_build_and_keeps_the_old_site(
    checklists: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    run_build([checklists], site, today=TODAY)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}

    from statuskart.downloads.export import Table
    from statuskart.downloads.write import Work

    real = Work.of

    def unwritable(model: object) -> Work:
        """A cell no spreadsheet can hold: the writer process fails on it."""
        work = real(model)  # type: ignore[arg-type]
        first = work.tables[0]
        bad = Table(first.name, first.columns, ((object(),) * len(first.columns),))
        return Work((bad, *work.tables[1:]), work.plans)

    monkeypatch.setattr(Work, "of", unwritable)
    result = CliRunner().invoke(main, ["build", str(checklists), "-o", str(site)])
    assert result.exit_code == 2
    assert "Nedlastingene kunne ikke skrives: uventet feil (TypeError" in result.output
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_a_writer_refused_by_the_system_says_why_in_bokmal(
    checklists: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import statuskart.downloads.write as dl

    real = dl._dump

    def blocked(work: object, root: Path) -> object:
        (root / dl.FOLDER).write_text("en fil der mappen skulle vært", encoding="utf-8")
        return real(work, root)  # type: ignore[arg-type]

    monkeypatch.setattr(dl, "_dump", blocked)
    result = CliRunner().invoke(main, ["build", str(checklists), "-o", str(tmp_path / "s")])
    assert result.exit_code == 2
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("Feil: Nedlastingene kunne ikke skrives: operativsystemet avviste det")
    assert not (tmp_path / "s").exists()  # nothing half-built was left


def test_time_spent_alongside_other_stages_is_not_counted_twice() -> None:
    from statuskart.cli.progress import format_stages

    line = format_stages((("read", 1.0), ("mkdocs", 3.0), ("downloads-parallel", 3.5)))
    assert "nedlastinger (samtidig med sidene og MkDocs) 3,5 s" in line
    assert line.endswith("Mest tid gikk til MkDocs (75\u00a0%).")
