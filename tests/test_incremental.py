"""Incremental rebuilds: only changed pages are rendered, and the site equals a clean build."""

from __future__ import annotations

import datetime as dt
import html
import os
import shutil
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from statuskart.catalog.model import Catalogue
from statuskart.downloads.export import table_names
from statuskart.pipeline.build import run_build
from statuskart.sample.checklists import write_samples
from statuskart.site import incremental as inc
from statuskart.validate import intake
from statuskart.workbook import layout as L
from statuskart.workbook.raw import ReadResult
from statuskart.workbook.read import read_workbook

from .conftest import TODAY, meta_row


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _change_one_status(path: Path) -> None:
    wb = load_workbook(path)
    ws = wb[L.CHECKLIST_SHEET]
    for row in ws.iter_rows(min_row=1):
        if row[0].value == "TSB-08":
            status = row[6]
            status.value = "Ikke startet" if status.value != "Ikke startet" else "Implementert"
            break
    wb.save(path)


def _first_build(checklists: Path, tmp_path: Path) -> tuple[Path, Path, inc.WorkDir]:
    """A build with a cache: (cache folder, site folder, the site's work folder)."""
    cache = tmp_path / "cache"
    site = tmp_path / "out" / "site"
    run_build([checklists], site, today=TODAY, cache_dir=cache)
    return cache, site, inc.work_dir(cache, site)


def _page_times(work: inc.WorkDir) -> dict[Path, int]:
    """When each kept unit page was last written (MkDocs writes only pages it renders)."""
    return {p: p.stat().st_mtime_ns for p in (work.site / "enheter").glob("*.html")}


def _assert_as_clean(checklists: Path, site: Path, tmp_path: Path) -> None:
    """``site`` has the bytes of a clean build of ``checklists``, made without a cache."""
    clean = tmp_path / "clean" / "site"
    run_build([checklists], clean, today=TODAY)
    assert _files(site) == _files(clean)


def _held(folder: Path, hold: Path) -> dict[Path, tuple[bytes, int]]:
    """A second name in ``hold`` for every file in ``folder``, with its bytes and time now.

    The second name keeps the file itself, so what a later write did to it shows afterwards.
    """
    held: dict[Path, tuple[bytes, int]] = {}
    for path in (p for p in folder.rglob("*") if p.is_file()):
        spare = hold / path.relative_to(folder)
        spare.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, spare)
        held[spare] = (path.read_bytes(), path.stat().st_mtime_ns)
    return held


def _changed(held: dict[Path, tuple[bytes, int]], hold: Path) -> list[str]:
    """The held files whose bytes or time are not what they were."""
    now = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in held}
    return sorted(p.relative_to(hold).as_posix() for p in held if now[p] != held[p])


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, tsb: Catalogue) -> Path:
    root = tmp_path_factory.mktemp("written") / "in"
    write_samples(tsb, root, units=6, rounds=2, seed=5)
    return root


@pytest.fixture
def checklists(tmp_path: Path, written: Path) -> Path:
    """Each test's own copy of the sample (tests change skjemas), written once per module."""
    return Path(shutil.copytree(written, tmp_path / "in"))


def test_a_rebuild_renders_only_changed_pages_and_equals_a_clean_build(
    checklists: Path, tmp_path: Path
) -> None:
    cache, site, work = _first_build(checklists, tmp_path)
    assert work.state() is not None
    pages = _page_times(work)

    latest = sorted(checklists.glob("*/*.xlsx"))[-1]  # a skjema in the last round folder
    unit = load_workbook(latest)[L.FRONT_SHEET].cell(meta_row("unit"), 2).value
    (changed,) = [p for p in pages if f">{unit}</h1>" in html.unescape(p.read_text("utf-8"))]
    _change_one_status(latest)
    run_build([checklists], site, today=TODAY, cache_dir=cache)

    kept = [p for p, t in pages.items() if p.stat().st_mtime_ns == t]
    redone = [p for p, t in pages.items() if p.stat().st_mtime_ns != t]
    assert kept, "every unit page was rendered again: the build was not incremental"
    assert changed in redone

    _assert_as_clean(checklists, site, tmp_path)


def test_a_new_file_set_or_a_failed_build_means_a_clean_build(
    checklists: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, site, work = _first_build(checklists, tmp_path)

    import mkdocs.commands.build as mk

    def broken(*_: object, **__: object) -> None:
        raise OSError("disken er full")

    with monkeypatch.context() as m:
        m.setattr(mk, "build", broken)
        with pytest.raises(Exception, match="disken er full"):
            run_build([checklists], site, today=TODAY, cache_dir=cache)
    assert work.state() is None  # the kept site is no longer trusted

    extra = sorted(checklists.glob("*/*.xlsx"))[0]
    shutil.copy(extra, extra.parent / "kopi-med-nytt-navn.xlsx")  # a duplicate: new findings
    run_build([checklists], site, today=TODAY, cache_dir=cache)
    _assert_as_clean(checklists, site, tmp_path)


def test_sync_docs_writes_only_what_changed(tmp_path: Path) -> None:
    fresh, docs = tmp_path / "fresh", tmp_path / "docs"
    (fresh / "a").mkdir(parents=True)
    (fresh / "a" / "same.md").write_text("x")
    (fresh / "new.md").write_text("n")
    (docs / "a").mkdir(parents=True)
    (docs / "a" / "same.md").write_text("x")
    (docs / "gone").mkdir()
    (docs / "gone" / "old.md").write_text("o")
    os.utime(docs / "a" / "same.md", ns=(1, 1))
    assert inc.sync_docs(fresh, docs) == {"new.md", "gone/old.md"}
    assert (docs / "a" / "same.md").stat().st_mtime_ns == 1
    assert not (docs / "gone").exists()
    (fresh / "a" / "same.md").write_text("y")
    assert inc.sync_docs(fresh, docs) == {"a/same.md"}
    assert (docs / "a" / "same.md").read_text() == "y"
    # A kept page linked into the fresh docs is the same file: nothing to compare or write.
    (fresh / "a" / "same.md").unlink()
    os.link(docs / "a" / "same.md", fresh / "a" / "same.md")
    reads: list[Path] = []
    real = Path.read_bytes

    def counted(path: Path) -> bytes:
        reads.append(path)
        return real(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "read_bytes", counted)
        assert inc.sync_docs(fresh, docs) == set()
    assert fresh / "a" / "same.md" not in reads


def test_sync_docs_links_a_new_file_and_a_new_write_leaves_the_kept_one(tmp_path: Path) -> None:
    from statuskart.core.atomic import write_new

    fresh, docs = tmp_path / "fresh", tmp_path / "docs"
    fresh.mkdir()
    write_new(fresh / "a.md", b"gammel")
    assert inc.sync_docs(fresh, docs) == {"a.md"}
    assert (docs / "a.md").stat().st_ino == (fresh / "a.md").stat().st_ino  # linked, not copied
    write_new(fresh / "a.md", b"ny")  # the next build's page: a new file, the kept one as it was
    assert (docs / "a.md").read_bytes() == b"gammel"
    assert inc.sync_docs(fresh, docs) == {"a.md"}
    assert (docs / "a.md").read_bytes() == b"ny"


def test_the_pages_stage_writes_new_files_into_a_docs_folder_used_again(
    checklists: Path, tmp_path: Path
) -> None:
    """The work folder links the docs' files (sync_docs): a write in place would change it."""
    from statuskart.pipeline.run import render_docs
    from statuskart.site.engine import site_config

    docs = tmp_path / "docs"
    render_docs([checklists], docs, build_date=TODAY)
    site_config(None).prepare(docs)
    hold = tmp_path / "hold"
    held = _held(docs, hold)
    _change_one_status(sorted(checklists.glob("*/*.xlsx"))[-1])
    render_docs([checklists], docs, build_date=TODAY + dt.timedelta(days=1))
    site_config(None).prepare(docs)
    assert _changed(held, hold) == []
    assert all((docs / p.relative_to(hold)).stat().st_ino != p.stat().st_ino for p in held)


def test_merge_replaces_a_rebuilt_page_in_place() -> None:
    def entry(location: str) -> dict[str, str]:
        return {"location": location, "title": location}

    previous = {
        "config": {"lang": ["no"]},
        "docs": [entry("index.html"), entry("a.html"), entry("a.html#x"), entry("b.html")],
    }
    fresh = {"config": {"lang": ["no"]}, "docs": [entry("a.html"), entry("a.html#y")]}
    merged = inc.merge_search_index(previous, fresh, {"a.html", "c.html"})
    assert [e["location"] for e in merged["docs"]] == ["index.html", "a.html", "a.html#y", "b.html"]
    gone = inc.merge_search_index(previous, {"config": {}, "docs": []}, {"b.html"})
    assert [e["location"] for e in gone["docs"]] == ["index.html", "a.html", "a.html#x"]
    assert inc.page_url("enheter/x.md") == "enheter/x.html"
    assert inc.page_url("assets/x.css") is None


def test_a_strict_build_after_a_lenient_one_renders_every_page(
    checklists: Path, tmp_path: Path
) -> None:
    """Warnings come from rendering pages: --strict must not trust pages rendered without it."""
    cache, site, work = _first_build(checklists, tmp_path)
    pages = _page_times(work)
    run_build([checklists], site, today=TODAY, cache_dir=cache, strict=True)
    assert all(p.stat().st_mtime_ns != t for p, t in pages.items())
    run_build([checklists], site, today=TODAY, cache_dir=cache, strict=True)
    again = _page_times(work)
    run_build([checklists], site, today=TODAY, cache_dir=cache, strict=True)
    assert all(p.stat().st_mtime_ns == t for p, t in again.items())  # same flags: incremental


def _downloads(site: Path) -> dict[str, tuple[int, bytes]]:
    """Each download on the site: (when it was last written, its bytes)."""
    folder = site / "nedlastinger"
    return {
        p.relative_to(site).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in folder.rglob("*")
        if p.is_file()
    }


def _reopen_requirements(path: Path) -> None:
    """Set every implemented requirement of one skjema back to «Ikke startet»: actions again."""
    raw = read_workbook(path).raw
    assert raw is not None
    cells = [r.cells["status"] for r in raw.rows if "status" in r.cells]
    wb = load_workbook(path)
    for cell in cells:
        if cell.value == "Implementert":
            wb[cell.sheet][cell.cell] = "Ikke startet"
    wb.save(path)


def _cached_tables(work: inc.WorkDir) -> set[str]:
    """The tables' files kept whole (their CSV and JSON are kept in pieces beside them too)."""
    folder = work.root / "downloads" / "tables"
    return {p.name for p in folder.iterdir() if p.suffix != ".pieces"}


def _piece_stores(work: inc.WorkDir) -> set[str]:
    return {p.name for p in (work.root / "downloads" / "tables").glob("*.pieces")}


def test_a_rebuild_rewrites_only_the_downloads_whose_content_changed(
    checklists: Path, tmp_path: Path
) -> None:
    cache, site, work = _first_build(checklists, tmp_path)
    first = _downloads(site)
    tables = _cached_tables(work)
    assert len(tables) == 12  # four tables × xlsx, csv.zip, json.zip
    stores = {f"{t}.{s}.pieces" for t in table_names() for s in ("xlsx", "csv.zip", "json.zip")}
    assert _piece_stores(work) == stores
    run_build([checklists], site, today=TODAY, cache_dir=cache)
    assert _downloads(site) == first  # nothing changed: the same bytes, not even written again

    _reopen_requirements(sorted(checklists.glob("*/*.xlsx"))[-1])  # in the newest round
    run_build([checklists], site, today=TODAY, cache_dir=cache)
    after = _downloads(site)
    assert after.keys() == first.keys()
    changed = {name for name in after if after[name][1] != first[name][1]}
    plans = {name for name in changed if "/tiltaksplan/" in name}
    assert len(plans) == 1  # the changed unit's plan; the other units' plans are untouched
    assert {"nedlastinger/kravstatus.xlsx", "nedlastinger/tiltak.xlsx"} <= changed
    for name in after.keys() - changed:
        assert after[name][0] == first[name][0], f"{name}: unchanged, yet written again"
    # The cache keeps this build's files only: the changed tables' old files are gone.
    assert len(_cached_tables(work)) == 12 and _cached_tables(work) != tables
    assert _piece_stores(work) == stores

    clean = tmp_path / "clean" / "site"
    run_build([checklists], clean, today=TODAY)
    assert {k: v for k, (_, v) in after.items()} == {
        k: v for k, (_, v) in _downloads(clean).items()
    }


def test_the_next_day_rewrites_the_downloads_the_date_changes_and_keeps_the_rest(
    checklists: Path, tmp_path: Path
) -> None:
    """Each workbook prints the day it was made; the zipped CSV and JSON only hold the rows."""
    cache, site, work = _first_build(checklists, tmp_path)
    first = _downloads(site)
    later = TODAY + dt.timedelta(days=400)  # frister have passed since: «Frist passert» moves
    run_build([checklists], site, today=later, cache_dir=cache)
    after = _downloads(site)
    for name in after:
        if name.endswith(".xlsx"):
            assert after[name][1] != first[name][1], name  # «Laget <dato>» on every page
    kept = {name for name in after if after[name] == first[name]}
    assert {"nedlastinger/kravstatus.csv.zip", "nedlastinger/kravstatus.json.zip"} <= kept
    assert "nedlastinger/tiltak.csv.zip" not in kept  # its «Frist passert» column changed

    # The pages: a dirty build (the guide's pages, whose text has no date, are not rendered
    # again), and the whole site as a clean build of that day makes it.
    guide = {p: p.stat().st_mtime_ns for p in (work.site / "veiledning").glob("*.html")}
    assert guide and all(p.stat().st_mtime_ns == t for p, t in guide.items())
    clean = tmp_path / "clean" / "site"
    run_build([checklists], clean, today=later)
    assert _files(site) == _files(clean)


def test_a_new_round_beside_cached_rounds_reads_only_its_own_skjemas(
    tsb: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = tmp_path / "full"
    write_samples(tsb, full, units=3, rounds=3, seed=5)
    newest = sorted(p for p in full.iterdir() if p.is_dir())[-1]
    checklists = tmp_path / "in"
    shutil.copytree(full, checklists, ignore=lambda d, _n: [newest.name] if d == str(full) else [])
    cache, site, _work = _first_build(checklists, tmp_path)
    shutil.copytree(newest, checklists / newest.name)
    reads: list[str] = []

    def reader(path: Path | str) -> ReadResult:
        reads.append(Path(path).name)
        return read_workbook(path)

    monkeypatch.setattr(intake, "read_workbook", reader)  # 9 files: read in this process
    run_build([checklists], site, today=TODAY, cache_dir=cache)
    assert sorted(reads) == sorted(p.name for p in newest.glob("*.xlsx"))

    _assert_as_clean(checklists, site, tmp_path)


def test_the_next_day_renders_no_unit_page_again_and_shows_the_new_date(
    checklists: Path, tmp_path: Path
) -> None:
    """No frist falls on TODAY in this sample: the next day only the date moves, by stylesheet."""
    from statuskart.render import build_date

    cache, site, work = _first_build(checklists, tmp_path)
    pages = _page_times(work)
    assert len(pages) > 6
    tomorrow = TODAY + dt.timedelta(days=1)
    run_build([checklists], site, today=tomorrow, cache_dir=cache)
    assert {p for p, t in pages.items() if p.stat().st_mtime_ns != t} == set()
    sheet = (site / build_date.STYLESHEET).read_text(encoding="utf-8")
    assert tomorrow.strftime("%d.%m.%Y") in sheet
    unit = next(p for p in (site / "enheter").glob("*.html") if p.name != "index.html")
    text = unit.read_text(encoding="utf-8")
    assert 'href="../assets/stylesheets/statuskart-byggedato.css"' in text
    assert '<span class="sk-byggedato"></span>' in text
    clean = tmp_path / "clean" / "site"
    run_build([checklists], clean, today=tomorrow)
    assert _files(site) == _files(clean)


def test_the_trash_takes_old_files_and_removes_them_in_the_background(tmp_path: Path) -> None:
    from statuskart.site.trash import PREFIX, Trash, sweep

    (tmp_path / "killed").mkdir()
    left = tmp_path / f"{PREFIX}0123456789abcdef"  # a killed build's trash
    left.mkdir()
    (left / "1").write_text("gammel")
    page = tmp_path / "side.html"
    page.write_text("gammel")
    folder = tmp_path / "site"
    (folder / "a").mkdir(parents=True)
    trash = Trash(tmp_path)
    assert trash.take(page) and trash.take(folder)
    assert not trash.take(tmp_path / "finnes-ikke.html")
    assert not page.exists() and not folder.exists()
    trash.empty()
    trash.wait()
    assert sorted(p.name for p in tmp_path.iterdir()) == [left.name, "killed"]
    sweeper = sweep(tmp_path)
    assert sweeper is not None
    sweeper.join()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["killed"]
    assert sweep(tmp_path) is None


def test_a_cached_rebuild_links_the_unchanged_files_of_the_site_it_replaces(
    checklists: Path, tmp_path: Path
) -> None:
    cache, site, _work = _first_build(checklists, tmp_path)
    before = {p: p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    _change_one_status(sorted(checklists.glob("*/*.xlsx"))[-1])
    run_build([checklists], site, today=TODAY, cache_dir=cache)
    kept = [p for p, ino in before.items() if p.exists() and p.stat().st_ino == ino]
    # The changed pages are new files; the rest are the published ones, linked, not copied.
    assert len(before) // 2 < len(kept) < len(before)
    # The replaced site waits in the cache's trash, not beside the site, for the next build.
    (left,) = _work.root.glob(".trash-*")
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".statuskart-old-")]
    run_build([checklists], site, today=TODAY, cache_dir=cache)
    assert not left.exists()


def test_the_published_site_links_the_kept_one_and_a_rebuild_changes_no_file_in_place(
    checklists: Path, tmp_path: Path
) -> None:
    cache, site, work = _first_build(checklists, tmp_path)
    assert (site / "index.html").stat().st_ino == (work.site / "index.html").stat().st_ino
    hold = tmp_path / "hold"  # to see every published file after the swap
    held = _held(site, hold)
    _change_one_status(sorted(checklists.glob("*/*.xlsx"))[-1])
    run_build([checklists], site, today=TODAY, cache_dir=cache)
    assert _changed(held, hold) == []  # MkDocs wrote every file anew (engine._fresh_writes_plugin)
    _assert_as_clean(checklists, site, tmp_path)


def test_a_published_page_changed_in_place_makes_the_next_build_clean(
    checklists: Path, tmp_path: Path
) -> None:
    cache, site, _work = _first_build(checklists, tmp_path)
    page = sorted((site / "enheter").glob("*.html"))[-1]
    original = page.read_bytes()
    with page.open("r+b") as fh:  # an editor saving in place: the kept site's file changes too
        fh.write(b"<!-- endret -->")
    run_build([checklists], site, today=TODAY, cache_dir=cache)
    assert page.read_bytes() == original
    mode = page.stat().st_mode
    page.chmod(0o600)  # colleagues shut out of one page: the kept file's mode changes too
    run_build([checklists], site, today=TODAY, cache_dir=cache)
    assert page.stat().st_mode == mode


def _other_group() -> int | None:
    """A group this process may give a folder that is not its own group, or None."""
    if os.geteuid() == 0:
        return os.getegid() + 1000
    others = [g for g in os.getgroups() if g != os.getegid()]
    return others[0] if others else None


def test_a_site_in_a_team_folder_gets_the_folder_s_group_not_the_cache_s(
    checklists: Path, tmp_path: Path
) -> None:
    """A set-group-ID folder gives new files its group; a link to the cache's file would not."""
    group = _other_group()
    if group is None:
        pytest.skip("this user has no second group to give the shared folder")
    shared = tmp_path / "felles"
    shared.mkdir()
    os.chown(shared, -1, group)
    os.chmod(shared, 0o2775)
    cache, site = tmp_path / "cache", shared / "site"
    for _ in range(2):  # a cold build and a rebuild
        run_build([checklists], site, today=TODAY, cache_dir=cache)
        groups = {p.stat().st_gid for p in site.rglob("*") if p.is_file()}
        assert groups == {group}


def test_a_build_stopped_after_the_docs_sync_leaves_no_trust_in_the_kept_site(
    checklists: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Else the next build in shares renders only the pages the sync sees change: stale ones."""
    from statuskart.core.errors import OutputError
    from statuskart.site import output_folder, shares

    monkeypatch.setattr(shares, "MIN_PAGES", 1)
    monkeypatch.setattr(shares, "MIN_CHANGED_PAGES", 1)
    cache, site = tmp_path / "cache", tmp_path / "out" / "site"
    skjemas = sorted(checklists.glob("*/*.xlsx"))
    run_build([checklists], site, today=TODAY, cache_dir=cache, workers=2)
    _change_one_status(skjemas[-1])

    def stopped(*_: object, **__: object) -> None:
        raise OutputError("stoppet")

    with monkeypatch.context() as patch:
        patch.setattr(output_folder, "staged", stopped)
        with pytest.raises(OutputError):
            run_build([checklists], site, today=TODAY, cache_dir=cache, workers=2)
    _change_one_status(skjemas[-2])
    run_build([checklists], site, today=TODAY, cache_dir=cache, workers=2)
    clean = tmp_path / "clean" / "site"
    run_build([checklists], clean, today=TODAY, workers=1)
    assert _files(site) == _files(clean)


def test_a_head_start_on_the_kept_plans_only_when_few_files_changed(tmp_path: Path) -> None:
    from statuskart.pipeline.build import mostly_unchanged

    files = []
    for i in range(40):
        path = tmp_path / f"{i}.xlsx"
        path.write_bytes(b"x")
        os.utime(path, (1_000, 1_000))
        files.append(path)
    since = max(p.stat().st_ctime for p in files)  # the last build ended after all of them
    time.sleep(0.05)  # what happens now is after it, on any file system's clock
    assert not mostly_unchanged(files, None)  # no build known
    assert mostly_unchanged(files, since)
    copied = [Path(shutil.copy2(files[0], tmp_path / f"new-{i}.xlsx")) for i in range(20)]
    # Copies keep their modification time, not their change time: a new round.
    assert not mostly_unchanged([*files, *copied], since)
    for path in files[:2]:
        os.utime(path, None)
    assert mostly_unchanged(files, since)  # two of forty changed: a rebuild still
    os.utime(files[2], None)
    assert not mostly_unchanged(files, since)
