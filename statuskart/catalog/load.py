"""Catalogue loading: YAML file → Catalogue, checked as a whole before anything uses it.

Every problem in a file is collected first, then raised once as a CatalogError naming file and
entry.
"""

from __future__ import annotations

import datetime as dt
import functools
import graphlib
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from statuskart.catalog.model import (
    ELEMENTS,
    HIGHER_IS_BETTER,
    PERCENT,
    SCOPES,
    TREATMENT_TYPES,
    UNIT_TYPES,
    Catalogue,
    IndicatorLink,
    Phase,
    Requirement,
    Scale,
    ScaleStep,
    TimeLimit,
    direction_of,
    measure_unit_of,
    version_order,
)
from statuskart.catalog.safe_yaml import (
    UnsafeYamlError,
    parse_yaml_bytes,
    read_yaml_bytes,
    yaml_problem,
)
from statuskart.core import messages as msg
from statuskart.core.errors import CatalogError
from statuskart.core.resources import builtin_catalog_files, builtin_version_files, scales_file

TIME_UNITS = ("dager", "kalenderdager", "virkedager", "uker", "timer")
REQUIRED_KEYS = ("id", "title", "version", "valid_from", "scale", "priorities", "phases")
"""Top-level keys every catalogue has; ``unit_types`` and ``retired_versions`` are optional."""
REQUIREMENT_KEYS = ("id", "phase", "title", "text", "priority", "action", "source")
OPTIONAL_REQUIREMENT_KEYS = (
    "unit_types",
    "depends_on",
    "time_limits",
    "indicators",
    "scope",
    "source_read",
    "element",
    "registration",
)
PHASE_KEYS = ("id", "title")
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,23}")
"""Requirement IDs become page names and cell values: plain ASCII, short."""
MAX_REQUIREMENTS = 10_000
"""Bound on one catalogue; the real ones have about 50 requirements."""


def load_catalog(path: Path | str) -> Catalogue:
    """Load and check one catalogue file; raise CatalogError listing every problem in it.

    The same bytes at the same path, with the same named scales, give the same (immutable)
    Catalogue, parsed once per process: every build and command loads all 22 built-in files,
    which took ~0.45 s each time.
    """
    path = Path(path)
    raw = _read_bytes(path)
    scales = hashlib.sha256(scales_file().read_bytes()).digest()  # a named scale is read there
    key = (str(path), hashlib.sha256(raw).digest(), scales)
    if (known := _LOADED.get(key)) is not None:
        return known
    data = _parse(path, raw)
    problems: list[str] = []
    catalogue = _build(data, path, problems)
    if problems or catalogue is None:
        raise CatalogError(msg.CATALOG_INVALID.format(file=path, problems="; ".join(problems)))
    if len(_LOADED) >= MAX_REMEMBERED:
        _LOADED.clear()
    _LOADED[key] = catalogue
    return catalogue


_LOADED: dict[tuple[str, bytes, bytes], Catalogue] = {}
MAX_REMEMBERED = 256
"""Catalogues kept in memory by (path, content hashes); a long `serve` never grows past it."""


def load_catalogs(extra: Iterable[Path | str] = ()) -> dict[str, Catalogue]:
    """Every version of every pathway, keyed by pathway id; the value is the current version.

    The current version is the newest built-in one (valid_from, then version label), unless the
    user gave files for the pathway: then it is the newest of those, since a trust's own
    catalogue is what it uses now. A user file with the same id and version as a built-in one
    replaces it. The other versions hang on ``Catalogue.other_versions``.
    """
    builtin: dict[str, dict[str, Catalogue]] = {}
    own: dict[str, dict[str, Catalogue]] = {}
    for path in (*builtin_catalog_files(), *builtin_version_files()):
        cat = load_catalog(path)
        builtin.setdefault(cat.id, {})[cat.version] = cat
    for path in map(Path, extra):
        cat = load_catalog(path)
        own.setdefault(cat.id, {})[cat.version] = cat
    catalogues: dict[str, Catalogue] = {}
    for cid in (*builtin, *(c for c in own if c not in builtin)):
        versions = {**builtin.get(cid, {}), **own.get(cid, {})}
        current = max((own.get(cid) or builtin[cid]).values(), key=version_order)
        others = tuple(
            sorted((c for v, c in versions.items() if v != current.version), key=version_order)
        )
        catalogues[cid] = replace(current, other_versions=others)
    return catalogues


def _read_bytes(path: Path) -> bytes:
    try:
        return read_yaml_bytes(path)
    except FileNotFoundError:
        raise CatalogError(msg.CATALOG_MISSING.format(file=path)) from None
    except OSError as exc:
        raise CatalogError(
            msg.CATALOG_UNREADABLE.format(file=path, error=msg.os_reason(exc, reading=True))
        ) from None
    except ValueError as exc:  # too large, or not a regular file
        raise CatalogError(msg.CATALOG_UNREADABLE.format(file=path, error=exc)) from None


def _parse(path: Path, raw: bytes) -> Any:
    try:
        return parse_yaml_bytes(raw)
    except ValueError as exc:  # not UTF-8
        raise CatalogError(msg.CATALOG_UNREADABLE.format(file=path, error=exc)) from None
    except UnsafeYamlError as exc:
        raise CatalogError(msg.CATALOG_YAML.format(file=path, where=exc)) from None
    except yaml.reader.ReaderError as exc:
        error = yaml_problem(exc)
        raise CatalogError(msg.CATALOG_UNREADABLE.format(file=path, error=error)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"linje {mark.line + 1}" if mark is not None else "ukjent linje"
        raise CatalogError(msg.CATALOG_YAML.format(file=path, where=where)) from None


def _named_scales() -> Mapping[str, Any]:
    return _scales_from(scales_file().read_bytes())


@functools.lru_cache(maxsize=4)
def _scales_from(raw: bytes) -> Mapping[str, Any]:
    """The built-in named scales, parsed once per content (each catalogue file names one)."""
    data = parse_yaml_bytes(raw)
    return MappingProxyType(data) if isinstance(data, dict) else MappingProxyType({})


def _build(data: Any, path: Path, problems: list[str]) -> Catalogue | None:
    if not isinstance(data, dict):
        problems.append("filen er ikke en YAML-ordbok med katalognøkler")
        return None
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        problems.append("mangler " + ", ".join(missing))
        return None
    scale = _scale(data["scale"], problems)
    priorities = _priorities(data["priorities"], problems)
    phases = _phases(data["phases"], problems)
    pathway_types = _pathway_unit_types(data.get("unit_types"), problems)
    entries = data.get("requirements") or []
    if isinstance(entries, list) and len(entries) > MAX_REQUIREMENTS:
        problems.append(msg.CATALOG_TOO_MANY.format(n=len(entries), limit=MAX_REQUIREMENTS))
        return None
    requirements = tuple(
        r
        for i, entry in enumerate(entries, start=1)
        if (r := _requirement(entry, i, phases, priorities, pathway_types, problems)) is not None
    )
    if data.get("unit_types") is not None:  # a file without the key keeps every type, as before
        _check_unit_types_used(requirements, pathway_types, problems)
    if not requirements:
        problems.append("katalogen har ingen krav")
    _check_ids_and_dependencies(requirements, problems)
    valid_from = data["valid_from"]
    if isinstance(valid_from, str):
        try:
            valid_from = dt.date.fromisoformat(valid_from)
        except ValueError:
            problems.append(f"valid_from «{valid_from}» er ikke en dato (ÅÅÅÅ-MM-DD)")
            valid_from = dt.date.min
    if not isinstance(valid_from, dt.date):
        problems.append("valid_from må være en dato (ÅÅÅÅ-MM-DD)")
        valid_from = dt.date.min
    if scale is None:
        return None
    return Catalogue(
        id=str(data["id"]),
        title=str(data["title"]),
        version=str(data["version"]),
        valid_from=valid_from,
        scale=scale,
        priorities=priorities,
        phases=tuple(phases.values()),
        requirements=requirements,
        unit_types=pathway_types,
        retired_versions=tuple(str(v) for v in data.get("retired_versions") or ()),
        basis=" ".join(str(data.get("basis") or "").split()),
        revision=" ".join(str(data.get("revision") or "").split()),
        missing_time_limits=tuple(
            " ".join(str(m).split()) for m in data.get("missing_time_limits") or ()
        ),
        source_file=str(path),
    )


LIST_BREAKERS = ('"', ",")
"""Characters a scale label cannot hold: the skjema's status list is written «"a,b,c"»."""
MAX_LIST_CHARS = 255
"""Excel refuses a list validation longer than this (labels joined by commas)."""


def _scale(raw: Any, problems: list[str]) -> Scale | None:
    if isinstance(raw, str):
        named = _named_scales()
        if raw not in named:
            problems.append(f"skala «{raw}» finnes ikke (kjente: {', '.join(named)})")
            return None
        raw = named[raw]
    if not isinstance(raw, list) or not raw:
        problems.append("scale må være navnet på en skala eller en liste med trinn")
        return None
    steps: list[ScaleStep] = []
    seen: set[str] = set()
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or "label" not in item or "points" not in item:
            problems.append(f"skalatrinn {i} mangler label eller points")
            continue
        points = item["points"]
        if points is not None and not (isinstance(points, int | float) and 0 <= points <= 1):
            problems.append(
                f"skalatrinn «{item['label']}»: points må være mellom 0 og 1 eller null"
            )
            continue
        step = ScaleStep(
            label=str(item["label"]),
            points=None if points is None else float(points),
            description=str(item.get("description", "")),
            aliases=tuple(str(a) for a in item.get("aliases") or ()),
        )
        if any(ch in step.label for ch in LIST_BREAKERS):
            problems.append(msg.SCALE_LABEL_BREAKS_LIST.format(label=step.label))
            continue
        for spelling in (step.label, *step.aliases):
            key = spelling.strip().casefold()
            if key in seen:
                problems.append(f"skalatrinn «{step.label}»: «{spelling}» er brukt to ganger")
            seen.add(key)
        steps.append(step)
    if not any(s.points is not None for s in steps):
        problems.append("skalaen har ingen trinn med poeng")
    if len(",".join(s.label for s in steps)) > MAX_LIST_CHARS:
        problems.append(msg.SCALE_TOO_LONG.format(limit=MAX_LIST_CHARS))
    return Scale(steps=tuple(steps)) if steps else None


def _priorities(raw: Any, problems: list[str]) -> tuple[tuple[str, float], ...]:
    if not isinstance(raw, dict) or not raw:
        problems.append("priorities må være en ordbok prioritet → vekt")
        return ()
    out = []
    for name, weight in raw.items():
        if not isinstance(weight, int | float) or weight <= 0:
            problems.append(f"prioritet «{name}»: vekten må være et positivt tall")
            continue
        out.append((str(name), float(weight)))
    return tuple(out)


def _phases(raw: Any, problems: list[str]) -> dict[str, Phase]:
    phases: dict[str, Phase] = {}
    if not isinstance(raw, list):
        problems.append("phases må være en liste")
        return phases
    for item in raw:
        if not isinstance(item, dict) or "id" not in item or "title" not in item:
            problems.append(f"fase {item!r} mangler id eller title")
            continue
        pid = str(item["id"])
        # A stray key usually means a comma in an unquoted flow-mapping title split it in two.
        unknown = sorted(str(k) for k in item if k not in PHASE_KEYS)
        if unknown:
            problems.append(
                f"fase «{pid}»: ukjente felt {', '.join(unknown)} (sett tittelen i anførselstegn)"
            )
        if pid in phases:
            problems.append(f"fase «{pid}» er definert to ganger")
        phases[pid] = Phase(id=pid, title=str(item["title"]))
    return phases


def _requirement(
    entry: Any,
    index: int,
    phases: Mapping[str, Phase],
    priorities: tuple[tuple[str, float], ...],
    pathway_types: tuple[str, ...],
    problems: list[str],
) -> Requirement | None:
    if not isinstance(entry, dict):
        problems.append(f"krav nr. {index} er ikke en ordbok")
        return None
    rid = str(entry.get("id", f"nr. {index}"))
    missing = [k for k in REQUIREMENT_KEYS if not entry.get(k)]
    if missing:
        problems.append(f"krav {rid}: mangler {', '.join(missing)}")
        return None
    before = len(problems)
    known = (*REQUIREMENT_KEYS, *OPTIONAL_REQUIREMENT_KEYS)
    unknown = sorted(str(k) for k in entry if k not in known)
    if unknown:
        problems.append(f"krav {rid}: ukjente felt {', '.join(unknown)}")
    if not SAFE_ID.fullmatch(rid):
        problems.append(
            f"krav-ID {rid!r} kan bare ha bokstavene A–Z, tall, bindestrek, punktum og understrek "
            "(høyst 24 tegn)"
        )
    if entry["phase"] not in phases:
        problems.append(f"krav {rid}: ukjent fase «{entry['phase']}»")
    if entry["priority"] not in dict(priorities):
        problems.append(f"krav {rid}: ukjent prioritet «{entry['priority']}»")
    default_types = tuple(t for t in TREATMENT_TYPES if t in pathway_types)
    unit_types = tuple(str(u) for u in entry.get("unit_types") or default_types)
    scope = str(entry.get("scope") or "enhet")
    if scope not in SCOPES:
        problems.append(f"krav {rid}: ukjent scope «{scope}» (kjente: {', '.join(SCOPES)})")
    for u in unit_types:
        if u not in UNIT_TYPES:
            problems.append(
                f"krav {rid}: ukjent enhetstype «{u}» (kjente: {', '.join(UNIT_TYPES)})"
            )
        elif u not in pathway_types:
            problems.append(
                f"krav {rid}: enhetstypen «{u}» finnes ikke i forløpet "
                f"(forløpets unit_types: {', '.join(pathway_types)})"
            )
    limits = tuple(
        t for raw in entry.get("time_limits") or () if (t := _time_limit(raw, rid, problems))
    )
    indicators = _indicator_links(entry.get("indicators"), rid, problems)
    source_read = _source_read(entry.get("source_read"), rid, problems)
    element = str(entry.get("element") or "")
    if element and element not in ELEMENTS:
        problems.append(f"krav {rid}: ukjent element «{element}» (kjente: {', '.join(ELEMENTS)})")
    registration = entry.get("registration", False)
    if not isinstance(registration, bool):
        problems.append(f"krav {rid}: registration må være true eller false")
    if len(problems) > before:
        return None
    return Requirement(
        id=rid,
        phase=str(entry["phase"]),
        title=str(entry["title"]).strip(),
        text=str(entry["text"]).strip(),
        priority=str(entry["priority"]),
        unit_types=unit_types,
        action=str(entry["action"]).strip(),
        source=str(entry["source"]).strip(),
        source_read=source_read,
        time_limits=limits,
        depends_on=tuple(str(d) for d in entry.get("depends_on") or ()),
        indicators=indicators,
        scope=scope,
        element=element,
        registration=registration is True,
    )


def _source_read(raw: Any, rid: str, problems: list[str]) -> dt.date | None:
    """``source_read``: the day the row was checked against its source page (ÅÅÅÅ-MM-DD)."""
    if raw is None:
        return None
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        problems.append(f"krav {rid}: source_read «{raw}» er ikke en dato (ÅÅÅÅ-MM-DD)")
        return None


def _pathway_unit_types(raw: Any, problems: list[str]) -> tuple[str, ...]:
    """The pathway's ``unit_types`` in UNIT_TYPES order; all of them when the file names none.

    A pathway without avrusning (BUP, PHV) must not offer it in the skjema or the front sheet.
    """
    if raw is None:
        return UNIT_TYPES
    if not isinstance(raw, list) or not raw:
        problems.append("unit_types må være en liste med enhetstyper")
        return UNIT_TYPES
    named = {str(u) for u in raw}
    unknown = sorted(named - set(UNIT_TYPES))
    if unknown:
        problems.append(
            f"unit_types: ukjent enhetstype {', '.join(unknown)} (kjente: {', '.join(UNIT_TYPES)})"
        )
    types = tuple(t for t in UNIT_TYPES if t in named)
    return types or UNIT_TYPES


def _check_unit_types_used(
    reqs: tuple[Requirement, ...], pathway_types: tuple[str, ...], problems: list[str]
) -> None:
    """Every unit type the pathway offers has a row of its own, or its skjema would be empty."""
    if not reqs:
        return
    for t in pathway_types:
        if not any(r.counts_for_unit(t) for r in reqs):
            problems.append(f"unit_types: ingen krav gjelder for enhetstypen «{t}»")


def _time_limit(raw: Any, rid: str, problems: list[str]) -> TimeLimit | None:
    keys = ("from", "to", "limit", "unit", "setting", "version")
    if not isinstance(raw, dict) or any(k not in raw for k in keys):
        problems.append(f"krav {rid}: forløpstid må ha {', '.join(keys)}")
        return None
    if raw["unit"] not in TIME_UNITS:
        problems.append(f"krav {rid}: ukjent tidsenhet «{raw['unit']}»")
        return None
    if not isinstance(raw["limit"], int) or raw["limit"] < 0:
        problems.append(f"krav {rid}: forløpstidens grense må være et heltall ≥ 0")
        return None
    low = raw.get("min")
    if low is not None and (
        not isinstance(low, int) or isinstance(low, bool) or not 0 <= low < raw["limit"]
    ):
        problems.append(
            f"krav {rid}: forløpstidens nedre grense (min) må være et heltall fra 0 "
            "til under grensen"
        )
        return None
    return TimeLimit(
        from_event=str(raw["from"]),
        to_event=str(raw["to"]),
        limit=raw["limit"],
        unit=str(raw["unit"]),
        setting=str(raw["setting"]),
        version=str(raw["version"]),
        min_limit=low,
    )


def _indicator_links(raw: Any, rid: str, problems: list[str]) -> tuple[IndicatorLink, ...]:
    """``indicators:`` → links; each needs an ``id``, the rest is optional.

    ``title``, ``measures``, ``url``, ``direction`` («høyere er bedre»/«lavere er bedre»), ``unit``
    (prosent, dager, antall) and a ``target`` in that unit (0–100 for prosent, ≥ 0 otherwise).
    """
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.append(msg.CATALOG_INDICATORS_LIST.format(rid=rid))
        return ()
    links = []
    for item in raw:
        if not isinstance(item, dict) or not str(item.get("id") or "").strip():
            problems.append(msg.CATALOG_INDICATOR_ID.format(rid=rid))
            continue
        direction = direction_of(item.get("direction") or HIGHER_IS_BETTER)
        if direction is None:
            problems.append(
                msg.CATALOG_INDICATOR_DIRECTION.format(rid=rid, value=item.get("direction"))
            )
            continue
        unit = measure_unit_of(item.get("unit") or PERCENT)
        if unit is None:
            problems.append(msg.CATALOG_INDICATOR_UNIT.format(rid=rid, value=item.get("unit")))
            continue
        target = item.get("target")
        if target is not None and not _target_fits(target, unit):
            problems.append(msg.CATALOG_INDICATOR_TARGET.format(rid=rid, value=target, unit=unit))
            continue
        url = str(item.get("url") or "").strip()
        if url and not url.startswith(("https://", "http://")):
            problems.append(msg.CATALOG_INDICATOR_URL.format(rid=rid, value=url))
            continue
        links.append(
            IndicatorLink(
                id=str(item["id"]).strip(),
                target=None if target is None else float(target),
                title=str(item.get("title") or "").strip(),
                measures=" ".join(str(item.get("measures") or "").split()),
                direction=direction,
                unit=unit,
                url=url,
            )
        )
    return tuple(links)


def _target_fits(target: Any, unit: str) -> bool:
    """A number in the unit's range: a share 0–100, days or a count ≥ 0."""
    if isinstance(target, bool) or not isinstance(target, int | float):
        return False
    return 0 <= target <= 100 if unit == PERCENT else target >= 0


def _check_ids_and_dependencies(reqs: tuple[Requirement, ...], problems: list[str]) -> None:
    ids: set[str] = set()
    for r in reqs:
        if r.id in ids:
            problems.append(f"krav-ID {r.id} er brukt mer enn én gang")
        ids.add(r.id)
    for r in reqs:
        for dep in r.depends_on:
            if dep not in ids:
                problems.append(f"krav {r.id}: avhenger av ukjent krav {dep}")
    graph = {r.id: [d for d in r.depends_on if d in ids] for r in reqs}
    # graphlib, not recursion: a chain of thousands of dependencies must not hit the stack limit.
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        cycle = [str(node) for node in reversed(exc.args[1])]
        problems.append("avhengighetene går i ring: " + " → ".join(cycle))
