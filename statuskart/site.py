"""Site stage: a folder of generated Markdown → static MkDocs-Material site. The only mkdocs import.

Offline-ready (offline plugin, vendored iframe-worker shim, no web fonts), Norwegian UI, short
explicit nav. Builds into a temporary folder and swaps it in only on success.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from statuskart import messages as msg
from statuskart.errors import OutputError, SiteBuildError
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
    # The second polyfill lets http(s) use search_index.js too, so one index file is shipped.
    "extra": {
        "generator": False,
        "polyfills": [SHIM, "assets/javascripts/statuskart-search-index.js"],
    },
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
    """Build ``docs_dir`` into ``site_dir`` atomically; the old site survives a failed build."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    copy_assets(docs_dir)
    site_dir = site_dir.resolve()
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".statuskart-", dir=site_dir.parent))
    except OSError as exc:
        raise OutputError(
            msg.OUTPUT_UNWRITABLE.format(path=site_dir, reason=msg.os_reason(exc))
        ) from None
    full = {"nav": NAV, **config, "docs_dir": str(docs_dir.resolve()), "site_dir": str(staging)}
    config_path = docs_dir.parent / "mkdocs.generated.yml"
    config_path.write_text(json.dumps(full, ensure_ascii=False), encoding="utf-8")
    epoch = dt.datetime.combine(build_date, dt.time(), tzinfo=dt.UTC).timestamp()
    old_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(epoch))
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        cfg = load_config(config_file=str(config_path), strict=strict)
        build(cfg)
    except (Abort, ConfigurationError, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteBuildError(msg.SITE_BUILD_FAILED.format(error=exc)) from None
    finally:
        if old_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old_epoch
    _swap(staging, site_dir)


def _swap(staging: Path, site_dir: Path) -> None:
    backup = None
    if site_dir.exists():
        backup = site_dir.with_name(site_dir.name + ".old")
        shutil.rmtree(backup, ignore_errors=True)
        site_dir.rename(backup)
    staging.rename(site_dir)
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def serve_site(docs_dir: Path, config: Mapping[str, Any], address: str) -> None:
    """Preview with MkDocs' live-reloading server."""
    from mkdocs.commands.serve import serve

    copy_assets(docs_dir)
    full = {"nav": NAV, **config, "docs_dir": str(docs_dir.resolve())}
    config_path = docs_dir.parent / "mkdocs.generated.yml"
    config_path.write_text(json.dumps(full, ensure_ascii=False), encoding="utf-8")
    serve(config_file=str(config_path), dev_addr=address, livereload=True)
