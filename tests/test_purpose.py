"""What the self-assessment is for, where results travel (issue #28 point 6).

Helsedirektoratet: the statuskartlegging supports local implementation, and its result is not to be
reported outside the virksomhet. Veiledning, Metode and every regional page say so, next to the
comparison the RHF uses.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.core import messages as msg
from statuskart.sample.checklists import write_samples
from statuskart.workbook import layout as L
from statuskart.workbook.write import build_template
from tests.conftest import render_markdown

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run


def test_purpose_names_local_use_and_the_comparisons_use() -> None:
    assert "ikke skal rapporteres ut av virksomheten" in msg.PURPOSE_NOTE
    assert "RHF og HF" in msg.PURPOSE_NOTE and "ikke en rangering" in msg.PURPOSE_NOTE
    assert msg.PURPOSE_SOURCE.startswith("https://www.helsedirektoratet.no/")


def test_veiledning_sheet_states_the_purpose(tsb: Catalogue) -> None:
    ws = build_template(tsb)[L.GUIDE_SHEET]
    rows = {str(r[0].value): str(r[1].value) for r in ws.iter_rows(max_col=2) if r[0].value}
    assert rows[msg.PURPOSE_TITLE] == f"{msg.PURPOSE_NOTE} Kilde: {msg.PURPOSE_SOURCE}"


def test_metode_and_every_regional_page_state_the_purpose(tsb: Catalogue, tmp_path: Path) -> None:
    checklists = tmp_path / "checklists"
    write_samples(tsb, checklists, units=4, rounds=1, seed=3)
    docs = tmp_path / "docs"
    model = render_markdown(checklists, docs).model
    pages = [
        docs / "metode.md",
        docs / "regioner" / "index.md",
        *(docs / "regioner" / f"{g.slug}.md" for g in model.rhfs),
        *(docs / "hf" / f"{g.slug}.md" for g in model.hfs),
    ]
    assert len(pages) == 2 + len(model.rhfs) + len(model.hfs) and model.rhfs and model.hfs
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert f'!!! note "{msg.PURPOSE_TITLE}"' in text, page
        assert msg.PURPOSE_NOTE in text and msg.PURPOSE_SOURCE in text, page
    method = html.unescape((docs / "metode.md").read_text(encoding="utf-8"))
    assert "## 12. Tekstgrunnlag, revisjon og forløpstider per forløp" in method
    assert f"### {tsb.title} (katalogversjon {tsb.version})" in method
    assert "- **Revisjon:** " in method and "28.10.2024" in method
