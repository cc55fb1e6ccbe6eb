"""The page templates' sandbox: one Jinja environment for the user's templates and ours.

A ``--templates`` folder may sit on a shared drive and be written by anyone who can reach it, so
templates are foreign code. They render in Jinja's immutable sandbox (no ``__globals__``, no
mutation of lists and dicts), may not touch paths, modules or files through the report model,
and are read only from inside their folder (a symlink out is refused). What a user template
prints passes the same allow-list as a trust's own pages (safe_html.TEMPLATE).
"""

from __future__ import annotations

import io
import os
import re
import types
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any

import jinja2
import jinja2.meta
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError
from statuskart.render import safe_html
from statuskart.render.safe_address import Refused, any_local

PATH_ATTRIBUTES = frozenset({"name", "stem", "suffix", "parent", "parts"})
"""All a template may read from a path: no read_text(), write_text(), open(), unlink()…"""


class SandboxEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, closed also to paths, modules, files and classes.

    Whether an attribute is safe depends only on the object's type and the attribute's name
    (Jinja's own rules and ours), so each answer is remembered: a unit page reads thousands of
    attributes, and asking afresh each time made the pages stage 75 % slower.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Paths expose only their names; modules and open files nothing."""
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            if isinstance(obj, PurePath):
                safe = attr in PATH_ATTRIBUTES
            elif isinstance(obj, types.ModuleType | io.IOBase):
                safe = False
            else:
                safe = bool(super().is_safe_attribute(obj, attr, value))
            self._safe[key] = safe
        return safe

    def is_safe_callable(self, obj: Any) -> bool:
        """No class may be called from a template (it would make a Path, a file, a process)."""
        return not isinstance(obj, type) and bool(super().is_safe_callable(obj))


class FolderLoader(jinja2.FileSystemLoader):
    """A template folder's files, and nothing a symlink inside it points to elsewhere."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        """The template's text; ConfigError if its real path leaves the folder."""
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(os.path.realpath(filename))
        roots = [Path(os.path.realpath(p)) for p in self.searchpath]
        if not any(root == real or root in real.parents for root in roots):
            raise ConfigError(
                msg.TEMPLATE_OUTSIDE.format(name=template, folder=self.searchpath[0], target=real)
            )
        return source, filename, uptodate


def template_location(exc: BaseException, page: str) -> tuple[str, int | str]:
    """The template file and line an exception was raised in (Jinja rewrites the traceback)."""
    where: str = page
    line: int | str = "?"
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and not filename.startswith("<"):
            where, line = filename, tb.tb_lineno
        tb = tb.tb_next
    return where, line


def sandbox_breach(exc: SecurityError, page: str) -> ConfigError:
    """One bokmål line naming the template file and line that tried to leave the sandbox."""
    where, line = template_location(exc, page)
    name = re.search(r"attribute '([^']*)'", str(exc))
    what = msg.TEMPLATE_SANDBOX_ANY
    if name:
        what = msg.TEMPLATE_SANDBOX_NAME.format(name=name.group(1))
    return ConfigError(msg.TEMPLATE_SANDBOX.format(file=where, line=line, what=what))


def template_crash(exc: BaseException, page: str) -> ConfigError:
    """A template that fails while it runs (1/0, range too big, a bad index): file and line."""
    where, line = template_location(exc, page)
    error = next(
        (words for kind, words in msg.TEMPLATE_CRASH_KINDS if isinstance(exc, kind)),
        msg.TEMPLATE_CRASH_OTHER,
    )
    return ConfigError(msg.TEMPLATE_CRASHED.format(file=where, line=line, page=page, error=error))


class UserTemplates:
    """Which page templates draw on the user's folders, and a check of what they print."""

    def __init__(self, env: jinja2.Environment, folders: Sequence[Path]) -> None:
        self.env = env
        self.folders = [Path(os.path.realpath(f)) for f in folders]
        self._files: dict[str, tuple[str, ...]] = {}

    def files(self, name: str) -> tuple[str, ...]:
        """The user's template files a page template uses, itself and what it pulls in."""
        if not self.folders:
            return ()
        if name not in self._files:
            self._files[name] = ()  # a template that includes itself ends here
            found: list[str] = []
            assert self.env.loader is not None
            _, filename, _ = self.env.loader.get_source(self.env, name)
            if filename is None:
                return ()
            if self._is_user(filename):
                found.append(filename)
            source = Path(filename).read_text(encoding="utf-8")
            for ref in jinja2.meta.find_referenced_templates(self.env.parse(source)):
                if ref is None:  # a name computed at render time: may be any user file
                    found.append(filename)
                else:
                    found += self.files(ref)
            self._files[name] = tuple(dict.fromkeys(found))
        return self._files[name]

    def check(self, name: str, target: str, text: str) -> None:
        """Refuse a page whose user-written template printed what a page may not hold."""
        files = self.files(name)
        if not files:
            return
        try:
            safe_html.check_markdown(text, safe_html.TEMPLATE, any_local)
        except Refused as refused:
            raise ConfigError(
                msg.TEMPLATE_UNSAFE.format(file=", ".join(files), page=target, found=refused.found)
            ) from None

    def _is_user(self, filename: str) -> bool:
        real = Path(os.path.realpath(filename))
        return any(folder in real.parents for folder in self.folders)
