"""Mutation testing for the rule modules: does the test suite notice a wrong method?

Each mutant is one small change to the source (a flipped comparison, a shifted constant, a swapped
and/or, a forced condition, a dropped return value …). The mutated module is written into a private
copy of the repository, and a focused, fast test selection runs against it. A mutant that no test
notices ("survived") points at a rule nothing pins. The real files are never edited.

    python tools/mutate.py                     # all modules, 2 workers
    python tools/mutate.py --module scoring    # one module (repeatable)
    python tools/mutate.py --list              # show the mutants, run nothing
    python tools/mutate.py --ref HEAD~3        # the score of an earlier commit
    python tools/mutate.py --min 90            # exit 1 if a module scores under 90 %

Score = detected / (mutants − equivalent), where detected is killed (a test failed), error (the
mutant does not even import) or timeout. Results go to mutation-report.json (--json to move it).

Known EQUIVALENT mutants (the change cannot alter behaviour) are listed with a one-line reason in
tools/equivalent_mutants.txt; they are reported but not counted. Stdlib only.
"""

from __future__ import annotations

import argparse
import ast
import copy
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENT_FILE = ROOT / "tools" / "equivalent_mutants.txt"
COPY_ITEMS = (
    "statuskart",
    "tests",
    "templates",
    "checklists",
    "docs/brukerveiledning",  # every site build ships the user guide (resources.guide_dir)
    "pyproject.toml",
    "mkdocs.yml",
)
PYTEST = ("-x", "-q", "-p", "no:cacheprovider", "-m", "not slow and not browser")


@dataclass(frozen=True)
class Target:
    """A source file to mutate and the tests that should catch its mutants."""

    module: str
    path: str
    tests: tuple[str, ...]
    deselect: str = ""
    """A pytest -k expression excluding slow tests that do not exercise this module."""
    functions: frozenset[str] = frozenset()
    """Only mutate inside these functions (empty: the whole file)."""
    only_calls: frozenset[str] = frozenset()
    """Only unwrap calls to these names (for a file whose rest belongs to another module)."""


TARGETS: dict[str, tuple[Target, ...]] = {
    "scoring": (
        Target(
            "scoring",
            "statuskart/score/scoring.py",
            ("tests/test_scoring.py", "tests/test_scoring_rules.py"),
        ),
    ),
    "actions": (
        Target(
            "actions",
            "statuskart/score/actions.py",
            ("tests/test_scoring.py", "tests/test_actions_rules.py"),
        ),
    ),
    "validation": (
        Target(
            "validation",
            "statuskart/validate/rules.py",
            (
                "tests/test_validation_rules.py",
                "tests/test_validation.py",
                "tests/test_applicability.py",
                "tests/test_stamp.py",
                "tests/test_row_identity.py",
                "tests/test_structure_findings.py",
                "tests/test_validation_edges.py",
                "tests/test_share_rules.py",
                "tests/test_identity.py",
                "tests/test_local_requirements.py",
                "tests/test_round_dates.py",
            ),
            deselect="not hostile and not corpus and not far_away and not one_bad",
        ),
        Target(
            # the types validation hands on, with the rules stated on them (unfinished, overdue)
            "validation",
            "statuskart/validate/model.py",
            (
                "tests/test_actions_rules.py",
                "tests/test_validation_rules.py",
                "tests/test_round_dates.py",
                "tests/test_registry.py",
            ),
        ),
        Target(
            "validation",
            "statuskart/validate/typed_values.py",
            (
                "tests/test_validation_rules.py",
                "tests/test_validation.py",
                "tests/test_applicability.py",
                "tests/test_stamp.py",
                "tests/test_share_rules.py",
            ),
            deselect="not hostile and not corpus and not far_away and not one_bad",
        ),
    ),
    "export": (
        Target(
            "export",
            "statuskart/core/serialise.py",
            ("tests/test_export_guard.py",),
            functions=frozenset({"safe_cell"}),
        ),
        Target(
            "export",
            "statuskart/downloads/export.py",
            ("tests/test_export_guard.py",),
            only_calls=frozenset({"safe_cell"}),
        ),
        Target(
            # every XLSX download cell goes through _write; _lines only measures row heights
            "export",
            "statuskart/downloads/xlsx_table.py",
            ("tests/test_export_guard.py",),
            functions=frozenset({"_write"}),
            only_calls=frozenset({"safe_cell"}),
        ),
    ),
}


@dataclass
class Mutant:
    """One change to one file; ``key`` is stable across line moves (used by the allow-list)."""

    module: str
    path: str
    line: int
    function: str
    change: str
    key: str = ""
    outcome: str = ""
    seconds: float = 0.0
    equivalent_reason: str = ""
    index: int = field(default=0, repr=False)


# --- operators ------------------------------------------------------------------------------

CMP_SWAP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
BIN_SWAP: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.Mult,
}
# An edit replaces the node found at a walk position with what the function returns.
Edit = Callable[[ast.AST], ast.AST]


def _shift(value: int | float) -> int | float:
    if isinstance(value, int):
        return value + 1
    return value + 1 if float(value).is_integer() else round(value + 0.01, 6)


def _set_op(op: ast.AST) -> Edit:
    def edit(node: ast.AST) -> ast.AST:
        node.op = op  # type: ignore[attr-defined]
        return node

    return edit


def _set_cmp(i: int, op: ast.cmpop) -> Edit:
    def edit(node: ast.AST) -> ast.AST:
        node.ops[i] = op  # type: ignore[attr-defined]
        return node

    return edit


def _replace_field(name: str, value: Callable[[ast.AST], ast.AST]) -> Edit:
    def edit(node: ast.AST) -> ast.AST:
        setattr(node, name, value(node))
        return node

    return edit


def _replace(value: Callable[[ast.AST], ast.AST]) -> Edit:
    return value


def _src(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 60 else text[:57] + "..."


def _operators(node: ast.AST, target: Target, parent: ast.AST | None) -> Iterator[tuple[str, Edit]]:
    """Every (description, edit) that applies to ``node``."""
    if target.only_calls:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in target.only_calls
            and node.args
        ):
            arg = node.args[0]
            yield f"{_src(node)} → {_src(arg)}", _replace(lambda n, a=arg: copy.deepcopy(a))
        return
    if isinstance(node, ast.Tuple | ast.Set) and isinstance(parent, ast.Compare):
        items = node.elts
        if len(items) > 1 and all(isinstance(e, ast.Constant) for e in items):
            for i, item in enumerate(items):

                def drop(n: ast.AST, i: int = i) -> ast.AST:
                    del n.elts[i]  # type: ignore[attr-defined]
                    return n

                yield f"drop {_src(item)} from {_src(node)}", drop
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in CMP_SWAP:
                new = CMP_SWAP[type(op)]()
                after = copy.deepcopy(node)
                after.ops[i] = new
                yield f"{_src(node)} → {_src(after)}", _set_cmp(i, new)
    elif isinstance(node, ast.BinOp) and type(node.op) in BIN_SWAP:
        new_op = BIN_SWAP[type(node.op)]()
        after = copy.deepcopy(node)
        after.op = new_op
        yield f"{_src(node)} → {_src(after)}", _set_op(new_op)
    elif isinstance(node, ast.AugAssign) and type(node.op) in BIN_SWAP:
        new_op = BIN_SWAP[type(node.op)]()
        yield f"{_src(node)} → op {type(new_op).__name__}", _set_op(new_op)
    elif isinstance(node, ast.BoolOp):
        new_op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        after = copy.deepcopy(node)
        after.op = new_op
        yield f"{_src(node)} → {_src(after)}", _set_op(new_op)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield f"{_src(node)} → {_src(node.operand)}", _replace(lambda n: n.operand)  # type: ignore[attr-defined]
    elif isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool):
            yield f"{v} → {not v}", _replace(lambda n, v=v: ast.Constant(not v))
        elif isinstance(v, int | float):
            yield f"{v!r} → {_shift(v)!r}", _replace(lambda n, v=v: ast.Constant(_shift(v)))
    if isinstance(node, ast.If | ast.IfExp):
        for forced in (True, False):
            yield (
                f"if {_src(node.test)} → if {forced}",
                _replace_field("test", lambda n, f=forced: ast.Constant(f)),
            )
    if isinstance(node, ast.comprehension):
        for i, cond in enumerate(node.ifs):
            for forced in (True, False):

                def edit(n: ast.AST, i: int = i, f: bool = forced) -> ast.AST:
                    n.ifs[i] = ast.Constant(f)  # type: ignore[attr-defined]
                    return n

                yield f"for … if {_src(cond)} → if {forced}", edit
    returns_none = isinstance(node, ast.Return) and (
        node.value is None or (isinstance(node.value, ast.Constant) and node.value.value is None)
    )
    if isinstance(node, ast.Return) and not returns_none:
        yield (
            f"return {_src(node.value)} → return None",
            _replace_field("value", lambda n: ast.Constant(None)),
        )


def _skip_ids(tree: ast.AST) -> set[int]:
    """Nodes never mutated: docstrings, annotations, f-string parts, assert, logging text."""
    skip: set[int] = set()

    def mark(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                mark(first)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            mark(node)  # attribute docstrings
        if isinstance(node, ast.AnnAssign):
            mark(node.annotation)
        if isinstance(node, ast.arg):
            mark(node.annotation)
        if isinstance(node, ast.FunctionDef):
            mark(node.returns)
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            for decorator in node.decorator_list:  # dataclass flags: layout, not behaviour
                mark(decorator)
        if isinstance(node, ast.JoinedStr | ast.Assert | ast.Import | ast.ImportFrom):
            mark(node)
    return skip


Walked = tuple[ast.AST, ast.AST | None, str, int]


def _walk(tree: ast.AST) -> list[Walked]:
    """Nodes in a stable order with parent, enclosing function name and (nearest) line."""
    out: list[Walked] = []

    def visit(node: ast.AST, parent: ast.AST | None, func: str, line: int) -> None:
        line = getattr(node, "lineno", line)
        out.append((node, parent, func, line))
        inner = node.name if isinstance(node, ast.FunctionDef | ast.ClassDef) else func
        if isinstance(node, ast.ClassDef):
            inner = node.name if not func else f"{func}.{node.name}"
        for child in ast.iter_child_nodes(node):
            visit(child, node, inner, line)

    visit(tree, None, "", 0)
    return out


def mutants_of(target: Target, root: Path = ROOT) -> list[Mutant]:
    """All mutants of one target, without running anything."""
    source = (root / target.path).read_text(encoding="utf-8")
    tree = ast.parse(source)
    skip = _skip_ids(tree)
    found: list[Mutant] = []
    seen: dict[str, int] = {}
    for index, (node, parent, func, line) in enumerate(_walk(tree)):
        if id(node) in skip:
            continue
        if target.functions and func.split(".")[0] not in target.functions:
            continue
        for change, _ in _operators(node, target, parent):
            base = f"{target.module}:{Path(target.path).name}:{func or '<module>'}:{change}"
            seen[base] = seen.get(base, 0) + 1
            key = base if seen[base] == 1 else f"{base} #{seen[base]}"
            found.append(
                Mutant(
                    module=target.module,
                    path=target.path,
                    line=line,
                    function=func,
                    change=change,
                    key=key,
                    index=index,
                )
            )
    return found


def mutated_source(original: str, target: Target, mutant: Mutant) -> str:
    """The target's source with exactly this one mutant applied."""
    tree = ast.parse(original)
    node, parent, _, _ = _walk(tree)[mutant.index]
    for change, edit in _operators(node, target, parent):
        if change != mutant.change:
            continue
        new = edit(node)
        if new is not node:
            _swap_child(parent, node, new)
        ast.fix_missing_locations(tree)
        return ast.unparse(tree)
    raise LookupError(mutant.key)


def _swap_child(parent: ast.AST | None, old: ast.AST, new: ast.AST) -> None:
    assert parent is not None
    for name, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, name, new)
            return
        if isinstance(value, list):
            for i, item in enumerate(value):
                if item is old:
                    value[i] = new
                    return
    raise LookupError("child not found")


# --- running --------------------------------------------------------------------------------


def _make_copy(where: Path, ref: str | None) -> Path:
    """A private copy of the repository the tests run against (the real files stay untouched).

    With ``ref``, the copy is that commit's tree (to measure the score at an earlier commit).
    """
    where.mkdir(parents=True)
    if ref:
        present = [i for i in COPY_ITEMS if _in_commit(ref, i)]  # an older commit may lack one
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", ref, "--", *present],
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", str(where)], input=archive.stdout, check=True)
        return where
    for item in COPY_ITEMS:
        src = ROOT / item
        if src.is_dir():
            shutil.copytree(src, where / item, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy2(src, where / item)
    return where


def _in_commit(ref: str, path: str) -> bool:
    """True when ``path`` exists at commit ``ref`` (git archive fails on a missing path)."""
    probe = subprocess.run(
        ["git", "-C", str(ROOT), "cat-file", "-e", f"{ref}:{path}"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def _pytest(copy_root: Path, target: Target, timeout: float) -> tuple[str, float]:
    tests = [t for t in target.tests if (copy_root / t).is_file()]
    args = [sys.executable, "-B", "-m", "pytest", *PYTEST, *tests]
    if target.deselect:
        args += ["-k", target.deselect]
    env = {
        **os.environ,
        "PYTHONPATH": str(copy_root),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",  # halves start-up; the suite needs no plugin
    }
    start = time.monotonic()
    try:
        done = subprocess.run(
            args, cwd=copy_root, env=env, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - start
    seconds = time.monotonic() - start
    if done.returncode == 0:
        return "survived", seconds
    if done.returncode == 1:
        return "killed", seconds
    return "error", seconds  # collection/import error or usage error: the mutant broke loading


def _check_copy(copy_root: Path, target: Target) -> float:
    """The unmutated suite must pass in the copy and import the copy, else results mean nothing."""
    probe = subprocess.run(
        [sys.executable, "-c", "import statuskart; print(statuskart.__file__)"],
        cwd=copy_root,
        env={**os.environ, "PYTHONPATH": str(copy_root)},
        capture_output=True,
        text=True,
        check=True,
    )
    if not probe.stdout.strip().startswith(str(copy_root)):
        raise SystemExit(f"the copy does not shadow the installed package: {probe.stdout}")
    outcome, seconds = _pytest(copy_root, target, timeout=600)
    if outcome != "survived":
        raise SystemExit(f"{target.module}: tests fail without any mutant ({outcome})")
    return seconds


def load_equivalent(path: Path = EQUIVALENT_FILE) -> dict[str, str]:
    """Allow-list lines «key | reason»; blank lines and # comments ignored."""
    if not path.is_file():
        return {}
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, reason = line.partition(" | ")
        if not sep or not reason.strip():
            raise SystemExit(f"{path.name}: every line needs «key | reason»: {line}")
        out[key.strip()] = reason.strip()
    return out


def _one(target: Target, original: str, timeout: float, free: list[Path], m: Mutant) -> Mutant:
    """Run one mutant in a free copy and put the original file back, whatever happens."""
    where = free.pop()
    file = where / target.path
    try:
        file.write_text(mutated_source(original, target, m), encoding="utf-8")
        m.outcome, m.seconds = _pytest(where, target, timeout)
    finally:
        file.write_text(original, encoding="utf-8")
        free.append(where)
    print(f"  {m.outcome:8} {m.path}:{m.line} {m.change}", flush=True)
    return m


def run(
    modules: list[str],
    workers: int,
    json_path: Path,
    ref: str | None = None,
    minimum: float = 0.0,
) -> int:
    """Run every mutant of the chosen modules; print a summary, write JSON; 1 if under minimum."""
    equivalent = load_equivalent()
    results: list[Mutant] = []
    with tempfile.TemporaryDirectory(prefix="statuskart-mutate-") as tmp:
        copies = [_make_copy(Path(tmp) / f"w{i}", ref) for i in range(workers)]
        for module in modules:
            for target in TARGETS[module]:
                if not any((copies[0] / t).is_file() for t in target.tests):
                    # e.g. --ref before the tests existed: nothing can kill a mutant
                    print(f"{module}: none of {', '.join(target.tests)} exists; all survive")
                    for m in mutants_of(target, copies[0]):
                        m.equivalent_reason = equivalent.get(m.key, "")
                        m.outcome = "equivalent" if m.equivalent_reason else "survived"
                        results.append(m)
                    continue
                baseline = _check_copy(copies[0], target)
                timeout = max(60.0, baseline * 5)  # generous: a loaded machine is slow
                mutants = mutants_of(target, copies[0])
                for m in mutants:
                    m.equivalent_reason = equivalent.get(m.key, "")
                todo = [m for m in mutants if not m.equivalent_reason]
                original = (copies[0] / target.path).read_text(encoding="utf-8")
                free = list(copies)
                one = functools.partial(_one, target, original, timeout, free)

                print(f"{module}: {target.path}: {len(todo)} mutants (baseline {baseline:.1f} s)")
                pool = ThreadPoolExecutor(max_workers=workers)
                try:
                    list(pool.map(one, todo))
                finally:
                    pool.shutdown(cancel_futures=True)  # Ctrl-C: stop, and clean up the copies
                for m in mutants:
                    if m.equivalent_reason:
                        m.outcome = "equivalent"
                results.extend(mutants)
    summary = _summary(results, modules)
    _print(results, summary)
    json_path.write_text(
        json.dumps(
            {"summary": summary, "mutants": [asdict(m) for m in results]},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    print(f"JSON: {json_path}")
    stale = set(equivalent) - {m.key for m in results} if modules == list(TARGETS) else set()
    for key in sorted(stale):
        print(f"warning: allow-listed mutant no longer exists: {key}")
    low = [m for m, s in summary.items() if s["score"] < minimum]
    if low:
        print(f"below {minimum:g} %: {', '.join(low)}")
    return 1 if low else 0


def _summary(results: list[Mutant], modules: list[str]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for module in modules:
        ms = [m for m in results if m.module == module]
        count = {o: sum(1 for m in ms if m.outcome == o) for o in _OUTCOMES}
        counted = len(ms) - count["equivalent"]
        detected = count["killed"] + count["timeout"] + count["error"]
        out[module] = {
            "mutants": len(ms),
            **count,
            "score": round(100 * detected / counted, 1) if counted else 100.0,
        }
    return out


_OUTCOMES = ("killed", "timeout", "error", "survived", "equivalent")


def _print(results: list[Mutant], summary: dict[str, dict[str, float]]) -> None:
    print()
    print(
        f"{'module':12} {'mutants':>7} {'killed':>7} {'timeout':>7} {'error':>6} "
        f"{'survived':>8} {'equiv':>6} {'score':>7}"
    )
    for module, s in summary.items():
        print(
            f"{module:12} {s['mutants']:7.0f} {s['killed']:7.0f} {s['timeout']:7.0f} "
            f"{s['error']:6.0f} {s['survived']:8.0f} {s['equivalent']:6.0f} {s['score']:6.1f}%"
        )
    print("(score = (killed + timeout + error) / (mutants − equivalent))")
    survivors = [m for m in results if m.outcome == "survived"]
    if survivors:
        print("\nSurvivors:")
        for m in survivors:
            print(f"  {m.path}:{m.line} [{m.function}] {m.change}")
            print(f"      key: {m.key}")
    equivalent = [m for m in results if m.outcome == "equivalent"]
    if equivalent:
        print("\nEquivalent (not counted):")
        for m in equivalent:
            print(f"  {m.path}:{m.line} {m.change} — {m.equivalent_reason}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", choices=sorted(TARGETS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, default=Path("mutation-report.json"))
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--ref", help="measure a commit (git ref) instead of the working tree")
    parser.add_argument("--min", type=float, default=0.0, help="exit 1 if a module scores lower")
    args = parser.parse_args()
    modules = args.module or list(TARGETS)
    if args.list:
        for module in modules:
            for target in TARGETS[module]:
                for m in mutants_of(target):
                    print(f"{m.path}:{m.line} {m.change}\n    {m.key}")
        return 0
    return run(modules, max(1, args.workers), args.json, args.ref, args.min)


if __name__ == "__main__":
    raise SystemExit(main())
