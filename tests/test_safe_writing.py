"""Writing files: atomic saves, and template/sample never replace a file that is already there."""

import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.core.errors import OutputError
from statuskart.sample.checklists import write_samples
from statuskart.workbook.write import save_workbook


def snapshot(root: Path) -> dict[str, bytes]:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return {str(p.relative_to(root)): p.read_bytes() for p in files}


def test_save_is_atomic_and_leaves_no_temp_file_on_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ut.xlsx"
    target.write_bytes(b"old content")

    def disk_full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputError, match="disken er full"):
        save_workbook(Workbook(), target)
    assert target.read_bytes() == b"old content"  # the old file is whole, not half-replaced
    assert [p.name for p in tmp_path.iterdir()] == ["ut.xlsx"]  # temp file removed

    monkeypatch.undo()
    save_workbook(Workbook(), target)
    assert target.read_bytes().startswith(b"PK")
    assert [p.name for p in tmp_path.iterdir()] == ["ut.xlsx"]


def test_saved_file_is_readable_by_others_on_the_share(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        save_workbook(Workbook(), tmp_path / "delt.xlsx")
    finally:
        os.umask(old)
    assert (tmp_path / "delt.xlsx").stat().st_mode & 0o777 == 0o644


def test_template_refuses_to_overwrite(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "skjema.xlsx"
    target.write_bytes(b"filled in by someone")
    result = runner.invoke(main, ["template", "-o", str(target)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Feil: {target} finnes allerede. statuskart skriver aldri")
    assert "Velg et annet filnavn med -o" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert target.read_bytes() == b"filled in by someone"
    fresh = runner.invoke(main, ["template", "-o", str(tmp_path / "ny.xlsx")])
    assert fresh.exit_code == 0 and (tmp_path / "ny.xlsx").is_file()


def test_sample_refuses_before_writing_anything(
    runner: CliRunner, tmp_path: Path, tsb: Catalogue
) -> None:
    out = tmp_path / "checklists"
    first = runner.invoke(main, ["sample", "-o", str(out), "--units", "3", "--rounds", "2"])
    assert first.exit_code == 0
    (out / "2026-T1" / "egen-fil.txt").write_text("brukerens egen fil")
    one = sorted((out / "2026-T2").glob("*.xlsx"))[0]
    one.write_bytes(b"someone's real answers")
    before = snapshot(out)

    again = runner.invoke(main, ["sample", "-o", str(out), "--units", "3", "--rounds", "2"])
    assert again.exit_code == 2
    assert again.stderr.startswith("Feil: ") and "finnes allerede (8 av filene" in again.stderr
    assert "Velg en tom mappe med -o" in again.stderr
    assert snapshot(out) == before  # every byte unchanged, nothing added

    # Only the register in the way: still refused, and no skjema is written first.
    other = tmp_path / "other"
    other.mkdir()
    (other / "enheter.yaml").write_text("enheter: []\n")
    with pytest.raises(OutputError, match=r"enheter\.yaml finnes allerede"):
        write_samples(tsb, other, units=2, rounds=1)
    assert [p.name for p in other.iterdir()] == ["enheter.yaml"]
    # Only the indicator table in the way: the same.
    third = tmp_path / "third"
    third.mkdir()
    (third / "indikatorer.xlsx").write_bytes(b"a quality adviser's real figures")
    with pytest.raises(OutputError, match=r"indikatorer\.xlsx finnes allerede"):
        write_samples(tsb, third, units=2, rounds=1)
    assert [p.name for p in third.iterdir()] == ["indikatorer.xlsx"]
