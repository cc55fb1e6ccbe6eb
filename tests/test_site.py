import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.core.errors import SiteBuildError
from statuskart.pipeline.build import BuildResult, run_build
from statuskart.sample.checklists import write_samples
from statuskart.site.engine import GUIDE, GUIDE_PAGES

from .conftest import TODAY, column
from .shipped import download_csv

PAYLOADS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "[klikk](javascript:alert(1))",
    'Tekst\n{: onclick="alert(1)" }',
    "!!! danger\n    farlig",
    "{{ 7*7 }} {% raw %}",
]


class Live(HTMLParser):
    """Collects live elements and handlers a payload could have created."""

    def __init__(self):
        super().__init__()
        self.bad = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.bad.append((tag, name, value))
        if tag == "img" and dict(attrs).get("src") == "x":
            self.bad.append((tag, "src", "x"))

    def handle_data(self, data):
        pass


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue
) -> tuple[Path, Path, BuildResult]:
    root = tmp_path_factory.mktemp("build")
    checklists = root / "checklists"
    write_samples(tsb, checklists, units=6, rounds=2, seed=2)
    from statuskart.workbook import layout as L
    from statuskart.workbook.write import HEADER_ROW, build_template, save_workbook
    from tests.conftest import META

    wb = build_template(
        tsb, {**META, "unit": "Enhet <b>fet</b> [x](javascript:alert(1))", "period": "2026-T2"}
    )
    ws = wb[L.CHECKLIST_SHEET]
    for i, _req in enumerate(tsb.requirements):
        ws.cell(HEADER_ROW + 1 + i, column("status")).value = "Påbegynt"
        ws.cell(HEADER_ROW + 1 + i, column("comment")).value = PAYLOADS[i % len(PAYLOADS)]
        ws.cell(HEADER_ROW + 1 + i, column("action")).value = PAYLOADS[(i + 1) % len(PAYLOADS)]
        ws.cell(HEADER_ROW + 1 + i, column("owner")).value = "<script>alert(2)</script>"
    save_workbook(wb, checklists / "2026-T2" / "payload.xlsx")
    (checklists / "2026-T2" / "skadet.xlsx").write_bytes(b"PK\x03\x04broken")
    site = root / "site"
    result = run_build([checklists], site, today=TODAY)
    return root, site, result


def test_build_writes_every_page_and_accounts_for_every_file(
    built: tuple[Path, Path, BuildResult],
) -> None:
    _root, site, result = built
    assert result.units == 7 and len(result.files) == 14
    for page in (
        "index.html",
        "regioner/index.html",
        "enheter/index.html",
        "krav/index.html",
        "sammenligning.html",
        "datakvalitet.html",
        "metode.html",
        "nedlastinger.html",
        "nedlastinger/enheter.csv.zip",
        "nedlastinger/tiltak.xlsx",
        "nedlastinger/kravstatus.json.zip",
        "search/search_index.js",
        "assets/javascripts/iframe-worker-shim.js",
    ):
        assert (site / page).is_file(), page
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nb"' in index
    quality = (site / "datakvalitet.html").read_text(encoding="utf-8")
    assert "skadet.xlsx" in quality  # a rejected file is named on the page
    # Every file is counted on the page (per round); every finding's file is in «funn».
    rounds = quality.split("<article", 1)[1].split('<h2 id="avviste-filer', 1)[0]
    counted = re.findall(r"<tr><td>[^<]*</td><td>(\d+)</td>", rounds)
    assert sum(map(int, counted)) == len(result.files)
    funn = download_csv(site / "nedlastinger", "funn")
    assert "2026-T2/skadet.xlsx" in funn and "2026-T2/payload.xlsx" in funn


def test_user_guide_is_in_the_site_and_metode_links_to_it(
    built: tuple[Path, Path, BuildResult],
) -> None:
    _, site, _ = built
    for _title, page in GUIDE_PAGES:
        built_page = site / GUIDE / page.replace(".md", ".html")
        assert built_page.is_file(), page
    method = (site / "metode.html").read_text(encoding="utf-8")
    assert f'href="{GUIDE}/index.html"' in method
    nav = (site / "index.html").read_text(encoding="utf-8")
    assert ">Brukerveiledning<" in re.sub(r"\s+", "", nav)  # the section title
    for _title, page in GUIDE_PAGES:
        assert f'href="{GUIDE}/{page.replace(".md", ".html")}"' in nav, page


def test_site_is_offline(built: tuple[Path, Path, BuildResult]) -> None:
    _, site, _ = built
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "unpkg.com" not in text, page
        assert not re.search(r'<script[^>]+src="https?://', text), page


def test_untrusted_text_is_inert(built: tuple[Path, Path, BuildResult]) -> None:
    _, site, _ = built
    unit = next(p for p in (site / "enheter").glob("*.html") if "enhet-b-fet" in p.name)
    text = unit.read_text(encoding="utf-8")
    # shown as text (the parser below proves it is not an element)
    assert "<script>alert('x')</script>" in html.unescape(text)
    for page in site.rglob("*.html"):
        parser = Live()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.bad == [], (page, parser.bad)
        body = page.read_text(encoding="utf-8")
        assert "<script>alert" not in body
    assert "{{ 7*7 }}" in html.unescape(text)
    assert "admonition danger" not in text


def test_downloads_are_formula_safe(built: tuple[Path, Path, BuildResult]) -> None:
    _, site, _ = built
    csv = download_csv(site / "nedlastinger", "tiltak")
    assert "\n=" not in csv and ";=" not in csv and ";+" not in csv


def test_two_builds_are_identical(built: tuple[Path, Path, BuildResult], tmp_path: Path) -> None:
    root, site, _ = built
    again = tmp_path / "again"
    run_build([root / "checklists"], again, today=TODAY)
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    differ = [k for k in first if first[k] != second[k]]
    assert differ == []


def test_failed_build_keeps_previous_site(
    built: tuple[Path, Path, BuildResult], tmp_path: Path
) -> None:
    root, _site, _ = built
    target = tmp_path / "site"
    run_build([root / "checklists"], target, today=TODAY)
    marker = (target / "index.html").read_bytes()
    broken = tmp_path / "maler"
    broken.mkdir()
    (broken / "overview.md.j2").write_text("[lenke](finnes-ikke.md)", encoding="utf-8")
    with pytest.raises(SiteBuildError):
        run_build([root / "checklists"], target, today=TODAY, template_dirs=[broken], strict=True)
    assert (target / "index.html").read_bytes() == marker
    assert not list(tmp_path.glob(".statuskart-*"))


def test_cli_build_summary(
    built: tuple[Path, Path, BuildResult], runner: CliRunner, tmp_path: Path
) -> None:
    root, _, _ = built
    result = runner.invoke(
        main,
        ["build", str(root / "checklists"), "-o", str(tmp_path / "s"), "--today", "2026-11-24"],
    )
    assert result.exit_code == 0, result.output
    assert "14 filer lest" in result.stderr and "7 enheter skåret" in result.stderr
    assert "sider skrevet" in result.stderr
    strict = runner.invoke(
        main,
        [
            "build",
            str(root / "checklists"),
            "-o",
            str(tmp_path / "s"),
            "--strict",
            "--today",
            "2026-11-24",
        ],
    )
    assert strict.exit_code == 1


def test_user_site_config_is_merged(tmp_path: Path) -> None:
    from statuskart.site.engine import site_config

    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text(
        "site_name: Helse Nord\ntheme:\n  palette:\n    primary: teal\n",
        encoding="utf-8",
    )
    merged = site_config(Path(cfg)).mkdocs
    assert merged["site_name"] == "Helse Nord"
    assert merged["theme"]["palette"]["primary"] == "teal"
    assert merged["theme"]["language"] == "nb" and merged["theme"]["font"] is False


def test_no_page_shows_raw_markdown_or_broken_html_blocks(
    built: tuple[Path, Path, BuildResult],
) -> None:
    """A template line ending in a Jinja tag can swallow the blank line Markdown needs: then a
    table shows as «| … |» text, or an HTML block lands inside a paragraph."""
    _, site, _ = built
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "|---" not in text and "<p><div" not in text and "<p><table" not in text, page
