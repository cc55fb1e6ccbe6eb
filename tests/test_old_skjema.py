"""A skjema made before «Egne krav», Kilde and «Andel innen forløpstid» reads exactly as before.

tests/data/skjema-before-local-rows.xlsx is a copy of a sample skjema written by statuskart before
those columns and rows existed; the .json beside it is what that version read and validated.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from statuskart.catalog.model import Catalogue
from statuskart.validate.rules import validate_submission

from .conftest import TODAY, raw_of

DATA = Path(__file__).parent / "data"


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def test_skjema_from_before_reads_and_validates_as_it_did(catalogues: dict[str, Catalogue]) -> None:
    expected = json.loads((DATA / "skjema-before-local-rows.json").read_text(encoding="utf-8"))
    raw = raw_of(DATA / "skjema-before-local-rows.xlsx")
    report = validate_submission(raw, catalogues, TODAY)
    assert report.submission is not None
    assert dict(raw.columns) == expected["columns"]
    assert report.status == expected["status"]
    meta = report.submission.meta
    assert {k: _plain(getattr(meta, k)) for k in expected["meta"]} == expected["meta"]
    answers = [
        [a.requirement_id, a.status, a.points, a.not_applicable, a.comment, a.action]
        for a in report.submission.answers
    ]
    assert answers == [a[:6] for a in expected["answers"]]
    rest = [[a.owner, _plain(a.due), a.risk, a.cell] for a in report.submission.answers]
    assert rest == [a[6:] for a in expected["answers"]]
    findings = [[f.code, f.severity, f.sheet, f.cell, f.detail] for f in report.findings]
    assert findings == expected["findings"]
    assert raw.local_rows == () and report.submission.local == ()
    assert all(a.share is None for a in report.submission.answers)
    assert raw.stamp["template_version"] == "1"
