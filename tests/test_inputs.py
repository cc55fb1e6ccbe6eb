"""Collecting inputs: lock files and the register skipped and listed, each file read once."""

import errno
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.core import messages as msg
from statuskart.pipeline.inputs import gather_inputs
from statuskart.site.output_folder import MARKER, marker_text
from statuskart.workbook.read import read_workbook
from statuskart.workbook.sniff import MAX_FILE_BYTES

from .conftest import WorkbookFactory

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run


def test_lock_files_are_skipped_and_listed(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    good = filled_workbook(name="skjema.xlsx")
    folder = good.parent
    (folder / "~$skjema.xlsx").write_bytes(b"\x00" * 165)
    (folder / "._skjema.xlsx").write_bytes(b"\x00\x05\x16\x07")
    (folder / ".~lock.skjema.xlsx#").write_text(",Kari,host,27.11.2026 10:00,file:///x;")
    (folder / "notat.pdf").write_bytes(b"%PDF")  # not a spreadsheet: ignored, as before

    found = gather_inputs([folder])
    assert found.files == (good,)
    reasons = {Path(s.path).name: s.reason for s in found.skipped}
    assert set(reasons) == {"~$skjema.xlsx", "._skjema.xlsx", ".~lock.skjema.xlsx#"}
    assert "Excels låsefil" in reasons["~$skjema.xlsx"]
    assert "LibreOffices låsefil" in reasons[".~lock.skjema.xlsx#"]

    # Given directly (e.g. a shell glob) they are skipped too.
    result = runner.invoke(main, ["validate", str(good), str(folder / "~$skjema.xlsx")])
    assert result.exit_code == 0, result.output
    assert "1 fil: " in result.output
    assert f"Hoppet over {folder / '~$skjema.xlsx'}: Excels låsefil" in result.stderr
    score = runner.invoke(main, ["score", str(folder)])
    assert score.stderr.count("Hoppet over") == 3


def test_register_is_never_read_as_a_skjema(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    good = filled_workbook(name="skjema.xlsx")
    # A register that looks exactly like a skjema would be a duplicate submission if read.
    shutil.copy(good, good.parent / "enheter.xlsx")
    shutil.copy(good, good.parent / "mitt-register.xlsx")
    found = gather_inputs([good.parent], exclude=[good.parent / "mitt-register.xlsx"])
    assert found.files == (good,)
    assert {Path(s.path).name for s in found.skipped} == {"enheter.xlsx", "mitt-register.xlsx"}
    assert all(s.reason == "enhetsregisteret, ikke et skjema" for s in found.skipped)
    (good.parent / "mitt-register.xlsx").unlink()  # validate has no --registry option
    result = runner.invoke(main, ["validate", str(good.parent)])
    assert result.exit_code == 0 and "1 fil: 1 OK" in result.output
    assert "enheter.xlsx: enhetsregisteret" in result.stderr


def test_same_file_twice_is_read_once(filled_workbook: WorkbookFactory, tmp_path: Path) -> None:
    a = filled_workbook(name="a.xlsx")
    b = filled_workbook(name="b.xlsx", meta={"unit": "Annen enhet"})
    os.symlink(a, tmp_path / "lenke-til-a.xlsx")
    found = gather_inputs([tmp_path, a, tmp_path, Path(str(b).replace("/b.xlsx", "/./b.xlsx"))])
    assert found.files == (a, b)  # first spelling kept, in order
    assert found.skipped == ()


def test_symlinks_inside_are_followed_once_and_a_loop_ends(
    filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    skjema = filled_workbook(name="skjema.xlsx")
    root = tmp_path / "root"
    (root / "2026-T1").mkdir(parents=True)
    (root / "arkiv").mkdir()
    shutil.move(skjema, root / "2026-T1" / "skjema.xlsx")
    filled_workbook(name="root/arkiv/other.xlsx", meta={"unit": "Annen"})
    os.symlink(root / "arkiv", root / "linked")
    os.symlink(root, root / "2026-T1" / "loop")  # points back up: a loop
    found = gather_inputs([root])
    assert sorted(p.name for p in found.files) == ["other.xlsx", "skjema.xlsx"]
    assert found.skipped == ()


def test_symlinks_out_of_the_input_are_listed_by_name_and_not_read(
    filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    filled_workbook(name="root/skjema.xlsx")
    private = tmp_path / "privat"
    private.mkdir()
    filled_workbook(name="privat/hemmelig-enhet.xlsx", meta={"unit": "Hemmelig"})
    os.symlink(private, root / "snarvei")
    os.symlink(private / "hemmelig-enhet.xlsx", root / "lenke.xlsx")
    found = gather_inputs([root])
    assert [p.name for p in found.files] == ["skjema.xlsx"]
    assert sorted(Path(s.path).name for s in found.skipped) == ["lenke.xlsx", "snarvei"]
    assert {s.reason for s in found.skipped} == {msg.SKIP_LINK_OUTSIDE}
    assert not any("hemmelig" in s.path for s in found.skipped)


def test_hard_link_to_a_skjema_is_one_file(
    filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    first = filled_workbook(name="root/a.xlsx")
    os.link(first, root / "b-kopi.xlsx")
    found = gather_inputs([root])
    assert found.files == (first,)
    (skipped,) = found.skipped
    assert skipped.path.endswith("b-kopi.xlsx") and str(first) in skipped.reason


def test_empty_folder_stops_build_and_keeps_the_old_site(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "unmounted-share"
    empty.mkdir()
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the good old site")
    (site / MARKER).write_text(marker_text(), encoding="utf-8")  # a site statuskart built
    for args in (["build", str(empty), "-o", str(site)], ["serve", str(empty)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.strip().splitlines()[-1] == f"Feil: Fant ingen regneark i {empty}"
    assert (site / "index.html").read_text() == "the good old site"
    only_locks = tmp_path / "locks"
    only_locks.mkdir()
    (only_locks / "~$x.xlsx").write_bytes(b"x")
    result = runner.invoke(main, ["build", str(only_locks), "-o", str(site)])
    assert result.exit_code == 2 and "Hoppet over" in result.stderr


def test_no_read_permission_is_its_own_finding(
    runner: CliRunner, filled_workbook: WorkbookFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = filled_workbook(name="låst.xlsx")
    real_open = Path.open

    def deny(self: Path, *args, **kwargs):
        if self == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    result = read_workbook(locked)
    assert [f.code for f in result.findings] == ["no-read-access"]
    assert "ingen lesetilgang" in result.findings[0].message
    cli = runner.invoke(main, ["validate", str(locked)])
    assert cli.exit_code == 1
    assert "ingen lesetilgang" in cli.output and "skadet" not in cli.output


def test_size_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    huge = tmp_path / "stor.xlsx"
    with huge.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 10 * 2**20)  # sparse: 30 MB that takes no disk space

    def must_not_read(self: Path, *args, **kwargs):
        raise AssertionError(f"{self} was read before its size was checked")

    monkeypatch.setattr(Path, "read_bytes", must_not_read)
    monkeypatch.setattr(Path, "open", must_not_read)
    monkeypatch.setattr("builtins.open", must_not_read)
    result = read_workbook(huge)
    assert [f.code for f in result.findings] == ["too-large"]
    assert "30 MB, grensen er 20 MB" in result.findings[0].message


@pytest.mark.parametrize("grown", [0, 1, 5_000, MAX_FILE_BYTES + 10])
def test_a_file_grown_after_the_size_check_is_read_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, grown: int
) -> None:
    """read_input_bytes reads the stated size first; bytes added since stat() are read too,
    up to the limit plus one byte (sniff then refuses the file), as one read of the limit."""
    from statuskart.workbook.guarded import read_input_bytes

    target = tmp_path / "voksende.xlsx"
    with target.open("wb") as fh:
        fh.write(b"PK\3\4" + b"x" * 995)
        fh.truncate(1000 + grown)  # sparse beyond the first kB
    real_stat = Path.stat

    def stated_before_growth(self: Path, *args, **kwargs):
        info = real_stat(self, *args, **kwargs)
        if self != target:
            return info
        return os.stat_result((*info[:6], 1000, *info[7:]))

    monkeypatch.setattr(Path, "stat", stated_before_growth)
    data = read_input_bytes(target)
    assert isinstance(data, bytes)
    assert len(data) == min(1000 + grown, MAX_FILE_BYTES + 1)
    assert data[:1000] == b"PK\3\4" + b"x" * 995 + b"\0"


def test_unreadable_folder_is_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    closed = tmp_path / "closed"
    closed.mkdir()
    real_scandir = os.scandir

    def deny(path=".", *args):  # root reads mode-000 folders, so simulate the refusal
        if Path(path) == closed:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path, *args)

    monkeypatch.setattr(os, "scandir", deny)
    found = gather_inputs([tmp_path])
    assert [(s.path, s.reason) for s in found.skipped] == [
        (str(closed), "ingen lesetilgang til mappen; filene i den er ikke lest")
    ]


def test_fifo_named_like_a_spreadsheet_does_not_block(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    good = filled_workbook(name="skjema.xlsx")
    os.mkfifo(tmp_path / "rør.xlsx")
    found = gather_inputs([tmp_path, tmp_path / "rør.xlsx"])
    assert found.files == (good,)
    assert [(Path(s.path).name, s.reason) for s in found.skipped] == [
        ("rør.xlsx", "ikke en vanlig fil (en enhet eller et rør med regnearknavn)")
    ]
    assert [f.code for f in read_workbook(tmp_path / "rør.xlsx").findings] == ["not-a-spreadsheet"]


@pytest.mark.slow
def test_a_build_walks_its_input_folders_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tsb: Catalogue
) -> None:
    """The CLI gathers the inputs (to list what it passed over) and hands them to the build: the
    folders are not walked again to read, to find empty rounds or to count files."""
    import os

    from click.testing import CliRunner

    from statuskart.cli.commands import main
    from statuskart.sample.checklists import write_samples

    checklists = tmp_path / "in"
    write_samples(tsb, checklists, units=3, rounds=1, seed=1)
    (checklists / "2027-T1").mkdir()  # an empty round: still found
    walks: list[str] = []
    real_walk = os.walk

    def counting_walk(top, *args, **kwargs):
        walks.append(str(top))
        return real_walk(top, *args, **kwargs)

    monkeypatch.setattr(os, "walk", counting_walk)
    monkeypatch.setenv("STATUSKART_CACHE_DIR", str(tmp_path / "cache"))
    result = CliRunner().invoke(main, ["build", str(checklists), "-o", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert walks.count(str(checklists)) == 1
