"""The status, requirement-link and badge pieces every table row prints: exact HTML, escaped.

Symbols come out as numeric character references (escape.py: Markdown must not read them), and a
leading «.» in a link too; the browser shows and follows them as written.
"""

from __future__ import annotations

import pytest

from statuskart.render.pages import environment
from statuskart.score.scoring import ScoringSettings

ICONS = {"Implementert": "✔", "Delvis implementert": "◑", "<b>x</b>": "<&>"}


def render(source: str, value: object, *, cross_unit: bool = True, up: str = "../") -> str:
    context = {"status_icons": ICONS, "cross_unit": cross_unit, "up": up, "v": value}
    return environment().from_string(source).render(**context)


@pytest.mark.parametrize(
    ("label", "html"),
    [
        ("Implementert", '<span class="sk-status">&#10004; Implementert</span>'),
        ("Delvis implementert", '<span class="sk-status">&#9681; Delvis implementert</span>'),
        (None, '<span class="sk-status">&#9675; Ubesvart</span>'),
        ("", '<span class="sk-status">&#9675; Ubesvart</span>'),
        ("Ikke på skalaen", '<span class="sk-status">&#9675; Ikke på skalaen</span>'),
        ("<b>x</b>", '<span class="sk-status">&#60;&#38;&#62; &#60;b&#62;x&#60;/b&#62;</span>'),
    ],
)
def test_status(label: str | None, html: str) -> None:
    assert render("{{ status(v) }}", label) == html


@pytest.mark.parametrize(
    ("cross_unit", "up", "html"),
    [
        (True, "../", '<a href="&#46;./krav/tsb-01.html">TSB-01</a>'),
        (True, "", '<a href="krav/tsb-01.html">TSB-01</a>'),
        (False, "", "TSB-01"),  # one unit's own report has no requirement pages
    ],
)
def test_requirement_link(cross_unit: bool, up: str, html: str) -> None:
    assert render("{{ req_link(v) }}", "TSB-01", cross_unit=cross_unit, up=up) == html


def test_requirement_link_escapes_what_it_is_given() -> None:
    assert render("{{ req_link(v) }}", '<script>"') == (
        '<a href="&#46;./krav/&#60;script&#62;&#34;.html">&#60;script&#62;&#34;</a>'
    )


@pytest.mark.parametrize("band", [label for _, label in ScoringSettings().bands])
def test_badge_for_every_band_has_a_colour_in_the_stylesheet(band: str) -> None:
    from statuskart.core.resources import assets_dir

    html = render("{{ badge(v) }}", band)
    assert html == f'<span class="sk-badge sk-{band.lower()}">{band}</span>'
    css = (assets_dir() / "statuskart.css").read_text(encoding="utf-8")
    assert f".sk-{band.lower()} {{ background:" in css


def test_badge_escapes() -> None:
    assert (
        render("{{ badge(v) }}", "<i>")
        == '<span class="sk-badge sk-&#60;i&#62;">&#60;i&#62;</span>'
    )
