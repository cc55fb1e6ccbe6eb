from pathlib import Path

import pytest
from click.testing import CliRunner

from statuskart.catalog.load import load_catalog, load_catalogs
from statuskart.catalog.model import UNIT_TYPES
from statuskart.cli.commands import main
from statuskart.core.errors import CatalogError

GOOD = """
id: mini
title: Mini
version: "1"
valid_from: 2024-01-01
scale: implementering
priorities: {kritisk: 3, normal: 1}
phases: [{id: H, title: Henvisning}]
requirements:
  - {id: M-01, phase: H, title: A, text: A, priority: kritisk, action: gjør A, source: x}
  - {id: M-02, phase: H, title: B, text: B, priority: normal, action: gjør B, source: x,
     depends_on: [M-01]}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "katalog.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_catalogues_cover_every_pathway_and_phase() -> None:
    cats = load_catalogs()
    assert set(cats) == {
        "tsb",
        "phv",
        "bup",
        "gravide",
        "shl",
        "psykose",
        "spiseforstyrrelser",
        "ocd",
    }
    tsb = cats["tsb"]
    assert len(tsb.requirements) >= 40
    assert {p.title for p in tsb.phases} >= {
        "Henvisning og start",
        "Kartlegging og utredning",
        "Behandling og oppfølging",
        "Avslutning og videre oppfølging",
        "Akuttbehandling og oppfølging etter overdose",
        "Forløpskoordinering og samhandling",
        "Registrering, koding og ledelse",
    }
    assert {r.phase for r in tsb.requirements} == {p.id for p in tsb.phases}
    assert tsb.scale.labels == (
        "Ikke startet",
        "Påbegynt",
        "Delvis implementert",
        "Implementert",
        "Ikke aktuelt",
    )
    for cat in cats.values():
        for r in cat.requirements:
            assert r.title and r.text and r.action and r.source
            assert set(r.unit_types) <= set(UNIT_TYPES)


def test_forlopstid_is_stored_as_data() -> None:
    tsb = load_catalogs()["tsb"]
    limits = {(t.setting, t.limit, t.unit) for t in tsb.by_id["TSB-25"].time_limits}
    assert limits == {("poliklinikk", 21, "kalenderdager"), ("døgn", 7, "kalenderdager")}
    t = tsb.by_id["TSB-37"].time_limits[0]
    assert (t.from_event, t.to_event, t.version) == (
        "Forrige evaluering",
        "Neste evaluering",
        "2019",
    )


def _with_limit(extra: str) -> str:
    limit = "{from: A, to: B, limit: 7, unit: kalenderdager, setting: døgn, version: '1'" + extra
    return GOOD.replace("source: x}", "source: x, time_limits: [" + limit + "}]}", 1)


def test_a_range_is_stored_with_its_lower_bound_and_reads_as_a_range(tmp_path: Path) -> None:
    """Gravide døgn is «3–7 kalenderdager» in the text: stored as written, not as ≤ 7."""
    (ranged,) = load_catalog(write(tmp_path, _with_limit(", min: 3"))).by_id["M-01"].time_limits
    assert (ranged.min_limit, ranged.limit) == (3, 7)
    assert ranged.describe() == "A → B: 3–7 kalenderdager (døgn, 1)"
    (plain,) = load_catalog(write(tmp_path, _with_limit(""))).by_id["M-01"].time_limits
    assert plain.min_limit is None and plain.describe() == "A → B: ≤ 7 kalenderdager (døgn, 1)"


@pytest.mark.parametrize("low", ["7", "8", "-1", "tre", "true"])
def test_a_lower_bound_outside_0_to_below_the_limit_is_refused(tmp_path: Path, low: str) -> None:
    with pytest.raises(CatalogError, match="nedre grense"):
        load_catalog(write(tmp_path, _with_limit(f", min: {low}")))


def test_gravide_dogn_keeps_the_texts_3_to_7_days() -> None:
    gr05 = load_catalogs()["gravide"].by_id["GR-05"]
    dogn = next(t for t in gr05.time_limits if t.setting == "døgn")
    assert (dogn.min_limit, dogn.limit, dogn.unit) == (3, 7, "kalenderdager")


def test_user_catalogue_loads_and_replaces_by_id(tmp_path: Path) -> None:
    cat = load_catalog(write(tmp_path, GOOD))
    assert cat.by_id["M-02"].depends_on == ("M-01",)
    assert load_catalogs([tmp_path / "katalog.yaml"])["mini"].title == "Mini"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("id: M-02", "id: M-01"), "krav-ID M-01 er brukt mer enn én gang"),
        (("phase: H, title: B", "phase: Q, title: B"), "krav M-02: ukjent fase «Q»"),
        (("depends_on: [M-01]", "depends_on: [M-09]"), "krav M-02: avhenger av ukjent krav M-09"),
        (("priority: normal", "priority: viktig"), "krav M-02: ukjent prioritet «viktig»"),
        (("scale: implementering", "scale: ukjent"), "skala «ukjent» finnes ikke"),
        (("source: x}", "source: x, depends_on: [M-02]}"), "avhengighetene går i ring"),
        (("source: x}", "source: x, prioritet: høy}"), "krav M-01: ukjente felt prioritet"),
        (("title: Henvisning}", "title: Henvisning, start}"), "fase «H»: ukjente felt start"),
        (
            ("scale: implementering", "scale: [{label: 'Ja, \"helt\"', points: 1}]"),
            "inneholder anførselstegn eller komma",
        ),
        (
            ("scale: implementering", "scale: [" + "{label: " + "x" * 300 + ", points: 1}]"),
            "for lange for nedtrekkslisten",
        ),
    ],
)
def test_broken_catalogue_names_file_and_entry(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    path = write(tmp_path, GOOD.replace(*change, 1))
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert str(path) in str(err.value)
    assert expected in str(err.value)


def test_invalid_yaml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="ikke gyldig YAML"):
        load_catalog(write(tmp_path, "id: [unclosed"))
    with pytest.raises(CatalogError, match="Finner ikke katalogfilen"):
        load_catalog(tmp_path / "nope.yaml")


def test_cli_bad_catalogue_is_one_line_exit_2(tmp_path: Path, runner: CliRunner) -> None:
    path = write(tmp_path, GOOD.replace("phase: H, title: B", "phase: Q, title: B"))
    result = runner.invoke(
        main, ["template", "--catalog", str(path), "-o", str(tmp_path / "x.xlsx")]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("Feil: Katalogfilen")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
