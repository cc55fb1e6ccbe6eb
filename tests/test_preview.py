"""Preview: re-renders on change, survives a vanishing share, never writes to user folders."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError
from statuskart.pipeline.serve import _rerender_on_change, input_snapshot, serve_preview
from statuskart.sample.checklists import write_samples

from .conftest import WorkbookFactory


def start_watcher(folder: Path, every: float = 0.05):
    renders = threading.Semaphore(0)
    stop = threading.Event()
    thread = threading.Thread(
        target=_rerender_on_change, args=([folder], renders.release, stop, every), daemon=True
    )
    thread.start()
    time.sleep(4 * every)  # the watcher takes its first snapshot as it starts
    return renders, stop, thread


def test_preview_watcher_rerenders_when_a_checklist_changes(
    filled_workbook: WorkbookFactory,
) -> None:
    path = filled_workbook()
    folder = path.parent
    before = input_snapshot([folder])
    renders, stop, thread = start_watcher(folder)
    path.write_bytes(path.read_bytes() + b"\0")  # size changes, so the snapshot must differ
    assert input_snapshot([folder]) != before
    assert renders.acquire(timeout=5)
    path.unlink()
    assert renders.acquire(timeout=5)
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_watcher_waits_while_the_folder_is_gone_and_picks_up_again(
    tmp_path: Path, tsb: Catalogue, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "checklists"
    write_samples(tsb, folder, units=2, rounds=1, seed=5)
    away = tmp_path / "frakoblet"
    with caplog.at_level(logging.WARNING, logger="statuskart.pipeline.serve"):
        renders, stop, thread = start_watcher(folder)
        folder.rename(away)  # the share is unmounted
        time.sleep(0.5)  # many polls
        assert thread.is_alive()
        gone = [r.getMessage() for r in caplog.records if "Finner ikke" in r.getMessage()]
        assert gone == [msg.PREVIEW_INPUT_GONE.format(path=folder)]  # said once, not per poll
        assert not renders.acquire(timeout=0)  # nothing rendered from a missing folder
        away.rename(folder)
        time.sleep(0.5)
        assert any(
            r.getMessage() == msg.PREVIEW_INPUT_BACK.format(path=folder) for r in caplog.records
        )
        changed = next(folder.rglob("*.xlsx"))
        changed.write_bytes(changed.read_bytes() + b"\0")
        assert renders.acquire(timeout=5)
    stop.set()
    thread.join(timeout=5)


def test_serve_writes_nothing_into_the_users_folders(
    tmp_path: Path, tsb: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_samples(tsb, tmp_path / "checklists", units=2, rounds=1, seed=6)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/om.md").write_text("# Om\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("nav:\n  - Om: om.md\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    seen: dict[str, Any] = {}

    def fake_serve(config_file, dev_addr, livereload):
        seen["config"] = Path(config_file)
        seen["om"] = (Path(config_file).parent / "docs/egne/om.md").read_text(encoding="utf-8")

    monkeypatch.setattr("mkdocs.commands.serve.serve", fake_serve)
    serve_preview([Path("checklists")], "127.0.0.1:0", config_file=Path("mkdocs.yml"))
    assert tmp_path not in seen["config"].parents and seen["om"] == "# Om\n"
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before


@pytest.fixture
def busy_port() -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield f"127.0.0.1:{sock.getsockname()[1]}"


def test_serve_on_a_busy_port_is_one_bokmal_line(
    runner: CliRunner, filled_workbook: WorkbookFactory, busy_port: str
) -> None:
    folder = filled_workbook().parent
    result = runner.invoke(main, ["serve", str(folder), "--addr", busy_port])
    assert result.exit_code == 2
    assert result.stderr.strip() == msg.ERROR_PREFIX + msg.PORT_IN_USE.format(address=busy_port)
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_mkdocs_server_on_a_busy_port_becomes_a_config_error(
    tmp_path: Path, busy_port: str
) -> None:
    from statuskart.site.engine import serve_site, site_config

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Hei\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="porten er i bruk"):
        serve_site(docs, site_config(None), busy_port)


@pytest.mark.parametrize("addr", ["127.0.0.1:99999", "127.0.0.1", "localhost:port", "", "::"])
def test_malformed_address_is_one_bokmal_line(
    runner: CliRunner, filled_workbook: WorkbookFactory, addr
) -> None:
    folder = filled_workbook().parent
    result = runner.invoke(main, ["serve", str(folder), "--addr", addr])
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(msg.ERROR_PREFIX) and "ikke en adresse med port" in line


def test_serve_says_loudly_when_it_is_on_the_network_and_takes_an_audience(
    runner: CliRunner, filled_workbook: WorkbookFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = filled_workbook().parent
    seen: dict[str, Any] = {}

    def fake_serve(checklists, address, *, ready, audience, **kwargs):
        seen["audience"] = audience
        ready()

    monkeypatch.setattr("statuskart.pipeline.serve.serve_preview", fake_serve)
    local = runner.invoke(main, ["serve", str(folder)])
    assert local.exit_code == 0 and "ADVARSEL" not in local.stderr
    assert seen["audience"].name == "intern"
    wide = runner.invoke(main, ["serve", str(folder), "--addr", "0.0.0.0:8123"])
    assert wide.exit_code == 0
    assert "ADVARSEL" in wide.stderr and "kommentarer og tiltak" in wide.stderr
    regional = runner.invoke(
        main, ["serve", str(folder), "--addr", "0.0.0.0:8123", "--audience", "region"]
    )
    assert seen["audience"].name == "region" and "uten fritekst" in regional.stderr
    blank = runner.invoke(main, ["serve", str(folder), "--unit", " "])
    assert blank.exit_code == 2 and "--unit er tom" in blank.stderr
