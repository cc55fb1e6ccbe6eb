"""A unit without a usable skjema this round keeps a page: its history stays findable.

It counts in no figure of the round; its page shows its latest usable round with a warning and
offers no action plan (none is written for it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from statuskart.model.views import ReportModel

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(sample_docs: tuple[Path, ReportModel]) -> tuple[Path, ReportModel]:
    return sample_docs


def test_an_absent_unit_has_a_page_with_its_last_round(built: tuple[Path, ReportModel]) -> None:
    docs, model = built
    assert len(model.absent_units) == len(model.absent) == 2  # the sample's rejected T2 files
    current = {u.slug for u in model.units}
    overview = (docs / "index.md").read_text(encoding="utf-8")
    for unit in model.absent_units:
        assert not unit.current and unit.slug not in current
        assert unit.score.unit.period != model.period
        page = (docs / "enheter" / f"{unit.slug}.md").read_text(encoding="utf-8")
        assert f'!!! warning "Ingen brukbart skjema i runde {model.period}"' in page
        assert f"runde {unit.score.unit.period}" in page
        assert "tiltaksplan/" not in page  # no plan is written for it
        assert f"(enheter/{unit.slug}.md)" in overview
    n = sum(g.stats.n + g.stats.incomplete for g in model.rhfs)
    assert n == len(model.units)  # absent units count in no figure of the round
