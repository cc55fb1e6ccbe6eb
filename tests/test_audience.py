import html
import zipfile
from pathlib import Path

import pytest

from statuskart.audience import REGIONAL, apply_audience, choose_audience
from statuskart.cli import main
from statuskart.errors import ConfigError
from statuskart.pipeline import check_files, run_build
from statuskart.workbook.sample import write_samples

from .conftest import TODAY

pytestmark = pytest.mark.slow
MARKERS = {
    "comment": "Kommentar-merke-7f3a gjelder bare oss",
    "action": "Eget tiltak-merke-91c2 for enheten",
    "owner": "Kari Merkesen",
}
FILLED_BY = "Ola Utfyllersen"
ROOT = Path(__file__).resolve().parents[1]
PUBLIC_SOURCES = [
    *(ROOT / "templates").glob("*.j2"),
    *(ROOT / "statuskart" / "catalog" / "data").glob("*.yaml"),
]


def site_text(site):
    """Every text the site ships: pages, search index, downloads (xlsx unzipped), unescaped."""
    parts = []
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                parts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        elif path.suffix in {".html", ".js", ".json", ".csv", ".xml", ".txt"}:
            parts.append(path.read_text(encoding="utf-8-sig", errors="replace"))
    return html.unescape("\n".join(parts)).replace("\\n", "\n")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, tsb, catalogues):
    root = tmp_path_factory.mktemp("audience") / "checklists"
    write_samples(tsb, root, units=6, rounds=2, seed=21)
    # One file with marked free text in every free-text field, so a leak cannot hide.
    from openpyxl import load_workbook

    from statuskart.workbook import layout as L

    target = sorted((root / "2026-T2").glob("*.xlsx"))[0]
    wb = load_workbook(target)
    ws = wb[L.CHECKLIST_SHEET]
    col = {c.key: i for i, c in enumerate(L.COLUMNS, start=1)}
    ws.cell(5, col["status"]).value = "Påbegynt"
    for key, text in MARKERS.items():
        ws.cell(5, col[key]).value = text
    front = wb[L.FRONT_SHEET]
    front.cell(5 + [f.key for f in L.META_FIELDS].index("filled_by"), 2).value = FILLED_BY
    wb.save(target)
    reports = check_files([root], catalogues, TODAY)
    free_text = set()
    for r in reports:
        for a in r.submission.answers if r.submission else ():
            free_text |= {t for t in (a.comment, a.owner) if t}
            if a.action and a.action not in {q.action for q in tsb.requirements}:
                free_text.add(a.action)  # own plans; the catalogue's suggestions are public
        if r.submission and r.submission.meta.filled_by:
            free_text.add(r.submission.meta.filled_by)
    assert {*MARKERS.values(), FILLED_BY} <= free_text
    return root, free_text


def test_regional_build_leaks_no_free_text(inputs, tmp_path):
    root, free_text = inputs
    site = tmp_path / "site"
    run_build([root], site, today=TODAY, audience=choose_audience(REGIONAL, None))
    text = site_text(site)
    # Role words such as «Enhetsleder» also occur in the page templates and the catalogue.
    public = "\n".join(p.read_text(encoding="utf-8") for p in PUBLIC_SOURCES)
    leaked = sorted(t for t in free_text if t in text and t not in public)
    assert leaked == []
    for page in site.rglob("*.html"):
        if page.name != "404.html":
            assert "Hva som er utelatt" in page.read_text(encoding="utf-8"), page


def test_internal_build_keeps_free_text(inputs, tmp_path):
    root, _ = inputs
    site = tmp_path / "site"
    run_build([root], site, today=TODAY)
    text = site_text(site)
    for marker in (*MARKERS.values(), FILLED_BY):
        assert marker in text  # the positive control for the test above
    assert "Hva som er utelatt" not in (site / "index.html").read_text(encoding="utf-8")


def test_single_unit_build_has_only_that_unit(inputs, tmp_path, catalogues):
    root, _ = inputs
    reports = check_files([root], catalogues, TODAY)
    names = sorted({r.submission.meta.unit for r in reports if r.submission})
    site = tmp_path / "site"
    run_build([root], site, today=TODAY, audience=choose_audience("enhet", names[0].upper()))
    unit_pages = [p for p in (site / "enheter").glob("*.html") if p.name != "index.html"]
    assert len(unit_pages) == 1
    text = site_text(site)
    assert names[0] in text
    assert all(other not in text for other in names[1:])


def test_audience_choices_are_checked(catalogues):
    with pytest.raises(ConfigError, match="krever --unit"):
        choose_audience("enhet", None)
    with pytest.raises(ConfigError, match="Ukjent målgruppe"):
        choose_audience("alle", None)
    with pytest.raises(ConfigError, match="Fant ingen enhet"):
        apply_audience(choose_audience("enhet", "Finnes ikke"), (), ())


def test_cli_audience_errors(runner, inputs, tmp_path):
    root, _ = inputs
    result = runner.invoke(
        main, ["build", str(root), "-o", str(tmp_path / "s"), "--audience", "enhet"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == "Feil: Målgruppen «enhet» krever --unit med enhetens navn."
