"""One small-n rule everywhere: a group with fewer complete units than the minimum shows no
mean, median, phase means or shares, on its own page as in the comparisons that hide it."""

from __future__ import annotations

from pathlib import Path

import pytest

from statuskart.model.views import ReportModel

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(sample_docs: tuple[Path, ReportModel]) -> tuple[Path, ReportModel]:
    return sample_docs


def test_a_small_group_shows_no_aggregate_on_its_own_page(
    built: tuple[Path, ReportModel],
) -> None:
    docs, model = built
    small = [g for g in (*model.hfs, *model.rhfs) if g.stats.n < model.min_group]
    large = [g for g in (*model.hfs, *model.rhfs) if g.stats.n >= model.min_group]
    assert small and large, "the sample has groups on both sides of the rule"
    for group in small:
        folder = "hf" if group.kind == "hf" else "regioner"
        text = (docs / folder / f"{group.slug}.md").read_text(encoding="utf-8")
        assert '!!! warning "Få enheter"' in text
        for heading in ("## Fordeling", "## Faseprofil", "## Utvikling", "## Krav som oftest"):
            assert heading not in text, (group.name, heading)
    for group in large:
        folder = "hf" if group.kind == "hf" else "regioner"
        text = (docs / folder / f"{group.slug}.md").read_text(encoding="utf-8")
        assert "## Faseprofil" in text and "Få enheter" not in text
