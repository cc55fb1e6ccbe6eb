"""Site stage: a folder of generated Markdown → static MkDocs-Material site. The only mkdocs import.

Offline-ready (offline plugin, vendored iframe-worker shim, no web fonts), Norwegian UI, short
explicit nav. Builds into a staging folder and swaps it in only on success (output.py decides
what may be replaced).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from statuskart import messages as msg
from statuskart import output
from statuskart.errors import SiteBuildError
from statuskart.resources import assets_dir

NAV: list[dict[str, str]] = [
    {"Oversikt": "index.md"},
    {"Regioner": "regioner/index.md"},
    {"Enheter": "enheter/index.md"},
    {"Krav": "krav/index.md"},
    {"Sammenligning": "sammenligning.md"},
    {"Innlevering": "innlevering.md"},
    {"Datakvalitet": "datakvalitet.md"},
    {"Metode": "metode.md"},
    {"Nedlastinger": "nedlastinger.md"},
]
SHIM = "assets/javascripts/iframe-worker-shim.js"
CSS = "assets/stylesheets/statuskart.css"
DEFAULTS: dict[str, Any] = {
    "site_name": "Statuskartlegging – nasjonale pasientforløp",
    "use_directory_urls": False,
    "theme": {
        "name": "material",
        "language": "nb",
        "font": False,
        "features": ["navigation.top", "search.highlight"],
        "palette": {"primary": "indigo", "accent": "indigo"},
    },
    "plugins": ["search", "offline"],
    "extra": {"generator": False, "polyfills": [SHIM]},
    "extra_css": [CSS],
    "markdown_extensions": ["admonition", "tables", "attr_list", "toc"],
    "not_in_nav": "/enheter/*.md\n/hf/*.md\n/krav/*.md\n/regioner/*.md",
}


def copy_assets(docs_dir: Path) -> None:
    """Put the vendored shim (with its licence) and the stylesheet into the docs folder."""
    src = assets_dir()
    (docs_dir / "assets/javascripts").mkdir(parents=True, exist_ok=True)
    (docs_dir / "assets/stylesheets").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src / "iframe-worker-shim.js", docs_dir / SHIM)
    shutil.copyfile(src / "LICENSE.iframe-worker", docs_dir / "assets/javascripts/LICENSE.txt")
    shutil.copyfile(src / "statuskart.css", docs_dir / CSS)


def site_config(user_file: Path | None) -> dict[str, Any]:
    """Defaults merged with the user's mkdocs.yml (title, logo, colours, extra pages)."""
    config: dict[str, Any] = json.loads(json.dumps(DEFAULTS))
    config["theme"]["custom_dir"] = str(assets_dir() / "overrides")
    if user_file is None or not user_file.is_file():
        return config
    from mkdocs.utils.yaml import yaml_load

    try:
        with user_file.open(encoding="utf-8") as fh:
            user = yaml_load(fh) or {}
    except Exception as exc:  # YAML errors come in several types
        raise SiteBuildError(msg.SITE_CONFIG_INVALID.format(file=user_file, error=exc)) from None
    if not isinstance(user, dict):
        raise SiteBuildError(msg.SITE_CONFIG_INVALID.format(file=user_file, error="ikke en ordbok"))
    for key, value in user.items():
        if key in ("docs_dir", "site_dir", "use_directory_urls", "nav"):
            continue
        if key == "theme" and isinstance(value, Mapping):
            config["theme"].update(
                {k: v for k, v in value.items() if k not in ("name", "language")}
            )
        elif key == "extra" and isinstance(value, Mapping):
            config["extra"].update({k: v for k, v in value.items() if k != "polyfills"})
        elif key == "plugins" and isinstance(value, list):
            names = [p if isinstance(p, str) else next(iter(p)) for p in value]
            config["plugins"] = [*value, *[p for p in ("search", "offline") if p not in names]]
        elif key == "extra_css" and isinstance(value, list):
            config["extra_css"] = [CSS, *value]
        else:
            config[key] = value
    config["nav"] = [*NAV, *user.get("nav", [])] if isinstance(user.get("nav"), list) else NAV
    return config


def build_site(
    docs_dir: Path,
    site_dir: Path,
    *,
    config: Mapping[str, Any],
    build_date: dt.date,
    strict: bool = False,
) -> None:
    """Build ``docs_dir`` into ``site_dir`` atomically; the old site survives a failed build.

    ``site_dir`` is replaced only if it is missing, empty or a statuskart site (output.py).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    copy_assets(docs_dir)
    with output.staged(site_dir) as staging:
        full = {"nav": NAV, **config, "docs_dir": str(docs_dir.resolve()), "site_dir": str(staging)}
        config_path = docs_dir.parent / "mkdocs.generated.yml"
        config_path.write_text(json.dumps(full, ensure_ascii=False), encoding="utf-8")
        with _mkdocs_settings(build_date):
            try:
                build(load_config(config_file=str(config_path), strict=strict))
            except (Abort, ConfigurationError, OSError) as exc:
                raise SiteBuildError(msg.SITE_BUILD_FAILED.format(error=exc)) from None


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
    try:
        yield
    finally:
        logger.setLevel(old_level)
        if old_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old_epoch


def serve_site(docs_dir: Path, config: Mapping[str, Any], address: str) -> None:
    """Preview with MkDocs' live-reloading server."""
    from mkdocs.commands.serve import serve

    copy_assets(docs_dir)
    full = {"nav": NAV, **config, "docs_dir": str(docs_dir.resolve())}
    config_path = docs_dir.parent / "mkdocs.generated.yml"
    config_path.write_text(json.dumps(full, ensure_ascii=False), encoding="utf-8")
    serve(config_file=str(config_path), dev_addr=address, livereload=True)
