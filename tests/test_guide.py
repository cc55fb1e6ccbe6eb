"""The bokmål user guide ships inside every site: in the docs tree, in the nav, linked from Metode.

A guide link that does not resolve would stop a ``build --strict`` in MkDocs, and a guide page that
named a real organisation would be found by the audience leak scans, so both are checked here
without building a site.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from statuskart.core.resources import guide_dir
from statuskart.pipeline.build import written_nav
from statuskart.render.pages import SHARED_PAGES
from statuskart.render.safe_html import MARKDOWN_EXTENSIONS
from statuskart.sample.checklists import UNIT_KINDS
from statuskart.site.engine import GUIDE, GUIDE_PAGES, NAV, site_config
from statuskart.workbook.organisations import ORGANISATIONS, RHFS

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\]\(([^)\s]+)\)")


class Ids(HTMLParser):
    """Every id attribute of a rendered page: the anchors a link may point at."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


def anchors(page: Path) -> set[str]:
    parser = Ids()
    parser.feed(markdown.markdown(page.read_text(encoding="utf-8"), extensions=MARKDOWN_EXTENSIONS))
    return parser.ids


FILES = [page for _title, page in GUIDE_PAGES]


def test_the_guide_is_the_checkout_folder_and_every_page_is_listed() -> None:
    assert guide_dir() == ROOT / "docs" / "brukerveiledning"
    on_disk = sorted(p.name for p in guide_dir().iterdir())
    assert on_disk == sorted(FILES)  # a page added to the folder is added to the nav too
    for title, page in GUIDE_PAGES:
        headings = re.findall(r"^# (.+)", (guide_dir() / page).read_text(encoding="utf-8"), re.M)
        assert [h.replace("`", "") for h in headings] == [title], page  # nav says what page says


def test_the_guide_is_a_nav_section_after_the_built_in_pages() -> None:
    section = {"Brukerveiledning": [{title: f"{GUIDE}/{page}"} for title, page in GUIDE_PAGES]}
    assert NAV[-1] == section
    assert site_config(None).mkdocs["nav"][-1] == section
    assert site_config(ROOT / "mkdocs.yml").mkdocs["nav"][-1] == section


def test_prepare_puts_the_guide_into_the_docs_and_the_config(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    config_path = site_config(None).prepare(docs)
    for page in FILES:
        assert (docs / GUIDE / page).read_bytes() == (guide_dir() / page).read_bytes(), page
    nav = json.loads(config_path.read_text(encoding="utf-8"))["nav"]
    assert nav[-1] == NAV[-1] and nav[-1]["Brukerveiledning"][0] == {
        "Om brukerveiledningen": f"{GUIDE}/index.md"
    }


def test_guide_links_resolve_in_every_audience() -> None:
    # Only pages every audience build writes may be linked: a one-unit report has no Krav pages.
    shared = {target for target, _template in SHARED_PAGES}
    for page in FILES:
        text = (guide_dir() / page).read_text(encoding="utf-8")
        for link in LINK.findall(text):
            if link.startswith(("http://", "https://")):
                continue
            target, _, anchor = link.partition("#")
            if target.startswith("../"):
                assert target[3:] in shared, (page, link)
                assert not anchor, (page, link)
                continue
            assert target in FILES, (page, link)
            if anchor:
                assert anchor in anchors(guide_dir() / target), (page, link)


def test_metode_links_to_the_guide() -> None:
    method = (ROOT / "templates" / "method.md.j2").read_text(encoding="utf-8")
    assert f"]({GUIDE}/index.md)" in method
    assert "index.md" in FILES


def test_the_guide_names_no_real_organisation_or_sample_unit() -> None:
    # The one-unit leak scans look for other units' and HFs' names anywhere in the site.
    text = "\n".join((guide_dir() / p).read_text(encoding="utf-8") for p in FILES).casefold()
    names = [o.name for o in ORGANISATIONS] + list(RHFS) + [kind for kind, _type in UNIT_KINDS]
    assert [n for n in names if n.casefold() in text] == []


def test_nav_sections_are_kept_and_missing_built_in_pages_dropped(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text("# Enhet\n", encoding="utf-8")
    own = {"Om oss": ["egne/om.md", {"Kontakt": "egne/kontakt.md"}]}
    kept = written_nav([*NAV, own], tmp_path)
    assert kept == [{"Oversikt": "index.md"}, NAV[-1], own]
