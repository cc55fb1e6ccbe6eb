"""Errors that stop a run. Problems inside a respondent's workbook are Findings, not exceptions.

No Click import here: cli/support.py is the one place that turns these into exit code 2.
"""


class StatuskartError(Exception):
    """A problem that stops the run; its message is bokmål and shown to the user as is."""


class CatalogError(StatuskartError):
    """A catalogue file is missing, unreadable or inconsistent."""


class OutputError(StatuskartError):
    """An output path cannot be written."""


class ConfigError(StatuskartError):
    """An option or configuration value is invalid."""


class SiteBuildError(StatuskartError):
    """MkDocs failed to build the site."""
