"""Where package data lives: catalogues, scales, page templates, site defaults and assets.

The one module that knows the difference between a wheel install and a source checkout
(docs/dev/packaging.md §1).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from statuskart.core import messages as msg
from statuskart.core.errors import StatuskartError

_PACKAGE = Path(str(files("statuskart")))


def catalog_data_dir() -> Path:
    """Folder with the built-in catalogue YAML files."""
    return _PACKAGE / "catalog" / "data"


def builtin_catalog_files() -> list[Path]:
    """Built-in catalogue files, sorted; scales.yaml is not a catalogue."""
    return sorted(p for p in catalog_data_dir().glob("*.yaml") if p.name != "scales.yaml")


def builtin_version_files() -> list[Path]:
    """Earlier (or coming) versions of built-in catalogues, kept for skjema stamped with them."""
    return sorted((catalog_data_dir() / "versions").glob("*.yaml"))


def builtin_catalog_ids() -> list[str]:
    """Ids of the built-in catalogues, read from their file names without parsing any YAML.

    Cheap enough for option help texts; tests check that each file's stem is its catalogue id.
    """
    return [p.stem for p in builtin_catalog_files()]


def scales_file() -> Path:
    """Named answer scales a catalogue can refer to."""
    return catalog_data_dir() / "scales.yaml"


def default_templates_dir() -> Path:
    """Templates shipped in the wheel, or the repo's templates/ in a source or editable checkout."""
    for candidate in (_PACKAGE / "templates", _PACKAGE.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise StatuskartError(msg.TEMPLATES_MISSING)


def guide_dir() -> Path:
    """The bokmål user guide put into every site: in the wheel, or docs/brukerveiledning/."""
    for candidate in (_PACKAGE / "brukerveiledning", _PACKAGE.parent / "docs" / "brukerveiledning"):
        if candidate.is_dir():
            return candidate
    raise StatuskartError(msg.GUIDE_MISSING)


def assets_dir() -> Path:
    """Static files copied into every site (vendored iframe-worker shim, CSS)."""
    return _PACKAGE / "assets"
