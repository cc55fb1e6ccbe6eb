"""Site stage: a folder of generated Markdown → static MkDocs-Material site. The only mkdocs import.

shares.py runs the processes that render a share of the pages each; the MkDocs side is here.

Offline-ready (offline plugin, vendored iframe-worker shim, no web fonts), Norwegian UI, short
explicit nav. Builds into a staging folder and swaps it in only on success (output_folder.py decides
what may be replaced).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from statuskart.core import messages as msg
from statuskart.core.atomic import copy_new
from statuskart.core.errors import ConfigError, SiteBuildError
from statuskart.core.resources import assets_dir, guide_dir
from statuskart.render.safe_html import MARKDOWN_EXTENSIONS
from statuskart.render.unit_search import UNIT_PAGES, with_unit_entries
from statuskart.site import incremental as incremental
from statuskart.site import output_folder as output
from statuskart.site import shares
from statuskart.site.settings import (
    NOT_IN_TEXT,
    SiteSettings,
    copy_user_files,
    load_site_settings,
)
from statuskart.site.shares import ShareJob, ShareTask
from statuskart.site.trash import Trash

GUIDE = "veiledning"
"""Where the user guide (docs/brukerveiledning/) goes in every site: works offline with the rest."""
GUIDE_PAGES: tuple[tuple[str, str], ...] = (
    ("Om brukerveiledningen", "index.md"),
    ("Oppstart og kommandoer", "oppstart.md"),
    ("Skjemaet", "skjemaet.md"),
    ("Målgrupper", "malgrupper.md"),
    ("Registertall", "registertall.md"),
    ("Forventede enheter", "register.md"),
    ("Neste runde", "runde.md"),
    ("Kravkatalogene", "katalogene.md"),
    ("Nettstedets innstillinger", "innstillinger.md"),
    ("Hva build -o erstatter", "utdatamappe.md"),
    ("Hurtigbuffer", "hurtigbuffer.md"),
    ("Feilsøking", "feilsoking.md"),
)
"""(nav title, file) in reading order. The titles are given, as for every built-in page: a dirty
rebuild does not read unchanged pages, so MkDocs could not take them from the headings."""
NAV: list[dict[str, str | list[dict[str, str]]]] = [
    {"Oversikt": "index.md"},
    {"Regioner": "regioner/index.md"},
    {"Enheter": "enheter/index.md"},
    {"Krav": "krav/index.md"},
    {"Sammenligning": "sammenligning.md"},
    {"Innlevering": "innlevering.md"},
    {"Datakvalitet": "datakvalitet.md"},
    {"Metode": "metode.md"},
    {"Nedlastinger": "nedlastinger.md"},
    {"Brukerveiledning": [{title: f"{GUIDE}/{page}"} for title, page in GUIDE_PAGES]},
]
SHIM = "assets/javascripts/iframe-worker-shim.js"
CSS = "assets/stylesheets/statuskart.css"
JS = "assets/javascripts/statuskart.js"
DEFAULTS: dict[str, Any] = {
    "site_name": "Statuskartlegging – nasjonale pasientforløp",
    "use_directory_urls": False,
    "theme": {
        "name": "material",
        "language": "nb",
        "font": False,
        # The page's table of contents sits in the left navigation, not in a right-hand column:
        # the content column is then wide enough for every column of the reports' tables at
        # 1366 px (#27). Pages outside the navigation (units, HFs, requirements) have none.
        "features": ["navigation.top", "search.highlight", "toc.integrate"],
        "palette": {"primary": "indigo", "accent": "indigo"},
    },
    "plugins": ["search", "offline"],
    # The second polyfill lets http(s) use search_index.js too, so one index file is shipped.
    "extra": {
        "generator": False,
        "polyfills": [SHIM, "assets/javascripts/statuskart-search-index.js"],
    },
    "extra_css": [CSS],
    "extra_javascript": [JS],
    "markdown_extensions": list(MARKDOWN_EXTENSIONS),  # own pages are checked with the same
    "not_in_nav": "/enheter/*.md\n/hf/*.md\n/krav/*.md\n/regioner/*.md",
}


def copy_assets(docs_dir: Path) -> None:
    """Put the vendored shim (with its licence), the stylesheet and the user guide into the docs."""
    src = assets_dir()
    (docs_dir / GUIDE).mkdir(parents=True, exist_ok=True)
    for _title, page in GUIDE_PAGES:
        copy_new(guide_dir() / page, docs_dir / GUIDE / page)
    (docs_dir / "assets/javascripts").mkdir(parents=True, exist_ok=True)
    (docs_dir / "assets/stylesheets").mkdir(parents=True, exist_ok=True)
    copy_new(src / "iframe-worker-shim.js", docs_dir / SHIM)
    copy_new(src / "LICENSE.iframe-worker", docs_dir / "assets/javascripts/LICENSE.txt")
    copy_new(src / "statuskart.css", docs_dir / CSS)
    copy_new(src / "statuskart.js", docs_dir / JS)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The MkDocs config to build with, plus the user's files to copy into the docs folder."""

    mkdocs: Mapping[str, Any]
    settings: SiteSettings | None = None

    def prepare(self, docs_dir: Path) -> Path:
        """Put assets and user files into ``docs_dir``; write the MkDocs config beside it."""
        copy_assets(docs_dir)
        if self.settings is not None:
            copy_user_files(self.settings, docs_dir)
        return self.write_config(docs_dir)

    def write_config(self, docs_dir: Path) -> Path:
        """Write the MkDocs config for ``docs_dir`` beside it (mkdocs.generated.yml)."""
        config_path = docs_dir.parent / "mkdocs.generated.yml"
        full = {"nav": NAV, **self.mkdocs, "docs_dir": str(docs_dir.resolve())}
        config_path.write_text(json.dumps(full, ensure_ascii=False), encoding="utf-8")
        return config_path


def with_unit_title(config: SiteConfig, unit: str) -> SiteConfig:
    """A one-unit report titled with the unit's name, not the national site's.

    The name is typed text and MkDocs prints ``site_name`` unescaped: a name with ``< > " &`` or a
    control character gets the plain title instead of being altered.
    """
    safe = unit.isprintable() and not NOT_IN_TEXT.search(unit) and "&" not in unit
    title = msg.UNIT_SITE_NAME.format(unit=unit) if safe and len(unit) <= 100 else msg.UNIT_REPORT
    return replace(config, mkdocs={**config.mkdocs, "site_name": title})


def site_config(user_file: Path | None) -> SiteConfig:
    """Defaults merged with the allowed settings of the user's mkdocs.yml (settings.py)."""
    config: dict[str, Any] = json.loads(json.dumps(DEFAULTS))
    config["theme"]["custom_dir"] = str(assets_dir() / "overrides")
    config["nav"] = NAV
    if user_file is None:
        return SiteConfig(config)
    settings = load_site_settings(user_file)
    for key, value in settings.values.items():
        if key == "theme":
            config["theme"].update(value)
        elif key == "nav":
            config["nav"] = [*NAV, *value]
        elif key == "extra_css":
            config["extra_css"] = [CSS, *value]
        else:
            config[key] = value
    return SiteConfig(config, settings)


def build_site(
    docs_dir: Path,
    site_dir: Path,
    *,
    config: SiteConfig,
    build_date: dt.date,
    strict: bool = False,
    finish: Callable[[Path], None] | None = None,
    work: incremental.WorkDir | None = None,
    search_entries: Sequence[dict[str, str]] | None = None,
    helpers: Sequence[ShareJob] = (),
    later: Sequence[str] = (),
) -> None:
    """Build ``docs_dir`` into ``site_dir`` atomically; the old site survives a failed build.

    ``site_dir`` is replaced only if it is missing, empty or a statuskart site (output_folder.py).
    ``finish`` gets the built staging folder before the swap (the downloads are put in there).
    ``work``: build incrementally in this kept folder (incremental.py), then copy.
    ``search_entries``: the unit pages' search entries, which replace the plugin's (unit_search.py).
    ``helpers``: launched share processes that may render a share of the pages each (shares.py);
    the caller stops them afterwards, used or not.
    ``later``: site paths of files ``finish`` puts into the site (the downloads). Pages link to
    them, so MkDocs is told they exist (``_later_files_plugin``), but copies nothing.
    """
    from mkdocs.exceptions import Abort, ConfigurationError

    later = tuple(sorted(later))
    config_path = config.prepare(docs_dir)
    trash = Trash(work.root) if work else None
    plan = _incremental_plan(docs_dir, config, work, strict, trash, later) if work else None
    discard = trash.take if trash is not None else None
    with output.staged(site_dir, discard) as staging, _mkdocs_settings(build_date):
        target = staging if work is None else work.site
        try:
            dirty = plan is not None and plan.dirty
            changed = plan.changed if plan is not None else frozenset()
            wanted = tuple(sorted(p for p in changed if p.endswith(".md"))) if dirty else None
            if plan is not None and work is not None and trash is not None:
                config_path = plan.config_path
                work.forget()  # MkDocs is about to change the kept site
                # What MkDocs would overwrite or clean goes to the trash, removed meanwhile.
                for old in [work.site] if not dirty else _pages(wanted or (), work.site):
                    trash.take(old)
                trash.empty()
                work.site.mkdir(parents=True, exist_ok=True)
            pages = len(wanted) if wanted is not None else _page_count(config_path)
            count = 1 if strict else shares.share_count(pages, len(helpers) + 1, rebuild=dirty)
            if count == 1:
                _render_all(config_path, target, strict=strict, dirty=dirty, later=later)
            else:
                task = ShareTask(str(config_path), "", 0, count, wanted, build_date, later)
                _render_shares(task, target, helpers[: count - 1])
            _finish_search_index(target, plan, search_entries)
            if plan is not None and work is not None:
                work.remember(plan.signature)
                output.link_tree(work.site, staging, site_dir)
        except (Abort, ConfigurationError, OSError) as exc:
            raise SiteBuildError(msg.SITE_BUILD_FAILED.format(error=exc)) from None
        finally:
            if trash is not None:
                trash.wait()
        if finish is not None:
            finish(staging)


def _render_all(
    config_path: Path, target: Path, *, strict: bool, dirty: bool, later: tuple[str, ...]
) -> None:
    """MkDocs' own single pass over every page (or, dirty, the changed ones)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cfg = load_config(config_file=str(config_path), site_dir=str(target), strict=strict)
    cfg.plugins["statuskart-compiled"] = _compiled_theme_plugin()
    cfg.plugins["statuskart-later"] = _later_files_plugin(later)
    cfg.plugins["statuskart-fresh"] = _fresh_writes_plugin(dirty)
    build(cfg, dirty=dirty)


def _render_shares(task: ShareTask, target: Path, helpers: Sequence[ShareJob]) -> None:
    """Share 0 here, into ``target``; the others in ``helpers``; then their pages and index here.

    ``task`` is every share's task but for its index and site folder. Not strict: a warning in
    another process would not stop this one (--strict renders alone).
    """
    from mkdocs.utils import clean_directory

    if task.wanted is None:
        clean_directory(str(target))  # a clean build, as MkDocs' own would start
    for index, job in enumerate(helpers, start=1):
        job.run(replace(task, site_dir=str(job.site), index=index))
    render_share(replace(task, site_dir=str(target), index=0))
    parts = [job.finish(target) for job in helpers]
    own = target / "search" / incremental.FULL_INDEX
    if own.is_file():
        first = incremental.read_search_index(target)
        joined = shares.joined_index([first, *(part for part in parts if part is not None)])
        incremental.write_search_index(target, joined)


def render_share(task: ShareTask) -> list[str]:
    """Render one share of the pages into ``task.site_dir``; the pages written (site paths).

    Runs in the build's process (share 0, which also writes the static files, sitemap and search
    index) or in a ShareJob. MkDocs' dirty mode renders only pages whose File says it is
    modified; a plugin says so of this share's pages alone, and of no static file but in share 0.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with _mkdocs_settings(task.build_date):
        cfg = load_config(config_file=task.config_file, site_dir=task.site_dir)
        plugin = _share_plugin(task)
        cfg.plugins["statuskart-share"] = plugin
        cfg.plugins["statuskart-compiled"] = _compiled_theme_plugin()
        cfg.plugins["statuskart-later"] = _later_files_plugin(task.later)
        cfg.plugins["statuskart-fresh"] = _fresh_writes_plugin(dirty=True)
        build(cfg, dirty=True)
    return list(plugin.built)


def _share_plugin(task: ShareTask) -> Any:
    """The MkDocs plugin that marks which files this share writes (MkDocs is imported late)."""
    from mkdocs.plugins import BasePlugin

    class SharePlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
        built: tuple[str, ...] = ()

        def on_files(self, files: Any, *, config: Any) -> Any:
            pages = [
                f
                for f in files.documentation_pages()
                if task.wanted is None or f.src_uri in task.wanted
            ]
            weights = [(f.src_uri, _size(f.abs_src_path)) for f in pages]
            mine = set(shares.split(weights, task.count)[task.index])
            for file in files:
                if file.is_documentation_page():
                    setattr(file, "is_modified", _yes if file.src_uri in mine else _no)  # noqa: B010
                elif task.index > 0:
                    setattr(file, "is_modified", _no)  # noqa: B010 - share 0 copies them
            self.built = tuple(f.dest_uri for f in pages if f.src_uri in mine)
            return files

        # MkDocs keeps every page's Markdown and HTML until the build ends; at national scale
        # that is most of a share's memory. Neither is read again once used: the title was
        # taken while rendering (an empty text keeps it), the search entry before the write.
        def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
            page.markdown = ""
            return html

        def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
            page.content = ""
            return output

    return SharePlugin()


def _later_files_plugin(later: Sequence[str]) -> Any:
    """The MkDocs plugin that knows the files put into the site after MkDocs (the downloads).

    Pages link to them, so MkDocs must find them to check those links and write them relative;
    the writer makes them beside MkDocs and they are moved in afterwards, so MkDocs copies
    nothing. (An empty placeholder per download in the docs cost four file creations each on
    the way to the published site: 4,000 at 1,000 units.)
    """
    from mkdocs.plugins import BasePlugin
    from mkdocs.structure.files import File

    class Later(File):
        def copy_file(self, dirty: bool = False) -> None:
            return None

        def is_modified(self) -> bool:
            return False

    class LaterFiles(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
        def on_files(self, files: Any, *, config: Any) -> Any:
            for uri in later:
                if files.get_file_from_path(uri) is None:  # a docs file wins: never two
                    file = Later(uri, None, config.site_dir, config.use_directory_urls)
                    file.generated_by = "statuskart"
                    files.append(file)
            return files

    return LaterFiles()


def _fresh_writes_plugin(dirty: bool) -> Any:
    """The MkDocs plugin that removes each file MkDocs is about to write, so it writes a new one.

    The published site links the kept site's files (output_folder.link_tree). MkDocs writes
    into an existing file in place, so a rebuild would otherwise change the published pages,
    sitemap and search index before the new site is swapped in, or for good if the build then
    failed. Unlinking drops only the kept name: the published file stays as it was. Every such
    file is unlinked, shared or not: a link count is not to be trusted on every file system
    (sshfs reports 1), and an unlink costs a fiftieth of making the file again.
    """
    from mkdocs.plugins import BasePlugin, event_priority

    class FreshWrites(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
        @event_priority(-100)  # after every plugin's on_files has said what is modified
        def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
            site = Path(config.site_dir)
            written = [f.abs_dest_path for f in files if not dirty or f.is_modified()]
            templates = [*config.theme.static_templates, *config.extra_templates]
            written += [site / name for name in (*templates, "sitemap.xml.gz")]
            search = site / "search"
            written += [search / incremental.FULL_INDEX, search / incremental.SEARCH_SCRIPT]
            for path in written:
                _remove_before_write(Path(path))
            return env

    return FreshWrites()


def _remove_before_write(path: Path) -> None:
    """Remove ``path`` (one name of a file other names may share); an OSError fails the build."""
    path.unlink(missing_ok=True)


def _compiled_theme_plugin() -> Any:
    """The MkDocs plugin that keeps the theme's compiled templates for the next build."""
    from mkdocs.plugins import BasePlugin

    from statuskart.render import compiled

    class CompiledTheme(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
        def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
            env.bytecode_cache = compiled.THEME
            return env

    return CompiledTheme()


def _yes() -> bool:
    return True


def _no() -> bool:
    return False


def _size(path: str | None) -> int:
    try:
        return os.path.getsize(path) if path else 0
    except OSError:
        return 0


def _page_count(config_path: Path) -> int:
    """The Markdown pages in the docs folder the config names."""
    docs = Path(json.loads(config_path.read_text(encoding="utf-8"))["docs_dir"])
    return sum(1 for _ in docs.rglob("*.md"))


@dataclass(frozen=True, slots=True)
class _Plan:
    """How to build from a work folder: its config, whether dirty, what changed, the signature."""

    config_path: Path
    dirty: bool
    changed: frozenset[str]
    signature: str
    previous: Mapping[str, Any] | None


def _pages(docs: Sequence[str], site: Path) -> list[Path]:
    """The built pages of these Markdown files in ``site``."""
    return [site / url for url in map(incremental.page_url, docs) if url]


def _incremental_plan(
    docs_dir: Path,
    config: SiteConfig,
    work: incremental.WorkDir,
    strict: bool,
    trash: Trash | None = None,
    later: Sequence[str] = (),
) -> _Plan:
    from material import __version__ as material_version
    from mkdocs import __version__ as mkdocs_version

    from statuskart.core.version import __version__

    last = work.state()
    work.forget()  # the kept docs change now: a build that stops from here on leaves no trust
    changed = incremental.sync_docs(docs_dir, work.docs, trash)
    config_path = config.write_config(work.docs)
    overrides = sorted((assets_dir() / "overrides").rglob("*"))
    # Not the build date: a page that prints it has it in its Markdown, so it is rendered again;
    # the theme prints none, and MkDocs redoes the sitemap (each page's date) every build. So the
    # next day's build renders only the pages whose text changed.
    parts = [
        __version__,
        mkdocs_version,
        material_version,
        f"strict={strict}",  # a strict build must see every page's warnings again
        config_path.read_text(encoding="utf-8"),
        *(hashlib.sha256(p.read_bytes()).hexdigest() for p in overrides if p.is_file()),
    ]
    files = [p.relative_to(work.docs).as_posix() for p in work.docs.rglob("*") if p.is_file()]
    files += [f"later:{uri}" for uri in later]  # a page's links depend on them too
    signature = incremental.signature(parts, files)
    previous = None
    if work.trusted(signature, last):
        with contextlib.suppress(OSError, ValueError):  # no index kept: build clean
            previous = work.previous_index()
    return _Plan(config_path, previous is not None, frozenset(changed), signature, previous)


def _finish_search_index(
    site: Path, plan: _Plan | None, unit_entries: Sequence[dict[str, str]] | None
) -> None:
    """Merge a dirty build's index into the previous one, then keep unit pages' sections out.

    A unit page is found by its name, HF, RHF and type (its first entry); its sections («Neste
    steg», «Faser», …) say the same words on a thousand pages, and at national scale they were
    nine in ten index entries: the browser built the index for seconds before the first hit.
    """
    if not (site / "search" / incremental.FULL_INDEX).is_file():
        return  # the search plugin is off in the user's mkdocs.yml
    index = incremental.read_search_index(site)
    if plan is not None and plan.previous is not None:
        rebuilt = {url for url in map(incremental.page_url, plan.changed) if url}
        index = incremental.merge_search_index(dict(plan.previous), index, rebuilt)
    index = incremental.without_sections(index, UNIT_PAGES)
    if unit_entries is not None:
        index = with_unit_entries(index, unit_entries)
    incremental.write_search_index(site, index)


def _dirty_warning(record: logging.LogRecord) -> bool:
    """Drop MkDocs' warning that a dirty build may leave stale navigation.

    Ours never change the navigation (incremental.py), and --strict would fail on it.
    """
    return not str(record.msg).startswith("A 'dirty' build is being performed")


@contextlib.contextmanager
def _mkdocs_settings(build_date: dt.date) -> Iterator[None]:
    """Set MkDocs' build date (SOURCE_DATE_EPOCH) and log level for one build, then restore both.

    Both are process-wide, so they are put back on every exit path.
    """
    epoch = dt.datetime.combine(build_date, dt.time(), tzinfo=dt.UTC).timestamp()
    old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    logger = logging.getLogger("mkdocs")
    old_level = logger.level
    os.environ["SOURCE_DATE_EPOCH"] = str(int(epoch))
    logger.setLevel(logging.WARNING)
    builder = logging.getLogger("mkdocs.commands.build")
    builder.addFilter(_dirty_warning)
    try:
        yield
    finally:
        builder.removeFilter(_dirty_warning)
        logger.setLevel(old_level)
        if old_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old_epoch


def port_error(exc: OSError, address: str) -> ConfigError:
    """The one bokmål line for a preview address that cannot be served (busy port or other)."""
    if exc.errno == errno.EADDRINUSE:
        return ConfigError(msg.PORT_IN_USE.format(address=address))
    return ConfigError(msg.SERVE_FAILED.format(address=address, error=msg.os_reason(exc)))


def serve_site(docs_dir: Path, config: SiteConfig, address: str) -> None:
    """Preview with MkDocs' live-reloading server; a busy port is a ConfigError, not a traceback."""
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort, ConfigurationError

    config_path = config.prepare(docs_dir)
    try:
        serve(config_file=str(config_path), dev_addr=address, livereload=True)
    except OSError as exc:
        raise port_error(exc, address) from None
    except (Abort, ConfigurationError) as exc:
        raise SiteBuildError(msg.SITE_BUILD_FAILED.format(error=exc)) from None
