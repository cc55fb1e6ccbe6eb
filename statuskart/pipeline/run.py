"""Composed pipeline: input paths → FileReports → scores → report model → Markdown pages.

Read, validate and check across files, score, report, render (render_docs). With build.py
(run_build: the site, atomically) and serve.py, the only modules that string the stages together.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from statuskart.catalog.load import load_catalogs
from statuskart.catalog.model import Catalogue
from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError
from statuskart.core.findings import file_status, finding
from statuskart.core.identity import (
    UnitKey,
    canonical_period,
    period_end,
    period_id,
    period_key,
    same_period,
)
from statuskart.core.timing import Stopwatch
from statuskart.model.audience import Audience, apply_audience, redact_register
from statuskart.pipeline.inputs import Inputs, empty_rounds, gather_inputs
from statuskart.score.ahead import ScoresAhead
from statuskart.score.scoring import ScoringSettings, UnitScore, score_submission
from statuskart.validate.expected_units import (
    RoundTracking,
    find_registry,
    hf_designations,
    load_register,
    track_submissions,
)
from statuskart.validate.intake import check_paths
from statuskart.validate.model import FileReport
from statuskart.validate.rules import dated

if TYPE_CHECKING:
    from statuskart.model.views import ReportModel
    from statuskart.render.kept_pages import KeptPages


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


def pick_version(catalogue: Catalogue, version: str | None) -> Catalogue:
    """A loaded version of the pathway (None: the current one); ConfigError naming the others."""
    if version is None:
        return catalogue
    found = catalogue.version_of(version)
    if found is None:
        known = ", ".join(c.version for c in catalogue.versions)
        raise ConfigError(
            msg.UNKNOWN_CATALOGUE_VERSION.format(pathway=catalogue.id, version=version, known=known)
        )
    return found


def collect_inputs(paths: Iterable[Path | str], *, exclude: Iterable[Path] = ()) -> list[Path]:
    """Files given directly, plus spreadsheet-like files found recursively in folders, sorted.

    Each file once; lock files, the unit register and annotated copies are left out (see
    ``inputs.gather_inputs`` for the list of what was skipped and why).
    """
    return list(gather_inputs(paths, exclude=exclude).files)


def check_files(
    paths: Iterable[Path | str] | Inputs,
    catalogues: Mapping[str, Catalogue],
    today: dt.date,
    progress: Callable[[Path], None] | None = None,
    *,
    exclude: Iterable[Path] = (),
    watch: Stopwatch | None = None,
    workers: int | None = None,
    cache_dir: Path | None = None,
    ahead: ScoresAhead | None = None,
) -> tuple[FileReport, ...]:
    """Read and validate every file, then check across files; one report per input file.

    ``today`` decides which frister have passed (see ``judgement_days``).
    Files are read in worker processes when there are many (``workers``: None = one per CPU,
    1 = serial) and reused from ``cache_dir`` when unchanged; the result is the same either way.
    ``ahead``: score each usable skjema as it arrives, beside the workers (score/ahead.py).
    """
    inputs = paths if isinstance(paths, Inputs) else gather_inputs(paths, exclude=exclude)
    files = list(inputs.without(exclude).files)
    folders = (folder_period(p.parent) for p in files)
    newest = max((f for f in folders if f is not None), key=period_key, default=None)

    def arrived(report: FileReport) -> FileReport:
        report = _check_folder_period(report)
        if ahead is not None and report.submission is not None:
            ahead.add(report.submission, judgement_day(report, today, newest))
        return report

    reports = check_paths(
        files,
        catalogues,
        progress=progress,
        watch=watch,
        workers=workers,
        cache_dir=cache_dir,
        on_report=arrived,
    )
    start = time.perf_counter()
    checked = _reject_duplicates(reports)
    day = judgement_days(checked, today)
    dated_reports = tuple(dated(r, day(r)) for r in checked)
    if watch is not None:
        watch.add("validate", time.perf_counter() - start)
    return dated_reports


def judgement_days(
    reports: Sequence[FileReport], today: dt.date
) -> Callable[[FileReport], dt.date]:
    """The day each file's frister are judged by.

    ``today`` for the newest round in the input, the last day of its own round for an earlier one
    (never later than ``today``). A frist in last round's skjema was passed when that round
    closed or it was not; judged against today, every frist of every earlier round would be
    «passed», burying real findings.
    """
    periods = [p for r in reports if (p := canonical_period(r.sender()[2])) is not None]
    latest = max(periods, key=period_key, default=None)
    return functools.partial(judgement_day, today=today, newest=latest)


def judgement_day(report: FileReport, today: dt.date, newest: str | None) -> dt.date:
    """The day the report's frister are judged by, ``newest`` being the newest round's period.

    The newest round is known only once every file is read; check_files guesses it from the
    period folders meanwhile (ScoresAhead checks that day against the real one).
    """
    period = canonical_period(report.sender()[2])
    end = period_end(period) if period and period != newest else None
    return min(end, today) if end else today


def folder_period(folder: Path) -> str | None:
    """The round a period-named folder stands for («2026_t2» → «2026-T2»), else None."""
    return canonical_period(folder.name)


def _check_folder_period(report: FileReport) -> FileReport:
    """Compare the skjema's period with its period folder.

    The folder decides when the skjema's period could not be read, so a misspelt period never
    opens a round of its own.
    """
    folder = Path(report.path).parent
    sub = report.submission
    period = folder_period(folder)
    if sub is None or period is None or same_period(sub.meta.period, period):
        return report
    if canonical_period(sub.meta.period) is None:
        sub = replace(sub, meta=replace(sub.meta, period=period))
        return replace(report, submission=sub)
    extra = finding(
        "period-folder-mismatch",
        report.path,
        sheet="Forside",
        detail=f"{sub.meta.period} / mappe {folder.name}",
    )
    return replace(report, findings=(*report.findings, extra), status="warnings")


def _reject_duplicates(reports: list[FileReport]) -> tuple[FileReport, ...]:
    groups: dict[tuple[UnitKey, str], list[int]] = defaultdict(list)
    for i, report in enumerate(reports):
        sub = report.submission
        if sub is not None:
            key = UnitKey.of(sub.meta.hf, sub.meta.unit, sub.catalogue_id)
            groups[(key, period_id(sub.meta.period))].append(i)
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
    today: dt.date | None = None,
    ahead: ScoresAhead | None = None,
) -> tuple[UnitScore, ...]:
    """Score every usable submission; rejected files are carried by their FileReport instead.

    ``today`` (--today, default the build date) decides which frister have passed in the newest
    round; an earlier round's are judged by its last day (``judgement_days``).
    ``ahead``: the scores check_files made as the files arrived (same settings), where they hold.
    """
    usable = [r for r in reports if r.submission is not None]
    day = judgement_days(usable, today) if today is not None else (lambda _r: None)
    if ahead is not None and ahead.settings == settings:  # else made for another method
        return tuple(ahead.score(r.submission, day(r)) for r in usable if r.submission is not None)
    return tuple(
        score_submission(r.submission, catalogues[r.submission.catalogue_id], settings, day(r))
        for r in usable
        if r.submission is not None
    )


class Rendered(NamedTuple):
    """What ``render_docs`` made: file reports, model, page count and unit search entries."""

    files: tuple[FileReport, ...]
    model: ReportModel
    pages: int
    unit_entries: tuple[dict[str, str], ...]
    """Filled only with ``own_unit_search``: the caller puts them into the search index."""
    kept: int = 0
    """Unit pages copied from the last build instead of rendered."""


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
    on_model: Callable[[ReportModel], None] | None = None,
    indicator_files: Sequence[Path] = (),
    own_unit_search: bool = False,
    gathered: Inputs | None = None,
    kept: KeptPages | None = None,
) -> Rendered:
    """Read, validate, score and report, then write pages and downloads into ``docs``.

    ``on_model``: take over the downloads; it gets the report model before the pages are
    rendered (run_build writes the downloads in a process beside pages and MkDocs).
    ``own_unit_search``: the caller writes the unit pages' search entries (unit_search.py).
    ``gathered``: the input files as the caller already gathered them from ``checklists`` (the
    CLI lists what it passed over first), so the folders are walked once per build.
    ``kept``: the last build's unit pages, copied where their key is unchanged (kept_pages.py).
    """
    from statuskart.core.version import __version__
    from statuskart.downloads.write import write_all
    from statuskart.indicators.read import indicator_files as find_indicators
    from statuskart.indicators.read import read_indicator_file
    from statuskart.model.figures import attach, for_audience, measure
    from statuskart.model.report import build_report, round_periods
    from statuskart.render.pages import render_pages
    from statuskart.score.scoring import METHOD_VERSION

    watch = watch if watch is not None else Stopwatch()

    def stage(name: str) -> AbstractContextManager[None]:
        if on_stage is not None:
            on_stage(name)
        return watch.stage(name)

    with stage("read"):
        catalogues = load_catalogs(catalog_files)
        registry_path = registry_file or find_registry(checklists)
        registry = load_register(registry_path) if registry_path else None
        if registry is not None and audience is not None:
            registry = redact_register(audience, registry)
        indicators = find_indicators(indicator_files, checklists)
        figures_read = [read_indicator_file(p) for p in indicators]
        skip = [p for p in (registry_path, *indicators) if p is not None]
        if gathered is None:
            gathered = gather_inputs(checklists, exclude=skip)
        inputs = gathered.without(skip)
        if not inputs.files:  # e.g. an unmounted share: an empty site must never replace a good one
            raise ConfigError(msg.NO_INPUT.format(paths=", ".join(map(str, checklists))))
    ahead = ScoresAhead(catalogues)
    reports = check_files(
        inputs,
        catalogues,
        build_date,
        progress,
        watch=watch,
        workers=workers,
        cache_dir=cache_dir,
        ahead=ahead,
    )
    with stage("score"):
        scores: Sequence[UnitScore] = score_files(
            reports, catalogues, today=build_date, ahead=ahead
        )
        del ahead  # what it still holds (duplicates' scores) is never used
        everyone = scores  # the peer medians are aggregates over all units, before any filter
        if audience is not None:
            reports, scores = apply_audience(audience, reports, scores)
    with stage("report"):
        empty = empty_rounds(inputs)
        tracking: tuple[RoundTracking, ...] = ()
        if registry is not None and not (audience and audience.unit):
            tracking = track_submissions(registry, reports, round_periods(reports, empty))
        model = build_report(
            reports,
            scores,
            catalogues,
            build_date=build_date,
            version=__version__,
            method_version=METHOD_VERSION,
            empty_rounds=empty,
            audience=audience,
            tracking=tracking,
            registry_source=registry.source if registry and tracking else "",
            peer_scores=everyone,
            hf_designations=hf_designations(registry),
        )
        measurements, read_files = measure(figures_read, model)
        model = attach(model, measurements, for_audience(read_files, audience))
    if on_model is not None:
        on_model(model)
    with stage("pages"):
        pages = render_pages(
            model,
            docs,
            template_dirs=template_dirs,
            own_unit_search=own_unit_search,
            kept=kept,
        )
    if on_model is None:
        with stage("downloads"):
            write_all(model, docs)
    return Rendered(reports, model, len(pages.written), tuple(pages.unit_entries), pages.kept)
