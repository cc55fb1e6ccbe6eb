"""Small inline SVG charts: no JavaScript, no CDN, real text, a title and a description.

Every chart is wrapped in <figure> (Python-Markdown leaves it alone) and the pages put the numbers
in a table beside it. Colours are Okabe–Ito; status is always labelled too, never colour alone.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from statuskart.core.numbers import number
from statuskart.render.escape import escape_text as escape

OKABE_ITO = {
    "Ubesvart": "#FFFFFF",
    "Høy": "#009E73",
    "Middels": "#E69F00",
    "Lav": "#D55E00",
    "Ufullstendig": "#BBBBBB",
}
BLUE = "#0072B2"
"""Colours of the band labels and «Ubesvart»; answer-scale colours come from the scale itself
(``ScaleStep.colour``) through the ``colours`` argument of ``stacked_bar``."""


def _figure(svg: str, caption: str) -> str:
    return (
        f'<figure class="sk-chart">\n{svg}\n<figcaption>{escape(caption)}</figcaption>\n</figure>'
    )


def _open(width: int, height: int, title: str, desc: str, uid: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'xmlns="http://www.w3.org/2000/svg" style="font-family:inherit;max-width:100%">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>'
    )


def _x_axis(ticks: Sequence[int], left: float, width: float, y: float) -> str:
    """Tick labels under a 0–100 horizontal axis."""
    return "".join(
        f'<text x="{left + width * t / 100:.0f}" y="{y:.0f}" font-size="11" '
        f'text-anchor="middle" fill="#555">{t}</text>'
        for t in ticks
    )


def fmt(value: float | None) -> str:
    """Score as an integer, or a dash when there is none."""
    return "–" if value is None else number(value)


def bar_chart(rows_in: Sequence[Sequence[Any]], title: str, uid: str) -> str:
    """Horizontal bars 0–100 with the value printed; rows are (label, value, …)."""
    rows = [(str(r[0]), r[1]) for r in rows_in]
    row_h, bar_w = 26, 330
    label_w = _label_room([label for label, _ in rows], 290)
    height = row_h * len(rows) + 24
    desc = "; ".join(f"{label}: {fmt(v)}" for label, v in rows)
    parts = [_open(label_w + bar_w + 50, height, title, desc, uid)]
    for i, (label, value) in enumerate(rows):
        y = i * row_h + 4
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="13">'
            f"{escape(label)}</text>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="17" fill="#EEF1F4"/>'
        )
        if value is not None:
            w = bar_w * max(0.0, min(100.0, value)) / 100
            parts.append(
                f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="17" fill="{BLUE}"/>'
            )
        parts.append(
            f'<text x="{label_w + bar_w + 6}" y="{y + 16}" font-size="13">{fmt(value)}</text>'
        )
    parts.append(_x_axis((0, 50, 100), label_w, bar_w, row_h * len(rows) + 18))
    parts.append("</svg>")
    return _figure("".join(parts), title)


def stacked_bar(
    parts_in: Sequence[tuple[str, int]],
    title: str,
    uid: str,
    colours: Mapping[str, str] | None = None,
) -> str:
    """One 100 % bar split by category, each segment labelled with its count.

    ``colours`` maps labels to colours (an answer scale's own); bands use the fixed palette.
    """
    palette = {**OKABE_ITO, **(colours or {})}
    total = sum(n for _, n in parts_in) or 1
    width, bar_w = 660, 640
    legend = _legend_rows([f"{label} ({n})" for label, n in parts_in], width - 20)
    desc = "; ".join(f"{label}: {n}" for label, n in parts_in)
    out = [_open(width, 42 + LEGEND_ROW * len(legend), title, desc, uid)]
    x = 10.0
    for label, n in parts_in:
        if n == 0:
            continue
        w = bar_w * n / total
        colour = palette.get(label, BLUE)
        out.append(
            f'<rect x="{x:.1f}" y="4" width="{w:.1f}" height="26" fill="{colour}" '
            f'stroke="#333" stroke-width="0.5"/>'
        )
        if w > 22:
            out.append(
                f'<text x="{x + w / 2:.1f}" y="22" font-size="12" text-anchor="middle">{n}</text>'
            )
        x += w
    items = iter(parts_in)
    for row, texts in enumerate(legend):
        legend_x = 10.0
        y = 42 + row * LEGEND_ROW
        for text in texts:
            label, _ = next(items)
            colour = palette.get(label, BLUE)
            out.append(
                f'<rect x="{legend_x:.0f}" y="{y}" width="12" height="12" fill="{colour}" '
                f'stroke="#333" stroke-width="0.5"/>'
            )
            out.append(
                f'<text x="{legend_x + 16:.0f}" y="{y + 10}" font-size="12">{escape(text)}</text>'
            )
            legend_x += _legend_width(text)
    out.append("</svg>")
    return _figure("".join(out), title)


LEGEND_ROW = 18
"""Height of one legend row in a stacked bar, in SVG units (12-unit text and swatch)."""
CHAR_EM = 0.62
"""Width reserved per character, in ems of the text's size: above the average width of bokmål
text in the wide sans-serif fonts (DejaVu Sans), so a label never runs past its slot or the
canvas; charts are scaled to the page, so a wider canvas only makes them a little smaller."""


def _text_width(text: str, size: float) -> float:
    """Room that ``text`` at ``size`` units takes at most, in SVG units."""
    return CHAR_EM * size * len(text)


def _label_room(labels: Sequence[str], least: int) -> int:
    """Width of the label column left of a chart: ``least``, or wider for a long name.

    Labels are 13-unit text, right-aligned 8 units before the axis; «Akuttbehandling og oppfølging
    etter overdose» or «Haraldsplass Diakonale Sykehus (få enheter, n = 2)» need more than 290.
    """
    longest = max((_text_width(label, 13) for label in labels), default=0.0)
    return max(least, int(longest) + 16)


def _legend_width(text: str) -> float:
    """Swatch, gap, text and space before the next item."""
    return 16 + _text_width(text, 12) + 14


def _legend_rows(texts: Sequence[str], room: float) -> list[list[str]]:
    """Legend items in rows that fit ``room`` wide, in order; a long item gets a row of its own."""
    rows: list[list[str]] = [[]]
    used = 0.0
    for text in texts:
        w = _legend_width(text)
        if rows[-1] and used + w > room:
            rows.append([])
            used = 0.0
        rows[-1].append(text)
        used += w
    return rows


def strip_plot(groups: Sequence[tuple[str, Sequence[float]]], title: str, uid: str) -> str:
    """One row per group: a dot per unit score on a 0–100 axis, the median as a bar, n printed."""
    row_h, axis_w = 30, 360
    label_w = _label_room([name for name, _ in groups], 260)
    height = row_h * len(groups) + 28
    desc = "; ".join(
        f"{name}: n={len(vals)}" + (f", median {fmt(statistics.median(vals))}" if vals else "")
        for name, vals in groups
    )
    out = [_open(label_w + axis_w + 70, height, title, desc, uid)]
    for i, (name, values) in enumerate(groups):
        y = i * row_h + 16
        out.append(
            f'<text x="{label_w - 8}" y="{y + 4}" text-anchor="end" font-size="13">'
            f"{escape(name)}</text>"
        )
        out.append(
            f'<line x1="{label_w}" x2="{label_w + axis_w}" y1="{y}" y2="{y}" stroke="#CCC"/>'
        )
        for v in values:
            out.append(
                f'<circle cx="{label_w + axis_w * v / 100:.1f}" cy="{y}" r="4" '
                f'fill="{BLUE}" fill-opacity="0.6"/>'
            )
        if values:
            med = statistics.median(values)
            mx = label_w + axis_w * med / 100
            out.append(
                f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{y - 9}" y2="{y + 9}" '
                f'stroke="#000" stroke-width="2"/>'
            )
        out.append(
            f'<text x="{label_w + axis_w + 8}" y="{y + 4}" font-size="12">n = {len(values)}</text>'
        )
    out.append(_x_axis((0, 25, 50, 75, 100), label_w, axis_w, row_h * len(groups) + 20))
    out.append("</svg>")
    return _figure("".join(out), title)


def line_chart(segments: Sequence[Sequence[tuple[str, float | None]]], title: str, uid: str) -> str:
    """Score per round on a 0–100 axis; each segment (same catalogue version) is its own line.

    Rounds are evenly spaced in the order given across all segments; a gap between segments
    marks a catalogue change, so unlike rounds are never joined.
    """
    periods = [p for seg in segments for p, _ in seg]
    left, top, plot_w, plot_h = 44, 12, 560, 150
    step = plot_w / max(1, len(periods) - 1)
    desc = "; ".join(f"{p}: {fmt(v)}" for seg in segments for p, v in seg)
    if len(segments) > 1:
        desc += f"; {len(segments)} katalogversjoner, linjen er brutt ved hvert skifte"
    out = [_open(left + plot_w + 40, top + plot_h + 40, title, desc, uid)]
    for tick in (0, 50, 100):
        y = top + plot_h * (1 - tick / 100)
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.0f}" y2="{y:.0f}" stroke="#DDD"/>'
            f'<text x="{left - 6}" y="{y + 4:.0f}" font-size="11" text-anchor="end" '
            f'fill="#555">{tick}</text>'
        )
    index = 0
    for seg in segments:
        coords, marks = [], []
        for period, value in seg:
            x = left + step * index if len(periods) > 1 else left + plot_w / 2
            index += 1
            out.append(
                f'<text x="{x:.0f}" y="{top + plot_h + 20}" font-size="11" '
                f'text-anchor="middle">{escape(period)}</text>'
            )
            if value is None:
                continue
            y = top + plot_h * (1 - max(0.0, min(100.0, value)) / 100)
            coords.append(f"{x:.1f},{y:.1f}")
            marks.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BLUE}"/>'
                f'<text x="{x:.1f}" y="{y - 8:.1f}" font-size="12" '
                f'text-anchor="middle">{fmt(value)}</text>'
            )
        if len(coords) > 1:
            out.append(
                f'<polyline points="{" ".join(coords)}" fill="none" stroke="{BLUE}" '
                f'stroke-width="2"/>'
            )
        out.extend(marks)  # dots and labels above the line
    out.append("</svg>")
    return _figure("".join(out), title)
