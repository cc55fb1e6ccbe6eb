"""Chart text stays on its canvas: the status legend wraps, long labels widen the label column.

The browser test (test_layout_browser.py) measures the drawn text; these check the arithmetic the
charts use, with the same generous width per character (charts.CHAR_EM).
"""

from __future__ import annotations

import html
import re

from statuskart.render import charts


def canvas(svg: str) -> tuple[float, float]:
    match = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    assert match
    return float(match.group(1)), float(match.group(2))


def texts(svg: str) -> list[tuple[float, float, str, str]]:
    """(x, y, anchor, text) of every <text>."""
    out = []
    for m in re.finditer(r"<text ([^>]*)>([^<]*)</text>", svg):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(1)))
        out.append(
            (
                float(attrs["x"]),
                float(attrs["y"]),
                attrs.get("text-anchor", "start"),
                html.unescape(m.group(2)),
            )
        )
    return out


def test_a_long_status_legend_wraps_inside_the_canvas():
    statuses = [
        ("Implementert", 410),
        ("Delvis implementert", 220),
        ("Påbegynt", 130),
        ("Ikke startet", 96),
        ("Ikke aktuelt for denne enhetstypen", 31),
        ("Ubesvart", 12),
    ]
    svg = charts.stacked_bar(statuses, "Enheter per status", "s")
    width, height = canvas(svg)
    legend = [t for t in texts(svg) if "(" in t[3]]
    assert len(legend) == len(statuses)
    assert len({y for _, y, _, _ in legend}) >= 2  # it did wrap
    for x, y, _, text in legend:
        assert x + charts._text_width(text, 12) <= width, text
        assert y + 4 <= height, text


def test_a_short_legend_stays_on_one_row():
    svg = charts.stacked_bar([("Høy", 3), ("Middels", 5), ("Lav", 1)], "Nivå", "b")
    legend = [t for t in texts(svg) if "(" in t[3]]
    assert len({y for _, y, _, _ in legend}) == 1
    assert canvas(svg)[1] == 60


def test_long_labels_widen_the_label_column_instead_of_running_off_the_left():
    rows = [("Henvisning og start", 50.0), ("Akuttbehandling og oppfølging etter overdose", 20.0)]
    svg = charts.bar_chart(rows, "Skår per fase", "p")
    for x, _, anchor, text in texts(svg):
        if anchor == "end":
            assert x - charts._text_width(text, 13) >= 0, text
    strip = charts.strip_plot(
        [("Haraldsplass Diakonale Sykehus (få enheter, n = 2)", []), ("Helse Bergen HF", [50.0])],
        "Skår",
        "q",
    )
    for x, _, anchor, text in texts(strip):
        if anchor == "end":
            assert x - charts._text_width(text, 13) >= 0, text
