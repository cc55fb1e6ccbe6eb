"""A cache that cannot be turned against its user: private folder, signed entries."""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from statuskart.catalog.load import load_catalogs
from statuskart.cli.commands import main
from statuskart.core.cache_guard import KEY_FILE, seal, secure_folder, unseal
from statuskart.core.errors import ConfigError
from statuskart.validate.intake import ReportCache

from .conftest import WorkbookFactory

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run


class Planted:
    """Unpickling this would run code: proof that a planted entry is never unpickled."""

    def __reduce__(self):
        return (os.system, ("touch /tmp/statuskart-planted-ran",))


def test_planted_entry_is_a_miss_and_never_unpickled(
    filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    sentinel = "/tmp/statuskart-planted-ran"
    if os.path.exists(sentinel):
        os.remove(sentinel)
    folder = tmp_path / "cache"
    cache = ReportCache(folder, load_catalogs())
    path = filled_workbook()
    key = cache.key(path)
    assert key is not None  # a readable file has a key
    entry = cache.folder / key[:2] / key
    entry.parent.mkdir(parents=True)
    entry.write_bytes(pickle.dumps(Planted()))  # a plain pickle, as another user would plant
    assert cache.get(key) is None
    entry.write_bytes(seal(b"not the cache's key" * 2, pickle.dumps(Planted())))
    assert cache.get(key) is None
    assert not os.path.exists(sentinel)


def test_own_entries_round_trip_and_a_changed_byte_is_a_miss(tmp_path: Path) -> None:
    key = secure_folder(tmp_path / "c")
    sealed = seal(key, b"payload")
    assert unseal(key, sealed) == b"payload"
    assert unseal(key, sealed[:-1] + b"X") is None
    assert unseal(key, b"payload") is None


def test_folder_and_key_are_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "delt"
    folder.mkdir(mode=0o755)
    secure_folder(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / KEY_FILE).stat().st_mode) == 0o600
    assert secure_folder(folder) == (folder / KEY_FILE).read_bytes()  # the same key next time


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o1777])
def test_folder_others_may_write_to_is_refused(tmp_path: Path, mode) -> None:
    folder = tmp_path / "felles"
    folder.mkdir()
    folder.chmod(mode)
    with pytest.raises(ConfigError, match="kan skrives av andre"):
        secure_folder(folder)
    assert not (folder / KEY_FILE).exists()


def test_build_with_a_shared_cache_is_one_bokmal_line(
    runner: CliRunner,
    filled_workbook: WorkbookFactory,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shared = tmp_path_factory.mktemp("felles")
    shared.chmod(0o777)
    monkeypatch.setenv("STATUSKART_CACHE_DIR", str(shared))
    folder = filled_workbook().parent
    site = tmp_path_factory.mktemp("ut") / "site"
    result = runner.invoke(main, ["build", str(folder), "-o", str(site)])
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Feil: Hurtigbufferen") and "STATUSKART_CACHE_DIR" in line
    assert not site.exists()
    no_cache = runner.invoke(main, ["build", str(folder), "-o", str(site), "--no-cache"])
    assert no_cache.exit_code == 0, no_cache.output
