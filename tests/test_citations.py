"""Comments cite only what is in the repository (issue #26).

Scanned: comments and docstrings in Python, ``#`` comments in YAML and text files, ``{# #}``
comments in templates, and every Markdown file, under statuskart/, templates/, tools/, tests/ and
docs/. Three rules:

- the notes folder beside the repository («shared») is never cited: a reader does not have it;
- a path into the repository (``docs/dev/domain.md``) exists, and a ``§`` after it names a numbered
  heading of that file;
- a bare or relative ``.md`` name outside backticks in code (``domain.md §3``) exists beside the
  file or at the repository root; in developer docs a Markdown link resolves from the file.

URLs are left out. Other Markdown may be pages of a built site, whose links name generated pages,
so only its repository paths are checked.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("statuskart", "templates", "tools", "tests", "docs")
SKIPPED = (ROOT / "tests" / "data",)
"""Test inputs (hostile and broken files), not text anyone reads as documentation."""
DEV_DOCS = ROOT / "docs" / "dev"
"""Read in the repository, never copied into a site: their relative links must resolve here."""
PENDING: dict[str, str] = {}
"""Docs already cited but still being written, with why. An entry goes when its file lands."""

URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")
SHARED = re.compile(r"(?<![\w-])shared/")
DOC = re.compile(r"(?<![\w./-])((?:\.\.?/)*[\w./-]*\w\.md(?:\.j2)?)(?![\w-])")
SECTION = re.compile(r"§\s*(\d+(?:\.\d+)*)")
HEADING = re.compile(r"^#{1,6}\s+§?(\d+(?:\.\d+)*)\.?\s")
CODE_SPAN = re.compile(r"``.*?``|`[^`]*`")
MD_LINK = re.compile(r"\]\(([^)\s#]+\.md)(?:#[^)]*)?\)")

Lines = list[tuple[int, str]]


def python_text(path: Path) -> Lines:
    """Comments and docstrings, with the line each starts on."""
    source = path.read_text(encoding="utf-8")
    found = [
        (tok.start[0], tok.string)
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                lines = first.value.value.splitlines()
                found += [(first.lineno + i, line) for i, line in enumerate(lines)]
    return found


def hash_comments(path: Path) -> Lines:
    """``#`` comments of YAML and text files (a ``#`` at the start or after a space)."""
    found: Lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.search(r"(?:^|\s)#.*", line)
        if match:
            found.append((number, match.group()))
    return found


def jinja_comments(path: Path) -> Lines:
    """``{# … #}`` comments, one entry per line."""
    text = path.read_text(encoding="utf-8")
    found: Lines = []
    for match in re.finditer(r"\{#.*?#\}", text, re.DOTALL):
        first = text.count("\n", 0, match.start()) + 1
        found += [(first + i, line) for i, line in enumerate(match.group().splitlines())]
    return found


def markdown_text(path: Path) -> Lines:
    """Every line: in a doc, all of it is for the reader."""
    return list(enumerate(path.read_text(encoding="utf-8").splitlines(), start=1))


READERS: dict[str, Callable[[Path], Lines]] = {
    ".py": python_text,
    ".yaml": hash_comments,
    ".yml": hash_comments,
    ".txt": hash_comments,
    ".j2": jinja_comments,
    ".md": markdown_text,
}


def scanned_files() -> Iterator[Path]:
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            if (
                path.is_file()
                and path.suffix in READERS
                and not any(skipped in path.parents for skipped in SKIPPED)
            ):
                yield path


def numbered_sections(doc: Path) -> set[str]:
    """Section numbers of a Markdown file's headings («## 4. …», «### 4.1 …» → 4, 4.1)."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    return {m.group(1) for line in lines if (m := HEADING.match(line))}


def top_level_names() -> set[str]:
    return {p.name for p in ROOT.iterdir() if p.name != ".git"}


def problems_in(path: Path, lines: Lines) -> list[str]:
    """What in ``lines`` of ``path`` cites something that is not in the repository."""
    problems: list[str] = []
    rel = path.relative_to(ROOT)
    top = top_level_names()
    is_markdown = path.suffix == ".md"
    for number, raw in lines:
        text = URL.sub(" ", raw)
        where = f"{rel}:{number}"
        if SHARED.search(text):
            problems.append(f"{where}: cites shared/, which is not in the repository")
        matches = list(DOC.finditer(text))
        for i, match in enumerate(matches):
            ref = match.group(1)
            in_repo = ref.split("/", 1)[0] in top and "/" in ref
            target = ROOT / ref
            if not in_repo:
                if is_markdown:
                    continue
                if match.start() in _code_span_positions(text):
                    continue  # a value in code (``page.md``), not a citation
                candidates = [path.parent / ref, ROOT / ref, ROOT / "templates" / ref]
                target = next((c for c in candidates if c.is_file()), candidates[0])
            if not target.is_file():
                if ref not in PENDING:
                    problems.append(f"{where}: cites {ref}, which does not exist")
                continue
            if target.suffix != ".md":
                continue
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            wanted = SECTION.findall(text[match.end() : end])
            missing = [s for s in wanted if s not in numbered_sections(target)]
            if missing:
                cited = ", ".join(f"§{s}" for s in missing)
                problems.append(f"{where}: cites {ref} {cited}, which has no such section")
        if is_markdown and (path == DEV_DOCS or DEV_DOCS in path.parents):
            for link in MD_LINK.findall(text):
                if not (path.parent / link).is_file():
                    problems.append(f"{where}: links to {link}, which does not exist")
    return problems


def _code_span_positions(text: str) -> set[int]:
    return {i for span in CODE_SPAN.finditer(text) for i in range(*span.span())}


def test_nothing_cites_outside_the_repository_or_a_missing_doc() -> None:
    problems = [
        problem
        for path in scanned_files()
        for problem in problems_in(path, READERS[path.suffix](path))
    ]
    assert not problems, "\n".join(problems)


def test_pending_docs_are_still_missing() -> None:
    """A pending doc that exists is checked like any other: its entry must go."""
    landed = [rel for rel in PENDING if (ROOT / rel).exists()]
    assert not landed, f"these exist now, remove them from PENDING: {landed}"


def test_the_scan_sees_the_citations_it_must_check() -> None:
    """The readers find real citations where they are, so an empty result above means something."""
    cases = {
        "statuskart/workbook/organisations.py": "docs/dev/domain.md §3",
        "statuskart/core/resources.py": "docs/dev/packaging.md §1",
        "statuskart/catalog/data/tsb.yaml": "docs/dev/domain.md §2.1",
        "docs/dev/dependencies.md": "docs/dev/packaging.md",
    }
    for rel, citation in cases.items():
        path = ROOT / rel
        assert path in set(scanned_files()), rel
        assert any(citation in text for _, text in READERS[path.suffix](path)), rel


def test_each_rule_reports_what_it_is_for() -> None:
    code = ROOT / "statuskart" / "core" / "resources.py"
    lines = [
        (1, "# Written from shared/domain.md §2.1."),
        (2, "# See domain.md §3 for the organisations."),
        (3, "# See docs/dev/domain.md §99 and docs/dev/gone.md."),
        (4, "# ``page.md`` is an example value; https://example.org/x/shared/a.md is a URL."),
        (5, "# Fine: docs/dev/domain.md §3 and §4.1, templates/method.md.j2."),
    ]
    assert problems_in(code, lines) == [
        "statuskart/core/resources.py:1: cites shared/, which is not in the repository",
        "statuskart/core/resources.py:1: cites shared/domain.md, which does not exist",
        "statuskart/core/resources.py:2: cites domain.md, which does not exist",
        "statuskart/core/resources.py:3: cites docs/dev/domain.md §99, which has no such section",
        "statuskart/core/resources.py:3: cites docs/dev/gone.md, which does not exist",
    ]
    dev_doc = DEV_DOCS / "packaging.md"
    links = [(7, "See [domain](domain.md) and [the gone page](gone.md).")]
    assert problems_in(dev_doc, links) == [
        "docs/dev/packaging.md:7: links to gone.md, which does not exist"
    ]
