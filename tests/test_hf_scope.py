"""HF rows (scope: hf): answered once per health trust, never in a unit's score (issue #17, 4)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from statuskart.catalog.load import load_catalog
from statuskart.catalog.model import Catalogue
from statuskart.core.errors import CatalogError
from statuskart.core.findings import TEXT_LEFT_OUT
from statuskart.core.resources import catalog_data_dir
from statuskart.model.audience import apply_audience, choose_audience
from statuskart.model.hf_scope import DESIGNATED, MISSING, NONE, ONLY, UNCLEAR, HfScope, hf_scopes
from statuskart.pipeline.run import check_files, score_files
from statuskart.score.scoring import RequirementResult, UnitScore
from statuskart.validate.expected_units import hf_designations, load_register
from statuskart.workbook import layout as L
from tests.conftest import TODAY, column

from .conftest import WorkbookFactory, worksheet

HF = "Helse Bergen HF"
TSB_HF_ROWS = ("TSB-01", "TSB-02", "TSB-03", "TSB-04", "TSB-05", "TSB-41", "TSB-43", "TSB-47")


def hf_rows(status: str | None, comment: str | None = None) -> dict[str, object]:
    return {rid: {"status": status, "comment": comment} for rid in TSB_HF_ROWS}


def result_of(scope: HfScope, requirement_id: str) -> RequirementResult:
    """The HF's answer to one row; a row missing from the scope, or unanswered, fails here."""
    answer = scope.answer(requirement_id)
    assert answer is not None and answer.result is not None, requirement_id
    return answer.result


@pytest.fixture
def two_units(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue]
) -> Callable[[str | None, str | None], tuple[UnitScore, ...]]:
    """Two units of one HF; each answers the HF rows differently."""

    def make(first: str | None, second: str | None) -> tuple[UnitScore, ...]:
        paths = [
            filled_workbook(hf_rows(first, "Vurderingsteamet møtes hver dag"), name="a.xlsx"),
            filled_workbook(
                hf_rows(second, "Vet ikke"),
                name="b.xlsx",
                meta={"unit": "Døgnenhet Nord", "unit_type": "døgn"},
            ),
        ]
        return score_files(check_files(paths, catalogues, TODAY), catalogues, today=TODAY)

    return make


def test_the_builtin_hf_rows_are_the_trusts(catalogues: dict[str, Catalogue]) -> None:
    tsb_rows = {r.id for r in catalogues["tsb"].requirements if r.hf_scope}
    assert tsb_rows == set(TSB_HF_ROWS)
    assert catalogues["phv"].by_id["PHV-13"].hf_scope
    assert not catalogues["shl"].by_id["SHL-07"].hf_scope  # «Enheten bruker …»: the unit's own
    # Issue #28: the management row of BUP is the trust's like PHV-13/TSB-47, and so are the
    # trust-level facts PHV-22 (training system) and OCD-02 (access to an OCD team).
    assert {r.id for r in catalogues["bup"].requirements if r.hf_scope} == {"BUP-24"}
    assert {r.id for r in catalogues["phv"].requirements if r.hf_scope} == {"PHV-13", "PHV-22"}
    assert {r.id for r in catalogues["ocd"].requirements if r.hf_scope} == {"OCD-02"}


def test_unknown_scope_is_a_catalogue_error(tmp_path: Path) -> None:
    text = (catalog_data_dir() / "ocd.yaml").read_text(encoding="utf-8")
    broken = text.replace("    phase:", "    scope: region\n    phase:", 1)
    path = tmp_path / "ocd.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CatalogError, match="ukjent scope «region»"):
        load_catalog(path)


def test_hf_rows_never_move_a_units_score(
    two_units: Callable[[str | None, str | None], tuple[UnitScore, ...]],
) -> None:
    done, not_started = two_units("Implementert", "Ikke startet")
    again, _ = two_units("Ikke startet", "Implementert")
    assert done.score == again.score and done.applicable == again.applicable
    assert done.coverage == again.coverage
    row = next(r for r in not_started.results if r.requirement_id == "TSB-03")
    assert row.hf_scope and not row.applicable and not row.counted
    assert row.status == "Ikke startet"  # kept: it may be the HF's answer
    assert not {a.requirement_id for a in not_started.actions} & set(TSB_HF_ROWS)


def test_blank_hf_rows_give_no_findings(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue]
) -> None:
    (report,) = check_files([filled_workbook(hf_rows(None))], catalogues, TODAY)
    flagged = {f.detail for f in report.findings} | {f.cell for f in report.findings}
    assert report.status == "ok", [f.message for f in report.findings]
    assert not any(rid in str(flagged) for rid in TSB_HF_ROWS)


def test_the_designated_unit_answers_for_the_hf(
    two_units: Callable[[str | None, str | None], tuple[UnitScore, ...]],
    catalogues: dict[str, Catalogue],
) -> None:
    scores = two_units("Implementert", "Ikke startet")
    (scope,) = hf_scopes(scores, catalogues, {"helse bergen hf": ("Døgnenhet Nord",)})
    assert (scope.how, scope.answered_by) == (DESIGNATED, "Døgnenhet Nord")
    assert result_of(scope, "TSB-03").status == "Ikke startet"
    assert scope.implemented == 0 and scope.answered == len(TSB_HF_ROWS)


def test_without_a_designation_the_only_answer_counts_and_two_count_as_none(
    two_units: Callable[[str | None, str | None], tuple[UnitScore, ...]],
    catalogues: dict[str, Catalogue],
) -> None:
    (only,) = hf_scopes(two_units("Delvis implementert", None), catalogues)
    assert (only.how, only.answered_by) == (ONLY, "Poliklinikk for rus Sentrum")
    assert result_of(only, "TSB-41").status == "Delvis implementert"
    (unclear,) = hf_scopes(two_units("Implementert", "Påbegynt"), catalogues)
    assert unclear.how == UNCLEAR and unclear.answered_by is None
    assert unclear.candidates == ("Døgnenhet Nord", "Poliklinikk for rus Sentrum")
    assert all(a.result is None for a in unclear.answers)
    (none,) = hf_scopes(two_units(None, None), catalogues)
    assert none.how == NONE and none.implemented == 0


def test_a_designated_unit_without_a_skjema_leaves_no_answer(
    two_units: Callable[[str | None, str | None], tuple[UnitScore, ...]],
    catalogues: dict[str, Catalogue],
) -> None:
    """Another unit's answer never stands in for the one the register names."""
    scores = [s for s in two_units("Implementert", None) if s.unit.unit != "Døgnenhet Nord"]
    (scope,) = hf_scopes(scores, catalogues, {"helse bergen hf": ("Døgnenhet Nord",)})
    assert scope.how == MISSING and scope.answered_by is None
    assert scope.candidates == ("Døgnenhet Nord",)


def test_hf_answers_carry_the_audiences_redaction(
    two_units: Callable[[str | None, str | None], tuple[UnitScore, ...]],
    catalogues: dict[str, Catalogue],
) -> None:
    scores = two_units("Påbegynt", None)
    marked = {"helse bergen hf": ("Poliklinikk for rus Sentrum",)}
    (internal,) = hf_scopes(scores, catalogues, marked)
    assert result_of(internal, "TSB-03").comment == "Vurderingsteamet møtes hver dag"
    _, regional = apply_audience(choose_audience("region", None), [], scores)
    (scope,) = hf_scopes(regional, catalogues, marked)
    result = result_of(scope, "TSB-03")
    # the comment written is left out, the blank action stays blank (#27: words go, facts stay)
    assert (result.status, result.comment, result.action) == ("Påbegynt", TEXT_LEFT_OUT, None)
    # One unit's own report: the other unit's answers are not in it, so nothing stands in.
    _, own = apply_audience(choose_audience("enhet", "Døgnenhet Nord"), [], scores)
    (scope,) = hf_scopes(own, catalogues, marked)
    assert scope.how == MISSING and all(a.result is None for a in scope.answers)


def test_registry_marks_the_unit_in_yaml_and_xlsx(tmp_path: Path) -> None:
    yaml_path = tmp_path / "enheter.yaml"
    yaml_path.write_text(
        "enheter:\n"
        f"  - {{rhf: Helse Vest RHF, hf: {HF}, enhet: A, svarer_for_hf: ja}}\n"
        f"  - {{rhf: Helse Vest RHF, hf: {HF}, enhet: B, svarer_for_hf: nei}}\n"
        "  - {rhf: Helse Vest RHF, hf: Helse Førde HF, enhet: C, svarer_for_hf: true}\n",
        encoding="utf-8",
    )
    assert hf_designations(load_register(yaml_path)) == {
        "helse bergen hf": ("A",),
        "helse førde hf": ("C",),
    }
    wb = Workbook()
    ws = worksheet(wb)
    ws.append(["RHF", "HF", "Enhet", "Svarer for HF"])
    ws.append(["Helse Vest RHF", HF, "A", None])
    ws.append(["Helse Vest RHF", HF, "B", "X"])
    wb.save(tmp_path / "enheter.xlsx")
    assert hf_designations(load_register(tmp_path / "enheter.xlsx")) == {"helse bergen hf": ("B",)}
    assert hf_designations(None) == {}


def test_template_greys_hf_rows_and_says_who_answers(tmp_path: Path, tsb: Catalogue) -> None:
    from statuskart.workbook.write import HF_ROW_FILL, write_template

    path = write_template(tsb, tmp_path / "skjema.xlsx", {"unit_type": "vurderingsenhet"})
    wb = load_workbook(path)
    ws = wb[L.CHECKLIST_SHEET]
    applies = column("applies")
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    for rid in TSB_HF_ROWS:
        row = rows[rid]  # in every unit type's skjema
        assert str(ws.cell(row, applies).value).startswith("Besvares av HF")
        assert ws.cell(row, 1).fill.fgColor.rgb.endswith(HF_ROW_FILL.fgColor.rgb[-6:])
    assert "vurderingsenhet" in str(ws.cell(rows["TSB-06"], applies).value)
    assert "TSB-36" not in rows  # evaluations are not a vurderingsenhet's
    guide = " ".join(str(c.value) for row in wb[L.GUIDE_SHEET].iter_rows() for c in row if c.value)
    assert "Grå rader gjelder helseforetaket" in guide


def test_new_unit_types_are_read_from_what_people_type(
    filled_workbook: WorkbookFactory, catalogues: dict[str, Catalogue]
) -> None:
    for typed, expected in (
        ("Dagavdeling", "dagbehandling"),
        ("Vurderingsteam", "vurderingsenhet"),
    ):
        path = filled_workbook(meta={"unit_type": typed}, name=f"{expected}.xlsx")
        (report,) = check_files([path], catalogues, TODAY)
        assert report.submission is not None
        assert report.submission.meta.unit_type == expected


def test_hf_page_and_unit_page_show_the_hf_rows(
    tmp_path: Path, filled_workbook: WorkbookFactory
) -> None:
    from statuskart.pipeline.run import render_docs

    folder = tmp_path / "in"
    folder.mkdir()
    filled_workbook(hf_rows("Påbegynt", "Vurderingsteamet møtes hver dag"), name="in/a.xlsx")
    filled_workbook(
        hf_rows(None), name="in/b.xlsx", meta={"unit": "Døgnenhet Nord", "unit_type": "døgn"}
    )
    (folder / "enheter.yaml").write_text(
        "enheter:\n"
        f"  - {{rhf: Helse Vest RHF, hf: {HF}, enhet: Poliklinikk for rus Sentrum,"
        " svarer_for_hf: ja}\n"
        f"  - {{rhf: Helse Vest RHF, hf: {HF}, enhet: Døgnenhet Nord}}\n",
        encoding="utf-8",
    )
    docs = tmp_path / "docs"
    render_docs([folder], docs, build_date=TODAY)
    hf_page = (docs / "hf" / "helse-bergen-hf.md").read_text(encoding="utf-8")
    assert "## Krav som besvares av helseforetaket" in hf_page
    assert "utpekt i enheter.yaml" in hf_page and "0 av 8 krav er implementert" in hf_page
    assert "Vurderingsteamet møtes hver dag" in hf_page
    unit_page = next((docs / "enheter").glob("*dognenhet-nord*.md")).read_text(encoding="utf-8")
    assert "8 krav gjelder helseforetaket som helhet" in unit_page
    requirement = (docs / "krav" / "tsb-03.md").read_text(encoding="utf-8")
    assert "## Status i helseforetakene" in requirement
    assert "<tr><td>Påbegynt</td><td>1</td></tr>" in requirement  # one HF, not two units

    regional = tmp_path / "regional"
    render_docs([folder], regional, build_date=TODAY, audience=choose_audience("region", None))
    text = (regional / "hf" / "helse-bergen-hf.md").read_text(encoding="utf-8")
    assert "## Krav som besvares av helseforetaket" in text
    assert "Vurderingsteamet" not in text

    own = tmp_path / "own"
    render_docs(
        [folder], own, build_date=TODAY, audience=choose_audience("enhet", "Døgnenhet Nord")
    )
    page = (own / "index.md").read_text(encoding="utf-8")
    assert "8 krav gjelder helseforetaket som helhet" in page
    assert "En annen enhet er utpekt til å svare for helseforetaket" in page
    assert "Poliklinikk for rus Sentrum" not in page  # a one-unit report names no other unit
    section = page.split("## Krav som besvares av helseforetaket")[1].split("\n## ")[0]
    assert "Vurderingsteamet" not in page
    assert "Påbegynt" not in section  # the designated unit's statuses are not in this report
    assert section.count("<tr><td>TSB-") == 8
    assert "<a href=" not in section  # the report has no requirement pages to link to
