"""Unit pages kept from the last build: a page whose inputs are unchanged is copied, not rendered.

A rebuild after one changed skjema rendered all ~1,000 unit pages again (4.5 s in process; the
rebuild's whole pages stage took 6.7 s), though a handful of them changed. A unit page is a
function of the code and of what it is given, so each gets a key, a SHA-256 of:

- the code: every file of the package and of its page templates, Jinja's and MarkupSafe's versions;
- what all unit pages share (``UnitPageModel`` without the HF rows, the page context, the set of
  pages), pickled once per build;
- the page's own variables (its unit's view, its HF's rows), pickled per page.

The shipped unit template is given a ``UnitPageModel``, not the report model, so what a unit page
reads is what its key covers: reading anything else fails the page (StrictUndefined) instead of
reading around the key. The same pickled bytes mean the same values, so a kept page is the page
the build would render; equal values pickled differently only make a page render again.

The kept pages are the last build's docs in the cache's work folder. The memo maps each page to
its key and the SHA-256 of the text rendered for it, sealed with the cache's key; a kept page is
copied only when its bytes have that SHA-256. With the user's own templates (``--templates``),
nothing is kept: they get the whole model and every page renders.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import pickle
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from statuskart.catalog.model import Catalogue
from statuskart.core import pickling
from statuskart.core.atomic import link_or_copy, write_atomic
from statuskart.core.cache_guard import seal, unseal
from statuskart.core.identity import name_key
from statuskart.core.resources import default_templates_dir
from statuskart.model.hf_scope import HfScope
from statuskart.model.views import ReportModel
from statuskart.score.scoring import ScoringSettings

MEMO_FILE = "pages.memo"
"""In the work folder beside the kept docs."""
_PACKAGE = Path(__file__).resolve().parent.parent


@dataclasses.dataclass(frozen=True, slots=True)
class UnitPageModel:
    """All of the report model a unit page may read: the page's key covers exactly this."""

    period: str
    settings: ScoringSettings
    shows_text: bool
    method_version: str
    statuskart_version: str
    catalogues: tuple[Catalogue, ...]
    hf_scopes: tuple[HfScope, ...]
    """Only the unit's own HF's rows (facts.hf_scopes_of picks the pathway's among them)."""


def unit_page_models(model: ReportModel) -> dict[str, UnitPageModel]:
    """The narrow model of every HF's unit pages, by the HF's name key."""
    by_hf: dict[str, list[HfScope]] = {}
    for scope in model.hf_scopes:
        by_hf.setdefault(name_key(scope.hf), []).append(scope)
    shared = shared_part(model)
    names = {name_key(u.score.unit.hf) for u in (*model.units, *model.absent_units)}
    return {n: UnitPageModel(**shared, hf_scopes=tuple(by_hf.get(n, ()))) for n in names}


def shared_part(model: ReportModel) -> dict[str, Any]:
    """The narrow model's fields that are the same on every unit page."""
    return {
        "period": model.period,
        "settings": model.settings,
        "shows_text": model.shows_text,
        "method_version": model.method_version,
        "statuskart_version": model.statuskart_version,
        "catalogues": model.catalogues,
    }


@functools.cache
def code_digest() -> bytes:
    """What renders a page: the package's files, the shipped templates, Jinja and MarkupSafe."""
    digest = hashlib.sha256()
    for name in ("jinja2", "markupsafe"):
        try:
            digest.update(f"{name}=={version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}==?\0".encode())
    for folder in (_PACKAGE, default_templates_dir()):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


def pickled(value: object) -> bytes:
    """``value`` as pickle bytes (core/pickling.py): the same bytes only for the same values.

    Never unpickled: only hashed into a key.
    """
    return pickling.dumps(value)


def shared_digest(model: ReportModel, context: Mapping[str, Any], targets: set[str]) -> bytes:
    """The part of every unit page's key that all of them share, once per build.

    ``context``: the page variables every page gets, without the model and ``has_page`` (that
    answers from ``targets``).
    """
    digest = hashlib.sha256(code_digest())
    digest.update(pickled((shared_part(model), dict(context), sorted(targets))))
    return digest.digest()


def page_key(shared: bytes, target: str, template: str, variables: Mapping[str, Any]) -> str | None:
    """The key of one page: its target, template and own variables, on top of ``shared``.

    None when a variable cannot be pickled: the page is then rendered, never kept, instead of
    a speed-up failing the build.
    """
    try:
        data = pickled((target, template, dict(variables)))
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return None
    return hashlib.sha256(shared + data).hexdigest()


class KeptPages:
    """The last build's unit pages and their keys; what this build rendered, for the next."""

    def __init__(self, folder: Path, kept_docs: Path, seal_key: bytes) -> None:
        self.memo = folder / MEMO_FILE
        self.kept_docs = kept_docs
        self.seal_key = seal_key
        self.previous = self._load()
        self.now: dict[str, tuple[str, str]] = {}
        self.reused = 0

    def copy(self, target: str, key: str, docs_dir: Path) -> bool:
        """Put the kept page for ``target`` into ``docs_dir`` if it was made with ``key``.

        A link to the kept file where the file system allows (making a file cost 0.5 ms on
        the test machine, a link a twentieth of that; the site stage then sees the same file
        and need not compare it), else a copy. Either way its bytes are checked where they
        landed.
        """
        entry = self.previous.get(target)
        if entry is None or entry[0] != key:
            return False
        kept, path = self.kept_docs / target, docs_dir / target
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.unlink(missing_ok=True)  # a docs file is never written in place (sync_docs)
            link_or_copy(kept, path)
            data = path.read_bytes()
        except OSError:
            path.unlink(missing_ok=True)
            return False
        if hashlib.sha256(data).hexdigest() != entry[1]:
            path.unlink()
            return False
        self.now[target] = entry
        self.reused += 1
        return True

    def record(self, target: str, key: str, data: bytes) -> None:
        """Remember the page this build rendered for ``target``."""
        self.now[target] = (key, hashlib.sha256(data).hexdigest())

    def save(self) -> None:
        """Write the memo for the next build (sealed; its pages are checked again when used)."""
        payload = json.dumps(self.now, sort_keys=True).encode("utf-8")
        write_atomic(self.memo, seal(self.seal_key, payload))

    def _load(self) -> dict[str, tuple[str, str]]:
        try:
            payload = unseal(self.seal_key, self.memo.read_bytes())
            data = json.loads(payload) if payload is not None else {}
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(target): (entry[0], entry[1])
            for target, entry in data.items()
            if isinstance(entry, list) and [type(e) for e in entry] == [str, str]
        }
