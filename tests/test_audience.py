"""Audience builds leak nothing: markers in every typed cell, scanned in every shipped file."""

import html
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.core.errors import ConfigError
from statuskart.model.audience import REGIONAL, apply_audience, choose_audience
from statuskart.pipeline.build import run_build
from statuskart.pipeline.run import check_files, load_catalogues
from statuskart.site.engine import GUIDE

from .conftest import TODAY, WorkbookFactory
from .hostile import ALL_FIELDS, CATALOGUE, PRIVATE, marker, write_hostile_inputs
from .shipped import download_csv

pytestmark = pytest.mark.slow


def site_text(site):
    """Every text the site ships: pages, search index, downloads (xlsx and CSV/JSON zips opened)."""
    parts = []
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix in (".xlsx", ".zip"):
            with zipfile.ZipFile(path) as z:
                parts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        elif path.suffix in {".html", ".js", ".json", ".xml", ".txt"}:
            parts.append(path.read_text(encoding="utf-8-sig", errors="replace"))
    return html.unescape("\n".join(parts)).replace("\\n", "\n")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_hostile_inputs(tmp_path_factory.mktemp("audience"))


def build(hostile, site, **audience):
    checklists, catalogue = hostile
    chosen = choose_audience(**audience) if audience else None
    run_build([checklists], site, catalog_files=[catalogue], today=TODAY, audience=chosen)
    return site_text(site).casefold()


def found(text, fields):
    return sorted(f for f in fields if marker(f).casefold() in text)


def test_internal_build_shows_every_typed_field(hostile: tuple[Path, Path], tmp_path: Path) -> None:
    # The positive control for the leak tests below: the scan does see every field.
    assert found(build(hostile, tmp_path / "site"), ALL_FIELDS) == sorted(ALL_FIELDS)


def test_regional_build_carries_no_typed_text(hostile: tuple[Path, Path], tmp_path: Path) -> None:
    site = tmp_path / "site"
    text = build(hostile, site, name=REGIONAL, unit=None)
    assert found(text, PRIVATE) == []
    assert "[tekst utelatt]" in text  # the findings are still there, without what was typed
    guide = site / GUIDE
    assert (guide / "index.html").is_file()  # the user guide ships here too, and is scanned above
    for page in site.rglob("*.html"):
        if page.name != "404.html" and guide not in page.parents:  # the guide shows no report data
            assert "Hva som er utelatt" in page.read_text(encoding="utf-8"), page
    # no column left behind that would only say «utelatt»
    header = download_csv(site / "nedlastinger", "tiltak").splitlines()[0]
    assert "Ansvarlig" not in header.split(";")
    assert "utelatt</td>" not in html.unescape(
        "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    )


def test_one_unit_report_is_that_unit_only(hostile: tuple[Path, Path], tmp_path: Path) -> None:
    checklists, catalogue = hostile
    reports = check_files([checklists], load_catalogues([catalogue]), TODAY)
    units = sorted(
        (r.submission.meta.hf, r.submission.meta.unit)
        for r in reports
        if r.submission and not r.submission.meta.unit.startswith("ZQ")
    )
    (hf, unit), others = units[0], units[1:]
    site = tmp_path / "site"
    text = build(hostile, site, name="enhet", unit=f"{hf}/{unit}")
    assert unit.casefold() in text
    assert all(o.casefold() not in text for _, o in others)
    # the hostile unit in the same round is another unit: none of its text, names included
    assert found(text, [f for f in ALL_FIELDS if f not in CATALOGUE]) == []
    assert not (site / "regioner").exists() and not (site / "krav").exists()
    assert (site / GUIDE / "index.html").is_file()  # the guide is in the scanned text too
    assert not (site / "sammenligning.html").exists() and not (site / "innlevering.html").exists()
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f">{unit}</h1>" in html.unescape(index)  # the landing page is the unit's own page


def test_one_unit_report_for_a_unit_without_a_usable_skjema(
    hostile: tuple[Path, Path], tmp_path: Path
) -> None:
    site = tmp_path / "site"
    text = build(hostile, site, name="enhet", unit="Helse Bergen HF/Avvist enhet")
    assert "kunne ikke skåres" in text
    assert marker("status").casefold() in text  # its own findings, as typed
    assert found(text, [f for f in ALL_FIELDS if f not in (*CATALOGUE, "status", "id")]) == []


def test_unit_selection_by_identity(
    tmp_path_factory: pytest.TempPathFactory, filled_workbook: WorkbookFactory, runner: CliRunner
) -> None:
    out_root = tmp_path_factory.mktemp("out")  # beside the input: never inside it
    folder = filled_workbook(meta={"hf": "Helse Fonna HF", "unit": "ROP-poliklinikk Byen"}).parent
    filled_workbook(meta={"hf": "Helse Bergen HF", "unit": "ROP-poliklinikk Byen"})
    filled_workbook(meta={"hf": "Helse Bergen HF", "unit": "Døgnenhet Nord"})
    ambiguous = runner.invoke(
        main, ["build", str(folder), "-o", str(out_root / "a"), "--unit", "rop poliklinikk byen"]
    )
    assert ambiguous.exit_code == 2
    assert "Helse Fonna HF/ROP-poliklinikk Byen" in ambiguous.stderr
    assert "Helse Bergen HF/ROP-poliklinikk Byen" in ambiguous.stderr
    assert not (out_root / "a").exists()
    for i, args in enumerate(
        (
            ["--unit", "helse fonna hf / rop-poliklinikk byen"],
            ["--hf", "Helse Fonna HF", "--unit", "ROP-poliklinikk Byen"],
            ["--unit", "Helse Vest RHF/Helse Fonna HF/ROP-poliklinikk Byen"],
        )
    ):
        out = out_root / f"site{i}"
        result = runner.invoke(main, ["build", str(folder), "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        text = site_text(out)
        assert "Helse Fonna HF" in text
        assert "Helse Bergen HF" not in text and "Døgnenhet Nord" not in text


def test_audience_choices_are_checked(catalogues: dict[str, Catalogue]) -> None:
    with pytest.raises(ConfigError, match="krever --unit"):
        choose_audience("enhet", None)
    with pytest.raises(ConfigError, match="Ukjent målgruppe"):
        choose_audience("alle", None)
    with pytest.raises(ConfigError, match="Fant ingen enhet"):
        apply_audience(choose_audience("enhet", "Finnes ikke"), (), ())
    # Fail closed: a blank selector is an error, never the full internal report.
    for unit, hf in (("", None), ("  ", None), ("\u200b", None), ("-", None), ("Enhet", " ")):
        with pytest.raises(ConfigError, match="er tom"):
            choose_audience("intern", unit, hf)


def test_cli_audience_errors(runner: CliRunner, hostile: tuple[Path, Path], tmp_path: Path) -> None:
    root, _ = hostile
    result = runner.invoke(
        main, ["build", str(root), "-o", str(tmp_path / "s"), "--audience", "enhet"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == "Feil: Målgruppen «enhet» krever --unit med enhetens navn."
    blank = runner.invoke(main, ["build", str(root), "-o", str(tmp_path / "t"), "--unit", ""])
    assert blank.exit_code == 2 and "--unit er tom" in blank.stderr
    assert not (tmp_path / "t").exists()
