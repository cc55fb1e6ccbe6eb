from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from statuskart.catalog.load import load_catalogs
from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.model.report import build_report
from statuskart.model.views import ReportModel
from statuskart.pipeline.run import Rendered, check_files, render_docs, score_files
from statuskart.score.scoring import METHOD_VERSION
from statuskart.validate.model import FileReport, Submission
from statuskart.workbook import layout as L
from statuskart.workbook.raw import RawSubmission
from statuskart.workbook.read import read_workbook
from statuskart.workbook.write import HEADER_ROW, build_template, save_workbook

TODAY = dt.date(2026, 11, 24)
ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = Path("/usr/bin/python3")
"""The Python with LibreOffice's ``uno`` module (python3-uno); the tests' UNO scripts run on it."""


@functools.cache
def has_uno() -> bool:
    """True when LibreOffice and its Python bridge are installed (the UNO tests can run)."""
    if not SYSTEM_PYTHON.exists() or shutil.which("soffice") is None:
        return False
    probe = [str(SYSTEM_PYTHON), "-c", "import uno"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


CORPUS_ENV = "STATUSKART_CORPUS"
CORPUS_SKIPPED = "corpus not found at"
"""How a corpus test's skip reason starts: the run's summary counts these."""


def corpus_dir() -> Path:
    """Where the real-world spreadsheets are looked for: $STATUSKART_CORPUS, else ../shared.

    The corpus (81 files from other spreadsheet readers' test folders) is not part of the
    project; its README says to use it when it is there and skip when it is not. The variable
    may name the folder of files or the corpus folder that holds it as ``real/``.
    """
    given = os.environ.get(CORPUS_ENV)
    folder = Path(given) if given else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    return folder / "real" if (folder / "real").is_dir() else folder


CORPUS = corpus_dir()


def corpus_files() -> list[Path]:
    """The corpus spreadsheets (not its MANIFEST.tsv), sorted; empty when it is not there."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name != "MANIFEST.tsv")


@pytest.fixture(scope="session")
def corpus() -> list[Path]:
    """The corpus files, or a skip that says where they were looked for."""
    files = corpus_files()
    if not files:
        pytest.skip(f"{CORPUS_SKIPPED} {CORPUS} (set {CORPUS_ENV} to its folder)")
    return files


def pytest_report_header() -> str:
    """Say at the top of the run whether the corpus tests will run, and on what."""
    files = corpus_files()
    return f"corpus: {len(files)} files at {CORPUS}" if files else f"{CORPUS_SKIPPED} {CORPUS}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files with slow or browser tests first, each file's tests in their order.

    Under .ci/run's pytest-xdist (``--dist loadfile``) files are handed out in this order: when
    the long ones start first, the two workers finish together instead of one waiting on the
    other for the last LibreOffice or browser file.
    """
    heavy = {
        item.path
        for item in items
        if item.get_closest_marker("slow") or item.get_closest_marker("browser")
    }

    def rank(item: pytest.Item) -> tuple[int, bool]:
        longest = LONGEST.index(item.path.name) if item.path.name in LONGEST else len(LONGEST)
        return longest, item.path not in heavy

    items.sort(key=rank)  # stable: order within a file is kept


LONGEST = (
    "test_page_budget.py",
    "test_layout_browser.py",
    "test_incremental.py",
    "test_site_browser.py",
    "test_output_safety.py",
    "test_payloads.py",
)
"""The files that took longest in a measured run (06.12.2026), longest first; order only."""


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Count the corpus tests that skipped, so a run without the corpus says so at its end."""
    skipped = [
        r
        for r in terminalreporter.stats.get("skipped", [])
        if isinstance(r.longrepr, tuple) and CORPUS_SKIPPED in str(r.longrepr[2])
    ]
    if skipped:
        terminalreporter.write_line(f"{CORPUS_SKIPPED} {CORPUS}: {len(skipped)} tests skipped")


META = {
    "rhf": "Helse Vest RHF",
    "hf": "Helse Bergen HF",
    "unit": "Poliklinikk for rus Sentrum",
    "unit_type": "poliklinikk",
    "period": "2026-T1",
    "date": dt.date(2026, 4, 30),
    "filled_by": "Enhetsleder",
}


@pytest.fixture(scope="session")
def catalogues() -> dict[str, Catalogue]:
    return load_catalogs()


@pytest.fixture(scope="session")
def tsb(catalogues: dict[str, Catalogue]) -> Catalogue:
    return catalogues["tsb"]


def report_model(
    files: list[Path], catalogues: dict[str, Catalogue], **options: Any
) -> ReportModel:
    """The report model of these skjema: read, validate, score and report, no pages at all."""
    reports = check_files(files, catalogues, TODAY)
    scores = score_files(reports, catalogues, today=TODAY)
    return build_report(
        reports,
        scores,
        catalogues,
        build_date=TODAY,
        version="test",
        method_version=METHOD_VERSION,
        **options,
    )


def render_markdown(checklists: Path, docs: Path, **options: Any) -> Rendered:
    """A build without MkDocs and without downloads: the report model and its Markdown pages.

    For tests of the model and of what a page says (a second, not the five of a full build);
    tests of the site itself (HTML, nav, search, links, leak scans) run ``run_build``.
    """
    return render_docs([checklists], docs, build_date=TODAY, on_model=_no_downloads, **options)


def _no_downloads(_model: object) -> None:
    """``render_docs`` writes the downloads itself unless given an ``on_model``; skip them."""


def raw_of(path: Path | str) -> RawSubmission:
    """What the reader got from ``path``; a file it refuses fails the test here."""
    read = read_workbook(path)
    assert read.raw is not None, read.findings
    return read.raw


def submission_of(report: FileReport) -> Submission:
    """The usable submission of a validated file; a rejected file fails here, with its findings."""
    assert report.submission is not None, report.findings
    return report.submission


def worksheet(wb: Workbook) -> Worksheet:
    """The active sheet as a Worksheet: no sheet, or a chartsheet, fails right here."""
    ws = wb.active
    assert isinstance(ws, Worksheet), ws
    return ws


def fits_to_page(ws: Worksheet) -> bool:
    """True when the sheet prints scaled to its fitToWidth/fitToHeight pages."""
    props = ws.sheet_properties.pageSetUpPr
    return props is not None and bool(props.fitToPage)


def page_texts(ws: Worksheet) -> tuple[str | None, str | None, str | None]:
    """What each printed page says: left header, right header, centre footer."""
    header, footer = ws.oddHeader, ws.oddFooter
    assert header is not None and footer is not None
    return header.left.text, header.right.text, footer.center.text


def column(key: str) -> int:
    return 1 + [c.key for c in L.COLUMNS].index(key)


def row_of(catalogue: Catalogue, req_id: str) -> int:
    return HEADER_ROW + 1 + [r.id for r in catalogue.requirements].index(req_id)


def meta_row(key: str) -> int:
    return 5 + [f.key for f in L.META_FIELDS].index(key)


WorkbookFactory = Callable[..., Path]


@pytest.fixture
def filled_workbook(tmp_path: Path, tsb: Catalogue) -> WorkbookFactory:
    """Build a skjema from the library: default status for every row, overrides per id.

    answers: {"TSB-08": "Delvis implementert"} or {"TSB-08": {"status": …, "comment": …}}
    edit: callback(wb) for structural changes (delete rows, rename sheets, …).
    """
    counter = iter(range(1000))

    def make(
        answers: dict[str, Any] | None = None,
        *,
        default: str | None = "Implementert",
        meta: dict[str, Any] | None = None,
        catalogue: Catalogue = tsb,
        edit: Callable[[Workbook], None] | None = None,
        name: str | None = None,
    ) -> Path:
        wb = build_template(catalogue, {**META, **(meta or {})})
        ws = wb[L.CHECKLIST_SHEET]
        for req in catalogue.requirements:
            value = (answers or {}).get(req.id, default)
            fields = value if isinstance(value, dict) else {"status": value}
            row = row_of(catalogue, req.id)
            for key, v in fields.items():
                ws.cell(row, column(key)).value = v
        if meta:
            for key, v in meta.items():
                wb[L.FRONT_SHEET].cell(meta_row(key), 2).value = v
        if edit:
            edit(wb)
        path = tmp_path / (name or f"skjema-{next(counter)}.xlsx")
        save_workbook(wb, path)
        return path

    return make


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def _cache_in_tmp(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Builds through the CLI cache parsed skjema; keep that out of the user's ~/.cache."""
    monkeypatch.setenv("STATUSKART_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def work(tmp_path: Path, sample: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with checklists/ (the module's own ``sample``) in it, as the cwd."""
    shutil.copytree(sample, tmp_path / "checklists")
    monkeypatch.chdir(tmp_path)
    return tmp_path


SAMPLE_UNIT = "Ambulant rusteam byen"
AUDIENCE_ARGS = {
    "intern": (),
    "region": ("--audience", "region"),
    "enhet": ("--audience", "enhet", "--unit", SAMPLE_UNIT),
}
"""The three audiences of the sample in checklists/, as ``statuskart build`` options."""


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The sample's site for one audience, built once per test session through the CLI.

    Tests that only read a built site share these builds instead of each making its own.
    """
    built: dict[str, Path] = {}

    def site(audience: str) -> Path:
        if audience not in built:
            out = tmp_path_factory.mktemp(f"sample-{audience}") / "site"
            args = ["build", str(ROOT / "checklists"), "-o", str(out), *AUDIENCE_ARGS[audience]]
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 0, result.output
            built[audience] = out
        return built[audience]

    return site


@pytest.fixture(scope="session")
def sample_docs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ReportModel]:
    """The sample's Markdown pages (no MkDocs) and report model, rendered once per session."""
    docs = tmp_path_factory.mktemp("sample-docs")
    rendered = render_docs([ROOT / "checklists"], docs, build_date=TODAY, workers=1)
    return docs, rendered.model
