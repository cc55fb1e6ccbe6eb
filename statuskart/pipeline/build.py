"""The build command's pipeline: the site from checklists, atomically, in two processes.

``run_build`` checks and locks the output folder, removes what killed builds left behind, reads,
validates, scores, reports and renders pages (pipeline.render_docs) while a second process
writes the downloads, then runs MkDocs and swaps the new site in. The same code path runs on
every platform and under every start method (processes.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError
from statuskart.core.timing import Stopwatch
from statuskart.model.audience import Audience
from statuskart.pipeline.inputs import Inputs, gather_inputs
from statuskart.pipeline.run import render_docs
from statuskart.site import shares
from statuskart.site.shares import ShareJob
from statuskart.validate.model import FileReport


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildResult:
    """What a build did, for the summary line."""

    files: tuple[FileReport, ...]
    """Each input file's status and findings (without the parsed submission)."""
    units: int
    pages: int
    seconds: float
    site_dir: Path
    stages: tuple[tuple[str, float], ...] = ()
    """(stage, wall seconds) in pipeline order: where the time went."""
    notices: tuple[str, ...] = ()
    """Bokmål lines for the user: what was cleaned up after an earlier, killed build."""
    pages_kept: int = 0
    """Unit pages copied from the last build, their key unchanged (render/kept_pages.py)."""


MAX_EPOCH = 253_402_300_799  # 9999-12-31T23:59:59Z, the last second a date can hold


def build_date_from_env() -> dt.date:
    """SOURCE_DATE_EPOCH if set (reproducible builds), else today.

    A malformed value is an error, as the reproducible-builds spec asks, not silently today.
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return dt.date.today()  # noqa: DTZ011 - the build's own calendar day
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12 or int(raw) > MAX_EPOCH:
        raise ConfigError(msg.BAD_SOURCE_DATE_EPOCH.format(value=raw[:40]))
    return dt.datetime.fromtimestamp(int(raw), tz=dt.UTC).date()


def run_build(
    checklists: Sequence[Path],
    site_dir: Path,
    *,
    catalog_files: Iterable[Path] = (),
    config_file: Path | None = None,
    template_dirs: Sequence[Path] = (),
    today: dt.date | None = None,
    strict: bool = False,
    progress: Callable[[Path], None] | None = None,
    audience: Audience | None = None,
    registry_file: Path | None = None,
    workers: int | None = None,
    cache_dir: Path | None = None,
    keep_docs: Path | None = None,
    on_stage: Callable[[str], None] | None = None,
    indicator_files: Sequence[Path] = (),
    gathered: Inputs | None = None,
) -> BuildResult:
    """The whole pipeline: read, validate, score, report, render pages, build the site.

    The output folder is checked first (never an input, never someone else's folder) and locked
    for the whole build, so two builds into one folder cannot interleave.
    ``keep_docs``: render the Markdown into this folder (its parent also gets the generated
    ``mkdocs.generated.yml``) and keep both, e.g. to time a bare ``mkdocs build`` of them. The
    downloads are not in it (the build moves them into the site), so such a build warns of the
    links to them.
    ``on_stage`` is told the name of each stage as it starts (for progress display).
    ``indicator_files``: registry figures (--indicators); default indikatorer.* next to the
    checklists.
    ``gathered``: the input files already gathered from ``checklists`` (not walked again).
    """
    from statuskart.core import cache, heap
    from statuskart.core.cache_guard import secure_folder
    from statuskart.downloads.write import DownloadJob
    from statuskart.pipeline import leftovers
    from statuskart.render.kept_pages import KeptPages
    from statuskart.site import output_folder as output
    from statuskart.site import trash
    from statuskart.site.engine import build_site, site_config, with_unit_title
    from statuskart.site.incremental import work_dir

    start = time.perf_counter()
    watch = Stopwatch()
    build_date = today or build_date_from_env()
    config = site_config(config_file)
    catalog_files = tuple(catalog_files)
    inputs = [*checklists, *catalog_files, *template_dirs]
    inputs += [p for p in (config_file, registry_file) if p is not None]
    inputs += config.settings.sources if config.settings else ()
    inputs += indicator_files
    output.check_output(site_dir, inputs)
    seal_key = secure_folder(cache_dir) if cache_dir is not None else b""  # before any use
    # The skjemas, scores and model live through the build: kept out of full collections.
    with heap.frozen(), output.locked(site_dir) as stale_lock:
        notices = clean_up(site_dir, stale_lock)
        with leftovers.build_tempdir() as tmp:
            docs = keep_docs if keep_docs is not None else tmp / "docs"
            work = work_dir(cache_dir, site_dir) if cache_dir is not None else None
            if work is not None:
                cache.mark_used(work.root)  # and so not removed by another build's trim
            sweeper = trash.sweep(work.root) if work is not None else None
            job = DownloadJob(
                tmp / "downloads",
                work.root / "downloads" if work else None,
                seal_key,
                build_date.strftime("%d.%m.%Y"),
            )
            if work is not None:  # where earlier versions kept the plans alone
                shutil.rmtree(work.root / "plans", ignore_errors=True)
            # The writer starts now and gets its parts as soon as the report model exists; it
            # runs beside the pages and MkDocs.
            job.launch()
            gathered = gathered or gather_inputs(checklists)  # the folders walked once
            if work is not None and mostly_unchanged(gathered.files, work.built_at()):
                job.stage_kept()  # a rebuild: most plans will be kept, dated today
            helpers = share_jobs(tmp, workers, gathered)
            try:
                reports, model, pages, search_entries, kept = render_docs(
                    checklists,
                    docs,
                    catalog_files=catalog_files,
                    template_dirs=template_dirs,
                    build_date=build_date,
                    progress=progress,
                    audience=audience,
                    registry_file=registry_file,
                    watch=watch,
                    workers=workers,
                    cache_dir=cache_dir,
                    on_stage=on_stage,
                    on_model=job.prepare,
                    indicator_files=indicator_files,
                    own_unit_search=True,
                    gathered=gathered,
                    kept=KeptPages(work.root, work.docs, seal_key) if work is not None else None,
                )
                units = len(model.units)
                if model.audience == "enhet" and model.units:
                    config = with_unit_title(config, model.units[0].score.unit.unit)
                reports = tuple(replace(r, submission=None) for r in reports)
                del model  # MkDocs needs none of it: let it go before MkDocs starts
                nav = written_nav(config.mkdocs.get("nav", []), docs)
                config = replace(config, mkdocs={**config.mkdocs, "nav": nav})
                if on_stage is not None:
                    on_stage("mkdocs")
                with watch.stage("mkdocs"):
                    build_site(
                        docs,
                        site_dir,
                        config=config,
                        build_date=build_date,
                        strict=strict,
                        finish=job.finish,
                        work=work,
                        search_entries=search_entries,
                        helpers=helpers,
                        later=[rel.as_posix() for rel in job.files],
                    )
                    drop_json_search_index(site_dir)
                    drop_server_404(site_dir)
            finally:
                job.stop()
                for helper in helpers:
                    helper.stop()
            watch.add("downloads-parallel", job.seconds)
            if sweeper is not None:
                sweeper.join()
        if cache_dir is not None:
            cache.trim(cache_dir)
    return BuildResult(
        files=reports,
        units=units,
        pages=pages,
        seconds=time.perf_counter() - start,
        site_dir=site_dir,
        stages=watch.ordered(),
        notices=notices,
        pages_kept=kept,
    )


def mostly_unchanged(files: Sequence[Path], since: float | None) -> bool:
    """Whether at most one file in twenty (or two) was changed or made after ``since``.

    Only decides whether to make a head start on the kept plans: a new round's plans are all
    new, and making them before they are known would take CPU from reading its skjemas. A
    copied file keeps its modification time, so the inode's change time counts too.
    """
    if since is None:
        return False
    changed = 0
    for path in files:
        with contextlib.suppress(OSError):
            info = path.stat()
            changed += max(info.st_mtime, info.st_ctime) > since
    return changed <= max(2, len(files) // 20)


def share_jobs(tmp: Path, workers: int | None, gathered: Inputs) -> list[ShareJob]:
    """Processes that may render a share of the pages beside this one, launched now.

    Launched before anything is read, so a forked one is small; only for national-sized input
    (MIN_PAGES unit pages or more could come of it), as each costs a MkDocs start-up.
    """
    from statuskart.site.engine import render_share
    from statuskart.workbook.pool import available_cpus

    cpus = workers if workers is not None else available_cpus()
    if cpus < 2 or len(gathered.files) < shares.MIN_PAGES:
        return []
    helpers = [ShareJob(tmp / f"share-{i}") for i in range(1, min(cpus, shares.MAX_SHARES))]
    for helper in helpers:
        helper.launch(render_share)
    return helpers


def clean_up(site_dir: Path, stale_lock: bool) -> tuple[str, ...]:
    """Remove what killed builds left (beside the site, in $TMPDIR); say what, in bokmål."""
    from statuskart.pipeline import leftovers
    from statuskart.site import output_folder as output

    found: list[tuple[str, Path]] = [("lock", output.lock_path(site_dir))] if stale_lock else []
    found += output.remove_leftovers(site_dir)
    found += [("temp", path) for path in leftovers.remove_stale_tempdirs()]
    found += [("temp", path) for path in leftovers.remove_dead_forkserver_dirs()]
    lines = [msg.LEFTOVER_RESTORED.format(path=p) for kind, p in found if kind == "restored"]
    removed = [msg.LEFTOVER_KINDS[k].format(path=p) for k, p in found if k != "restored"]
    if removed:
        lines.append(msg.LEFTOVERS_REMOVED.format(what="; ".join(removed)))
    return tuple(lines)


def written_nav(nav: Sequence[Any], docs: Path) -> list[Any]:
    """The navigation without the built-in pages an audience build left out.

    A one-unit report has no national overview; the trust's own pages are copied in later and
    always kept.
    """
    from statuskart.site.engine import NAV

    builtin = {target for entry in NAV for target in entry.values() if isinstance(target, str)}
    kept = []
    for entry in nav:
        target = next(iter(entry.values())) if isinstance(entry, dict) and len(entry) == 1 else None
        if isinstance(target, str) and target in builtin and not (docs / target).is_file():
            continue
        kept.append(entry)
    return kept


def drop_server_404(site_dir: Path) -> None:
    """MkDocs' 404.html is for a web server at the site's root: its links start with «/».

    Opened from a file share, or served from a sub-path, every one of them leads nowhere, and a
    file share never shows the page; a server without it shows its own «not found».
    """
    (site_dir / "404.html").unlink(missing_ok=True)


def drop_json_search_index(site_dir: Path) -> None:
    """Keep one search index: search_index.js serves file:// and, via a polyfill, http(s).

    Material's offline plugin writes the index twice (.json for http, .js for file://); at
    1,000 units each copy is many megabytes. The .json goes only when the .js is there.
    """
    folder = site_dir / "search"
    if (folder / "search_index.js").is_file():
        (folder / "search_index.json").unlink(missing_ok=True)
