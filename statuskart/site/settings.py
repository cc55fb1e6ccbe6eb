"""The user's mkdocs.yml read as data: safe YAML, no aliases, and an allow-list of keys.

MkDocs' own loader runs ``!!python/...`` tags, ``!ENV`` lookups and ``hooks:``; a trust's settings
file only needs a title, a logo, colours and a few extra pages. Everything else is refused by name,
because the site promises to run no foreign code and make no request that leaves the machine.
Files the settings name (pages, stylesheets, logo, favicon) come from the docs folder next to
mkdocs.yml and are copied under ``egne/`` in the generated docs, so they can never overwrite a page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import yaml

from statuskart.core import messages as msg
from statuskart.core.atomic import copy_new
from statuskart.core.errors import ConfigError
from statuskart.render import safe_css, safe_html
from statuskart.render.safe_address import LocalCheck, Refused

MAX_BYTES = 256 * 1024
USER_DIR = "egne"
TEXT_KEYS = ("site_name", "site_description", "site_author", "copyright")
ALLOWED = (
    *TEXT_KEYS,
    "theme.logo",
    "theme.favicon",
    "theme.palette",
    "nav",
    "extra_css",
    "docs_dir",
)
THEME_KEYS = ("name", "logo", "favicon", "palette")  # name may only repeat «material»
PALETTE_KEYS = ("scheme", "primary", "accent", "media", "toggle")
PALETTE_VALUE = re.compile(r"^[A-Za-z0-9 ():._-]{1,80}$")
ICON = re.compile(r"^[a-z0-9][a-z0-9/_-]{0,100}$")
NOT_IN_TEXT = re.compile(r'[<>"]')
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
LOADABLE = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico", ".woff", ".woff2")
"""What a page or stylesheet may load from the docs folder: images and fonts, copied with it."""


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """Allowed settings, with file paths already pointing into ``egne/`` of the generated docs."""

    values: Mapping[str, Any]
    files: tuple[tuple[Path, str], ...]  # (file in the user's docs folder, target under docs)
    sources: tuple[Path, ...]  # what was read: the output must not overlap these


def load_site_settings(path: Path) -> SiteSettings:
    """Read, check and translate ``path``; ConfigError (bokmål, naming file and key) otherwise."""
    user = _read_yaml(path)
    refused = _refused_keys(user)
    if refused:
        raise ConfigError(
            msg.SITE_CONFIG_REFUSED.format(
                file=path, keys=", ".join(f"«{k}»" for k in refused), allowed=", ".join(ALLOWED)
            )
        )
    docs = _docs_dir(path, user.get("docs_dir", "docs"))
    reader = _Files(path, docs)
    values: dict[str, Any] = {}
    for key in TEXT_KEYS:
        if key in user:
            values[key] = _text(path, key, user[key])
    theme = user.get("theme") or {}
    if isinstance(theme, str):  # MkDocs' shorthand «theme: material»
        theme = {"name": theme}
    if not isinstance(theme, Mapping):
        raise ConfigError(
            msg.SITE_CONFIG_VALUE.format(file=path, key="theme", problem=msg.SITE_NOT_A_MAPPING)
        )
    if "name" in theme and theme["name"] != "material":
        raise ConfigError(
            msg.SITE_CONFIG_VALUE.format(
                file=path, key="theme.name", problem=msg.SITE_ONLY_MATERIAL
            )
        )
    for key in ("logo", "favicon"):
        if key in theme:
            values.setdefault("theme", {})[key] = reader.file(f"theme.{key}", theme[key])
    if "palette" in theme:
        values.setdefault("theme", {})["palette"] = _palette(path, theme["palette"])
    if "nav" in user:
        values["nav"] = [
            _nav_entry(path, reader, entry) for entry in _list(path, "nav", user["nav"])
        ]
    if "extra_css" in user:
        values["extra_css"] = [
            reader.file("extra_css", item, suffix=".css")
            for item in _list(path, "extra_css", user["extra_css"])
        ]
    sources = (path, docs) if reader.used else (path,)
    return SiteSettings(values=values, files=tuple(reader.used.items()), sources=sources)


def copy_user_files(settings: SiteSettings, docs_dir: Path) -> None:
    """Copy the pages, stylesheets and images the settings name into the generated docs."""
    for source, target in settings.files:
        dest = docs_dir / target
        dest.parent.mkdir(parents=True, exist_ok=True)
        copy_new(source, dest)


MAX_DEPTH = 20
"""Nesting levels allowed in mkdocs.yml: a nav three sections deep needs about eight."""


def _read_yaml(path: Path) -> dict[str, Any]:
    """Safe YAML only (no tags beyond plain data), no anchors or aliases, and a size cap."""
    if not path.is_file():
        raise ConfigError(msg.SITE_CONFIG_MISSING.format(file=path))
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ConfigError(msg.SITE_CONFIG_TOO_LARGE.format(file=path, limit=MAX_BYTES // 1024))
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(msg.SITE_CONFIG_INVALID.format(file=path, error=exc)) from None
    try:
        depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1 if event.start_mark else "?"
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ConfigError(msg.SITE_CONFIG_ALIAS.format(file=path, line=line))
            if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                depth += 1
                if depth > MAX_DEPTH:  # a nav nested 20,000 deep would exhaust the stack
                    error = msg.YAML_TOO_DEEP.format(line=line)
                    raise ConfigError(msg.SITE_CONFIG_INVALID.format(file=path, error=error))
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                depth -= 1
        data = yaml.safe_load(text)
    except yaml.constructor.ConstructorError as exc:
        tag = re.search(r"tag '([^']*)'", str(exc.problem))
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        name = tag.group(1).replace("tag:yaml.org,2002:", "!!") if tag else str(exc.problem)
        raise ConfigError(msg.SITE_CONFIG_TAG.format(file=path, line=line, tag=name)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"linje {mark.line + 1}" if mark else str(exc.problem)
        raise ConfigError(msg.SITE_CONFIG_INVALID.format(file=path, error=where)) from None
    except yaml.YAMLError as exc:
        raise ConfigError(msg.SITE_CONFIG_INVALID.format(file=path, error=exc)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(msg.SITE_CONFIG_INVALID.format(file=path, error=msg.SITE_NOT_A_MAPPING))
    return data


def _refused_keys(user: Mapping[Any, Any]) -> list[str]:
    refused = []
    for key, value in user.items():
        if key == "theme" and isinstance(value, Mapping):
            refused += [f"theme.{k}" for k in value if k not in THEME_KEYS]
        elif key == "extra" and isinstance(value, Mapping) and value:
            refused += [f"extra.{k}" for k in value]
        elif key not in (*TEXT_KEYS, "theme", "nav", "extra_css", "docs_dir"):
            refused.append(str(key))
    return refused


def _text(path: Path, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ConfigError(
            msg.SITE_CONFIG_VALUE.format(file=path, key=key, problem=msg.SITE_NOT_TEXT)
        )
    if NOT_IN_TEXT.search(value):
        raise ConfigError(
            msg.SITE_CONFIG_VALUE.format(file=path, key=key, problem=msg.SITE_NO_HTML)
        )
    return value


def _list(path: Path, key: str, value: object) -> list[Any]:
    if not isinstance(value, list):
        raise ConfigError(
            msg.SITE_CONFIG_VALUE.format(file=path, key=key, problem=msg.SITE_NOT_LIST)
        )
    return value


def _palette(path: Path, value: object) -> Any:
    """One palette mapping or a list of them (light/dark toggle); plain colour words only."""
    entries = value if isinstance(value, list) else [value]
    for entry in entries:
        if not isinstance(entry, Mapping):
            raise ConfigError(
                msg.SITE_CONFIG_VALUE.format(
                    file=path, key="theme.palette", problem=msg.SITE_BAD_PALETTE
                )
            )
        for key, item in entry.items():
            name = f"theme.palette.{key}"
            if key not in PALETTE_KEYS:
                raise ConfigError(
                    msg.SITE_CONFIG_REFUSED.format(
                        file=path, keys=f"«{name}»", allowed=", ".join(ALLOWED)
                    )
                )
            if key == "toggle":
                _toggle(path, item)
            elif not isinstance(item, str) or not PALETTE_VALUE.match(item):
                raise ConfigError(
                    msg.SITE_CONFIG_VALUE.format(file=path, key=name, problem=msg.SITE_BAD_PALETTE)
                )
    return value


def _toggle(path: Path, value: object) -> None:
    key = "theme.palette.toggle"
    if not isinstance(value, Mapping) or set(value) - {"icon", "name"}:
        raise ConfigError(
            msg.SITE_CONFIG_VALUE.format(file=path, key=key, problem=msg.SITE_BAD_PALETTE)
        )
    if "icon" in value and not (isinstance(value["icon"], str) and ICON.match(value["icon"])):
        raise ConfigError(
            msg.SITE_CONFIG_VALUE.format(file=path, key=key, problem=msg.SITE_BAD_PALETTE)
        )
    if "name" in value:
        _text(path, f"{key}.name", value["name"])


def _nav_entry(path: Path, reader: _Files, entry: object) -> Any:
    """``page.md`` or ``{Title: page.md}`` or ``{Section: [entries…]}``, pages from docs/."""
    if isinstance(entry, str):
        target = reader.file("nav", entry, suffix=".md")
        return {page_title(reader.docs / entry): target}
    if isinstance(entry, Mapping) and len(entry) == 1:
        ((title, target),) = entry.items()
        title = _text(path, "nav", title)
        if isinstance(target, list):
            return {title: [_nav_entry(path, reader, item) for item in target]}
        return {title: reader.file("nav", target, suffix=".md")}
    raise ConfigError(msg.SITE_CONFIG_VALUE.format(file=path, key="nav", problem=msg.SITE_BAD_NAV))


def page_title(page: Path) -> str:
    """The title of an untitled nav entry, taken as MkDocs takes it.

    Front matter ``title``, else the first «# » heading, else the file name; one that MkDocs would
    print unescaped (``< > " &``) is passed over. Written into the nav, so a page an incremental
    build does not re-read keeps its title (MkDocs showed «None» for it).
    """
    stem = page.stem.replace("-", " ").replace("_", " ").capitalize()
    for found in _titles(page.read_text(encoding="utf-8", errors="replace").splitlines()):
        if found and not NOT_IN_TEXT.search(found) and "&" not in found and found.isprintable():
            return found[:120]
    return stem if not NOT_IN_TEXT.search(stem) and "&" not in stem else "Side"


def _titles(lines: list[str]) -> Iterator[str]:
    """Title candidates in MkDocs' order: front matter ``title``, then the first «# » heading."""
    if lines and lines[0].strip() == "---":
        for line in lines[1 : lines.index("---", 1) if "---" in lines[1:] else len(lines)]:
            key, sep, value = line.partition(":")
            if sep and key.strip() == "title" and value.strip():
                yield value.strip().strip("\"'")
    headings = (line[2:].strip().rstrip("#").strip() for line in lines if line.startswith("# "))
    yield next(headings, "")


def _docs_dir(path: Path, value: object) -> Path:
    base = path.resolve().parent
    if not isinstance(value, str) or _is_absolute_or_url(value):
        raise ConfigError(
            msg.SITE_CONFIG_PATH.format(
                file=path,
                key="docs_dir",
                value=value,
                problem=msg.SITE_PATH_ABSOLUTE.format(docs=base),
            )
        )
    docs = (base / value).resolve()
    if docs != base and base not in docs.parents:
        raise ConfigError(
            msg.SITE_CONFIG_PATH.format(
                file=path,
                key="docs_dir",
                value=value,
                problem=msg.SITE_PATH_ESCAPES.format(docs=base),
            )
        )
    return docs


def _is_absolute_or_url(value: str) -> bool:
    return bool(
        URL.match(value)
        or PurePosixPath(value).is_absolute()
        or PureWindowsPath(value).is_absolute()
        or value.startswith("\\")
    )


class _Files:
    """Resolves paths named in the settings to files inside the docs folder, and remembers them."""

    def __init__(self, config: Path, docs: Path) -> None:
        self.config = config
        self.docs = docs
        self.used: dict[Path, str] = {}

    def file(self, key: str, value: object, *, suffix: str | None = None) -> str:
        """Target path under the generated docs for ``value``; ConfigError if it is not allowed."""

        def refuse(problem: str) -> ConfigError:
            return ConfigError(
                msg.SITE_CONFIG_PATH.format(file=self.config, key=key, value=value, problem=problem)
            )

        if not isinstance(value, str) or not value.strip():
            raise refuse(msg.SITE_NOT_TEXT)
        if URL.match(value):
            raise refuse(msg.SITE_PATH_URL.format(docs=self.docs))
        if _is_absolute_or_url(value):
            raise refuse(msg.SITE_PATH_ABSOLUTE.format(docs=self.docs))
        source = (self.docs / value).resolve()
        if self.docs not in source.parents:
            raise refuse(msg.SITE_PATH_ESCAPES.format(docs=self.docs))
        if not source.is_file():
            raise refuse(msg.SITE_PATH_MISSING.format(docs=self.docs))
        if suffix and source.suffix.lower() != suffix:
            raise refuse(msg.SITE_PATH_SUFFIX.format(suffix=suffix))
        if suffix in (".md", ".css"):
            self._check_content(source, key)
        return self._use(source)

    def _use(self, source: Path) -> str:
        target = f"{USER_DIR}/{source.relative_to(self.docs).as_posix()}"
        self.used[source] = target
        return target

    def _check_content(self, source: Path, key: str) -> None:
        """Pages and stylesheets pass the allow-list (safe_html, safe_css) or the build stops."""
        try:
            text = source.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(msg.SITE_CONFIG_INVALID.format(file=source, error=exc)) from None
        loaded: list[Path] = []
        local = self._local(source, loaded)
        try:
            if source.suffix.lower() == ".css":
                safe_css.check_stylesheet(text, local)
            else:
                safe_html.check_markdown(text, safe_html.PAGE, local)
        except Refused as refused:
            raise ConfigError(
                msg.SITE_FILE_UNSAFE.format(
                    path=source,
                    line=refused.line or "?",
                    key=key,
                    file=self.config,
                    found=refused.found,
                )
            ) from None
        for path in loaded:
            self._use(path)

    def _local(self, source: Path, loaded: list[Path]) -> LocalCheck:
        """Check for an image or font a page loads: a file inside the docs folder, then copied."""

        def check(address: str) -> str | None:
            path = (source.parent / address).resolve()
            if self.docs not in path.parents:
                return msg.SAFE_ADDRESS_OUTSIDE.format(value=address, docs=self.docs)
            if not path.is_file():
                return msg.SAFE_ADDRESS_MISSING.format(value=address, docs=self.docs)
            if path.suffix.lower() not in LOADABLE:
                return msg.SAFE_ADDRESS_KIND.format(value=address, suffixes=" ".join(LOADABLE))
            loaded.append(path)
            return None

        return check
