"""A source is the page that holds the text (issue #28 point 2).

A row cited to a news item, a høring, a project page, the 2018-era root of a pathway or another
pathway's page fails here unless a «# annen kilde: …» comment above its ``source`` says why. Rows
checked against their page carry ``source_read`` (the day it was read). Run with ``-s`` for the
per-pathway count.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from statuskart.catalog.load import load_catalogs
from statuskart.catalog.model import Requirement
from tests.test_catalog_content import BUILTIN, CATALOGUES, comment_above_source

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

PATHWAY_SLUGS = {
    "tsb": "rusbehandling-tsb",
    "bup": "psykiske-lidelser-barn-og-unge",
    "phv": "psykiske-lidelser-voksne",
    "psykose": "psykoselidelser",
    "ocd": "tvangslidelse-ocd",
    "spiseforstyrrelser": "spiseforstyrrelser-hos-barn-og-unge",
    "gravide": "gravide-og-rusmidler",
}
"""Each pathway's part of Helsedirektoratet's addresses. Somatisk helse og levevaner and the
kodeveileder are shared by every pathway, so they are no other pathway's page."""
NEWS_HOSTS = ("velferd.no", "psykologtidsskriftet.no", "dagensmedisin.no", "rusfeltet.no")
"""Hosts that publish news about the pathways, not the pathways themselves."""
REASON = "# annen kilde:"


def kind_of(source: str, pathway: str) -> str | None:
    """Why a source is not the pathway's own text, or None when it may be."""
    parts = urlsplit(source)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.casefold()
    if "/nyheter/" in path or "/aktuelt/" in path or host in NEWS_HOSTS:
        return "nyhet"
    if re.search(r"h(ø|o|oe)ring", path):
        return "høring"
    if host == "helsedirektoratet.no" and path.startswith("/om-oss/"):
        return "prosjektside"
    if (
        host == "helsedirektoratet.no"
        and path.startswith("/retningslinjer/")
        and "pakkeforlop" in path
    ):
        return "2018-rot"
    others = [s for p, s in PATHWAY_SLUGS.items() if p != pathway and f"/{s}" in path]
    if host == "helsedirektoratet.no" and others and PATHWAY_SLUGS.get(pathway, "") not in path:
        return "annet forløp"
    return None


@pytest.mark.parametrize(
    ("source", "pathway", "kind"),
    [
        ("https://helsedirektoratet.no/nyheter/tre-nye-pakkeforlop", "bup", "nyhet"),
        ("https://www.regjeringen.no/no/aktuelt/tre-nye-pakkeforlop/id1/", "bup", "nyhet"),
        ("https://velferd.no/velferd/2020/psykisk-pakkeforlop", "phv", "nyhet"),
        ("https://www.helsedirektoratet.no/horinger/pakkeforlop-tsb", "tsb", "høring"),
        ("https://www.helsedirektoratet.no/om-oss/forsoksordninger/x", "phv", "prosjektside"),
        (
            "https://helsedirektoratet.no/retningslinjer/psykiske-lidelser-pakkeforlop-voksne",
            "phv",
            "2018-rot",
        ),
        (
            "https://www.helsedirektoratet.no/pakkeforlop/gravide-og-rusmidler/x",
            "tsb",
            "annet forløp",
        ),
        ("https://www.helsedirektoratet.no/pakkeforlop/gravide-og-rusmidler/x", "gravide", None),
        (
            "https://www.helsedirektoratet.no/nasjonale-forlop/somatisk-helse-og-levevaner/x",
            "bup",
            None,
        ),
        ("https://lovdata.no/lov/1999-07-02-63/§2-2", "tsb", None),
    ],
)
def test_kind_of_tells_news_horing_project_old_root_and_other_pathways(
    source: str, pathway: str, kind: str | None
) -> None:
    assert kind_of(source, pathway) == kind


def every_row() -> list[tuple[str, Requirement]]:
    return [(cid, r) for cid in BUILTIN for r in CATALOGUES[cid].requirements]


@pytest.mark.parametrize(("cid", "req"), every_row(), ids=lambda v: getattr(v, "id", v))
def test_a_row_not_cited_to_its_own_text_says_why(cid: str, req: Requirement) -> None:
    kind = kind_of(req.source, cid)
    note = comment_above_source(Path(CATALOGUES[cid].source_file).read_text("utf-8"), req.id)
    if kind is None:
        assert REASON not in note, f"{req.id}: cited to its own text, drop the «annen kilde» note"
    else:
        assert REASON in note, f"{req.id}: source is a {kind} ({req.source}); say why"


@pytest.mark.parametrize(
    ("cid", "rid", "path"),
    [
        (
            "tsb",
            "TSB-42",
            "/akuttbehandling-og-oppfolging-etter-rusmiddeloverdose/aktiviteter-og-tiltak",
        ),
        ("gravide", "GR-06", "/gravide-og-rusmidler/behandling-og-oppfolging"),
        ("gravide", "GR-07", "/gravide-og-rusmidler/behandling-og-oppfolging"),
        ("phv", "PHV-08", "/psykiske-lidelser-voksne/behandling-og-oppfolging"),
        ("phv", "PHV-09", "/psykiske-lidelser-voksne/behandling-og-oppfolging"),
        ("phv", "PHV-06", "/psykiske-lidelser-voksne/om-forlopet"),
        ("phv", "PHV-10", "/psykiske-lidelser-voksne/om-forlopet"),
        ("phv", "PHV-22", "/psykiske-lidelser-voksne/om-forlopet"),
        ("bup", "BUP-06", "/psykiske-lidelser-barn-og-unge/behandling-og-oppfolging"),
    ],
)
def test_rows_the_issue_named_cite_the_section_that_states_them(
    cid: str, rid: str, path: str
) -> None:
    req = CATALOGUES[cid].by_id[rid]
    assert req.source.startswith("https://www.helsedirektoratet.no/nasjonale-forlop"), req.source
    assert path in req.source and kind_of(req.source, cid) is None
    # PHV-06 and BUP-06: the paragraph lies past the stored copy of the page, so not marked as read.
    assert req.source_read == (None if rid in ("PHV-06", "BUP-06") else dt.date(2026, 12, 6))


def test_source_read_is_a_past_day_on_every_version() -> None:
    """A row claims to be checked only on a day that has been; old versions keep theirs."""
    today = dt.datetime.now(tz=dt.UTC).date()
    for cat in load_catalogs().values():
        for version in cat.versions:
            for req in version.requirements:
                assert req.source_read is None or req.source_read <= today, req.id


def test_checked_rows_per_pathway(capsys: pytest.CaptureFixture[str]) -> None:
    """Prints rows, rows checked against their page, and rows still needing a note."""
    with capsys.disabled():
        print(f"\n{'katalog':<20} {'rader':>5} {'lest':>5} {'annen kilde':>11}")
        for cid in BUILTIN:
            reqs = CATALOGUES[cid].requirements
            read = sum(r.source_read is not None for r in reqs)
            other = sum(kind_of(r.source, cid) is not None for r in reqs)
            print(f"{cid:<20} {len(reqs):>5} {read:>5} {other:>11}")
    assert all(CATALOGUES[cid].requirements for cid in BUILTIN)
