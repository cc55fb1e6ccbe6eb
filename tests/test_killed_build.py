"""A build killed with SIGKILL at any stage leaves nothing running, and nothing the next build
does not remove (and name, in bokmål).

SIGKILL runs no cleanup, as when the out-of-memory killer picks the build. The build runs in its
own session with its own $TMPDIR, so every process and temporary file it made can be found.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.sample.checklists import write_samples

DRIVER = textwrap.dedent(
    """
    import datetime as dt
    import sys
    from pathlib import Path

    import statuskart

    checklists, site, stage_file = (Path(a) for a in sys.argv[1:4])

    def on_stage(name):
        stage_file.write_text(name)

    def progress(_path):
        stage_file.with_suffix(".files").open("a").write("x")

    result = statuskart.run_build(
        [checklists], site, today=dt.date(2026, 11, 24), workers=2,
        on_stage=on_stage, progress=progress,
    )
    print("\\n".join(result.notices))
    """
)


@pytest.fixture(scope="module")
def checklists(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    root = tmp_path_factory.mktemp("killed")
    write_samples(tsb, root, units=10, rounds=3, seed=7)  # 30 files: read in the worker pool
    return root


def _session(sid: int) -> list[int]:
    """Live (not zombie) processes in session ``sid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == sid:
            found.append(int(entry.name))
    return found


def _run(args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-c", DRIVER, *args],
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def test_a_build_killed_at_any_stage_leaves_nothing_behind_the_next_build(
    checklists: Path, tmp_path: Path
) -> None:
    tmp, out = tmp_path / "tmp", tmp_path / "out"
    tmp.mkdir()
    out.mkdir()
    site, stage_file = out / "site", tmp_path / "stage.txt"
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(Path.cwd())}
    args = [str(checklists), str(site), str(stage_file)]  # no cache: every stage takes time
    first = _run(args, env)
    _, errors = first.communicate(timeout=300)  # a site to replace: the swap's backup too
    assert first.returncode == 0, errors
    for stage in ("read", "pages", "mkdocs"):  # each next build is the one the next kill meets
        _kill_at(stage, args, env, stage_file)
        after = _run(args, env)
        output, errors = after.communicate(timeout=300)
        assert after.returncode == 0, errors
        assert _left_after(after.pid) == []  # forkserver's helpers end just after it
        assert "Ryddet etter et bygg som ble avbrutt: fjernet" in output, stage
        assert "midlertidig mappe" in output  # the killed build's own folder in $TMPDIR
        if stage == "mkdocs":  # MkDocs was writing into a staging folder beside the site
            assert "halvferdig nettsted" in output and "gammel låsefil" in output
        assert list(tmp.iterdir()) == []  # no temporary file outlives the build that made it
        assert sorted(p.name for p in out.iterdir()) == ["site"]  # no staging, backup or lock
        assert (site / "index.html").is_file()


def _kill_at(stage: str, args: list[str], env: dict[str, str], stage_file: Path) -> None:
    """Start a build, SIGKILL it once it is into ``stage``, and check none of it lives on."""
    files = stage_file.with_suffix(".files")
    stage_file.unlink(missing_ok=True)
    files.unlink(missing_ok=True)
    build = _run(args, env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        now = stage_file.read_text() if stage_file.exists() else ""
        if now == stage and (stage != "read" or (files.exists() and files.stat().st_size >= 2)):
            break
        assert build.poll() is None, build.communicate()
        time.sleep(0.02)
    time.sleep(1.0 if stage == "mkdocs" else 0.1)  # into the stage's work (MkDocs: ~4 s)
    assert build.poll() is None, f"the build ended before it was killed in {stage}"
    os.kill(build.pid, signal.SIGKILL)
    build.communicate()
    assert _left_after(build.pid) == [], f"processes of the killed build still ran after {stage}"


def _left_after(sid: int) -> list[int]:
    """Processes of session ``sid`` still alive 10 s after its leader ended (then killed)."""
    end = time.monotonic() + 10
    while _session(sid) and time.monotonic() < end:
        time.sleep(0.1)
    left = _session(sid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left
