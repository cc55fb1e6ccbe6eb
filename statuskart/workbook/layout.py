"""Workbook layout shared by the writer and the reader: sheet names, columns, defined names, stamp.

The reader finds everything by header text or defined name, never by position; the aliases below
are the spellings it accepts (bokmål, nynorsk, English).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

TEMPLATE_VERSION = "3"
"""Version of the sheet layout itself, stamped next to the catalogue version. 2: the Kilde and
«Andel innen forløpstid» columns and the «Egne krav» rows (version 1 skjema read as before).
3: row marks on the answer cells (row_marks.py)."""

FRONT_SHEET = "Forside"
CHECKLIST_SHEET = "Statuskartlegging"
GUIDE_SHEET = "Veiledning"
STAMP_SHEET = "statuskart"
LISTS_SHEET = "Lister"

CHECKLIST_SHEET_ALIASES = (CHECKLIST_SHEET, "Sjekkliste", "Statuskartleggjing", "Checklist")
FRONT_SHEET_ALIASES = (FRONT_SHEET, "Framside", "Front")


@dataclass(frozen=True, slots=True)
class Column:
    """A checklist column: key used in code, header label, width, and whether the user fills it."""

    key: str
    label: str
    width: float
    is_input: bool
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", 10, False, ("krav-id", "kravid", "nr", "requirement id")),
    Column("phase", "Fase", 20, False, ("seksjon", "phase", "section")),
    Column("title", "Krav", 32, False, ("målepunkt", "requirement", "tittel")),
    Column(
        "text", "Beskrivelse", 60, False, ("beskrivelse i forløpet", "description", "skildring")
    ),
    Column("applies", "Gjelder for", 22, False, ("enhetstyper", "applies to")),
    Column("time_limit", "Forløpstid", 24, False, ("forløpstider", "time limit")),
    Column("source", "Kilde", 21, False, ("kilder", "source")),
    Column("status", "Status", 20, True, ("grad av måloppnåelse", "måloppnåelse", "status")),
    Column(
        "share",
        "Andel innen forløpstid, %",
        14,
        True,
        ("andel innen forløpstid", "andel innen forløpstid (%)", "share within time limit"),
    ),
    Column(
        "comment",
        "Begrunnelse / kommentar (dagens praksis)",
        40,
        True,
        ("kommentar", "begrunnelse", "dagens praksis", "grunngjeving", "merknad", "comment"),
    ),
    Column("action", "Planlagt tiltak", 36, True, ("tiltak", "planlagde tiltak", "action")),
    Column("owner", "Ansvarlig", 18, True, ("ansvarleg", "owner", "responsible")),
    Column("due", "Frist", 12, True, ("tidsfrist", "deadline", "due", "due date")),
    Column(
        "risk",
        "Risiko for mangelfull gjennomføring",
        18,
        True,
        ("risiko", "risk", "risikonivå"),
    ),
)
REQUIRED_COLUMNS = ("id", "status")
CATALOGUE_ROW_COLUMNS = frozenset(("id", "title", *(c.key for c in COLUMNS if c.is_input)))
"""The columns read from a catalogue row: the ID, the title and every answer column.

The validate stage places a row by its ID and checks that the title beside it is that
requirement's (rules._rows_by_id: an ID sorted or pasted alone lands beside another title);
the answers and their row marks are the rest. The catalogue's own text (phase, description,
applies to, time limit, source) is the catalogue's, shown to the user and read by no check, so
the reader builds no cell for it. A filled «Egne krav» row keeps every column (the unit wrote
its own title and description there). tests/test_read_columns.py holds the checks to this list.
"""

LOCAL_HEADING = "Egne krav"
"""Text in the ID column of the row that opens the block of the unit's own requirements."""
LOCAL_ID_PREFIX = "EGEN-"
"""IDs of the unit's own requirements: «EGEN-1» …; never a catalogue ID."""
LOCAL_ROWS = 5
"""Blank «Egne krav» rows in a new skjema."""
LOCAL_INPUT_COLUMNS = ("title", "text", "status", "comment", "action", "owner", "due", "risk")
"""Columns a unit fills in on its own requirement rows (there is no forløpstid, so no share)."""


@dataclass(frozen=True, slots=True)
class MetaField:
    """A front-sheet field: key in code, label, defined name, whether required, help text."""

    key: str
    label: str
    name: str
    required: bool
    help: str
    aliases: tuple[str, ...] = ()


META_FIELDS: tuple[MetaField, ...] = (
    MetaField(
        "rhf",
        "RHF",
        "sk_rhf",
        False,
        "Regionalt helseforetak, f.eks. Helse Vest RHF",
        ("regionalt helseforetak", "region"),
    ),
    MetaField(
        "hf",
        "HF eller institusjon",
        "sk_hf",
        True,
        "Helseforetak eller privat institusjon med avtale",
        ("hf", "helseforetak", "institusjon", "helseføretak", "trust"),
    ),
    MetaField(
        "unit",
        "Enhet",
        "sk_enhet",
        True,
        "Enhetens navn, f.eks. Rusakutten poliklinikk",
        ("eining", "avdeling", "unit"),
    ),
    MetaField(
        "unit_type",
        "Enhetstype",
        "sk_enhetstype",
        False,
        "Velg fra listen: poliklinikk, døgn, ambulant, avrusning, dagbehandling, akutt eller "
        "vurderingsenhet",
        ("einingstype", "unit type"),
    ),
    MetaField(
        "period",
        "Periode / runde",
        "sk_periode",
        True,
        "Kartleggingsrunden, f.eks. 2026-T1",
        ("periode", "runde", "period", "round"),
    ),
    MetaField("date", "Dato", "sk_dato", False, "Dato for utfylling (dd.mm.åååå)", ("date",)),
    MetaField(
        "filled_by",
        "Utfylt av (rolle)",
        "sk_utfylt_av",
        False,
        "Rolle, f.eks. enhetsleder; navn er ikke nødvendig",
        ("utfylt av", "utfylt av rolle", "fylt ut av", "filled in by"),
    ),
    MetaField(
        "target",
        "Mål for skår (0–100)",
        "sk_maal",
        False,
        "Valgfritt: skåren enheten vil nå ved neste runde",
        ("mål", "målskår", "target"),
    ),
)

STAMP_KEYS = ("catalogue_id", "catalogue_version", "template_version", "generator", "unit_type")
"""«unit_type»: the unit type a skjema was made for (its rows are that type's); blank for all."""
STAMP_FALLBACK_KEYS = ("catalogue_id", "catalogue_version")
"""Also written as custom document properties and defined names (constants), which survive
where a hidden sheet may not: the reader uses them when the stamp sheet is gone."""
STAMP_PROPERTY_PREFIX = "statuskart_"
STAMP_DEFINED_NAMES = {"catalogue_id": "sk_forlop", "catalogue_version": "sk_katalogversjon"}
STAMP_SOURCE_KEY = "stamp_source"
"""Set in RawSubmission.stamp when the values came from a fallback, not the stamp sheet."""


def normalise_label(text: object) -> str:
    """Header/label key: case- and space-insensitive, without a trailing colon or asterisk."""
    return _normalise_text(text if isinstance(text, str) else str(text))


@functools.lru_cache(maxsize=4096)
def _normalise_text(text: str) -> str:
    """Cached: every skjema repeats the same labels, and the reader asks for each cell it scans."""
    return " ".join(text.replace("\n", " ").split()).strip(" :*").casefold()


_LOCAL_ID = re.compile(re.escape(LOCAL_ID_PREFIX) + r"-?\d+")


def is_local_id(value: object) -> bool:
    """True for the ID of a unit's own requirement («EGEN-3», typed «egen 3» too)."""
    return _is_local_text(str(value or ""))


@functools.lru_cache(maxsize=4096)
def _is_local_text(text: str) -> bool:
    """Cached: the reader asks for every checklist row, and every skjema has the same IDs."""
    text = "".join(text.split()).upper().replace("EGEN", "EGEN-", 1)
    return _LOCAL_ID.fullmatch(text) is not None


def local_id(value: object) -> str:
    """The canonical spelling of a local ID: «EGEN-3»."""
    digits = re.sub(r"\D", "", str(value))
    return f"{LOCAL_ID_PREFIX}{int(digits)}"


def is_local_heading(value: object) -> bool:
    """True for the ID cell of the row that opens the «Egne krav» block."""
    return normalise_label(value or "") == _LOCAL_HEADING_KEY


_LOCAL_HEADING_KEY = normalise_label(LOCAL_HEADING)


@functools.cache
def column_lookup() -> Mapping[str, str]:
    """Normalised header spelling → column key."""
    out: dict[str, str] = {}
    for col in COLUMNS:
        for spelling in (col.label, *col.aliases):
            out.setdefault(normalise_label(spelling), col.key)
    return out


@functools.lru_cache(maxsize=4096)
def meta_key(text: str) -> str | None:
    """The front-sheet field a label names (meta_lookup), or None; cached by the text.

    The reader asks for every text cell of the front sheet and of the checklist's first rows,
    and the skjemas of a round hold the same texts there.
    """
    return meta_lookup().get(normalise_label(text))


@functools.cache
def meta_lookup() -> Mapping[str, str]:
    """Normalised front-sheet label → field key."""
    out: dict[str, str] = {}
    for f in META_FIELDS:
        for spelling in (f.label, *f.aliases):
            out.setdefault(normalise_label(spelling), f.key)
    return out
