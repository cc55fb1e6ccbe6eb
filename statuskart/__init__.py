"""statuskart: statuskartlegging of Norwegian national patient pathways, from catalogue to site.

The public API for scripts, in pipeline order: these names stay where they are when modules move.
Each stage is a package (``ls statuskart/``); docs/dev/architecture.md draws them.

The names are imported when first used (PEP 562), not with the package: a reading worker
started by spawn or forkserver imports ``statuskart.workbook.pool``, which imports this file
first, and the whole API took it ~0.6 s of imports (the model, the pipeline) it never uses.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from statuskart.core.version import __version__

if TYPE_CHECKING:
    from statuskart.catalog.load import load_catalog, load_catalogs
    from statuskart.model.report import build_report
    from statuskart.pipeline.build import run_build
    from statuskart.pipeline.run import check_files, score_files
    from statuskart.score.scoring import score_submission
    from statuskart.validate.rules import validate_submission
    from statuskart.workbook.read import read_workbook
    from statuskart.workbook.write import write_template

_HOMES = {
    "build_report": "statuskart.model.report",
    "check_files": "statuskart.pipeline.run",
    "load_catalog": "statuskart.catalog.load",
    "load_catalogs": "statuskart.catalog.load",
    "read_workbook": "statuskart.workbook.read",
    "run_build": "statuskart.pipeline.build",
    "score_files": "statuskart.pipeline.run",
    "score_submission": "statuskart.score.scoring",
    "validate_submission": "statuskart.validate.rules",
    "write_template": "statuskart.workbook.write",
}

__all__ = [
    "__version__",
    "build_report",
    "check_files",
    "load_catalog",
    "load_catalogs",
    "read_workbook",
    "run_build",
    "score_files",
    "score_submission",
    "validate_submission",
    "write_template",
]


def __getattr__(name: str) -> object:
    """Import a public name from its stage module on first use, then keep it here."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'statuskart' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
