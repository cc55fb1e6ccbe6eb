"""The package's import picture: stages, imports between them, and what runs the wrong way.

``LAYERS`` is the pipeline as the folder listing shows it, lowest first. A module may import
from its own stage and from stages in lower layers; stages that share a layer (``render`` and
``downloads``, ``pipeline`` and ``sample``) may not import each other. The package root (the public
API) and ``__main__`` sit above everything. ``tests/test_architecture.py`` holds the code to this;
``python tools/import_graph.py`` prints the picture for the developer docs.

Every import counts: module level, inside functions and under ``TYPE_CHECKING``, because each is
a dependency a reader has to follow and a circle through a lazy import is still a circle.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import grimp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PACKAGE = "statuskart"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("catalog",),
    ("workbook",),
    ("validate",),
    ("score",),
    ("indicators",),
    ("model",),
    ("render", "downloads"),
    ("site",),
    ("pipeline", "sample"),
    ("cli",),
)
TOP = ("", "__main__")  # the package root (public API) and ``python -m statuskart``


@dataclass(frozen=True)
class Picture:
    """What a reader of the imports sees: sizes, depth, and the imports that break the order."""

    files: int
    imports: int
    levels: int
    upward: list[tuple[str, str]]
    circles: list[list[str]]


def stage_of(module: str) -> str:
    """``statuskart.validate.rules`` → ``validate``; the root is ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def rank_of(stage: str) -> int | None:
    """The stage's layer, lowest 0; None for a stage that is not in ``LAYERS``."""
    if stage in TOP:
        return len(LAYERS)
    for rank, layer in enumerate(LAYERS):
        if stage in layer:
            return rank
    return None


def wrong_way(importer: str, imported: str, stage: Callable[[str], str] = stage_of) -> bool:
    """True for an import up the layers, sideways between siblings, or from an unknown stage."""
    a, b = stage(importer), stage(imported)
    if a == b:
        return False
    ra, rb = rank_of(a), rank_of(b)
    if ra is None or rb is None:
        return True
    return rb >= ra


def edges(package: str = PACKAGE) -> tuple[list[str], list[tuple[str, str]]]:
    """All modules and all module-to-module imports inside the package."""
    graph = grimp.build_graph(package, exclude_type_checking_imports=False, cache_dir=None)
    modules = sorted(graph.modules)
    pairs = sorted(
        (m, imported) for m in modules for imported in graph.find_modules_directly_imported_by(m)
    )
    return modules, pairs


def circles(modules: Iterable[str], pairs: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (Tarjan's SCC)."""
    out: dict[str, list[str]] = {m: [] for m in modules}
    for a, b in pairs:
        out[a].append(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in out[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in out[node]:
                found.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in out:
        if node not in index:
            visit(node)
    return sorted(found)


def levels(modules: Iterable[str], pairs: Iterable[tuple[str, str]]) -> int:
    """The longest chain of imports, counting a circle as one module."""
    pairs = list(pairs)
    group_of = {m: m for m in modules}
    for group in circles(group_of, pairs):
        for member in group:
            group_of[member] = group[0]
    below: dict[str, set[str]] = {g: set() for g in group_of.values()}
    for a, b in pairs:
        if group_of[a] != group_of[b]:
            below[group_of[a]].add(group_of[b])
    depth: dict[str, int] = {}

    def height(node: str) -> int:
        if node not in depth:
            depth[node] = 1 + max((height(b) for b in below[node]), default=0)
        return depth[node]

    return max((height(g) for g in below), default=0)


def picture(package: str = PACKAGE, stage: Callable[[str], str] = stage_of) -> Picture:
    """The whole picture of one package as it is on disk."""
    modules, pairs = edges(package)
    return Picture(
        files=len(modules),
        imports=len(pairs),
        levels=levels(modules, pairs),
        upward=[(a, b) for a, b in pairs if wrong_way(a, b, stage)],
        circles=circles(modules, pairs),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the picture as JSON")
    parser.add_argument(
        "--stages",
        type=Path,
        help="JSON file mapping old module names to stages, to draw an earlier layout",
    )
    args = parser.parse_args()
    stage = stage_of
    if args.stages:
        mapping: dict[str, str] = json.loads(args.stages.read_text(encoding="utf-8"))

        def stage(module: str) -> str:
            name = module.removeprefix(PACKAGE + ".")
            return mapping.get(name, stage_of(module))

    result = picture(stage=stage)
    if args.json:
        print(json.dumps(asdict(result), indent=2))
        return
    print(f"files {result.files}, imports {result.imports}, levels {result.levels}")
    print(f"imports running the wrong way: {len(result.upward)}")
    for a, b in result.upward:
        print(f"  {a} -> {b}")
    print(f"circles: {len(result.circles)}")
    for group in result.circles:
        print("  " + " <-> ".join(group))


if __name__ == "__main__":
    main()
