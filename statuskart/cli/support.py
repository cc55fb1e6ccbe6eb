"""The CLI's plumbing: bokmål Click classes, the one-line error handler, shared options, echo.

Kept apart from commands.py so the command definitions stay short and read as a list of commands.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from statuskart.cli import click_nb
from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError, StatuskartError
from statuskart.core.terminal import inert


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """click.echo for text that may come from a file or workbook: control characters made inert."""
    click.echo(inert(text), err=err, nl=nl)


class Command(click.Command):
    """A command whose usage line says [VALG], not [OPTIONS]."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[VALG]")
        super().__init__(*args, **kwargs)


class Group(click.Group):
    """Turns StatuskartError into one bokmål line on stderr and exit code 2; Ctrl-C into 130."""

    command_class = Command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the CLI with Click's own texts in bokmål, restored afterwards."""
        with click_nb.installed():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        from statuskart.core.signals import Terminated, sigterm_raises

        try:
            with sigterm_raises():
                return super().invoke(ctx)
        except StatuskartError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            echo(msg.ERROR_PREFIX + str(exc), err=True)
            ctx.exit(2)
        except KeyboardInterrupt:  # Ctrl-C: clean-up ran in the stages' finally blocks
            click.echo(msg.INTERRUPTED, err=True)
            ctx.exit(130)
        except Terminated:
            click.echo(msg.INTERRUPTED, err=True)
            ctx.exit(143)


def parse_date_option(value: dt.datetime | None) -> dt.date:
    """The --today date (Click has already read it), or the user's own calendar day."""
    if value is None:
        return dt.date.today()  # noqa: DTZ011 - the user's own calendar day
    if not 2000 <= value.year <= 2099:  # dates far off overflow frister and the site's zips
        raise ConfigError(msg.TODAY_OUT_OF_RANGE.format(value=value.date().isoformat()))
    return value.date()


def registry_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """--registry FILE: the register of expected units, when it is not in the input folder."""
    return click.option(
        "--registry",
        "registry_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Register over forventede enheter (standard: enheter.yaml/.xlsx i skjemamappen).",
    )(f)


def catalog_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """--catalog FILE (repeatable): extra or replacement catalogues."""
    return click.option(
        "--catalog",
        "catalog_files",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Egen kravkatalog (YAML). Kan gis flere ganger.",
    )(f)


def reading_bar(total: int) -> Any:
    """Progress bar on stderr while files are read; hidden for few files or when not a terminal."""
    show = sys.stderr.isatty() and total > 5
    return click.progressbar(
        length=total, label=msg.PROGRESS_READING, file=sys.stderr, hidden=not show
    )


def config_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """--config FILE: the user's mkdocs.yml (default: ./mkdocs.yml when present)."""
    return click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Nettstedsoppsett (standard: ./mkdocs.yml hvis den finnes).",
    )(f)


def today_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """--today: the reference date for overdue frister (default: today)."""
    return click.option(
        "--today",
        "today",
        default=None,
        type=click.DateTime(formats=["%Y-%m-%d", "%d.%m.%Y"]),
        metavar="DATO",
        help="Dato som frister vurderes mot (standard: i dag).",
    )(f)


def audience_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--audience, --unit and --hf: who a build or a preview is for (the same for both)."""
    f = click.option(
        "--hf", default=None, help="Helseforetaket til enheten i --unit (ved like navn)."
    )(f)
    f = click.option(
        "--unit",
        default=None,
        help="Bare denne enheten: «enhet», «HF/enhet» eller «RHF/HF/enhet».",
    )(f)
    return click.option(
        "--audience",
        type=click.Choice(["intern", "region", "enhet"]),
        default="intern",
        show_default=True,
        help="Målgruppe: intern (alt), region (uten fritekst og navn) eller enhet (med --unit).",
    )(f)
