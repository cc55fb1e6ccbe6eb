"""Sample stage: deterministic, realistic filled skjema for demos, tests and benchmarks.

Units spread over the four RHFs, their clinical HFs and a few private avtaleparter; maturity grows
from round to round; optional files carry the mistakes real users make. Same seed, same bytes.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from openpyxl.worksheet.worksheet import Worksheet

from statuskart.catalog.model import Catalogue, ScaleStep
from statuskart.core import messages as msg
from statuskart.core.atomic import refuse_existing, write_atomic
from statuskart.sample.figures import SAMPLE_FILE, write_sample_indicators
from statuskart.workbook import layout as L
from statuskart.workbook.organisations import ORGANISATIONS, Organisation
from statuskart.workbook.write import HEADER_ROW, build_template, save_workbook

UNIT_KINDS = (
    ("Poliklinikk for rus og avhengighet", "poliklinikk"),
    ("Rusakutt og avrusning", "avrusning"),
    ("Døgnenhet for rusbehandling", "døgn"),
    ("Ambulant rusteam", "ambulant"),
    ("Poliklinikk for unge voksne", "poliklinikk"),
    ("Døgnenhet for unge", "døgn"),
    ("ROP-poliklinikk", "poliklinikk"),
    ("Avgiftningsenhet", "avrusning"),
)
PLACES = ("Nord", "Sør", "Sentrum", "Øst", "Vest", "Fjord", "Dalen", "Kysten", "Byen", "Midt")
OWNERS = (
    "Enhetsleder",
    "Forløpskoordinator",
    "Fagutviklingssykepleier",
    "Overlege",
    "Seksjonsleder",
    "Kvalitetsrådgiver",
    "Psykologspesialist",
    "Fagkonsulent",
)
COMMENTS = {  # by tier: 3 = fully in place … 0 = not started; labels come from the scale
    3: (
        "Fast rutine i enheten, kjent for alle ansatte.",
        "Følges for alle pasienter. Kontrollert ved journalgjennomgang i vår.",
        "Innarbeidet praksis. Vi følger med på det i månedlige teammøter.",
        "Rutinen ligger i kvalitetssystemet og brukes hver gang.",
    ),
    2: (
        "Følges for de fleste pasientene, men ikke når det er mye fravær.",
        "Noen behandlere bruker malen, andre ikke ennå.",
        "Gjøres på dagtid, men ikke konsekvent på kveld og helg.",
        "Fungerer i poliklinikken, men ikke i det ambulante teamet.",
    ),
    1: (
        "Rutine er under utarbeiding i arbeidsgruppe.",
        "Opplæring er planlagt til neste semester.",
        "Vi har bestemt oss for verktøy, men ikke tatt det i bruk.",
        "Drøftet i ledermøte; utkast til prosedyre finnes.",
    ),
    0: (
        "Ikke prioritert så langt på grunn av bemanningssituasjonen.",
        "Har ikke hatt kapasitet til å starte dette arbeidet.",
        "",
        "Uklart hvem som har ansvaret for dette hos oss.",
    ),
}
NA_REASONS = {
    "døgn": "Enheten har ikke døgnplasser.",
    "avrusning": "Enheten driver ikke avrusning.",
    "poliklinikk": "Enheten har ikke poliklinisk tilbud.",
    "ambulant": "Enheten har ikke ambulant tilbud.",
}
OWN_ACTIONS = (
    "Ta opp i personalmøte og lage felles rutine.",
    "Arbeidsgruppe skal lage forslag til prosedyre.",
    "Opplæring av alle behandlere i løpet av halvåret.",
    "Innføre fast punkt i inntaksmøtet.",
)
LOCAL_REQUIREMENTS = (
    (
        "Pårørendesamtale innen to uker",
        "Alle pasienter får tilbud om en samtale med pårørende innen to uker etter oppstart.",
    ),
    (
        "Fast samarbeidsmøte med kommunen",
        "Ukentlig møte med kommunens rustjeneste om felles pasienter.",
    ),
    (
        "Egen brukerundersøkelse",
        "Enheten spør pasientene om erfaringene sine to ganger i året.",
    ),
    (
        "Rask tilbakemelding til fastlegen",
        "Epikrise sendes fastlegen innen tre virkedager etter avsluttet behandling.",
    ),
)
"""Local requirements («Egne krav») some sample units add."""
MISTAKES = ("typed-status", "missing-metadata", "duplicate-row", "deleted-row", "invalid-status")


@dataclass(frozen=True, slots=True)
class SampleUnit:
    """A made-up unit: where it belongs, what it is, and how far it has come."""

    org: Organisation
    name: str
    unit_type: str
    maturity: float
    target: int | None


FIRST_YEAR, LAST_YEAR = 2000, 2099
"""The years a round can be in: a skjema's dates must be after 2000 (its date validation)."""


def periods(last: str, rounds: int) -> list[str]:
    """``rounds`` tertials ending with ``last`` (ÅÅÅÅ-T1..T3), oldest first."""
    match = re.fullmatch(r"(\d{4})-T([1-3])", last)
    if match is None or int(match[1]) > LAST_YEAR:
        raise ValueError(last)  # far-off years overflow the dates and frister a sample gets
    year, tertial = int(match[1]), int(match[2])
    out = []
    for _ in range(rounds):
        out.append(f"{year}-T{tertial}")
        year, tertial = (year - 1, 3) if tertial == 1 else (year, tertial - 1)
    if int(out[-1][:4]) < FIRST_YEAR:
        raise ValueError(last)
    return out[::-1]


def period_end(period: str) -> dt.date:
    """Last day of a tertial, used as the sample's «Dato»."""
    year, tertial = int(period[:4]), int(period[-1])
    return dt.date(year, 4 * tertial, 30) if tertial < 3 else dt.date(year, 12, 31)


def make_units(
    count: int, rng: random.Random, unit_types: tuple[str, ...] | None = None
) -> list[SampleUnit]:
    """``count`` units, round-robin over organisations so every RHF gets some.

    With ``unit_types`` only kinds of those types are drawn (a BUP sample has no avgiftning); a
    pathway with every kind draws exactly as before, so the TSB sample stays byte-identical.
    """
    kinds = [k for k in UNIT_KINDS if unit_types is None or k[1] in unit_types] or list(UNIT_KINDS)
    units: list[SampleUnit] = []
    seen: set[tuple[str, str]] = set()
    orgs = list(ORGANISATIONS)
    for i in range(count):
        org = orgs[i % len(orgs)] if i < len(orgs) * 2 else rng.choice(orgs)
        kind, unit_type = kinds[rng.randrange(len(kinds))]
        name = f"{kind} {rng.choice(PLACES)}"
        n = 2
        while (org.name, name) in seen:
            name = f"{kind} {rng.choice(PLACES)} {n}"
            n += 1
        seen.add((org.name, name))
        maturity = min(0.95, max(0.05, rng.betavariate(2.2, 2.0)))
        target = rng.choice((None, None, 70, 80, 90))
        units.append(SampleUnit(org, name, unit_type, maturity, target))
    return units


def write_samples(
    catalogue: Catalogue,
    out: Path,
    *,
    units: int = 36,
    rounds: int = 2,
    seed: int = 1,
    last_period: str = "2026-T2",
    mistakes: bool = False,
) -> list[Path]:
    """Write ``units`` × ``rounds`` filled workbooks under out/<periode>/; return their paths.

    Every target path is checked first: if any skjema, the register or the indicator table
    exists, OutputError is raised before a single file is written, so a user's real files are
    never replaced. Also writes out/indikatorer.xlsx: invented registry figures, marked as such.
    """
    rng = random.Random(seed)
    sample_units = make_units(units, rng, catalogue.unit_types)
    round_periods = periods(last_period, rounds)
    targets = [_sample_path(out, unit, period) for period in round_periods for unit in sample_units]
    refuse_existing([*targets, out / REGISTRY_FILE, out / SAMPLE_FILE], msg.SAMPLE_EXISTS_HINT)
    noise = {
        (u.name, u.org.name, r.id): rng.random()
        for u in sample_units
        for r in catalogue.requirements
    }
    for_hf = hf_answerers(sample_units)
    written: list[Path] = []
    late_rng = random.Random(seed * 7919 + 1)  # own stream: earlier samples stay byte-identical
    extra_rng = random.Random(seed * 104729 + 2)  # shares and «Egne krav»: answers stay the same
    for round_no, period in enumerate(round_periods):
        faulty = (
            dict(_pick_faulty(sample_units, rng)) if mistakes and round_no == rounds - 1 else {}
        )
        for unit in sample_units:
            growth = 0.12 * round_no * (0.5 + unit.maturity)
            path = _sample_path(out, unit, period)
            meta = _meta(unit, period)
            if late_rng.random() < 0.08:  # a few skjema come in after the deadline
                meta["date"] = period_end(period) + dt.timedelta(days=DEADLINE_DAYS + 6)
            wb = build_template(catalogue, meta)
            ws = wb[L.CHECKLIST_SHEET]
            careful = rng.random() < 0.45  # some leaders fill in every owner and deadline
            level = unit.maturity + growth
            hf = unit in for_hf
            rows = list(_fill_rows(ws, catalogue, unit, level, period, noise, rng, careful, hf))
            _fill_extras(ws, catalogue, unit, level, period, extra_rng)
            mistake = faulty.get(unit.name + unit.org.name)
            if mistake:
                _apply_mistake(wb[L.FRONT_SHEET], ws, mistake, rows)
            save_workbook(wb, path)
            written.append(path)
    _write_registry(out, sample_units, round_periods, rng, for_hf)
    places = [(u.org.rhf, u.org.name, u.name) for u in sample_units]
    write_sample_indicators(out, catalogue, places, round_periods[-1], seed)
    return written


def hf_answerers(units: list[SampleUnit]) -> list[SampleUnit]:
    """The first unit of each HF answers the HF rows (scope: hf); marked so in enheter.yaml."""
    first: dict[str, SampleUnit] = {}
    for u in units:
        first.setdefault(u.org.name, u)
    return list(first.values())


DEADLINE_DAYS = 14
"""Sample deadline: two weeks after the end of the tertial."""
REGISTRY_FILE = "enheter.yaml"


def _sample_path(out: Path, unit: SampleUnit, period: str) -> Path:
    return out / period / f"{_slug(unit.org.name)}__{_slug(unit.name)}.xlsx"


def _write_registry(
    out: Path,
    units: list[SampleUnit],
    round_periods: list[str],
    rng: random.Random,
    for_hf: list[SampleUnit],
) -> Path:
    """enheter.yaml: every sample unit plus two that never submit, and a deadline per round.

    The units in ``for_hf`` carry «svarer_for_hf: ja»: their skjema answers the HF rows.
    """
    expected = [(u.org, u.name, u.unit_type, u in for_hf) for u in units]
    for i in range(2):
        org = rng.choice(ORGANISATIONS)
        expected.append((org, f"Ny poliklinikk {PLACES[i]} (ikke levert)", "poliklinikk", False))
    register = {
        "frister": {p: period_end(p) + dt.timedelta(days=DEADLINE_DAYS) for p in round_periods},
        "enheter": [
            {
                "rhf": org.rhf,
                "hf": org.name,
                "enhet": name,
                "enhetstype": unit_type,
                "kontakt": "Enhetsleder",
                **({"svarer_for_hf": "ja"} if answers_for_hf else {}),
            }
            for org, name, unit_type, answers_for_hf in expected
        ],
    }
    header = "# Forventede enheter og frister for statuskartleggingen (lest av statuskart build).\n"
    body = yaml.safe_dump(register, allow_unicode=True, sort_keys=False, width=120)
    lines = [header + body.rstrip("\n")]
    path = out / REGISTRY_FILE
    write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))
    return path


def _slug(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})
    return re.sub(r"[^A-Za-z0-9]+", "-", text.translate(table)).strip("-").lower()


def _meta(unit: SampleUnit, period: str) -> dict[str, object]:
    return {
        "rhf": unit.org.rhf,
        "hf": unit.org.name,
        "unit": unit.name,
        "unit_type": unit.unit_type,
        "period": period,
        "date": period_end(period),
        "filled_by": "Enhetsleder",
        "target": unit.target,
    }


def _pick_faulty(units: list[SampleUnit], rng: random.Random) -> Iterator[tuple[str, str]]:
    chosen = rng.sample(units, k=min(len(MISTAKES), len(units)))
    for unit, mistake in zip(chosen, MISTAKES, strict=False):
        yield unit.name + unit.org.name, mistake


def _tier(level: float, q: float) -> int:
    """How far a unit has come with one requirement: 0 (not started) to 3 (in place)."""
    x = level - (q - 0.5) * 0.7
    if x > 0.72:
        return 3
    if x > 0.5:
        return 2
    if x > 0.32:
        return 1
    return 0


def scale_labels(catalogue: Catalogue) -> tuple[list[str], str]:
    """The catalogue's answers from lowest to highest points, and its «not applicable» label."""
    steps = sorted((s for s in catalogue.scale.steps if not s.not_applicable), key=_points)
    na = next((s.label for s in catalogue.scale.steps if s.not_applicable), "Ikke aktuelt")
    return [s.label for s in steps], na


def _points(step: ScaleStep) -> float:
    return step.points or 0.0


def _fill_rows(
    ws: Worksheet,
    catalogue: Catalogue,
    unit: SampleUnit,
    level: float,
    period: str,
    noise: dict[tuple[str, str, str], float],
    rng: random.Random,
    careful: bool = False,
    answers_for_hf: bool = True,
) -> Iterator[int]:
    col = {c.key: i for i, c in enumerate(L.COLUMNS, start=1)}
    end = period_end(period)
    labels, na_label = scale_labels(catalogue)
    for row, req in enumerate(catalogue.requirements, start=HEADER_ROW + 1):
        yield row
        if req.hf_scope and not answers_for_hf:
            continue  # left to the unit that answers for the HF
        draw = rng.random()
        if not req.applies_to(unit.unit_type):
            if careful or draw < 0.8:
                ws.cell(row, col["status"], na_label)
                ws.cell(row, col["comment"], NA_REASONS.get(unit.unit_type, "Gjelder ikke oss."))
            continue
        if draw < 0.02 and not careful:
            continue  # left blank: unanswered
        tier = _tier(level, noise[(unit.name, unit.org.name, req.id)])
        ws.cell(row, col["status"], labels[round(tier * (len(labels) - 1) / 3)])
        comment = rng.choice(COMMENTS[tier])
        if comment:
            ws.cell(row, col["comment"], comment)
        if tier == 3:
            continue
        if rng.random() < 0.75:
            ws.cell(
                row, col["action"], req.action if rng.random() < 0.6 else rng.choice(OWN_ACTIONS)
            )
            if careful or rng.random() < 0.9:
                ws.cell(row, col["owner"], rng.choice(OWNERS))
            if careful or rng.random() < 0.9:
                earliest = 14 if careful else -30
                ws.cell(row, col["due"], end + dt.timedelta(days=rng.randrange(earliest, 240)))
        ws.cell(row, col["risk"], rng.choice(("lav", "middels", "middels", "høy")))


def _fill_extras(
    ws: Worksheet,
    catalogue: Catalogue,
    unit: SampleUnit,
    level: float,
    period: str,
    rng: random.Random,
) -> None:
    """Shares within the forløpstid for some requirements, and «Egne krav» for some units."""
    col = {c.key: i for i, c in enumerate(L.COLUMNS, start=1)}
    for row, req in enumerate(catalogue.requirements, start=HEADER_ROW + 1):
        if req.time_limits and req.applies_to(unit.unit_type) and rng.random() < 0.5:
            share = min(0.99, max(0.2, level + rng.uniform(-0.2, 0.2)))
            ws.cell(row, col["share"], round(share, 2))  # 0.8 in the «0 %» cell shows 80 %
    if rng.random() >= 0.35:
        return
    labels, _ = scale_labels(catalogue)
    first = HEADER_ROW + len(catalogue.requirements) + 3  # after a blank row and the heading
    for i, (title, text) in enumerate(rng.sample(LOCAL_REQUIREMENTS, k=rng.randint(1, 2))):
        row = first + i
        tier = min(3, max(0, round(level * 3 + rng.uniform(-1, 1))))
        ws.cell(row, col["title"], title)
        ws.cell(row, col["text"], text)
        ws.cell(row, col["status"], labels[round(tier * (len(labels) - 1) / 3)])
        ws.cell(row, col["comment"], rng.choice(COMMENTS[tier]) or None)
        if tier < 3:
            ws.cell(row, col["action"], rng.choice(OWN_ACTIONS))
            ws.cell(row, col["owner"], rng.choice(OWNERS))
            ws.cell(row, col["due"], period_end(period) + dt.timedelta(days=rng.randrange(30, 200)))


def _apply_mistake(front: Worksheet, ws: Worksheet, mistake: str, rows: list[int]) -> None:
    status_col = 1 + [c.key for c in L.COLUMNS].index("status")
    if mistake == "typed-status":
        for row, typed in zip(
            rows[:4], ("implementert ", "DELVIS", "ja", "ikke relevant"), strict=False
        ):
            ws.cell(row, status_col, typed)
    elif mistake == "missing-metadata":
        unit_row = 5 + [f.key for f in L.META_FIELDS].index("unit")
        front.cell(unit_row, 2).value = None
    elif mistake == "duplicate-row":
        source = rows[2]
        target = rows[-1] + 1
        for c in range(1, len(L.COLUMNS) + 1):
            ws.cell(target, c, ws.cell(source, c).value)
    elif mistake == "deleted-row":
        ws.delete_rows(rows[5])
    elif mistake == "invalid-status":
        ws.cell(rows[1], status_col, "Delvis ok")
