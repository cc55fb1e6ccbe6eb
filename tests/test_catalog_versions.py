"""Several versions of a pathway side by side: loading, scoring each skjema against its stamped
version, and what changed between versions (issue #17 point 5)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from statuskart.catalog.changes import (
    ADDED,
    PRIORITY,
    REMOVED,
    REWORDED,
    SCOPE,
    TIME,
    catalogue_changes,
    changes_between,
    version_history,
)
from statuskart.catalog.load import load_catalogs
from statuskart.catalog.model import Catalogue, TimeLimit
from statuskart.cli.commands import main
from statuskart.core.resources import catalog_data_dir
from statuskart.pipeline.run import check_files, score_files
from tests.conftest import TODAY

from .conftest import WorkbookFactory

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run


def tsb_yaml() -> dict[str, Any]:
    data = yaml.safe_load((catalog_data_dir() / "tsb.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def write_version(tmp_path: Path, data: dict[str, Any], name: str = "tsb-test.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_builtin_tsb_keeps_2023_1_beside_the_current_version() -> None:
    tsb = load_catalogs()["tsb"]
    assert tsb.version == "2026.2"
    assert [c.version for c in tsb.versions] == ["2023.1", "2024.1", "2026.1", "2026.2"]
    old = tsb.version_of("2023.1")
    assert old is not None and "TSB-48" not in old.by_id and "TSB-48" in tsb.by_id
    assert tsb.version_of("2019.1") is None


@pytest.mark.parametrize(
    ("cid", "added"),
    [
        ("psykose", {"PSY-27", "PSY-28", "PSY-29", "PSY-30", "PSY-31", "PSY-32", "PSY-33"}),
        ("ocd", {"OCD-18", "OCD-19", "OCD-20", "OCD-21", "OCD-22", "OCD-23"}),
        ("bup", set()),
    ],
)
def test_2026_2_keeps_the_shipped_2026_1_beside_it(cid: str, added: set[str]) -> None:
    """2026.1 shipped, so a skjema stamped with it is still read against its own rows."""
    # PHV stays 2026.1: only its sources were checked, and a new version would break every
    # unit's trend line for no change a unit answers.
    current = load_catalogs()[cid]
    assert current.version == "2026.2" and "2026.1" in current.retired_versions
    assert [c.version for c in current.versions][-2:] == ["2026.1", "2026.2"]
    diff = changes_between(current, "2026.1", "2026.2")
    assert diff is not None
    assert {c.requirement_id for c in diff.of_kind(ADDED)} == added
    assert not diff.of_kind(REMOVED)


def test_a_newer_user_version_becomes_current_and_keeps_the_builtin_ones(tmp_path: Path) -> None:
    data = tsb_yaml() | {"version": "2099.1", "valid_from": dt.date(2099, 1, 1)}
    tsb = load_catalogs([write_version(tmp_path, data)])["tsb"]
    assert tsb.version == "2099.1"
    assert [c.version for c in tsb.versions] == ["2023.1", "2024.1", "2026.1", "2026.2", "2099.1"]


def test_a_trusts_own_version_is_current_even_when_dated_earlier(tmp_path: Path) -> None:
    """The trust gave its file for the pathway: that is what it uses now."""
    data = tsb_yaml() | {"version": "2023.1-lokal", "valid_from": dt.date(2022, 6, 1)}
    tsb = load_catalogs([write_version(tmp_path, data)])["tsb"]
    assert tsb.version == "2023.1-lokal"
    assert {c.version for c in tsb.other_versions} == {"2023.1", "2024.1", "2026.1", "2026.2"}


def test_a_user_file_with_a_builtin_version_replaces_that_version(tmp_path: Path) -> None:
    data = tsb_yaml() | {"version": "2023.1", "title": "Lokal TSB"}
    tsb = load_catalogs([write_version(tmp_path, data)])["tsb"]
    assert tsb.title == "Lokal TSB" and tsb.version == "2023.1"
    assert [c.version for c in tsb.versions] == ["2023.1", "2024.1", "2026.1", "2026.2"]
    kept, builtin = tsb.version_of("2024.1"), load_catalogs()["tsb"].version_of("2024.1")
    assert kept is not None and builtin is not None
    assert (kept.title, kept.requirements) == (builtin.title, builtin.requirements)


def _limit(days: int, version: str = "2019") -> TimeLimit:
    return TimeLimit(
        from_event="Første fremmøte",
        to_event="Klinisk beslutning",
        limit=days,
        unit="kalenderdager",
        setting="poliklinikk",
        version=version,
    )


def test_catalogue_changes_finds_each_kind_and_nothing_else(tsb: Catalogue) -> None:
    old = replace(tsb, version="1", other_versions=(), by_id={})
    reqs = {r.id: r for r in tsb.requirements}
    reqs["TSB-11"] = replace(reqs["TSB-11"], text=reqs["TSB-11"].text + " Nytt ledd.")
    reqs["TSB-12"] = replace(reqs["TSB-12"], text="  " + reqs["TSB-12"].text.replace(" ", "\n"))
    reqs["TSB-25"] = replace(reqs["TSB-25"], time_limits=(_limit(14),))
    retagged = tuple(replace(t, version="2024") for t in reqs["TSB-36"].time_limits)
    reqs["TSB-36"] = replace(reqs["TSB-36"], time_limits=retagged)
    reqs["TSB-13"] = replace(reqs["TSB-13"], priority="kritisk")
    reqs["TSB-06"] = replace(reqs["TSB-06"], scope="hf")
    del reqs["TSB-14"]
    reqs["TSB-99"] = replace(reqs["TSB-15"], id="TSB-99", title="Nytt krav")
    new = replace(tsb, version="2", requirements=tuple(reqs.values()), other_versions=(), by_id={})

    diff = catalogue_changes(old, new)
    found = {(c.kind, c.requirement_id) for c in diff.changes}
    assert found == {
        (ADDED, "TSB-99"),
        (REMOVED, "TSB-14"),
        (REWORDED, "TSB-11"),
        (TIME, "TSB-25"),
        (PRIORITY, "TSB-13"),
        (SCOPE, "TSB-06"),
    }  # TSB-12 only re-wrapped, TSB-36 only re-tagged: neither is a change
    (time,) = diff.of_kind(TIME)
    assert "14 kalenderdager" in time.after and "21 kalenderdager" in time.before
    assert diff.for_requirement("TSB-14")[0].before == tsb.by_id["TSB-14"].text
    assert (diff.before, diff.after) == ("1", "2")
    assert [c.kind for c in diff.changes] == [ADDED, REMOVED, REWORDED, TIME, PRIORITY, SCOPE]


def test_builtin_history_names_the_split_rows(tsb: Catalogue) -> None:
    diff, sources, text = version_history(tsb)
    assert (diff.before, diff.after) == ("2023.1", "2024.1")
    # 2026.1 re-cites rows to the sections that state them; TSB-02 was reworded to its page, and
    # TSB-32/53 only in wording (FIT/KOR is one tool; «hvor pasienten kan henvende seg»).
    assert (sources.before, sources.after) == ("2024.1", "2026.1")
    reworded = [("TSB-02", REWORDED), ("TSB-32", REWORDED), ("TSB-53", REWORDED)]
    assert [(c.requirement_id, c.kind) for c in sources.changes] == reworded
    assert (text.before, text.after) == ("2026.1", "2026.2")
    added = {c.requirement_id for c in diff.of_kind(ADDED)}
    assert {"TSB-48", "TSB-49", "TSB-50", "TSB-51", "TSB-52", "TSB-53", "TSB-54"} <= added
    assert {c.requirement_id for c in diff.of_kind(REWORDED)} >= {"TSB-29", "TSB-40"}
    assert changes_between(tsb, "2024.1", "2024.1") is None
    assert changes_between(tsb, "2019.1", "2024.1") is None


def test_a_skjema_stamped_with_an_older_version_is_scored_against_it(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue], tsb: Catalogue
) -> None:
    old = tsb.version_of("2023.1")
    assert old is not None
    path = filled_workbook(catalogue=old, default="Ikke startet")
    (report,) = check_files([path], catalogues, TODAY)
    assert not {f.code for f in report.findings} & {
        "catalogue-version-retired",
        "catalogue-version-unknown",
        "requirement-missing",
        "unknown-id",
    }
    assert report.submission is not None and report.submission.catalogue_version == "2023.1"
    (score,) = score_files([report], catalogues, today=TODAY)
    assert [r.requirement_id for r in score.results] == [r.id for r in old.requirements]
    assert score.unit.catalogue_version == "2023.1"
    kind = score.unit.unit_type
    assert score.applicable == sum(r.counts_for_unit(kind) for r in old.requirements)


def test_an_unloaded_version_falls_back_to_the_current_one_with_a_finding(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue], tsb: Catalogue
) -> None:
    from statuskart.workbook import layout as L

    def restamp(wb):
        wb[L.STAMP_SHEET]["B2"] = "2019.1"

    (report,) = check_files([filled_workbook(edit=restamp)], catalogues, TODAY)
    assert "catalogue-version-retired" in {f.code for f in report.findings}
    (score,) = score_files([report], catalogues, today=TODAY)
    assert [r.requirement_id for r in score.results] == [r.id for r in tsb.requirements]


@pytest.mark.parametrize("version", ["2023.1", "2024.1"])
def test_template_writes_any_loaded_version(
    version, runner: CliRunner, tmp_path: Path, tsb: Catalogue
) -> None:
    from openpyxl import load_workbook

    from statuskart.workbook import layout as L
    from statuskart.workbook.write import HEADER_ROW

    out = tmp_path / "skjema.xlsx"
    result = runner.invoke(main, ["template", "-p", "tsb", "--version", version, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"tsb {version}" in result.output
    wb = load_workbook(out, read_only=True)
    try:
        col = 1 + [c.key for c in L.COLUMNS].index("id")
        rows = wb[L.CHECKLIST_SHEET].iter_rows(
            min_row=HEADER_ROW + 1, min_col=col, max_col=col, values_only=True
        )
        ids = [r[0] for r in rows if r[0]]
    finally:
        wb.close()
    ids = ids[: ids.index(L.LOCAL_HEADING)]  # the «Egne krav» rows follow the catalogue's
    expected = tsb.version_of(version)
    assert expected is not None and ids == [r.id for r in expected.requirements]


def test_template_unknown_version_is_one_line_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["template", "-p", "tsb", "--version", "1999.9", "-o", str(tmp_path / "x.xlsx")]
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Feil:")
    assert "1999.9" in lines[0] and "2023.1" in lines[0] and "2024.1" in lines[0]


def every_version() -> list[Catalogue]:
    return [v for c in load_catalogs().values() for v in c.versions]


@pytest.mark.parametrize("cat", every_version(), ids=lambda c: f"{c.id}-{c.version}")
def test_every_version_has_sources_phases_and_its_forlopstider(cat: Catalogue) -> None:
    """Older versions are scored too, so they meet the same bar as the current ones."""
    from tests.test_catalog_content import PHASE_TITLES, TIMED_PATHWAYS

    phases = {p.id for p in cat.phases}
    for req in cat.requirements:
        assert req.source.startswith("https://"), (cat.label, req.id)
        assert req.phase in phases and req.phase in PHASE_TITLES, (cat.label, req.id)
    if cat.id in TIMED_PATHWAYS:
        limits = [t for r in cat.requirements for t in r.time_limits]
        assert limits, f"{cat.label} has no forløpstider"
        assert all(t.limit >= 0 and t.unit and t.setting and t.version for t in limits)


def test_every_version_file_is_named_id_dash_version() -> None:
    from statuskart.catalog.load import load_catalog
    from statuskart.core.resources import builtin_version_files

    files = builtin_version_files()
    assert files, "the older TSB version is shipped"
    for path in files:
        cat = load_catalog(path)
        assert path.stem == f"{cat.id}-{cat.version}"
        assert cat.id in load_catalogs(), "an older version of a pathway that is not built in"


def test_unit_and_requirement_pages_list_what_changed(
    tmp_path: Path, filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    """A unit answered 2023.1 last round and 2024.1 now: its page lists the catalogue changes."""
    from statuskart.pipeline.run import render_docs

    old, new = tsb.version_of("2023.1"), tsb.version_of("2024.1")
    assert old is not None and new is not None
    (tmp_path / "2026-T1").mkdir()
    (tmp_path / "2026-T2").mkdir()
    filled_workbook(catalogue=old, name="2026-T1/a.xlsx")
    filled_workbook(
        catalogue=new,
        name="2026-T2/a.xlsx",
        meta={"period": "2026-T2", "date": dt.date(2026, 8, 30)},
    )
    docs = tmp_path / "docs"
    render_docs([tmp_path / "2026-T1", tmp_path / "2026-T2"], docs, build_date=TODAY)
    (page,) = (p for p in (docs / "enheter").glob("*.md") if p.name != "index.md")
    text = page.read_text(encoding="utf-8")
    assert "## Endringer i kravkatalogen" in text
    assert "fra versjon 2023.1 til 2024.1" in text.replace("&#46;", ".")
    assert "9 nye, 0 fjernede og 3 omformulerte krav" in text
    assert '<td>Nytt krav</td><td><a href="' in text and "TSB-48</a>" in text
    assert "Ulike katalogversjoner" in text  # the trend still breaks at the version change
    history = (docs / "krav" / "tsb-48.md").read_text(encoding="utf-8")
    assert "## Endringer mellom katalogversjoner" in history and "nytt krav" in history
    unchanged = (docs / "krav" / "tsb-11.md").read_text(encoding="utf-8")
    assert "Endringer mellom katalogversjoner" not in unchanged


def test_a_unit_still_on_an_older_skjema_is_told_to_use_the_new_one(
    tmp_path: Path, filled_workbook: WorkbookFactory, tsb: Catalogue
) -> None:
    from statuskart.pipeline.run import render_docs

    old = tsb.version_of("2023.1")
    assert old is not None
    filled_workbook(catalogue=old, name="a.xlsx")
    docs = tmp_path / "docs"
    render_docs([tmp_path / "a.xlsx"], docs, build_date=TODAY)
    (page,) = (p for p in (docs / "enheter").glob("*.md") if p.name != "index.md")
    text = page.read_text(encoding="utf-8").replace("&#46;", ".")
    assert "enhetens skjema er laget fra versjon 2023.1" in text
    assert f"Bruk et nytt skjema fra versjon {tsb.version}" in text


@pytest.mark.parametrize(
    ("cid", "added", "timed", "reworded"),
    [
        ("gravide", {"GR-11", "GR-12", "GR-13"}, {"GR-05"}, {"GR-10"}),
        (
            "spiseforstyrrelser",
            {"SPF-21", "SPF-22", "SPF-23", "SPF-24", "SPF-25", "SPF-26"},
            set(),
            {"SPF-12"},
        ),
    ],
)
def test_2026_2_adds_rows_from_the_text_and_keeps_2026_1_for_its_skjemas(
    cid: str, added: set[str], timed: set[str], reworded: set[str]
) -> None:
    """Issue #28: rows added from the pathway text, and rows that said more than their text
    (SPF-12, GR-10) reworded to it; the 2026.1 skjemas keep their own version."""
    cat = load_catalogs()[cid]
    assert cat.version == "2026.2" and "2026.1" in cat.retired_versions
    diff = changes_between(cat, "2026.1", "2026.2")
    assert diff is not None
    assert {c.requirement_id for c in diff.of_kind(ADDED)} == added
    assert {c.requirement_id for c in diff.of_kind(TIME)} == timed
    assert {c.requirement_id for c in diff.of_kind(REWORDED)} == reworded
    assert not diff.of_kind(REMOVED)
    old = cat.version_of("2026.1")
    assert old is not None and not added & set(old.by_id)
    if timed:
        (change,) = diff.of_kind(TIME)
        assert "≤ 7 kalenderdager (døgn" in change.before
        assert "3–7 kalenderdager (døgn" in change.after


def test_tsb_2026_2_rows_follow_the_text_and_2026_1_is_kept() -> None:
    """Issue #28: TSB-14/37/53 say what their pages say, TSB-57 is section 4.2's evaluation."""
    tsb = load_catalogs()["tsb"]
    assert tsb.version == "2026.2" and "2026.1" in tsb.retired_versions
    diff = changes_between(tsb, "2026.1", "2026.2")
    assert diff is not None
    assert [(c.requirement_id, c.kind) for c in diff.changes] == [
        ("TSB-57", ADDED),
        ("TSB-14", REWORDED),
        ("TSB-37", REWORDED),
        ("TSB-53", REWORDED),
    ]
    old = tsb.version_of("2026.1")
    assert old is not None and "TSB-57" not in old.by_id
    assert "varer over 3 måneder" in tsb.by_id["TSB-37"].text
    assert tsb.by_id["TSB-37"].time_limits == old.by_id["TSB-37"].time_limits
    assert "umiddelbare tiltak" in tsb.by_id["TSB-14"].text
    assert "hvor pasienten kan ta kontakt" in tsb.by_id["TSB-53"].text
    assert tsb.by_id["TSB-57"].element == "evaluering"


def test_the_2026_1_file_is_the_shipped_catalogue_under_its_header() -> None:
    """The kept version differs from what was shipped only by the three header lines."""
    kept = (catalog_data_dir() / "versions" / "tsb-2026.1.yaml").read_text(encoding="utf-8")
    header, body = kept.split("\n", 3)[:3], kept.split("\n", 3)[3]
    assert all(line.startswith("# ") for line in header)
    data = yaml.safe_load(body)
    assert data["version"] == "2026.1" and len(data["requirements"]) == 56
