"""Preview server: render pages into a temporary folder, serve them, render again on change.

Nothing is written into the user's folders: pages, config and MkDocs' own output live in temporary
folders. The watcher survives a checklists folder that disappears for a while (an unmounted share):
it says so once, keeps polling, and carries on when the folder is back.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError, StatuskartError
from statuskart.core.terminal import inert
from statuskart.model.audience import Audience
from statuskart.pipeline.build import build_date_from_env
from statuskart.pipeline.run import collect_inputs, render_docs
from statuskart.site.engine import port_error
from statuskart.site.settings import USER_DIR

LOG = logging.getLogger("statuskart.pipeline.serve")
Snapshot = tuple[tuple[str, int, int], ...]


def serve_preview(
    checklists: Sequence[Path],
    address: str,
    *,
    catalog_files: Iterable[Path] = (),
    config_file: Path | None = None,
    poll_seconds: float = 1.0,
    ready: Callable[[], None] | None = None,
    cache_dir: Path | None = None,
    audience: Audience | None = None,
) -> None:
    """Render the pages, preview them with MkDocs' live-reloading server, re-render on change.

    A background thread polls the checklists; when a file is added, changed or removed it
    renders the pages again into the served folder, and MkDocs' own watcher reloads the browser.
    ``ready`` is called once settings, port and first render are fine (the CLI's greeting).
    Re-renders read serially (no worker processes forked from a threaded server); with
    ``cache_dir`` only changed skjema are read again.
    """
    from statuskart.site.engine import serve_site, site_config

    catalog_files = tuple(catalog_files)
    config = site_config(config_file)
    check_port(address)

    def render(docs: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="statuskart-") as fresh:
            try:
                render_docs(
                    checklists,
                    Path(fresh),
                    catalog_files=catalog_files,
                    build_date=build_date_from_env(),
                    workers=1,
                    cache_dir=cache_dir,
                    audience=audience,
                )
            except (StatuskartError, OSError) as exc:  # keep previewing; the user is mid-edit
                LOG.error(msg.ERROR_PREFIX + inert(str(exc)))
                return
            sync_tree(Path(fresh), docs, keep=("assets", USER_DIR))

    with tempfile.TemporaryDirectory(prefix="statuskart-") as tmp:
        docs = Path(tmp) / "docs"
        render_docs(
            checklists,
            docs,
            catalog_files=catalog_files,
            build_date=build_date_from_env(),
            cache_dir=cache_dir,
            audience=audience,
        )
        if ready is not None:
            ready()
        stop = threading.Event()
        watcher = threading.Thread(
            target=_rerender_on_change,
            args=(checklists, lambda: render(docs), stop, poll_seconds),
            daemon=True,
        )
        watcher.start()
        try:
            serve_site(docs, config, address)
        finally:
            stop.set()


def parse_address(address: str) -> tuple[str, int]:
    """Host and port of ``--addr`` («127.0.0.1:8000», «[::1]:8000»); ConfigError if malformed."""
    host, sep, port = address.strip().rpartition(":")
    if not sep or not port.isdigit() or int(port) > 65535:  # 0: any free port
        raise ConfigError(msg.BAD_ADDRESS.format(address=inert(address)))
    return host.strip("[]") or "127.0.0.1", int(port)


def is_loopback(host: str) -> bool:
    """True when only this machine can reach ``host``."""
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any interface


def check_port(address: str) -> None:
    """Fail early, before rendering, when the preview's port is taken (ConfigError, bokmål)."""
    host, port = parse_address(address)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as MkDocs' server does
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise port_error(exc, address) from None


def sync_tree(source: Path, target: Path, *, keep: Sequence[str] = ()) -> None:
    """Make ``target`` match ``source``, writing only changed files so the watcher sees less."""
    wanted = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    for rel in sorted(wanted):
        src, dst = source / rel, target / rel
        data = src.read_bytes()
        if not dst.is_file() or dst.read_bytes() != data:
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(data)
    for old in target.rglob("*"):
        rel = old.relative_to(target)
        if old.is_file() and rel not in wanted and rel.parts[0] not in keep:
            old.unlink()


def input_snapshot(checklists: Sequence[Path]) -> Snapshot:
    """Name, size and mtime of every input file (indikatorer.* too): what the preview watches."""
    from statuskart.indicators.read import find_indicator_files

    snapshot = []
    for path in [*collect_inputs(checklists), *find_indicator_files(checklists)]:
        try:
            info = path.stat()
        except OSError:
            continue  # vanished between listing and stat; the next poll sees it gone
        snapshot.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(snapshot)


def _rerender_on_change(
    checklists: Sequence[Path], render: Callable[[], None], stop: threading.Event, every: float
) -> None:
    seen = _snapshot_or_none(checklists)
    gone = seen is None
    while not stop.wait(every):
        now = _snapshot_or_none(checklists)
        if now is None:
            if not gone:
                missing = [p for p in checklists if not Path(p).exists()] or list(checklists)
                LOG.warning(msg.PREVIEW_INPUT_GONE.format(path=", ".join(map(str, missing))))
                gone = True
            continue
        if gone:
            LOG.warning(msg.PREVIEW_INPUT_BACK.format(path=", ".join(map(str, checklists))))
            gone = False
        if now != seen:
            seen = now
            render()


def _snapshot_or_none(checklists: Sequence[Path]) -> Snapshot | None:
    """The snapshot, or None while an input folder is missing or unreadable (unmounted share)."""
    try:
        return input_snapshot(checklists)
    except (StatuskartError, OSError):
        return None
