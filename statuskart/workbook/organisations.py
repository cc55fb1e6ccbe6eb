"""Reference data: the four RHFs, their clinical HFs and some private avtaleparter.

Used to fill in a missing RHF from the HF and to spread sample units realistically. Support and IT
trusts (Sykehuspartner, apotek) are left out: they have no clinical units. What is listed, what is
left out, and the sources: docs/dev/domain.md §3.
"""

from __future__ import annotations

from dataclasses import dataclass

from statuskart.workbook.layout import normalise_label


@dataclass(frozen=True, slots=True)
class Organisation:
    """An HF or a private institution with an agreement, and the RHF it belongs to."""

    name: str
    rhf: str
    private: bool = False


ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation("Akershus universitetssykehus HF", "Helse Sør-Øst RHF"),
    Organisation("Oslo universitetssykehus HF", "Helse Sør-Øst RHF"),
    Organisation("Sykehuset i Vestfold HF", "Helse Sør-Øst RHF"),
    Organisation("Sykehuset Innlandet HF", "Helse Sør-Øst RHF"),
    Organisation("Sykehuset Telemark HF", "Helse Sør-Øst RHF"),
    Organisation("Sykehuset Østfold HF", "Helse Sør-Øst RHF"),
    Organisation("Sørlandet sykehus HF", "Helse Sør-Øst RHF"),
    Organisation("Vestre Viken HF", "Helse Sør-Øst RHF"),
    Organisation("Lovisenberg Diakonale Sykehus", "Helse Sør-Øst RHF", private=True),
    Organisation("Tyrilistiftelsen", "Helse Sør-Øst RHF", private=True),
    Organisation("Helse Stavanger HF", "Helse Vest RHF"),
    Organisation("Helse Fonna HF", "Helse Vest RHF"),
    Organisation("Helse Bergen HF", "Helse Vest RHF"),
    Organisation("Helse Førde HF", "Helse Vest RHF"),
    Organisation("Haraldsplass Diakonale Sykehus", "Helse Vest RHF", private=True),
    Organisation("Helse Møre og Romsdal HF", "Helse Midt-Norge RHF"),
    Organisation("St. Olavs hospital HF", "Helse Midt-Norge RHF"),
    Organisation("Helse Nord-Trøndelag HF", "Helse Midt-Norge RHF"),
    Organisation("Finnmarkssykehuset HF", "Helse Nord RHF"),
    Organisation("Universitetssykehuset Nord-Norge HF", "Helse Nord RHF"),
    Organisation("Nordlandssykehuset HF", "Helse Nord RHF"),
    Organisation("Helgelandssykehuset HF", "Helse Nord RHF"),
)

RHFS: tuple[str, ...] = (
    "Helse Sør-Øst RHF",
    "Helse Vest RHF",
    "Helse Midt-Norge RHF",
    "Helse Nord RHF",
)


def rhf_of(hf: str) -> str | None:
    """The RHF an HF or institution belongs to, if it is one we know."""
    key = normalise_label(hf)
    for org in ORGANISATIONS:
        if normalise_label(org.name) == key:
            return org.rhf
    return None
