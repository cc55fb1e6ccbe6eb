"""The heatmap a reader can read (#27 point 5): n per cell, colour classes that separate the shares
actually compared, and text on every colour at WCAG AA."""

from __future__ import annotations

import itertools

import pytest

from statuskart.model.comparison import level_of, quantile_levels
from statuskart.model.report import build_report
from statuskart.pipeline.run import check_files, score_files
from statuskart.render.colour import AA, BLACK, HEAT_SCALE, WHITE, contrast, heat_key

from .conftest import TODAY


def test_a_cell_counts_the_units_that_answered_its_phase(filled_workbook, catalogues, tsb):
    """Three units in the HF, one left a phase blank: that cell rests on two, «få enheter»."""
    phase = tsb.phases[0].id
    blank = {r.id: None for r in tsb.requirements if r.phase == phase}
    folder = filled_workbook(meta={"unit": "A"}).parent
    filled_workbook(meta={"unit": "B"})
    filled_workbook(blank, meta={"unit": "C"})
    reports = check_files([folder], catalogues, TODAY)
    scores = score_files(reports, catalogues, today=TODAY)
    model = build_report(
        reports, scores, catalogues, build_date=TODAY, version="t", method_version="1"
    )
    (heat,) = model.heatmaps
    (hf,) = [r for r in heat.by_hf if r.label == "Helse Bergen HF"]
    assert hf.n == 3
    first, *others = hf.cells
    assert (first.n, first.share, first.level) == (2, None, None)  # the small-n rule on that n
    assert all(c.n == 3 and c.share == 1.0 and c.percent == 100 for c in others if c.n)
    assert heat.levels == ((100, 100),)
    assert all(c.level == 0 for c in others if c.share is not None)


def test_levels_split_the_shares_into_five_groups_of_equal_size():
    values = list(range(40, 60))  # every share between 40 and 59 %: six equal bins see one colour
    levels = quantile_levels(values, 5)
    assert levels == ((40, 43), (44, 47), (48, 51), (52, 55), (56, 59))
    assert [sum(level_of(v, levels) == i for v in values) for i in range(5)] == [4] * 5


def test_equal_shares_never_straddle_two_levels_and_none_is_skipped():
    values = [10, 30, 30, 30, 30, 30, 30, 31, 90, None]
    levels = quantile_levels(values, 5)
    assert levels == ((10, 30), (31, 31), (32, 90))
    assert all(lo <= hi for lo, hi in levels)
    assert all(b[0] == a[1] + 1 for a, b in itertools.pairwise(levels))
    assert {level_of(v, levels) for v in values if v is not None} == {0, 1, 2}
    assert level_of(None, levels) is None
    assert quantile_levels([None, None], 5) == ()


@pytest.mark.parametrize("count", range(1, len(HEAT_SCALE) + 1))
def test_every_colour_has_text_at_aa(count):
    keys = [heat_key(level, count) for level in range(count)]
    assert len({k.colour for k in keys}) == count  # distinct colours, light to dark
    for key in keys:
        assert contrast(key.colour, WHITE if key.dark else BLACK) >= AA, key
    assert keys[0].colour == HEAT_SCALE[0] or count == 1
    assert keys[-1].colour == HEAT_SCALE[-1] or count == 1


def test_the_old_mid_blue_with_white_text_was_below_aa():
    """#27 measured 4.33:1 for white on #2F7FB8; the contrast function agrees."""
    assert round(contrast("#2F7FB8", WHITE), 2) == 4.33
