"""Identity: when two spellings name the same unit, HF, RHF or round, and what its page is called.

One place for the rule, used by validation (periods), the duplicate check, rounds, the register,
audience selection and page names. Names typed on hundreds of front sheets differ in case,
spacing and punctuation; those differences never make a new unit. Letters are never folded away:
«Čáhcesuolu» and «Cahcesuolu» are different units, and their pages get different names.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
_PERIOD = re.compile(
    r"^\s*(?:(?P<y1>\d{4})\s*[-_/. ]?\s*(?P<p1>[TtHhKkQq])\s*(?P<n1>\d)"
    r"|(?P<p2>[TtHhKkQq])\s*(?P<n2>\d)\s*[-_/. ]?\s*(?P<y2>\d{4})"
    r"|(?P<y3>\d{4}))\s*$"
)
_PERIOD_MAX = {"T": 3, "H": 2, "K": 4}
SLUG_MAX = 80
"""Longest page-name stem; with a suffix and «.html» it stays far below any file system's limit."""
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
_TRANSLIT = str.maketrans(
    {
        "æ": "ae",
        "ø": "o",
        "å": "a",
        "đ": "d",
        "ŋ": "n",
        "ŧ": "t",
        "ß": "ss",
        "þ": "th",
        "ð": "d",
        "ł": "l",
        "œ": "oe",
    }
)


def name_key(text: object) -> str:
    """The identity of a name: case, spacing and punctuation ignored, every letter kept.

    «ROP-poliklinikk  Byen» and «rop poliklinikk byen.» are the same; «Sámi» and «Sami» are not.
    Invisible characters (zero-width spaces, direction marks) are not part of a name.
    """
    if type(text) is str:  # names repeat (every row of a unit, HF, RHF): each is folded once
        return _name_key_of_str(text)
    return _name_key(text)


def _name_key(text: object) -> str:
    folded = visible(unicodedata.normalize("NFKC", str(text or ""))).casefold()
    return " ".join(_PUNCT.sub(" ", folded).split())


_name_key_of_str = functools.lru_cache(maxsize=65_536)(_name_key)


def visible(text: str) -> str:
    """``text`` without invisible format characters (Unicode category Cf).

    Zero-width spaces and joiners, direction overrides and byte-order marks change nothing a
    reader sees, so a name carrying them would display exactly like another unit's.
    """
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def mixed_scripts(text: str) -> str | None:
    """The first word whose letters come from more than one script, or None.

    A Cyrillic «а» in a Latin word looks the same as «a». Sámi and Norwegian letters are Latin.
    """
    if text.isascii():
        return None
    for word in text.split():
        scripts = {_script(ch) for ch in word if ch.isalpha()}
        if len(scripts) > 1:
            return word
    return None


def _script(ch: str) -> str:
    """The script of a letter, from its Unicode name («LATIN SMALL LETTER A» → «LATIN»)."""
    return unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]


@dataclass(frozen=True, slots=True, order=True)
class UnitKey:
    """What makes a unit the same unit across files and rounds: its HF, its name and its pathway."""

    hf: str
    unit: str
    pathway: str

    @classmethod
    def of(cls, hf: str, unit: str, pathway: str) -> UnitKey:
        """Key from the names as typed."""
        return cls(name_key(hf), name_key(unit), pathway.casefold())


def canonical_period(text: object) -> str | None:
    """«2026-T2» for «2026_t2», «T2 2026», «2026T2» …; «2026» for a year; None if not a period.

    Tertial (T1–T3), halvår (H1–H2) and kvartal (K1–K4, Q as K) are understood.
    """
    match = _PERIOD.match(unicodedata.normalize("NFKC", str(text or "")))
    if match is None:
        return None
    year = match["y1"] or match["y2"] or match["y3"]
    kind = (match["p1"] or match["p2"] or "").upper().replace("Q", "K")
    if not kind:
        return year
    number = int(match["n1"] or match["n2"])
    if not 1 <= number <= _PERIOD_MAX[kind]:
        return None
    return f"{year}-{kind}{number}"


_MONTHS_PER_PART = {"T": 4, "H": 6, "K": 3}


def period_end(text: object) -> dt.date | None:
    """The last day of a round: «2026-T1» → 30.04.2026, «2026-H2» → 31.12.2026; None if unknown."""
    canonical = canonical_period(text)
    if canonical is None:
        return None
    year, _, part = canonical.partition("-")
    last_month = 12 if not part else int(part[1]) * _MONTHS_PER_PART[part[0]]
    first_of_next = dt.date(int(year) + last_month // 12, last_month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def period_start(text: object) -> dt.date | None:
    """The first day of a round: «2026-T3» → 01.09.2026, «2027» → 01.01.2027; None if unknown."""
    canonical = canonical_period(text)
    if canonical is None:
        return None
    year, _, part = canonical.partition("-")
    first_month = 1 if not part else (int(part[1]) - 1) * _MONTHS_PER_PART[part[0]] + 1
    return dt.date(int(year), first_month, 1)


def next_period(text: object) -> str | None:
    """The round after this one, of the same kind: «2026-T3» → «2027-T1»; None if unknown."""
    canonical = canonical_period(text)
    if canonical is None:
        return None
    year, _, part = canonical.partition("-")
    if not part:
        return str(int(year) + 1)
    kind, number = part[0], int(part[1])
    if number < _PERIOD_MAX[kind]:
        return f"{year}-{kind}{number + 1}"
    return f"{int(year) + 1}-{kind}1"


def period_key(period: str) -> tuple[int, str]:
    """Sort key: recognised periods in time order; anything else sorts first, never «current»."""
    canonical = canonical_period(period)
    return (1, canonical) if canonical else (0, name_key(period))


def period_id(text: object) -> str:
    """The identity of a round: its canonical form, or the name key of an unrecognised spelling."""
    return canonical_period(text) or name_key(text)


def same_period(a: object, b: object) -> bool:
    """True when two spellings name the same round."""
    return period_id(a) == period_id(b)


def slug(text: str) -> str:
    """Readable ASCII stem for a page name: Norwegian and Sami letters transliterated."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_TRANSLIT)
    ascii_text = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _digest(key: Hashable) -> str:
    return hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).hexdigest()[:8]


def page_names(items: Mapping[K, str] | Iterable[tuple[K, str]]) -> dict[K, str]:
    """A page name for every identity key, unique by construction.

    The stem comes from the display name; a stem that is empty, too long or a Windows device name
    gets a hash of the key, and stems shared by different keys all get one, so a unit's page never
    shows another unit and the same input always gives the same names.
    """
    pairs = list(items.items() if isinstance(items, Mapping) else items)
    stems: dict[K, str] = {}
    for key, display in pairs:
        stem = slug(display)
        if len(stem) > SLUG_MAX:
            stem = stem[:SLUG_MAX].rstrip("-") + "-" + _digest(key)
        elif not stem or stem.split("-")[0] in WINDOWS_DEVICES:
            stem = f"{stem or 'side'}-{_digest(key)}"
        stems[key] = stem
    users: dict[str, set[K]] = defaultdict(set)
    for key, stem in stems.items():
        users[stem].add(key)
    names = {
        key: stem if len(users[stem]) == 1 else f"{stem}-{_digest(key)}"
        for key, stem in stems.items()
    }
    if len(set(names.values())) != len(names):  # two keys' digests collide: number them
        seen: dict[str, int] = defaultdict(int)
        for key in sorted(names, key=repr):
            seen[names[key]] += 1
            if seen[names[key]] > 1:
                names[key] = f"{names[key]}-{seen[names[key]]}"
    return names
