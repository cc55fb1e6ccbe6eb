"""Small hand-made catalogues and submissions for the rule tests (test_*_rules.py).

Every number a rule test expects is worked out by hand from «Metode» (templates/method.md.j2),
so the catalogues here are built to make that arithmetic easy: weights kritisk 3, høy 2, normal 1,
and the standard implementering scale (0, ⅓, ⅔, 1, «Ikke aktuelt» not counted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from statuskart.catalog.load import load_catalog
from statuskart.catalog.model import Catalogue
from statuskart.validate.model import Answer, Submission, UnitMeta

POINTS: dict[str, float | None] = {
    "Ikke startet": 0.0,
    "Påbegynt": 0.3333,
    "Delvis implementert": 0.6667,
    "Implementert": 1.0,
    "Ikke aktuelt": None,
}
FILLED_IN = dt.date(2026, 4, 30)


def make_catalogue(
    tmp: Path, requirements: Sequence[Mapping[str, Any]], *, cat_id: str = "rules", extra: str = ""
) -> Catalogue:
    """A catalogue with phases H and B; each requirement dict needs id and priority."""
    lines = [
        f"id: {cat_id}",
        *([extra] if extra else []),
        "title: Regler",
        'version: "1"',
        "valid_from: 2024-01-01",
        "scale: implementering",
        "priorities: {kritisk: 3, høy: 2, normal: 1}",
        "phases: [{id: H, title: Henvisning}, {id: B, title: Behandling}]",
        "requirements:",
    ]
    for r in requirements:
        more = ""
        if r.get("unit_types"):
            more += f", unit_types: [{', '.join(r['unit_types'])}]"
        if r.get("depends_on"):
            more += f", depends_on: [{', '.join(r['depends_on'])}]"
        lines.append(
            f"  - {{id: {r['id']}, phase: {r.get('phase', 'H')}, title: T {r['id']}, text: x,"
            f" priority: {r['priority']}, action: gjør {r['id']}, source: x{more}}}"
        )
    path = tmp / f"{cat_id}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_catalog(path)


def answer(rid: str, status: str | None, **plan: Any) -> Answer:
    """One interpreted answer; ``plan`` may set comment, action, owner, due, risk and share."""
    return Answer(
        requirement_id=rid,
        status=status,
        points=POINTS[status] if status else None,
        not_applicable=status == "Ikke aktuelt",
        comment=plan.get("comment"),
        action=plan.get("action"),
        owner=plan.get("owner"),
        due=plan.get("due"),
        risk=plan.get("risk"),
        cell=f"Statuskartlegging!G{rid[-2:]}",
        share=plan.get("share"),
    )


def make_submission(
    statuses: Mapping[str, str | None],
    *,
    unit: str = "Enhet",
    unit_type: str | None = "poliklinikk",
    date: dt.date | None = FILLED_IN,
    plans: Mapping[str, Mapping[str, Any]] | None = None,
    version: str = "1",
) -> Submission:
    """A validated submission with the given statuses (None: unanswered), stamped ``version``."""
    plans = plans or {}
    meta = UnitMeta(
        rhf="Helse Vest RHF",
        hf="Helse Bergen HF",
        unit=unit,
        unit_type=unit_type,
        period="2026-T1",
        date=date,
    )
    return Submission(
        path=f"{unit}.xlsx",
        sha256="0",
        catalogue_id="rules",
        catalogue_version=version,
        meta=meta,
        answers=tuple(answer(rid, st, **plans.get(rid, {})) for rid, st in statuses.items()),
    )
