"""The Python status/requirement-link/badge pieces print exactly what the template macros print."""

from __future__ import annotations

import pytest

from statuskart.render.pages import environment

LABELS = [None, "", "Implementert", "Delvis implementert", "<b>x</b>", "- liste", "1. punkt", "Ø&Å"]
IDS = ["TSB-01", "EGEN-3", "<script>", "1. krav", "Ab_c"]
BANDS = ["Grønn", "Gul", "Rød", "<i>", "Ikke vurdert"]


@pytest.mark.parametrize(("cross_unit", "up"), [(True, "../"), (True, ""), (False, "")])
def test_python_pieces_equal_the_macros(cross_unit: bool, up: str) -> None:
    env = environment()
    context = {
        "status_icons": {"Implementert": "✔", "Delvis implementert": "◑", "<b>x</b>": "<&>"},
        "cross_unit": cross_unit,
        "up": up,
    }
    via_macro = env.from_string(
        '{% from "_macros.md.j2" import status, req_link, badge with context %}'
        "{{ status(v) }}|{{ req_link(v) }}|{{ badge(v) }}"
    )
    via_python = env.from_string("{{ status(v) }}|{{ req_link(v) }}|{{ badge(v) }}")
    for value in [*LABELS, *IDS, *BANDS]:
        if value is None:
            continue  # req_link and badge always get text
        expected = via_macro.render(**context, v=value)
        assert via_python.render(**context, v=value) == expected, value
    none_macro = env.from_string(
        '{% from "_macros.md.j2" import status with context %}{{ status(None) }}'
    )
    assert env.from_string("{{ status(None) }}").render(**context) == none_macro.render(**context)
    assert "Ubesvart" in env.from_string("{{ status(None) }}").render(**context)
