"""What a process remembers between builds: catalogues, compiled templates, cell styles.

Each must give exactly what the slow way gives, and notice when its input changed.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2.bccache import Bucket
from jinja2.exceptions import SecurityError
from openpyxl import Workbook, load_workbook

from statuskart.catalog import load
from statuskart.core.errors import CatalogError
from statuskart.core.resources import builtin_catalog_files
from statuskart.render import compiled
from statuskart.render.pages import environment
from statuskart.render.template_env import SandboxEnvironment
from statuskart.workbook.styles import BORDER, INPUT_FILL, UNLOCKED, WRAP_TOP, body_font, paint


def _tsb_file() -> Path:
    return next(p for p in builtin_catalog_files() if p.stem == "tsb")


def test_the_same_catalogue_bytes_load_once_and_changed_bytes_load_again(tmp_path: Path) -> None:
    own = tmp_path / "tsb.yaml"
    text = _tsb_file().read_text(encoding="utf-8")
    own.write_text(text, encoding="utf-8")
    first = load.load_catalog(own)
    assert load.load_catalog(own) is first  # parsed once

    own.write_text(text.replace("title: ", "title: Endret ", 1), encoding="utf-8")
    changed = load.load_catalog(own)
    assert changed is not first and changed.title.startswith("Endret ")

    own.write_text(text.replace("phases:", "phasez:", 1), encoding="utf-8")
    with pytest.raises(CatalogError, match="phases"):  # a broken file is never served from memory
        load.load_catalog(own)


def test_a_changed_scales_file_loads_the_catalogue_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statuskart.core.resources import scales_file

    first = load.load_catalog(_tsb_file())
    scales = tmp_path / "scales.yaml"
    scales.write_bytes(scales_file().read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(load, "scales_file", lambda: scales)
    assert load.load_catalog(_tsb_file()) is not first  # a named scale may have changed


def test_a_catalogue_copied_elsewhere_keeps_its_own_path(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "tsb.yaml").write_bytes(_tsb_file().read_bytes())
    a = load.load_catalog(tmp_path / "a" / "tsb.yaml")
    b = load.load_catalog(tmp_path / "b" / "tsb.yaml")
    assert a is not b  # messages name the file the user gave


def _render(env: jinja2.Environment, name: str) -> str:
    return env.get_template(name).render(value="<b>")


def test_compiled_templates_are_reused_and_a_changed_source_is_compiled_again(
    tmp_path: Path,
) -> None:
    cache = compiled.CompiledTemplates()
    (tmp_path / "side.j2").write_text("a {{ value }}", encoding="utf-8")

    def env() -> jinja2.Environment:
        loader = jinja2.FileSystemLoader(str(tmp_path))
        return jinja2.Environment(loader=loader, autoescape=True, bytecode_cache=cache)

    assert _render(env(), "side.j2") == "a &lt;b&gt;"
    assert len(cache._code) == 1
    assert _render(env(), "side.j2") == "a &lt;b&gt;"
    (tmp_path / "side.j2").write_text("b {{ value }}", encoding="utf-8")
    assert _render(env(), "side.j2") == "b &lt;b&gt;"


def test_code_compiled_for_a_plain_environment_never_runs_in_the_sandbox(tmp_path: Path) -> None:
    """The sandbox checks each call in the code Jinja generates for it: the two never share it."""
    cache = compiled.CompiledTemplates()
    (tmp_path / "call.j2").write_text("{{ make() }}", encoding="utf-8")
    loader = jinja2.FileSystemLoader(str(tmp_path))
    plain = jinja2.Environment(loader=loader, bytecode_cache=cache)
    assert plain.get_template("call.j2").render(make=dict) == "{}"
    sandbox = SandboxEnvironment(loader=loader, bytecode_cache=cache)
    with pytest.raises(SecurityError):  # no class may be called from a user's template
        sandbox.get_template("call.j2").render(make=dict)
    assert len(cache._code) == 2
    assert compiled.compile_kind(plain) != compiled.compile_kind(sandbox)


def test_a_user_template_in_the_sandbox_is_still_refused_after_ours_were_compiled(
    tmp_path: Path,
) -> None:
    environment().get_template("unit.md.j2")  # ours, plain, now in compiled.PAGES
    (tmp_path / "unit.md.j2").write_text("{{ model.__init__.__globals__ }}", encoding="utf-8")
    env = environment([tmp_path])
    with pytest.raises(SecurityError):
        env.get_template("unit.md.j2").render(model=object())


def test_the_compiled_cache_starts_over_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    cache = compiled.CompiledTemplates()
    monkeypatch.setattr(compiled, "MAX_TEMPLATES", 2)
    env = jinja2.Environment()
    for name in ("a", "b", "c"):
        bucket = Bucket(env, name, "checksum")
        bucket.code = compile("x = 1", name, "exec")
        cache.dump_bytecode(bucket)
    assert len(cache._code) == 1


def _styles(cell: Any) -> tuple[object, ...]:
    names = ("font", "fill", "border", "alignment", "protection")
    return (*(repr(getattr(cell, name)) for name in names), cell.number_format)


def test_paint_gives_the_same_cell_as_setting_each_style() -> None:
    books = Workbook(), Workbook()
    slow, fast = (book.worksheets[0] for book in books)
    recipes: list[dict[str, Any]] = [
        {"protection": UNLOCKED, "fill": INPUT_FILL, "border": BORDER, "alignment": WRAP_TOP},
        {"font": body_font(bold=True), "border": BORDER},
        {"fill": INPUT_FILL, "number_format": "DD.MM.YYYY"},
    ]
    for row in range(1, 5):
        for column, recipe in enumerate(recipes, start=1):
            for name, value in recipe.items():
                setattr(slow.cell(row, column), name, value)
            paint(fast.cell(row, column), **recipe)
    paint(fast.cell(1, 1), font=body_font(italic=True))  # over a painted style
    slow.cell(1, 1).font = body_font(italic=True)
    for row in range(1, 5):
        for column in range(1, 4):
            assert _styles(fast.cell(row, column)) == _styles(slow.cell(row, column))
    fast.cell(2, 2).font = body_font(color="FF0000")  # one cell changed alone
    assert fast.cell(3, 2).font.color is None
    saved = []
    for book in books:
        buffer = io.BytesIO()
        book.save(buffer)
        saved.append(load_workbook(buffer).worksheets[0])
    for row in range(1, 5):
        assert _styles(saved[0].cell(row, 1)) == _styles(saved[1].cell(row, 1))
