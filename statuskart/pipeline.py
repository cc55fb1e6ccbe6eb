"""Composed pipeline: input paths → FileReports (read, validate, cross-file checks) → scores.

The only module that strings the stages together; cli.py calls these functions and nothing deeper.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path

from statuskart import messages as msg
from statuskart.audience import Audience, apply_audience
from statuskart.catalog.load import load_catalogs
from statuskart.catalog.model import Catalogue
from statuskart.errors import ConfigError, StatuskartError
from statuskart.findings import file_status, finding
from statuskart.intake import check_paths
from statuskart.registry import find_registry, load_registry, track_submissions
from statuskart.scoring import ScoringSettings, UnitScore, score_submission
from statuskart.timing import Stopwatch
from statuskart.validation import FileReport
from statuskart.workbook.layout import normalise_label

INPUT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".fods", ".numbers", ".et", ".csv")
PERIOD_FOLDER = re.compile(r"^\d{4}(?:[-_ ]?(?:T[1-3]|H[12]|K[1-4]|Q[1-4]))?$", re.IGNORECASE)


def load_catalogues(extra: Iterable[Path | str] = ()) -> dict[str, Catalogue]:
    """Built-in catalogues plus the user's own files."""
    return load_catalogs(extra)


def pick_catalogue(pathway: str, extra: Iterable[Path | str] = ()) -> Catalogue:
    """The catalogue for a pathway id; ConfigError naming the known ones if there is none."""
    catalogues = load_catalogs(extra)
    if pathway not in catalogues:
        known = ", ".join(sorted(catalogues))
        raise ConfigError(msg.UNKNOWN_PATHWAY.format(pathway=pathway, known=known))
    return catalogues[pathway]


def collect_inputs(paths: Iterable[Path | str]) -> list[Path]:
    """Files given directly, plus spreadsheet-like files found recursively in folders, sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
            )
        elif path.is_file():
            found.append(path)
        else:
            raise ConfigError(msg.INPUT_MISSING.format(path=path))
    return found


def empty_rounds(paths: Iterable[Path | str], files: Iterable[Path]) -> list[str]:
    """Period-named folders (e.g. 2026-T3) under the inputs that hold none of ``files``.

    A round that was opened but where nobody has submitted yet is reported, not silently absent.
    """
    used = {parent for f in files for parent in f.parents}
    empty = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            continue
        for folder in sorted(p for p in [path, *path.rglob("*")] if p.is_dir()):
            if PERIOD_FOLDER.match(folder.name) and folder not in used:
                empty.append(folder.name.upper().replace("_", "-").replace(" ", "-"))
    return empty


def check_files(
    paths: Iterable[Path | str],
    catalogues: Mapping[str, Catalogue],
    today: dt.date,
    progress: Callable[[Path], None] | None = None,
    *,
    watch: Stopwatch | None = None,
    workers: int | None = None,
    cache_dir: Path | None = None,
) -> tuple[FileReport, ...]:
    """Read and validate every file, then check across files; one report per input file.

    Files are read in worker processes when there are many (``workers``: None = one per CPU,
    1 = serial) and reused from ``cache_dir`` when unchanged; the result is the same either way.
    """
    reports = check_paths(
        collect_inputs(paths),
        catalogues,
        today,
        progress=progress,
        watch=watch,
        workers=workers,
        cache_dir=cache_dir,
    )
    start = time.perf_counter()
    checked = _reject_duplicates([_check_folder_period(r) for r in reports])
    if watch is not None:
        watch.add("validate", time.perf_counter() - start)
    return checked


def _check_folder_period(report: FileReport) -> FileReport:
    folder = Path(report.path).parent.name
    sub = report.submission
    if sub is None or not PERIOD_FOLDER.match(folder):
        return report
    if normalise_label(sub.meta.period).replace(" ", "-") == normalise_label(folder).replace(
        " ", "-"
    ):
        return report
    extra = finding(
        "period-folder-mismatch",
        report.path,
        sheet="Forside",
        detail=f"{sub.meta.period} / mappe {folder}",
    )
    return replace(report, findings=(*report.findings, extra), status="warnings")


def _reject_duplicates(reports: list[FileReport]) -> tuple[FileReport, ...]:
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, report in enumerate(reports):
        sub = report.submission
        if sub is not None:
            key = (
                sub.catalogue_id,
                *(normalise_label(v) for v in (sub.meta.hf, sub.meta.unit, sub.meta.period)),
            )
            groups[key].append(i)
    out = list(reports)
    for members in groups.values():
        if len(members) < 2:
            continue
        names = ", ".join(reports[i].path for i in members)
        for i in members:
            extra = finding("duplicate-submission", reports[i].path, sheet="Forside", detail=names)
            findings = (*reports[i].findings, extra)
            out[i] = replace(
                reports[i], findings=findings, status=file_status(findings), submission=None
            )
    return tuple(out)


def score_files(
    reports: Iterable[FileReport],
    catalogues: Mapping[str, Catalogue],
    settings: ScoringSettings | None = None,
) -> tuple[UnitScore, ...]:
    """Score every usable submission; rejected files are carried by their FileReport instead."""
    return tuple(
        score_submission(r.submission, catalogues[r.submission.catalogue_id], settings)
        for r in reports
        if r.submission is not None
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildResult:
    """What a build did, for the summary line."""

    files: tuple[FileReport, ...]
    units: int
    pages: int
    seconds: float
    site_dir: Path
    stages: tuple[tuple[str, float], ...] = ()
    """(stage, wall seconds) in pipeline order: where the time went."""


def build_date_from_env() -> dt.date:
    """SOURCE_DATE_EPOCH if set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()  # noqa: DTZ011 - the build's own calendar day


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
) -> BuildResult:
    """The whole pipeline: read, validate, score, report, render pages, build the site.

    ``keep_docs``: render the Markdown into this folder (its parent also gets the generated
    ``mkdocs.generated.yml``) and keep both, e.g. to time a bare ``mkdocs build`` of them.
    ``on_stage`` is told the name of each stage as it starts (for progress display).
    """
    from statuskart.site import build_site, site_config

    start = time.perf_counter()
    watch = Stopwatch()
    build_date = today or build_date_from_env()
    config = site_config(config_file)
    with tempfile.TemporaryDirectory(prefix="statuskart-") as tmp:
        docs = keep_docs if keep_docs is not None else Path(tmp) / "docs"
        reports, units, pages = render_docs(
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
        )
        if on_stage is not None:
            on_stage("mkdocs")
        with watch.stage("mkdocs"):
            build_site(docs, site_dir, config=config, build_date=build_date, strict=strict)
            drop_json_search_index(site_dir)
    return BuildResult(
        files=reports,
        units=units,
        pages=pages,
        seconds=time.perf_counter() - start,
        site_dir=site_dir,
        stages=watch.ordered(),
    )


def drop_json_search_index(site_dir: Path) -> None:
    """Keep one search index: search_index.js serves file:// and, via a polyfill, http(s).

    Material's offline plugin writes the index twice (.json for http, .js for file://); at
    1,000 units each copy is many megabytes. The .json goes only when the .js is there.
    """
    folder = site_dir / "search"
    if (folder / "search_index.js").is_file():
        (folder / "search_index.json").unlink(missing_ok=True)


def render_docs(
    checklists: Sequence[Path],
    docs: Path,
    *,
    catalog_files: Iterable[Path] = (),
    template_dirs: Sequence[Path] = (),
    build_date: dt.date,
    progress: Callable[[Path], None] | None = None,
    audience: Audience | None = None,
    registry_file: Path | None = None,
    watch: Stopwatch | None = None,
    workers: int | None = None,
    cache_dir: Path | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> tuple[tuple[FileReport, ...], int, int]:
    """Read, validate, score and report, then write pages and downloads into ``docs``."""
    from statuskart import __version__
    from statuskart.export import write_downloads
    from statuskart.pages import render_pages
    from statuskart.report import build_report
    from statuskart.scoring import METHOD_VERSION

    watch = watch if watch is not None else Stopwatch()

    def stage(name: str) -> AbstractContextManager[None]:
        if on_stage is not None:
            on_stage(name)
        return watch.stage(name)

    with stage("read"):
        catalogues = load_catalogs(catalog_files)
        registry_path = registry_file or find_registry(checklists)
        registry = load_registry(registry_path) if registry_path else None
        inputs = collect_inputs(checklists)
    reports = check_files(
        inputs,
        catalogues,
        build_date,
        progress,
        watch=watch,
        workers=workers,
        cache_dir=cache_dir,
    )
    with stage("score"):
        scores: Sequence[UnitScore] = score_files(reports, catalogues)
        if audience is not None:
            reports, scores = apply_audience(audience, reports, scores)
    with stage("report"):
        model = build_report(
            reports,
            scores,
            catalogues,
            build_date=build_date,
            version=__version__,
            method_version=METHOD_VERSION,
            empty_rounds=empty_rounds(checklists, inputs),
        )
        if registry is not None and not (audience and audience.unit):
            periods = [r.period for r in model.rounds]
            model = replace(
                model,
                tracking=track_submissions(registry, reports, periods),
                registry_source=registry.source,
            )
    with stage("pages"):
        note = audience.note if audience else ""
        pages = render_pages(model, docs, template_dirs=template_dirs, audience_note=note)
    with stage("downloads"):
        write_downloads(model, docs / "nedlastinger")
    return reports, len(model.units), len(pages)


def serve_preview(
    checklists: Sequence[Path],
    address: str,
    *,
    catalog_files: Iterable[Path] = (),
    config_file: Path | None = None,
    poll_seconds: float = 1.0,
    cache_dir: Path | None = None,
) -> None:
    """Render the pages, preview them with MkDocs' live-reloading server, re-render on change.

    A background thread polls the checklists; when a file is added, changed or removed it
    renders the pages again into the served folder, and MkDocs' own watcher reloads the browser.
    Files are read serially here (no worker processes forked from a threaded server); with
    ``cache_dir`` only changed skjema are read again.
    """
    from statuskart.site import serve_site, site_config

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
                )
            except StatuskartError as exc:  # keep previewing; the user is probably mid-edit
                logging.getLogger("mkdocs").error(msg.ERROR_PREFIX + str(exc))
                return
            sync_tree(Path(fresh), docs, keep=("assets",))

    with tempfile.TemporaryDirectory(prefix="statuskart-") as tmp:
        docs = Path(tmp) / "docs"
        render_docs(
            checklists,
            docs,
            catalog_files=catalog_files,
            build_date=build_date_from_env(),
            cache_dir=cache_dir,
        )
        stop = threading.Event()
        watcher = threading.Thread(
            target=_rerender_on_change,
            args=(checklists, lambda: render(docs), stop, poll_seconds),
            daemon=True,
        )
        watcher.start()
        try:
            serve_site(docs, site_config(config_file), address)
        finally:
            stop.set()


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


def input_snapshot(checklists: Sequence[Path]) -> tuple[tuple[str, int, int], ...]:
    """Name, size and mtime of every input file: what the preview watches."""
    snapshot = []
    for path in collect_inputs(checklists):
        try:
            info = path.stat()
        except OSError:
            continue  # vanished between listing and stat; the next poll sees it gone
        snapshot.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(snapshot)


def _rerender_on_change(
    checklists: Sequence[Path], render: Callable[[], None], stop: threading.Event, every: float
) -> None:
    seen = input_snapshot(checklists)
    while not stop.wait(every):
        now = input_snapshot(checklists)
        if now != seen:
            seen = now
            render()
