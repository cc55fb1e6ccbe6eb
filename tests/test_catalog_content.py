"""The built-in catalogues' content: sourced, phased, timed and usable end to end for every pathway.

A quality adviser checks a row against Helsedirektoratet's own text before trusting a score built on
it, so these tests hold the catalogue data to the convention in docs/dev/catalogue-format.md.
Run with ``-s`` to see the official-source share per catalogue.
"""

from __future__ import annotations

import json
import re
from itertools import takewhile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from statuskart.catalog.load import TIME_UNITS, load_catalogs
from statuskart.catalog.model import UNIT_TYPES, Catalogue, Requirement
from statuskart.catalog.sources import is_official
from statuskart.cli.commands import main
from statuskart.core.resources import builtin_catalog_files, builtin_catalog_ids
from statuskart.workbook import layout as L
from statuskart.workbook.write import HEADER_ROW

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

PHASE_TITLES = {
    "H": "Henvisning og start",
    "U": "Kartlegging og utredning",
    "B": "Behandling og oppfølging",
    "A": "Avslutning og videre oppfølging",
    "O": "Akuttbehandling og oppfølging etter overdose",
    "K": "Forløpskoordinering og samhandling",
    "R": "Registrering, koding og ledelse",
}
"""The phases every catalogue draws from, so phase scores compare across pathways."""
TIMED_PATHWAYS = ("tsb", "bup", "phv", "psykose", "spiseforstyrrelser", "ocd", "gravide")
"""Pathways that define forløpstider (or, for PHV, the statutory assessment time)."""
PHR_PATHWAYS = ("tsb", "bup", "phv", "psykose", "spiseforstyrrelser", "ocd")
"""Pathways whose målepunkter for the national indicators must have rows of their own."""
VAGUE_TIME = re.compile(r"anbefalt (forløps)?tid", re.IGNORECASE)

CATALOGUES = load_catalogs()
BUILTIN = sorted(builtin_catalog_ids())


def official_share(catalogue: Catalogue) -> float:
    """Share of a catalogue's requirements whose source is an official page."""
    reqs = catalogue.requirements
    return sum(is_official(r.source) for r in reqs) / len(reqs)


def all_requirements() -> list[tuple[str, Requirement]]:
    return [(cid, r) for cid in BUILTIN for r in CATALOGUES[cid].requirements]


def comment_above_source(yaml_text: str, req_id: str) -> str:
    """The YAML comment lines directly above `source:` in the entry for req_id."""
    lines = yaml_text.splitlines()
    start = lines.index(f"  - id: {req_id}")
    src = next(i for i in range(start, len(lines)) if lines[i].startswith("    source:"))
    comments: list[str] = []
    i = src - 1
    while i > start and lines[i].strip().startswith("#"):
        comments.insert(0, lines[i].strip())
        i -= 1
    return "\n".join(comments)


def test_every_file_is_named_after_its_catalogue_id() -> None:
    """--pathway help is built from file names, so a file's stem must be its id."""
    for path in builtin_catalog_files():
        assert CATALOGUES[path.stem].id == path.stem
    assert {"psykose", "spiseforstyrrelser", "ocd"} <= set(BUILTIN)


@pytest.mark.parametrize(("cid", "req"), all_requirements(), ids=lambda v: getattr(v, "id", v))
def test_source_is_one_bare_https_url(cid, req) -> None:
    parts = urlsplit(req.source)
    assert parts.scheme == "https", req.source
    assert parts.hostname, req.source
    assert not re.search(r"\s", req.source), req.source
    assert "sekundærkilde" not in req.source.casefold()


@pytest.mark.parametrize("cid", BUILTIN)
def test_secondary_sources_say_why_and_official_ones_do_not(cid) -> None:
    text = Path(CATALOGUES[cid].source_file).read_text(encoding="utf-8")
    for req in CATALOGUES[cid].requirements:
        note = comment_above_source(text, req.id)
        if is_official(req.source):
            assert "sekundærkilde" not in note, f"{req.id} is official but marked secondary"
        else:
            assert note.startswith("# sekundærkilde:"), f"{req.id}: {req.source} needs a reason"
            assert len(note) > len("# sekundærkilde:") + 10, f"{req.id}: say why"


@pytest.mark.parametrize("cid", BUILTIN)
def test_every_phase_is_a_known_phase(cid) -> None:
    cat = CATALOGUES[cid]
    for phase in cat.phases:
        assert PHASE_TITLES.get(phase.id) == phase.title, (cid, phase)
    for req in cat.requirements:
        assert req.phase in {p.id for p in cat.phases}, req.id


@pytest.mark.parametrize("cid", TIMED_PATHWAYS)
def test_forlopstider_carry_every_field(cid) -> None:
    limits = [(r.id, t) for r in CATALOGUES[cid].requirements for t in r.time_limits]
    assert limits, f"{cid} defines forløpstider but has no time-limit rows"
    for rid, t in limits:
        assert t.from_event.strip() and t.to_event.strip(), rid
        assert t.from_event != t.to_event, rid
        assert isinstance(t.limit, int) and t.limit >= 0, rid
        assert t.unit in TIME_UNITS, rid
        assert t.setting in (*UNIT_TYPES, "alle"), rid
        assert t.version.strip(), rid


@pytest.mark.parametrize(("cid", "req"), all_requirements(), ids=lambda v: getattr(v, "id", v))
def test_no_row_promises_an_unnamed_time(cid, req) -> None:
    """«Innen anbefalt forløpstid» without the time cannot be checked; name it or leave it out."""
    if VAGUE_TIME.search(req.text):
        assert req.time_limits, f"{req.id} mentions a recommended time but gives none"


def test_time_limits_are_those_of_the_official_pages() -> None:
    """Spot checks against Helsedirektoratet's tables (spiseforstyrrelser 2022, OCD 2018)."""

    def limits(cid: str, rid: str) -> set[tuple[str, str, int, str, str]]:
        req = CATALOGUES[cid].by_id[rid]
        return {(t.from_event, t.to_event, t.limit, t.unit, t.setting) for t in req.time_limits}

    assert limits("spiseforstyrrelser", "SPF-03") == {
        ("Første fremmøte", "Klinisk beslutning", 42, "kalenderdager", "poliklinikk"),
        ("Første fremmøte", "Klinisk beslutning", 14, "kalenderdager", "døgn"),
    }
    assert ("Forrige evaluering", "Neste evaluering", 14, "kalenderdager", "døgn") in limits(
        "spiseforstyrrelser", "SPF-06"
    )
    assert {t[2] for t in limits("ocd", "OCD-05")} == {42}
    assert {t[2] for t in limits("ocd", "OCD-06")} == {56}
    assert limits("psykose", "PSY-02") == {
        ("Henvisning mottatt", "Første fremmøte", 7, "kalenderdager", "alle")
    }
    every_bup_limit = [t for r in CATALOGUES["bup"].requirements for t in r.time_limits]
    assert all(t.limit != 65 for t in every_bup_limit), "65 arbeidsdager is not a forløpstid"


@pytest.mark.parametrize("cid", PHR_PATHWAYS)
def test_malepunkter_for_the_national_indicators_have_rows(cid) -> None:
    cat = CATALOGUES[cid]
    texts = [(r.phase, f"{r.title} {r.text}".casefold()) for r in cat.requirements]
    assert any("målepunkt" in t and "behandlingsplan" in t for _, t in texts), cid
    assert any("målepunkt" in t and "evaluering" in t for _, t in texts), cid
    assert any(p == "A" and "avslutning" in t and "registrer" in t for p, t in texts), cid
    assert {r.phase for r in cat.requirements} >= {"H", "U", "B", "A", "R"}, cid


def test_tsb_avslutning_is_split_into_answerable_rows() -> None:
    """TSB-40 used to ask five things at once; each is now a row of its own."""
    tsb = CATALOGUES["tsb"]
    assert "hjelpebehov" not in tsb.by_id["TSB-40"].text
    parts = ("TSB-40", "TSB-51", "TSB-52", "TSB-53", "TSB-54")
    assert all(tsb.by_id[r].phase == "A" for r in parts)
    assert "2023.1" in tsb.retired_versions


def test_bup_has_the_adhd_chapter_and_coordination() -> None:
    bup = CATALOGUES["bup"]
    sources = [r.source for r in bup.requirements]
    assert any("adhd-og-andre-nevroutviklingsforstyrrelser" in s for s in sources)
    assert {"A", "K"} <= {r.phase for r in bup.requirements}
    assert "BUP-09" not in bup.by_id
    assert "2023.1" in bup.retired_versions


@pytest.mark.parametrize("cid", BUILTIN)
def test_template_command_works_for_every_pathway(cid, runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / f"{cid}.xlsx"
    result = runner.invoke(main, ["template", "--pathway", cid, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert CATALOGUES[cid].title in result.output
    wb = load_workbook(out, read_only=True)
    try:
        ws = wb[L.CHECKLIST_SHEET]
        col = 1 + [c.key for c in L.COLUMNS].index("id")
        cells = ws.iter_rows(min_row=HEADER_ROW + 1, min_col=col, max_col=col, values_only=True)
        ids = list(takewhile(bool, [row[0] for row in cells]))  # the «Egne krav» block follows
    finally:
        wb.close()
    assert ids == [r.id for r in CATALOGUES[cid].requirements]


@pytest.mark.parametrize("cid", BUILTIN)
def test_sample_then_validate_has_no_errors(cid, runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / cid
    made = runner.invoke(
        main, ["sample", "-p", cid, "-o", str(folder), "--units", "3", "--rounds", "1"]
    )
    assert made.exit_code == 0, made.output
    checked = runner.invoke(main, ["validate", str(folder), "--format", "json"])
    assert checked.exit_code == 0, checked.output
    reports = json.loads(checked.stdout)
    assert len(reports) == 3
    for report in reports:
        assert report["submission"]["catalogue_id"] == cid
        errors = [f for f in report["findings"] if f["severity"] == "error"]
        assert not errors, errors


def test_pathway_help_lists_every_builtin_catalogue(runner: CliRunner) -> None:
    for command in ("template", "sample"):
        result = runner.invoke(main, [command, "--help"])
        flat = " ".join(result.output.split())
        for cid in BUILTIN:
            assert cid in flat, (command, cid)


def test_official_share_per_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    """Printed for the report; the pathway catalogues must rest mostly on official text."""
    shares = {cid: official_share(CATALOGUES[cid]) for cid in BUILTIN}
    with capsys.disabled():
        print("\nkatalog              krav  offisiell kilde")
        for cid, share in shares.items():
            n = len(CATALOGUES[cid].requirements)
            print(f"{cid:<20} {n:>4}  {share:>6.0%}")
    for cid in ("tsb", "bup", "phv", "psykose", "spiseforstyrrelser", "ocd", "shl"):
        assert shares[cid] >= 0.7, (cid, shares[cid])


@pytest.mark.parametrize(
    ("url", "official"),
    [
        ("https://www.helsedirektoratet.no/nasjonale-forlop/x", True),
        ("https://helsedirektoratet.no/nyheter/x", True),
        ("https://lovdata.no/lov/1999-07-02-63/§2-2", True),
        ("https://www.helsebiblioteket.no/innhold/pakkeforlop/x", False),
        ("https://helsedirektoratet.no.example.com/x", False),
        ("https://nothelsedirektoratet.no/x", False),
        ("Prioriteringsveileder TSB (PDF)", False),
        ("https://[broken", False),
    ],
)
def test_official_means_helsedirektoratet_or_lovdata(url, official) -> None:
    assert is_official(url) is official


def test_site_marks_secondary_sources(tmp_path: Path) -> None:
    """«(sekundærkilde)» follows a secondary link on a requirement page, never an official one."""
    from statuskart.sample.checklists import write_samples
    from tests.conftest import render_markdown

    checklists = tmp_path / "checklists"
    write_samples(CATALOGUES["tsb"], checklists, units=2, rounds=1, seed=3)
    render_markdown(checklists, tmp_path / "docs")
    pages = {
        p.stem: p.read_text(encoding="utf-8") for p in (tmp_path / "docs" / "krav").glob("*.md")
    }
    assert "(sekundærkilde)" in pages["tsb-08"]
    assert "(sekundærkilde)" not in pages["tsb-03"]
    assert "lovdata.no" in pages["tsb-03"]


GENERAL_PATHWAYS = ("tsb", "bup", "phv")
"""The three general pathways (the 2024 revision covers them).

Which elements every pathway asks about is tests/test_catalog_coverage.py's job."""


def test_phv_has_its_treatment_phase_rows() -> None:
    """«Planlegging av behandling» in PHV voksne, one question per row, cited to that section."""
    phv = CATALOGUES["phv"]
    wanted = {
        "PHV-30": "individuell plan",
        "PHV-31": "kriseplan",
        "PHV-32": "ansvarsgruppe",
        "PHV-33": "varighet",
        "PHV-34": "behandlingsmål",
        "PHV-35": "tidspunkt for evaluering",
        "PHV-36": "feedbackverktøy",
        "PHV-37": "feedbackverktøy",
    }
    for rid, words in wanted.items():
        req = phv.by_id[rid]
        assert words in f"{req.title} {req.text}".casefold(), rid
        assert req.source.endswith("/planlegging-av-behandling") and req.source_read, rid
    assert phv.by_id["PHV-37"].depends_on == ("PHV-36",) and phv.by_id["PHV-37"].phase == "R"
    assert "2024.1" in phv.retired_versions and phv.version_of("2024.1") is not None


@pytest.mark.parametrize("cid", BUILTIN)
def test_every_catalogue_states_its_text_and_revision(cid: str) -> None:
    """Issue #28 point 4: which text the catalogue follows and what is known of the revision."""
    cat = CATALOGUES[cid]
    assert re.search(r"\d{1,2}\.\d{1,2}\.20\d\d", cat.basis), cid
    assert len(cat.revision) > 40, cid
    if cid in GENERAL_PATHWAYS:
        assert "28.10.2024" in cat.revision and "2019-teksten" in cat.revision, cid


def test_forlopstider_that_cannot_be_found_are_listed() -> None:
    """PHV has no forløpstid of its own in the catalogue, so it says which ones are missing."""
    phv = CATALOGUES["phv"]
    own = [t for r in phv.requirements for t in r.time_limits if t.version != "lov"]
    assert not own and phv.missing_time_limits
    assert "PHV-07" in " ".join(phv.missing_time_limits)
    assert any("sekundærkilde" in m for m in CATALOGUES["bup"].missing_time_limits)
