"""The pipeline stays visible: stage packages, imports that run one way, no circles.

``tools/import_graph.py`` holds the layer order (LAYERS); these tests hold the package to it, and
check that the checker itself catches what it is meant to catch.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "statuskart"


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "tools/import_graph.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


graph = _tool()


@pytest.fixture(scope="module")
def picture() -> object:
    return graph.picture()


def test_no_import_runs_up_or_sideways(picture: object) -> None:
    wrong = [f"{a} -> {b}" for a, b in picture.upward]  # type: ignore[attr-defined]
    assert wrong == [], "imports against the stage order (tools/import_graph.py LAYERS)"


def test_no_import_circles(picture: object) -> None:
    assert picture.circles == []  # type: ignore[attr-defined]


def test_the_folder_listing_is_the_pipeline() -> None:
    """Every package under statuskart/ is a stage in LAYERS, and every stage exists."""
    on_disk = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    stages = {stage for layer in graph.LAYERS for stage in layer}
    assert on_disk == stages
    flat = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert flat == ["__init__.py", "__main__.py"], "modules belong in a stage package"


@pytest.mark.parametrize("stage", sorted(s for layer in graph.LAYERS for s in layer))
def test_each_stage_says_what_it_takes_and_hands_on(stage: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text("utf-8")))
    assert doc is not None and "TODO" not in doc
    assert "Takes" in doc and "Hands on" in doc, f"statuskart/{stage}/__init__.py"


@pytest.mark.parametrize(
    ("importer", "imported", "wrong"),
    [
        ("statuskart.score.scoring", "statuskart.validate.model", False),  # down
        ("statuskart.validate.rules", "statuskart.validate.model", False),  # same stage
        ("statuskart.validate.rules", "statuskart.score.scoring", True),  # up
        ("statuskart.render.pages", "statuskart.downloads.write", True),  # sideways, same layer
        ("statuskart.downloads.write", "statuskart.render.pages", True),
        ("statuskart.cli.commands", "statuskart.core.messages", False),
        ("statuskart.core.messages", "statuskart", True),  # the public API sits on top
        ("statuskart", "statuskart.pipeline.build", False),
        ("statuskart.newstage.x", "statuskart.core.errors", True),  # a stage nobody placed
    ],
)
def test_wrong_way_rule(importer: str, imported: str, wrong: bool) -> None:
    assert graph.wrong_way(importer, imported) is wrong


def test_circles_are_found_through_any_length_of_loop() -> None:
    modules = ["a", "b", "c", "d", "e"]
    pairs = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("e", "e")]
    assert graph.circles(modules, pairs) == [["a", "b", "c"], ["e"]]
    assert graph.circles(modules, [("a", "b"), ("b", "c")]) == []


def test_levels_count_the_longest_chain_with_a_circle_as_one() -> None:
    assert graph.levels(["a", "b", "c"], [("a", "b"), ("b", "c")]) == 3
    assert graph.levels(["a", "b", "c"], [("a", "b"), ("b", "a"), ("b", "c")]) == 2


def test_a_reading_worker_imports_the_reader_and_not_the_whole_api() -> None:
    """spawn and forkserver start each worker by importing its module, the package first."""
    probe = (
        "import sys, statuskart.validate.intake; "
        "print(sorted(m for m in ('statuskart.model.report', 'statuskart.pipeline.build', "
        "'statuskart.render', 'mkdocs', 'jinja2') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_every_public_name_comes_from_its_stage_module() -> None:
    import statuskart

    for name in statuskart.__all__:
        value = getattr(statuskart, name)
        home = statuskart._HOMES.get(name, "statuskart.core.version")
        assert value is getattr(importlib.import_module(home), name), name
    assert set(statuskart.__all__) == {"__version__", *statuskart._HOMES}
    assert set(statuskart.__all__) <= set(dir(statuskart))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        statuskart.nope  # noqa: B018
