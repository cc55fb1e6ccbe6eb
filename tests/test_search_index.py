import json
from pathlib import Path

from statuskart.catalog.model import Catalogue
from statuskart.pipeline.build import run_build

from .conftest import TODAY, WorkbookFactory

MARK = "Kvitteringsrutinexyz"  # a word only the unit's own comment contains


def test_one_search_index_without_table_text(
    filled_workbook: WorkbookFactory, tmp_path: Path, tsb: Catalogue
) -> None:
    req = tsb.requirements[3].id
    path = filled_workbook({req: {"status": "Delvis implementert", "comment": f"Ny {MARK}"}})
    site = tmp_path / "site"
    run_build([path], site, today=TODAY)
    assert sorted(p.name for p in (site / "search").iterdir()) == ["search_index.js"]
    text = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    prefix = "var __index = "
    assert text.startswith(prefix)  # the polyfill strips exactly this to get the JSON
    docs = json.loads(text[len(prefix) :])["docs"]
    assert any(d["title"] == "Poliklinikk for rus Sentrum" for d in docs)  # unit pages are found
    assert MARK not in text  # ... but the per-requirement tables are not indexed
    unit_page = next((site / "enheter").glob("*.html")).read_text(encoding="utf-8")
    assert MARK in unit_page  # the text is on the page, just not in the index
    assert "assets/javascripts/statuskart-search-index.js" in unit_page
    assert (site / "assets/javascripts/statuskart-search-index.js").is_file()


def test_unit_pages_are_found_by_their_first_entry_only(
    filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    """At 1,000 units, unit sections were nine in ten entries and slowed the first search."""
    path = filled_workbook({}, meta={"unit": "Døgnenhet Nordlys"})
    site = tmp_path / "site"
    run_build([path], site, today=TODAY)
    text = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    docs = json.loads(text[len("var __index = ") :])["docs"]
    unit = [
        d for d in docs if d["location"].startswith("enheter/") and "/index" not in d["location"]
    ]
    assert [d["title"] for d in unit] == ["Døgnenhet Nordlys"]
    assert "Helse Bergen HF" in unit[0]["text"]  # found by its HF too
    assert any("#" in d["location"] for d in docs if d["location"].startswith("krav/"))
    page = next(p for p in (site / "enheter").glob("*.html") if p.name != "index.html")
    assert 'id="neste-steg"' in page.read_text(encoding="utf-8")  # the sections are still there


def test_unit_pages_are_indexed_by_statuskart_not_parsed_by_the_plugin(
    filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    """The plugin skips unit pages (a third of MkDocs' time at 1,000 units); one entry each."""
    from statuskart.pipeline.run import render_docs

    path = filled_workbook({}, meta={"unit": 'Døgnenhet <b>"Nordlys"</b>'})
    site = tmp_path / "site"
    run_build([path], site, today=TODAY)
    text = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    docs = json.loads(text[len("var __index = ") :])["docs"]
    units = "enheter/"
    unit = [d for d in docs if d["location"].startswith(units) and "index" not in d["location"]]
    assert len(unit) == 1
    # The UI reads it as HTML (element content): tags escaped, quotes kept so «Nordlys» finds it
    assert unit[0]["title"] == 'Døgnenhet &lt;b&gt;"Nordlys"&lt;/b&gt;'
    for word in ("Helse Bergen HF", "Helse Vest RHF", "runde 2026-T1"):
        assert word in unit[0]["text"]
    page = next(p for p in (site / "enheter").glob("*.html") if p.name != "index.html")
    assert unit[0]["location"] == f"enheter/{page.name}"
    # The preview (statuskart serve) has no such entries: there the plugin indexes the pages.
    docs_dir = tmp_path / "docs"
    render_docs([path], docs_dir, build_date=TODAY)
    unit_md = next(p for p in (docs_dir / "enheter").glob("*.md") if p.name != "index.md")
    assert "exclude" not in unit_md.read_text(encoding="utf-8").split("---")[1]


def test_plugin_entries_of_unit_pages_are_replaced_never_doubled() -> None:
    """A user's own unit template without the front matter: the plugin indexed it anyway."""
    from statuskart.render.unit_search import with_unit_entries

    index = {
        "config": {},
        "docs": [
            {"location": "enheter/index.html", "title": "Enheter", "text": ""},
            {"location": "enheter/index.html#helse-vest", "title": "Helse Vest", "text": ""},
            {"location": "enheter/a.html", "title": "A", "text": "plugin"},
            {"location": "enheter/a.html#faser", "title": "Faser", "text": "plugin"},
            {"location": "krav/tsb-01.html", "title": "TSB-01", "text": ""},
        ],
    }
    ours = [{"location": "enheter/a.html", "title": "A", "text": "Helse Bergen HF"}]
    docs = with_unit_entries(index, ours)["docs"]
    assert [d["location"] for d in docs] == [
        "enheter/index.html",
        "enheter/index.html#helse-vest",
        "krav/tsb-01.html",
        "enheter/a.html",
    ]
    assert docs[-1]["text"] == "Helse Bergen HF"
