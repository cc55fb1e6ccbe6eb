"""Every general pathway asks about its behandlingsplan, evaluering, forløpskoordinator and
avslutning as activities done with the patient (issue #28, point 1), not only as codes."""

from __future__ import annotations

import pytest

from statuskart.catalog.load import load_catalogs
from statuskart.catalog.model import ELEMENTS, Catalogue

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

SPECIFIC = {"shl"}
"""Somatisk helse og levevaner is part of every pathway, not a pathway with a course of its own."""

NOT_YET: dict[tuple[str, str], str] = {
    ("bup", "avslutning"): (
        "BUP-forløpets tekst om avslutning sammen med pasient og foreldre fantes ikke blant de"
        " lagrede sidene fra Helsedirektoratet (søkt 06.12.2026); bare kodingen (BUP-19) og måling"
        " før avslutning (BUP-30, «Basis utredning») kan belegges; av kodeveilederen fra 2019 ble"
        " bare BUP-siden om start og type forløp funnet, og de lagrede utdragene fra"
        " Helsebiblioteket, Helse Fonna, Helse Stavanger og Helse Bergen sier ikke noe om"
        " avslutningen"
    ),
    ("gravide", "behandlingsplan"): (
        "ikke funnet: de lagrede kopiene av Helsedirektoratets sider for gravide og rusmidler "
        "(forsiden med henvisning, «Behandling og oppfølging», «Målsetning») slutter før noe "
        "avsnitt om behandlingsplan, og de lagrede sidene fra KoRus Sør og Sykehuset i Vestfold "
        "nevner den ikke; "
        "høringsutkastet fra 2018 er ikke forløpsteksten som gjelder (søkt 06.12.2026)"
    ),
    ("gravide", "avslutning"): (
        "ikke funnet: kapitlet om avslutning av forløpet for gravide og rusmidler finnes ikke "
        "blant de lagrede kopiene av Helsedirektoratets sider; målsetningen sier bare «sikre "
        "videreføring til annet nasjonalt pasientforløp» (GR-10), ikke hvordan forløpet avsluttes "
        "med kvinnen (søkt 06.12.2026)"
    ),
    ("psykose", "avslutning"): (
        "psykoseforløpets tekst om avslutning fantes ikke blant de lagrede sidene fra"
        " Helsedirektoratet (kapittel 3 er avkortet etter kriseplan, søkt 06.12.2026); bare"
        " kodingen av avslutningen (PSY-14) kan belegges; av kodeveilederens psykosesider fra"
        " 2019 ble bare siden om feedbackverktøy funnet (PSY-33)"
    ),
}
"""(pathway, element) pairs that the official text does not give, with why; shown in the test id."""


def _general() -> list[Catalogue]:
    return [c for c in load_catalogs().values() if c.id not in SPECIFIC]


@pytest.mark.parametrize("element", ELEMENTS)
@pytest.mark.parametrize("catalogue", _general(), ids=lambda c: c.id)
def test_pathway_has_a_row_for_the_element_done_with_the_patient(
    catalogue: Catalogue, element: str
) -> None:
    rows = [r for r in catalogue.requirements if r.element == element and not r.registration]
    if (catalogue.id, element) in NOT_YET:
        assert not rows, f"{catalogue.id}/{element} has rows now: remove it from NOT_YET"
        pytest.skip(NOT_YET[catalogue.id, element])
    assert rows, f"{catalogue.id} has no row asking whether the {element} is done with the patient"


def test_registration_rows_name_their_element() -> None:
    """A «is it coded» row says which activity it codes, so the pair can be read together."""
    loose = [
        f"{c.id}/{r.id}"
        for c in _general()
        for r in c.requirements
        if r.registration and not r.element
    ]
    assert loose == []


CODED = ("behandlingsplan", "evaluering")
"""Målepunkter the national indicators are computed from: a pathway asks whether they are coded."""
CODES_NOT_FOUND = {
    "gravide": "kodeveilederens målepunkter for forløpet for gravide ble ikke funnet blant "
    "de lagrede sidene, verken i kodeveilederen fra 2019 eller 2023 (søkt 06.12.2026)",
}


@pytest.mark.parametrize("element", CODED)
@pytest.mark.parametrize("catalogue", _general(), ids=lambda c: c.id)
def test_pathway_asks_whether_the_malepunkt_is_coded(catalogue: Catalogue, element: str) -> None:
    rows = [r for r in catalogue.requirements if r.element == element and r.registration]
    if catalogue.id in CODES_NOT_FOUND:
        assert not rows, f"{catalogue.id} has coding rows now: remove it from CODES_NOT_FOUND"
        pytest.skip(CODES_NOT_FOUND[catalogue.id])
    assert rows, f"{catalogue.id} never asks whether the {element} målepunkt is coded"
