"""Unit pages kept between builds: copied only when they are the page the build would render."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import jinja2
import pytest
from openpyxl import load_workbook

from statuskart.catalog.model import Catalogue
from statuskart.core.cache_guard import seal
from statuskart.model.audience import choose_audience
from statuskart.render import kept_pages
from statuskart.render.kept_pages import KeptPages, UnitPageModel
from statuskart.render.pages import environment
from statuskart.sample.checklists import write_samples
from statuskart.workbook import layout as L

from .conftest import WorkbookFactory, meta_row, render_markdown
from .test_hf_scope import hf_rows

KEY = b"k" * 32
pytestmark = pytest.mark.own_logic


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    root = tmp_path_factory.mktemp("kept") / "in"
    write_samples(tsb, root, units=6, rounds=2, seed=7)
    return root


@pytest.fixture
def checklists(tmp_path: Path, written: Path) -> Path:
    return Path(shutil.copytree(written, tmp_path / "in"))


def _docs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.md")}


def _build(checklists: Path, docs: Path, work: Path, key: bytes = KEY, **options: Any) -> int:
    """Render the pages with ``work`` as the work folder (its kept docs the last ones); kept."""
    kept = KeptPages(work, work / "docs", key)
    rendered = render_markdown(checklists, docs, own_unit_search=True, kept=kept, **options)
    shutil.rmtree(work / "docs", ignore_errors=True)
    shutil.copytree(docs, work / "docs")  # as the site stage keeps them
    return rendered.kept


def _unit_pages(docs: Path) -> list[str]:
    return sorted(p.relative_to(docs).as_posix() for p in (docs / "enheter").glob("*.md"))


def test_the_same_input_keeps_every_unit_page_and_the_same_bytes(
    checklists: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    assert _build(checklists, tmp_path / "a", work) == 0
    units = [p for p in _unit_pages(tmp_path / "a") if not p.endswith("index.md")]
    assert _build(checklists, tmp_path / "b", work) == len(units) > 0
    assert _docs(tmp_path / "b") == _docs(tmp_path / "a")


def test_a_changed_skjema_renders_its_page_again_and_equals_a_fresh_render(
    checklists: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    _build(checklists, tmp_path / "a", work)
    before = _docs(tmp_path / "a")
    latest = sorted(checklists.glob("*/*.xlsx"))[-1]
    wb = load_workbook(latest)
    ws = wb[L.CHECKLIST_SHEET]
    row = next(r for r in ws.iter_rows(min_row=1) if r[0].value == "TSB-08")
    row[6].value = "Ikke startet" if row[6].value != "Ikke startet" else "Implementert"
    wb.save(latest)

    kept = _build(checklists, tmp_path / "b", work)
    render_markdown(checklists, tmp_path / "fresh", own_unit_search=True)
    after = _docs(tmp_path / "b")
    assert after == _docs(tmp_path / "fresh")
    changed = [p for p in _unit_pages(tmp_path / "b") if after[p] != before.get(p)]
    assert changed, "the changed skjema's page must be rendered again"
    assert 0 < kept < len(_unit_pages(tmp_path / "b"))


def test_a_kept_page_with_other_bytes_or_a_foreign_memo_is_never_used(
    checklists: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    _build(checklists, tmp_path / "a", work)
    page = work / "docs" / next(p for p in _unit_pages(tmp_path / "a") if "index" not in p)
    page.write_text(page.read_text("utf-8") + "\nPlantet tekst\n", encoding="utf-8")

    total = len(_unit_pages(tmp_path / "a")) - 1  # all but the list of units
    assert _build(checklists, tmp_path / "b", work) == total - 1  # the changed one rendered
    assert "Plantet tekst" not in (tmp_path / "b" / page.relative_to(work / "docs")).read_text()
    assert _build(checklists, tmp_path / "c", work, key=b"x" * 32) == 0  # sealed by another key
    (work / kept_pages.MEMO_FILE).write_bytes(seal(KEY, b"[1, 2]"))
    assert _build(checklists, tmp_path / "d", work) == 0  # not a memo: nothing kept
    assert _docs(tmp_path / "d") == _docs(tmp_path / "a")


def test_a_unit_page_reads_nothing_of_the_model_its_key_leaves_out(
    checklists: Path, tmp_path: Path
) -> None:
    model = render_markdown(checklists, tmp_path / "docs").model
    narrow = next(iter(kept_pages.unit_page_models(model).values()))
    assert isinstance(narrow, UnitPageModel)
    env = environment()
    assert env.from_string("{{ model.period }}").render(model=narrow) == model.period
    for name in ("units", "hfs", "requirements", "files", "build_date", "hf_scopes_all"):
        with pytest.raises(jinja2.UndefinedError):
            env.from_string("{{ model." + name + " }}").render(model=narrow)


def test_the_key_changes_with_every_part_of_it() -> None:
    shared = b"s" * 32
    base = kept_pages.page_key(shared, "enheter/a.md", "unit.md.j2", {"unit": ("a", 1.0)})
    assert base == kept_pages.page_key(shared, "enheter/a.md", "unit.md.j2", {"unit": ("a", 1.0)})
    others = {
        kept_pages.page_key(b"t" * 32, "enheter/a.md", "unit.md.j2", {"unit": ("a", 1.0)}),
        kept_pages.page_key(shared, "enheter/b.md", "unit.md.j2", {"unit": ("a", 1.0)}),
        kept_pages.page_key(shared, "enheter/a.md", "unit.md.j2", {"unit": ("a", 1.5)}),
        kept_pages.page_key(shared, "enheter/a.md", "unit.md.j2", {"unit": ("a", 1.0), "up": ""}),
    }
    assert base not in others and len(others) == 4
    unpicklable = {"unit": ("a", lambda: None)}
    assert kept_pages.page_key(shared, "enheter/a.md", "unit.md.j2", unpicklable) is None


@pytest.mark.parametrize("name", ["region", "enhet"])
def test_audience_builds_keep_their_own_pages_and_equal_a_fresh_render(
    checklists: Path, tmp_path: Path, name: str
) -> None:
    """A region build's pages hide free text, a unit's own report has its page as the index."""
    first = sorted(checklists.glob("*/*.xlsx"))[-1]
    unit = load_workbook(first, read_only=True)[L.FRONT_SHEET].cell(meta_row("unit"), 2).value
    audience = choose_audience(name, str(unit) if name == "enhet" else None)
    work = tmp_path / "work"
    assert _build(checklists, tmp_path / "a", work, audience=audience) == 0
    assert _build(checklists, tmp_path / "b", work, audience=audience) > 0
    render_markdown(checklists, tmp_path / "fresh", audience=audience, own_unit_search=True)
    assert _docs(tmp_path / "b") == _docs(tmp_path / "fresh") == _docs(tmp_path / "a")


def test_an_hf_answer_renders_the_pages_of_its_hf_again(
    filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    """The unit answering for the HF changes an HF row: its HF's pages show it, the other's not."""
    answers = hf_rows("Påbegynt", "Vurderingsteamet møtes hver dag")
    folder = filled_workbook(answers, name="a.xlsx").parent
    other = {"unit": "Døgnenhet Nord", "unit_type": "døgn"}
    filled_workbook(hf_rows(None), name="b.xlsx", meta=other)  # leaves the HF rows to a
    elsewhere = {"unit": "Enhet Sør", "hf": "Helse Stavanger HF"}
    filled_workbook(hf_rows(None), name="c.xlsx", meta=elsewhere)
    work = tmp_path / "work"
    _build(folder, tmp_path / "a", work)

    filled_workbook(hf_rows("Implementert", "Vurderingsteamet møtes hver dag"), name="a.xlsx")
    assert _build(folder, tmp_path / "b", work) == 1  # Enhet Sør's page alone
    render_markdown(folder, tmp_path / "fresh", own_unit_search=True)
    assert _docs(tmp_path / "b") == _docs(tmp_path / "fresh")
    page = (tmp_path / "b" / "enheter" / "helse-bergen-hf-dognenhet-nord-tsb.md").read_text()
    assert "Svarene er fra skjemaet til" in page


def test_a_page_without_a_key_is_rendered_not_kept(
    checklists: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A variable that cannot be pickled costs the speed-up, never the build or its pages."""
    work = tmp_path / "work"
    _build(checklists, tmp_path / "a", work)
    real = kept_pages.pickled

    def refuse_units(value: object) -> bytes:
        if isinstance(value, tuple) and len(value) == 3 and value[1] == "unit.md.j2":
            raise TypeError("cannot pickle 'function' object")
        return real(value)

    monkeypatch.setattr(kept_pages, "pickled", refuse_units)
    assert _build(checklists, tmp_path / "b", work) == 0
    assert _docs(tmp_path / "b") == _docs(tmp_path / "a")


def test_a_kept_page_is_linked_where_it_can_be_and_copied_where_not(
    checklists: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    _build(checklists, tmp_path / "a", work)
    page = next(p for p in _unit_pages(tmp_path / "a") if "index" not in p)

    def render(docs: Path) -> int:
        kept = KeptPages(work, work / "docs", KEY)
        return render_markdown(checklists, docs, own_unit_search=True, kept=kept).kept

    linked = render(tmp_path / "b")
    assert os.path.samefile(tmp_path / "b" / page, work / "docs" / page)  # no new file made

    def no_links(*_: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    assert render(tmp_path / "c") == linked
    assert not os.path.samefile(tmp_path / "c" / page, work / "docs" / page)
    assert _docs(tmp_path / "c") == _docs(tmp_path / "b") == _docs(tmp_path / "a")
