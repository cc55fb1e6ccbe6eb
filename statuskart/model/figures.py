"""Measurements beside the self-assessment: Figure rows on HF, RHF, requirement and unit pages.

The report model is built first and left as it is; this stage only adds figures to its views,
so a registry figure can never change a score. For each place the latest period of each source
and indicator is shown, with the share of the place's units that answered the requirement and
report it «Implementert». No I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from statuskart.catalog.model import Catalogue
from statuskart.core import messages as msg
from statuskart.core.findings import without_typed_text
from statuskart.core.identity import name_key, period_key
from statuskart.indicators.model import (
    HF,
    NATIONAL,
    RHF,
    UNIT,
    Figure,
    IndicatorFile,
    Measurement,
)
from statuskart.indicators.read import ReadFile
from statuskart.indicators.resolve import Places, Requirements, resolve
from statuskart.model.audience import Audience
from statuskart.model.hf_scope import HfScope
from statuskart.model.views import GroupView, ReportModel, RequirementView, UnitView


def places_of(model: ReportModel) -> Places:
    """The HFs, RHFs and units that have pages in this report."""
    units: dict[tuple[str, str], tuple[str, str, str, frozenset[str]]] = {}
    for u in model.units:
        m = u.score.unit
        key = (name_key(m.hf), name_key(m.unit))
        pathways = units[key][3] if key in units else frozenset()
        units[key] = (m.rhf, m.hf, m.unit, pathways | {m.pathway})
    return Places(
        hfs={name_key(g.name): (g.name, g.rhf) for g in model.hfs},
        rhfs={name_key(g.name): g.name for g in model.rhfs},
        units=units,
    )


def measure(
    read: Sequence[ReadFile], model: ReportModel
) -> tuple[list[Measurement], tuple[IndicatorFile, ...]]:
    """Resolve every file's rows against the report; measurements plus a summary per file."""
    requirements = Requirements.of(model.catalogues)
    places = places_of(model)
    measurements: list[Measurement] = []
    files = []
    for f in read:
        found, findings = resolve(f.raws, requirements, places, f.path)
        measurements += found
        used = len({m.where for m in found})
        files.append(
            IndicatorFile(
                path=f.path,
                kind=f.kind,
                rows=f.rows,
                used=used,
                findings=(*f.findings, *findings),
            )
        )
    return measurements, tuple(files)


def for_audience(
    files: tuple[IndicatorFile, ...], audience: Audience | None
) -> tuple[IndicatorFile, ...]:
    """Findings as the audience may see them: without typed text regionally, none for one unit.

    The figures themselves are public and carry over to every audience.
    """
    if audience is None or (audience.shows_text and not audience.unit):
        return files
    if audience.unit:
        return tuple(replace(f, findings=()) for f in files)
    return tuple(replace(f, findings=tuple(map(without_typed_text, f.findings))) for f in files)


def latest(measurements: Iterable[Measurement]) -> list[Measurement]:
    """The newest period of each (place, requirement, source, indicator)."""
    best: dict[tuple[object, ...], Measurement] = {}
    for m in measurements:
        key: tuple[object, ...] = (m.level, name_key(m.rhf), name_key(m.hf), name_key(m.unit))
        key += (m.pathway, m.requirement_id, m.source.casefold(), name_key(m.indicator))
        if key not in best or period_key(m.period) > period_key(best[key].period):
            best[key] = m
    return list(best.values())


def _self_assessment(units: Iterable[UnitView], pathway: str, rid: str) -> tuple[int, int]:
    """(answered, implemented) among the units for one requirement where it applies."""
    answered = implemented = 0
    for u in units:
        if u.score.unit.pathway != pathway:
            continue
        for r in u.score.results:
            if r.requirement_id == rid and r.applicable and r.status is not None:
                answered += 1
                implemented += int(r.points == 1)
    return answered, implemented


def _hf_assessment(
    units: Iterable[UnitView], pathway: str, rid: str, hf_scopes: Iterable[HfScope]
) -> tuple[int, int]:
    """(answered, implemented) among the HFs of ``units`` for a row each HF answers once."""
    hfs = {name_key(u.score.unit.hf) for u in units if u.score.unit.pathway == pathway}
    answered = implemented = 0
    for scope in hf_scopes:
        answer = scope.answer(rid) if scope.pathway == pathway else None
        if answer is None or name_key(scope.hf) not in hfs:
            continue
        if answer.result is not None and answer.result.status is not None:
            answered += 1
            implemented += int(answer.implemented)
    return answered, implemented


def _figures(
    measurements: Iterable[Measurement],
    units_of: Mapping[str, Sequence[UnitView]],
    place_of: Mapping[str, str],
    catalogues: Mapping[str, Catalogue],
    place_key: str,
    hf_scopes: Sequence[HfScope] = (),
    min_group: int = 1,
) -> tuple[Figure, ...]:
    out = []
    for m in latest(measurements):
        key = _key_of(m) if place_key == "" else place_key
        req = catalogues[m.pathway].by_id[m.requirement_id]
        if req.hf_scope:
            answered, implemented = _hf_assessment(units_of[key], m.pathway, req.id, hf_scopes)
        else:
            answered, implemented = _self_assessment(units_of[key], m.pathway, req.id)
        out.append(
            Figure(
                measurement=m,
                requirement=req,
                place=place_of[key],
                answered=answered,
                implemented=implemented,
                min_group=min_group,
            )
        )
    order = {(c.id, r.id): i for c in catalogues.values() for i, r in enumerate(c.requirements)}
    level_order = {NATIONAL: 0, RHF: 1, HF: 2, UNIT: 3}
    return tuple(
        sorted(
            out,
            key=lambda f: (
                order[(f.measurement.pathway, f.requirement.id)],
                level_order[f.measurement.level],
                f.place,
                f.measurement.source,
            ),
        )
    )


def _key_of(m: Measurement) -> str:
    if m.level == NATIONAL:
        return NATIONAL
    if m.level == RHF:
        return "rhf:" + name_key(m.rhf)
    return "hf:" + name_key(m.hf)


def attach(
    model: ReportModel, measurements: Sequence[Measurement], files: tuple[IndicatorFile, ...]
) -> ReportModel:
    """The model with figures on its HF, RHF, requirement and unit views (scores untouched)."""
    if not measurements and not files:
        return model
    catalogues = {c.id: c for c in model.catalogues}
    by_level: dict[str, list[Measurement]] = defaultdict(list)
    for m in measurements:
        by_level[m.level].append(m)
    units_of: dict[str, Sequence[UnitView]] = {NATIONAL: model.units}
    place_of: dict[str, str] = {NATIONAL: msg.NATIONAL_PLACE}
    for g in (*model.rhfs, *model.hfs):
        units_of[f"{g.kind}:{name_key(g.name)}"] = g.units
        place_of[f"{g.kind}:{name_key(g.name)}"] = g.name

    def group(g: GroupView) -> GroupView:
        key = f"{g.kind}:{name_key(g.name)}"
        mine = [m for m in by_level[g.kind] if _key_of(m) == key]
        figures = _figures(
            mine, units_of, place_of, catalogues, key, model.hf_scopes, model.min_group
        )
        return replace(g, figures=figures)

    def unit(u: UnitView) -> UnitView:
        meta = u.score.unit
        mine = [
            m
            for m in by_level[UNIT]
            if m.pathway == meta.pathway
            and (name_key(m.hf), name_key(m.unit)) == (name_key(meta.hf), name_key(meta.unit))
        ]
        key = "unit:" + u.slug
        figures = _figures(mine, {key: [u]}, {key: meta.unit}, catalogues, key)
        answers = {r.requirement_id: r.status or "Ubesvart" for r in u.score.results}
        return replace(
            u,
            figures=tuple(replace(f, status=answers.get(f.requirement.id, "–")) for f in figures),
        )

    def requirement(r: RequirementView) -> RequirementView:
        mine = [
            m
            for level in (NATIONAL, RHF, HF)
            for m in by_level[level]
            if (m.pathway, m.requirement_id) == (r.catalogue.id, r.requirement.id)
        ]
        figures = _figures(
            mine, units_of, place_of, catalogues, "", model.hf_scopes, model.min_group
        )
        return replace(r, figures=figures)

    return replace(
        model,
        hfs=tuple(map(group, model.hfs)),
        rhfs=tuple(map(group, model.rhfs)),
        units=tuple(map(unit, model.units)),
        requirements=tuple(map(requirement, model.requirements)),
        indicator_files=files,
    )
