"""The unit's action plan workbook: only that unit, real dates, Norwegian headers, a filter."""

import datetime as dt
import html
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from statuskart.catalog.model import Catalogue
from statuskart.core.atomic import copy_whole
from statuskart.downloads import action_plan
from statuskart.downloads.action_plan import DATE_SLOT, PlanJob, write_plans
from statuskart.downloads.xlsx_table import Sheet, copy_redated, page_header, write_tables
from statuskart.model.audience import REGIONAL, Audience, choose_audience
from statuskart.model.facts import plan_path
from statuskart.model.views import ReportModel
from statuskart.pipeline.build import run_build
from statuskart.pipeline.run import render_docs
from statuskart.workbook import fit

from .conftest import TODAY, WorkbookFactory, fits_to_page, page_texts
from .test_local_requirements import fill_local

LONG = "Lag en felles rutine for kartlegging og følg opp hver måned i fagmøtet. " * 3


def build(
    filled_workbook: WorkbookFactory, docs: Path, audience: Audience | None = None
) -> ReportModel:
    """Pages and downloads of two units, without MkDocs: the plans are not its business."""
    folder = filled_workbook(
        {
            "TSB-08": {
                "status": "Påbegynt",
                "action": "+47 ring alle: opplæring",
                "owner": "Enhetsleder",
                "due": dt.date(2026, 12, 1),
            },
            "TSB-09": "Ikke startet",
        },
        meta={"unit": "Enhet A"},
    ).parent
    filled_workbook({"TSB-10": "Ikke startet"}, meta={"unit": "Enhet B"})
    return render_docs([folder], docs, build_date=TODAY, audience=audience).model


def docs_plan(docs: Path, model: ReportModel, unit: str) -> Workbook:
    """The unit's plan, as its (Markdown) page links it."""
    (view,) = [u for u in model.units if u.score.unit.unit == unit]
    page = html.unescape((docs / "enheter" / f"{view.slug}.md").read_text(encoding="utf-8"))
    assert f'href="../{plan_path(view)}"' in page  # linked from the unit's page
    return load_workbook(docs / plan_path(view))


def plan_of(site: Path, unit: str) -> Workbook:
    page = next(p for p in (site / "enheter").glob("*.html") if f">{unit}</h1>" in p.read_text())
    plan = site / "nedlastinger" / "tiltaksplan" / page.name.replace(".html", ".xlsx")
    assert f"tiltaksplan/{plan.name}" in page.read_text()  # linked from the unit's page
    return load_workbook(plan)


def test_plan_holds_this_unit_with_real_dates(
    filled_workbook: WorkbookFactory, tmp_path_factory: pytest.TempPathFactory
) -> None:
    docs = tmp_path_factory.mktemp("out") / "docs"
    ws = docs_plan(docs, build(filled_workbook, docs), "Enhet A")["Tiltaksplan"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["Rang", "Krav", "Tittel", "Status", "Tiltak"]
    assert "Ansvarlig" in header and "Frist" in header
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    assert [r["Krav"] for r in rows] == ["TSB-08", "TSB-09"]  # Enhet B's TSB-10 is not here
    first = rows[0]
    assert first["Frist"] == dt.datetime(2026, 12, 1)  # noqa: DTZ001 - a date cell, not text
    assert first["Ansvarlig"] == "Enhetsleder" and first["Eget tiltak"] == "Ja"
    tiltak = ws.cell(2, header.index("Tiltak") + 1)
    assert tiltak.data_type == "s" and tiltak.value == "'+47 ring alle: opplæring"  # not a formula


def test_regional_plan_has_no_owner_column(
    filled_workbook: WorkbookFactory, tmp_path_factory: pytest.TempPathFactory
) -> None:
    docs = tmp_path_factory.mktemp("out") / "docs"
    model = build(filled_workbook, docs, choose_audience(REGIONAL, None))
    ws = docs_plan(docs, model, "Enhet A")["Tiltaksplan"]
    header = [c.value for c in ws[1]]
    assert "Ansvarlig" not in header and "Frist passert" in header
    values = [str(c.value) for r in ws.iter_rows() for c in r if c.value]
    assert not any("+47" in v or "Enhetsleder" in v for v in values)
    printed = " ".join(t or "" for t in page_texts(ws))
    assert "Enhet A" in printed and "+47" not in printed and "Enhetsleder" not in printed


def test_plan_prints_whose_it_is_and_what_is_overdue_on_every_page(
    filled_workbook: WorkbookFactory,
    tsb: Catalogue,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Unit, HF, round and the build's date (SOURCE_DATE_EPOCH) on each page of both sheets.

    «Frist passert» is judged against that same date: 01.12 is passed on 06.12, 01.01 is not.
    """
    monkeypatch.setenv(
        "SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC).timestamp()))
    )
    local = fill_local(
        tsb,
        {
            1: {
                "title": "Lokalt",
                "status": "Påbegynt",
                "action": LONG,
                "owner": "Leder",
                "due": dt.date(2026, 11, 30),
            },
            2: {"title": "Ferdig", "status": "Implementert", "due": dt.date(2026, 1, 5)},
        },
    )
    folder = filled_workbook(
        {
            "TSB-08": {
                "status": "Påbegynt",
                "action": LONG,
                "owner": "Leder",
                "due": dt.date(2026, 12, 1),
            },
            "TSB-09": {"status": "Ikke startet", "due": dt.date(2027, 1, 1)},
        },
        meta={"unit": "Rus & psykiatri", "hf": "Helse Bergen HF", "period": "2026-T1"},
        edit=local,
    ).parent
    site = tmp_path_factory.mktemp("out") / "site"
    run_build([folder], site)  # no --today: the build's date, here from SOURCE_DATE_EPOCH
    wb = plan_of(site, "Rus &#38; psykiatri")
    ws = wb["Tiltaksplan"]
    assert wb.sheetnames == ["Tiltaksplan", "Egne krav"]
    for sheet in wb.worksheets:
        assert page_texts(sheet) == (
            "Handlingsplan – Rus && psykiatri, Helse Bergen HF",
            "Runde 2026-T1 · Laget 06.12.2026",
            "Side &P av &N",
        )
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
        assert sheet.page_setup.fitToHeight == 0 and fits_to_page(sheet)
        assert sheet.print_title_rows == "$1:$1"
    rows = {r[1].value: r for r in ws.iter_rows(min_row=2)}
    header = [c.value for c in ws[1]]
    assert header[header.index("Frist") + 1] == "Frist passert"
    passed = header.index("Frist passert")
    assert rows["TSB-08"][passed].value == "Ja" and rows["TSB-09"][passed].value is None
    row = rows["TSB-08"][0].row or 0
    assert ws.row_dimensions[row].height >= fit.line_count(LONG, 38) * fit.LINE_POINTS
    own = wb["Egne krav"]
    local_header = [c.value for c in own[1]]
    local_rows = {r[0].value: r for r in own.iter_rows(min_row=2)}
    passed = local_header.index("Frist passert")
    assert local_rows["EGEN-1"][passed].value == "Ja"
    assert local_rows["EGEN-2"][passed].value is None  # implemented: its frist no longer counts
    assert own.row_dimensions[local_rows["EGEN-1"][0].row or 0].height > fit.LINE_POINTS


def two_units(
    filled_workbook: WorkbookFactory, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, Path]:
    """Two units' skjemas, without frister: (their folder, a cache folder, a site folder)."""
    folder = filled_workbook({"TSB-09": "Ikke startet"}, meta={"unit": "Enhet A"}).parent
    filled_workbook({"TSB-10": "Ikke startet"}, meta={"unit": "Enhet B"}, name="b.xlsx")
    return folder, tmp_path_factory.mktemp("cache"), tmp_path_factory.mktemp("o") / "s"


def test_unchanged_plans_are_copied_from_the_cache(
    filled_workbook: WorkbookFactory, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A rebuild writes only the plans whose content changed, and drops plans no longer used."""
    folder, cache, site = two_units(filled_workbook, tmp_path_factory)

    def plans():
        return {p.name: p.stat().st_mtime_ns for p in cache.rglob("plans/*.xlsx")}

    run_build([folder], site, today=TODAY, cache_dir=cache)
    first = plans()
    assert len(first) == 2
    assert all(name.endswith(f"-{TODAY:%d.%m.%Y}.xlsx") for name in first)  # the day it prints
    run_build([folder], site, today=TODAY, cache_dir=cache)
    assert plans() == first  # nothing changed: no plan written again
    filled_workbook({"TSB-10": "Påbegynt"}, meta={"unit": "Enhet B"}, name="b.xlsx")
    run_build([folder], site, today=TODAY, cache_dir=cache)
    after = plans()
    assert len(after) == 2 and len(set(after.items()) & set(first.items())) == 1  # A's is kept
    b = plan_of(site, "Enhet B")["Tiltaksplan"]
    assert [c.value for c in b[2]][1:4:2] == ["TSB-10", "Påbegynt"]


def test_the_next_day_puts_its_date_into_the_kept_plans(
    filled_workbook: WorkbookFactory, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No frist passes overnight: each plan is the kept one with the new date, byte for byte."""
    folder, cache, site = two_units(filled_workbook, tmp_path_factory)
    run_build([folder], site, today=TODAY, cache_dir=cache)
    tomorrow = TODAY + dt.timedelta(days=1)

    def keys(day: dt.date) -> set[str]:
        """The cached plans' keys; each is there once, printing ``day``."""
        names = [p.name for p in cache.rglob("plans/*.xlsx")]
        assert len(names) == 2 and all(n.endswith(f"-{day:%d.%m.%Y}.xlsx") for n in names)
        return {n.split("-")[0] for n in names}

    kept = keys(TODAY)
    run_build([folder], site, today=tomorrow, cache_dir=cache)
    assert keys(tomorrow) == kept
    right = page_texts(plan_of(site, "Enhet B")["Tiltaksplan"])[1]
    assert right is not None and right.endswith(f"Laget {tomorrow:%d.%m.%Y}")
    clean = tmp_path_factory.mktemp("o") / "clean"
    run_build([folder], clean, today=tomorrow)
    plans = sorted((site / "nedlastinger" / "tiltaksplan").glob("*.xlsx"))
    assert len(plans) == 2
    for plan in plans:
        assert plan.read_bytes() == (clean / plan.relative_to(site)).read_bytes()


def test_a_plan_whose_text_holds_the_old_date_is_written_anew(tmp_path: Path) -> None:
    sheet = Sheet("Tiltaksplan", ["Krav", "Tiltak"], [9, 38], [None, None], header="")
    day, later = "07.12.2026", "08.12.2026"

    def kept(name: str, cell: str) -> Path:
        header = page_header(f"Handlingsplan – {name}", f"Laget {day}")
        path = tmp_path / "kept.xlsx"
        write_tables(path, [(replace(sheet, header=header), (("TSB-01", cell),))], small=True)
        return path

    copy = tmp_path / "copy.xlsx"
    assert copy_redated(kept("Enhet A", "Gjør det"), copy, day, later, 1)
    assert page_texts(load_workbook(copy)["Tiltaksplan"])[1] == f"Laget {later}"
    copy.unlink()
    assert not copy_redated(kept(f"Enhet {day}", "Gjør det"), copy, day, later, 1)
    assert not copy_redated(kept("Enhet A", f"Innen {day}"), copy, day, later, 1)
    assert not copy_redated(kept("Enhet A", "Gjør det"), copy, day, later, 2)  # not every sheet
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    assert not copy_redated(tmp_path / "broken.xlsx", copy, day, later, 1)
    assert not copy.exists()

    header = page_header("Handlingsplan – Enhet A", DATE_SLOT)
    job = PlanJob("p.xlsx", ((replace(sheet, header=header), (("TSB-01", day),)),), day)
    other = replace(job, path="q.xlsx", sheets=((replace(sheet, header=header), ()),))
    cache = tmp_path / "cache"
    write_plans([job, other], tmp_path / "docs", cache)
    calls: list[Path] = []

    def counted(path: Path, *args: Any, **kwargs: Any) -> Path:
        calls.append(path)
        return write_tables(path, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(action_plan, "write_tables", counted)
        written = write_plans(
            [replace(job, date=later), replace(other, date=later)], tmp_path / "docs", cache
        )
    assert calls == [written[0]]  # its cell holds the old date; the other plan is redated
    for plan in written:
        assert page_texts(load_workbook(plan)["Tiltaksplan"])[1] == later
    assert load_workbook(written[0])["Tiltaksplan"]["B2"].value == day


def test_kept_plans_dated_while_the_writer_waits_are_moved_into_place(tmp_path: Path) -> None:
    """stage_kept_plans: the next day's plans made before the model exists, the same bytes."""
    day, later = "07.12.2026", "08.12.2026"
    sheet = Sheet("Tiltaksplan", ["Krav", "Tiltak"], [9, 38], [None, None], header="")
    header = page_header("Handlingsplan – Enhet A", DATE_SLOT)
    dated = replace(sheet, header=header)
    jobs = [
        PlanJob("a.xlsx", ((dated, (("TSB-01", "Gjør det"),)),), day),
        PlanJob(  # two sheets
            "b.xlsx", ((dated, (("TSB-02", "Og dette"),)), (replace(dated, name="Egne"), ())), day
        ),
        PlanJob("c.xlsx", ((dated, (("TSB-03", f"Innen {day}"),)),), day),  # holds the date
    ]
    cache, staged = tmp_path / "cache", tmp_path / "staged"
    write_plans(jobs, tmp_path / "first", cache)
    assert action_plan.stage_kept_plans(cache, staged, later, lambda: True) == 0  # stopped
    assert action_plan.stage_kept_plans(cache, staged, later, lambda: False) == 2
    names = sorted(p.name.split("-", 1)[1] for p in cache.glob("*.xlsx"))
    assert names == [f"{day}.xlsx", f"{later}.xlsx", f"{later}.xlsx"]  # c's kept as it was
    calls: list[Path] = []

    def counted(path: Path, *args: Any, **kwargs: Any) -> Path:
        calls.append(path)
        return write_tables(path, *args, **kwargs)

    next_day = [replace(job, date=later) for job in jobs]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(action_plan, "write_tables", counted)
        written = write_plans(next_day, tmp_path / "next", cache, staged)
    assert calls == [written[2]]  # a and b were moved into place, c written anew
    assert list(staged.iterdir()) == []
    clean = write_plans(next_day, tmp_path / "clean")
    for plan, fresh in zip(written, clean, strict=True):
        assert plan.read_bytes() == fresh.read_bytes()
    # The same day: every kept plan is copied meanwhile, and moved into place.
    assert action_plan.stage_kept_plans(cache, staged, later, lambda: False) == 3
    again = write_plans(next_day, tmp_path / "again", cache, staged)
    assert list(staged.iterdir()) == []
    for plan, fresh in zip(again, clean, strict=True):
        assert plan.read_bytes() == fresh.read_bytes()


def test_a_cache_copy_is_whole_or_absent_and_leaves_no_litter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """core/atomic.copy_whole, which the plan and table caches keep their entries with."""
    source, entry = tmp_path / "plan.xlsx", tmp_path / "cache" / "KEY-07.12.2026.xlsx"
    source.write_bytes(b"new")
    copy_whole(source, entry)
    assert entry.read_bytes() == b"new" and sorted(p.name for p in entry.parent.iterdir()) == [
        entry.name
    ]

    def full_disk(src: Path, dst: Path) -> None:
        Path(dst).write_bytes(b"ne")  # cut short
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copy2", full_disk)
    source.write_bytes(b"newer")
    with pytest.raises(OSError):
        copy_whole(source, entry)
    assert entry.read_bytes() == b"new"  # the old entry, whole
    assert [p.name for p in entry.parent.iterdir()] == [entry.name]  # no partial left
