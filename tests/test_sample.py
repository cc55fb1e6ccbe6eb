from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from statuskart.catalog.load import load_catalogs
from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.pipeline.run import check_files
from statuskart.sample.checklists import periods, write_samples
from statuskart.workbook.organisations import RHFS

from .conftest import TODAY, submission_of


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path, tsb: Catalogue) -> None:
    a = write_samples(tsb, tmp_path / "a", units=4, rounds=2, seed=7)
    b = write_samples(tsb, tmp_path / "b", units=4, rounds=2, seed=7)
    c = write_samples(tsb, tmp_path / "c", units=4, rounds=2, seed=8)
    assert [p.relative_to(tmp_path / "a") for p in a] == [p.relative_to(tmp_path / "b") for p in b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))
    assert any(x.read_bytes() != y.read_bytes() for x, y in zip(a, c, strict=False))


def test_periods_count_back_in_tertials() -> None:
    assert periods("2026-T1", 3) == ["2025-T2", "2025-T3", "2026-T1"]


def test_sample_spreads_units_and_validates(tmp_path: Path, tsb: Catalogue) -> None:
    paths = write_samples(tsb, tmp_path, units=30, rounds=2, seed=1)
    assert len(paths) == 60
    assert {p.parent.name for p in paths} == {"2026-T1", "2026-T2"}
    reports = check_files([tmp_path], load_catalogs(), TODAY)
    assert all(r.status != "rejected" for r in reports), [r.findings for r in reports]
    metas = [r.submission.meta for r in reports if r.submission]
    assert {m.rhf for m in metas} == set(RHFS)
    assert len({m.unit_type for m in metas}) >= 3
    statuses = Counter(a.status for r in reports for a in submission_of(r).answers)
    assert statuses["Implementert"] and statuses["Ikke startet"] and statuses["Ikke aktuelt"]
    assert statuses[None] > 0  # some blanks
    assert any(a.comment for r in reports for a in submission_of(r).answers)


def test_mistakes_produce_the_findings_real_users_cause(tmp_path: Path, tsb: Catalogue) -> None:
    write_samples(tsb, tmp_path, units=8, rounds=1, seed=3, mistakes=True)
    reports = check_files([tmp_path], load_catalogs(), TODAY)
    codes = Counter(f.code for r in reports for f in r.findings)
    for code in (
        "status-normalised",
        "missing-metadata",
        "duplicate-id",
        "requirement-missing",
        "status-invalid",
    ):
        assert codes[code] >= 1, code


def test_cli_sample(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["sample", "-o", str(tmp_path), "--units", "3", "--rounds", "1"])
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*/*.xlsx"))) == 3  # skjema in the round folder
    assert (tmp_path / "indikatorer.xlsx").is_file()  # and the invented registry figures
    bad = runner.invoke(main, ["sample", "-o", str(tmp_path), "--last-period", "2026-T9"])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Feil: «2026-T9» er ikke en periode")


def test_repository_checklists_are_the_documented_sample(tmp_path: Path, tsb: Catalogue) -> None:
    """checklists/ must be exactly what README's regeneration command writes."""
    repo = Path(__file__).resolve().parents[1] / "checklists"
    write_samples(tsb, tmp_path, units=36, rounds=2, seed=1, mistakes=True)
    ours = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(repo) for p in repo.rglob("*") if p.is_file())
    assert ours == committed
    for rel in ours:
        assert (tmp_path / rel).read_bytes() == (repo / rel).read_bytes(), rel
