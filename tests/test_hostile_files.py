"""Hostile catalogues and registers: refused quickly with one «Feil:» line, never a traceback."""

import io
import os
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from openpyxl import Workbook

from statuskart.catalog import safe_yaml
from statuskart.catalog.load import load_catalog
from statuskart.cli.commands import main
from statuskart.core import messages as msg
from statuskart.core.errors import CatalogError, ConfigError
from statuskart.score.actions import suggest_actions
from statuskart.validate.expected_units import load_register

from .conftest import WorkbookFactory, worksheet
from .test_catalog import GOOD
from .test_registry import REGISTRY
from .test_scoring import submission

BOMB = "\n".join(
    ['lol0: &lol0 "lol"']
    + [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]" for i in range(1, 10)]
)


def one_line_error(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Feil: "), result.stderr
    return lines[0]


def test_alias_bomb_in_a_catalogue_is_refused_quickly(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bombe.yaml"
    path.write_text(BOMB + "\n" + GOOD.replace("title: Mini", "title: *lol9"), encoding="utf-8")
    start = time.perf_counter()
    result = runner.invoke(main, ["template", "--catalog", str(path), "-o", str(tmp_path / "x")])
    assert time.perf_counter() - start < 5
    line = one_line_error(result)
    assert f"Katalogfilen {path}" in line and "YAML-aliaser (*navn) er ikke tillatt" in line
    assert not (tmp_path / "x").exists()


def test_alias_bomb_in_the_register_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "enheter.yaml"
    path.write_text(BOMB + "\nenheter:\n  - {rhf: *lol9, hf: A, enhet: B}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"YAML-aliaser .*linje 2"):
        load_register(path)


def chain(n: int, *, cycle: bool = False) -> str:
    head = GOOD.split("requirements:")[0] + "requirements:\n"
    rows = []
    for i in range(1, n + 1):
        dep = f"M-{i - 1}" if i > 1 else (f"M-{n}" if cycle else None)
        deps = f", depends_on: [{dep}]" if dep else ""
        rows.append(
            f"  - {{id: M-{i}, phase: H, title: T{i}, text: x, priority: normal, action: a, "
            f"source: s{deps}}}"
        )
    return head + "\n".join(rows) + "\n"


def test_deep_dependency_chain_loads_and_ranks_without_recursion(tmp_path: Path) -> None:
    path = tmp_path / "lang.yaml"
    path.write_text(chain(5000), encoding="utf-8")
    catalogue = load_catalog(path)
    assert len(catalogue.requirements) == 5000
    sub = submission({r.id: "Ikke startet" for r in catalogue.requirements})
    actions = suggest_actions(catalogue, sub)
    assert [a.requirement_id for a in actions[:3]] == ["M-1", "M-2", "M-3"]  # order kept
    assert actions[0].blocks == ("M-2",)

    path.write_text(chain(5000, cycle=True), encoding="utf-8")
    with pytest.raises(CatalogError, match="avhengighetene går i ring: M-"):
        load_catalog(path)


def test_catalogue_size_and_nesting_are_bounded(tmp_path: Path) -> None:
    path = tmp_path / "stor.yaml"
    path.write_text(chain(10_001), encoding="utf-8")
    with pytest.raises(CatalogError, match="katalogen har 10001 krav; grensen er 10000"):
        load_catalog(path)
    path.write_text("id: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    # newer libyaml refuses the depth itself; either way one clean bokmål line
    with pytest.raises(CatalogError, match=r"(for dypt nøstet|ikke gyldig) YAML \(linje 1\)"):
        load_catalog(path)
    with path.open("wb") as fh:
        fh.truncate(11 * 2**20)
    with pytest.raises(CatalogError, match="filen er 11 MB; grensen er 10 MB"):
        load_catalog(path)
    fifo = tmp_path / "rør.yaml"
    os.mkfifo(fifo)
    with pytest.raises(CatalogError, match="ikke en vanlig fil"):
        load_catalog(fifo)


def test_surrogates_and_bad_utf8_in_register_and_catalogue(
    runner: CliRunner, filled_workbook: WorkbookFactory, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = filled_workbook().parent
    site = tmp_path_factory.mktemp("out") / "s"  # beside the input, never inside it
    register = folder / "enheter.yaml"
    register.write_text(REGISTRY.replace("Døgnenhet Nord", '"Døgnenhet \\ud800"'), "utf-8")
    line = one_line_error(runner.invoke(main, ["build", str(folder), "-o", str(site)]))
    # libyaml refuses the escape as bad YAML; with PyYAML's pure-Python reader our loader's own
    # check names it (test_pure_python_yaml_refuses_lone_surrogates tests that loader wherever).
    with_libyaml = safe_yaml._BASE is not yaml.SafeLoader
    reason = (msg.YAML_SYNTAX if with_libyaml else msg.YAML_SURROGATE).format(line=7)
    assert line.endswith(f"Kan ikke lese enhetsregisteret {register}: {reason}"), line

    register.write_bytes(REGISTRY.encode("utf-8").replace("ø".encode(), b"\xf8"))
    line = one_line_error(runner.invoke(main, ["build", str(folder), "-o", str(site)]))
    assert "ikke gyldig UTF-8-tekst (linje 7)" in line

    register.write_text(REGISTRY.replace("Døgnenhet Nord", "Døgnenhet \x1b[31m"), "utf-8")
    line = one_line_error(runner.invoke(main, ["build", str(folder), "-o", str(site)]))
    assert "kontrolltegn som ikke er tillatt i YAML (U+001B)" in line

    catalogue = site.parent / "k.yaml"
    catalogue.write_text(GOOD.replace("title: Mini", 'title: "Mini \\udfff"'), "utf-8")
    line = one_line_error(runner.invoke(main, ["template", "--catalog", str(catalogue)]))
    assert f"Katalogfilen {catalogue}" in line and "linje 3" in line
    catalogue.write_bytes(GOOD.encode().replace(b"Mini", b"Mini \xff"))
    line = one_line_error(runner.invoke(main, ["template", "--catalog", str(catalogue)]))
    assert "ikke gyldig UTF-8-tekst (linje 3)" in line


def test_pure_python_yaml_refuses_lone_surrogates() -> None:
    loader = safe_yaml.loader_for(yaml.SafeLoader)
    assert yaml.load('a: "Bodø \\u00e5"', Loader=loader) == {"a": "Bodø å"}
    with pytest.raises(safe_yaml.UnsafeYamlError, match=r"surrogat-escape.*linje 2"):
        yaml.load('a: 1\nb: "x \\ud800"', Loader=loader)


def xlsx_with_entity_bomb() -> bytes:
    wb = Workbook()
    worksheet(wb).append(["RHF", "HF", "Enhet"])
    worksheet(wb).append(["Helse Vest RHF", "Helse Bergen HF", "&lol;"])
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    doctype = b'<!DOCTYPE x [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = doctype + part
            dst.writestr(info, part)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"RHF;HF;Enhet\nHelse Vest RHF;Helse Bergen HF;X\n", "ikke et regneark"),
        (xlsx_with_entity_bomb(), "XML-konstruksjoner som kan brukes til angrep"),
        (None, "30 MB, grensen er 20 MB"),
    ],
    ids=["csv-text", "entity-bomb", "too-large"],  # stable ids: the zip bytes hold a timestamp
)
def test_register_xlsx_goes_through_the_reader_guards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content, expected
) -> None:
    path = tmp_path / "enheter.xlsx"
    if content is None:
        with path.open("wb") as fh:
            fh.truncate(30 * 2**20)
        monkeypatch.setattr(Path, "open", lambda *a, **k: pytest.fail("read before size check"))
    else:
        path.write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        load_register(path)
    assert str(caught.value).startswith(f"Kan ikke lese enhetsregisteret {path}: ")
    assert expected in str(caught.value)
