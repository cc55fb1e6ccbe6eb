"""statuskart: statuskartlegging of Norwegian national patient pathways, from catalogue to site.

The public API for scripts, in pipeline order: these names stay where they are when modules move.
Each stage is a package (``ls statuskart/``); docs/dev/architecture.md draws them.
"""

from statuskart.catalog.load import load_catalog, load_catalogs
from statuskart.core.version import __version__
from statuskart.model.report import build_report
from statuskart.pipeline.build import run_build
from statuskart.pipeline.run import check_files, score_files
from statuskart.score.scoring import score_submission
from statuskart.validate.rules import validate_submission
from statuskart.workbook.read import read_workbook
from statuskart.workbook.write import write_template

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
