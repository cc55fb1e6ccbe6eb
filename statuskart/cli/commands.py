"""Command line: parse options, call one library function, print, exit. No pipeline logic here.

Exit codes: 0 done; 1 done, but a file has errors; 2 could not run (bad option, catalogue, output).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from statuskart.catalog.model import UNIT_TYPES
from statuskart.cli.output import format_csv, format_reports, format_table
from statuskart.cli.progress import BuildProgress, format_stages
from statuskart.cli.support import (
    Group,
    audience_options,
    catalog_option,
    config_option,
    echo,
    parse_date_option,
    reading_bar,
    registry_option,
    today_option,
)
from statuskart.core import messages as msg
from statuskart.core.errors import ConfigError
from statuskart.core.findings import has_errors
from statuskart.core.numbers import count, number
from statuskart.core.resources import builtin_catalog_ids
from statuskart.core.version import __version__

if TYPE_CHECKING:
    from statuskart.pipeline.inputs import Inputs

DEFAULT_INPUT = "checklists"
PATHWAY_HELP = msg.PATHWAY_HELP.format(ids=msg.or_list(builtin_catalog_ids()))
"""Help for --pathway, listing the built-in catalogues so a new YAML file shows up by itself."""
UNIT_TYPE_HELP = msg.UNIT_TYPE_HELP.format(types=msg.or_list(list(UNIT_TYPES)))


@click.group(
    cls=Group,
    options_metavar="[VALG]",
    subcommand_metavar="KOMMANDO [ARGUMENTER]...",
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(
    __version__,
    "--version",
    "-V",
    prog_name="statuskart",
    message="%(prog)s %(version)s",
    help="Vis versjonen og avslutt.",  # Click < 8.3 looks its own text up at import, in English
)
@click.option("--debug", is_flag=True, help="Vis full feilmelding (for utviklere).")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Statuskartlegging av nasjonale pasientforløp for psykisk helse og rus.

    \b
    Eksempler:
      statuskart template --pathway tsb -o skjema.xlsx
      statuskart sample -o checklists/ --units 36 --rounds 2 --seed 1
      statuskart validate checklists/
      statuskart score checklists/ --format csv
      statuskart build checklists/ -o site/
      statuskart runde checklists/ --period 2026-T3
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@click.option(
    "--pathway",
    "-p",
    default="tsb",
    show_default=True,
    help=PATHWAY_HELP,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Filen som skal skrives (standard: statuskartleggingsskjema-<forløp>.xlsx).",
)
@click.option("--rhf", default=None, help="Forhåndsutfylt RHF.")
@click.option("--hf", default=None, help="Forhåndsutfylt HF eller institusjon.")
@click.option("--unit", default=None, help="Forhåndsutfylt enhet.")
@click.option("--unit-type", default=None, help=UNIT_TYPE_HELP)
@click.option("--period", default=None, help="Forhåndsutfylt periode, f.eks. 2026-T1.")
@click.option("--version", "version", default=None, help=msg.TEMPLATE_VERSION_HELP)
@catalog_option
def template(
    pathway: str,
    output: Path | None,
    rhf: str | None,
    hf: str | None,
    unit: str | None,
    unit_type: str | None,
    period: str | None,
    version: str | None,
    catalog_files: tuple[Path, ...],
) -> None:
    """Lag et tomt statuskartleggingsskjema (.xlsx) for et forløp."""
    from statuskart.pipeline.run import pick_catalogue, pick_version
    from statuskart.validate.typed_values import unit_type as canonical_unit_type
    from statuskart.workbook.write import write_template

    catalogue = pick_version(pick_catalogue(pathway, catalog_files), version)
    if unit_type:
        known = canonical_unit_type(unit_type)
        if known is None:
            raise ConfigError(
                msg.BAD_UNIT_TYPE.format(value=unit_type, known=", ".join(UNIT_TYPES))
            )
        if known not in catalogue.unit_types:
            raise ConfigError(
                msg.UNIT_TYPE_NOT_IN_PATHWAY.format(
                    value=known, title=catalogue.title, known=", ".join(catalogue.unit_types)
                )
            )
        unit_type = known
    meta = {"rhf": rhf, "hf": hf, "unit": unit, "unit_type": unit_type, "period": period}
    path = write_template(
        catalogue,
        output or Path(f"statuskartleggingsskjema-{pathway}.xlsx"),
        {k: v for k, v in meta.items() if v},
    )
    echo(msg.TEMPLATE_WRITTEN.format(title=catalogue.title, catalogue=catalogue.label, path=path))


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(DEFAULT_INPUT),
    show_default=True,
    help="Mappen som skal fylles.",
)
@click.option(
    "--units", default=36, show_default=True, type=click.IntRange(1, 5000), help="Antall enheter."
)
@click.option(
    "--rounds",
    default=2,
    show_default=True,
    type=click.IntRange(1, 12),
    help="Antall kartleggingsrunder (tertialer).",
)
@click.option("--seed", default=1, show_default=True, type=int, help="Frø for tilfeldighetene.")
@click.option(
    "--last-period", default="2026-T2", show_default=True, help="Siste runde, ÅÅÅÅ-T1..T3."
)
@click.option("--mistakes", is_flag=True, help="Ta med noen filer med vanlige utfyllingsfeil.")
@click.option("--pathway", "-p", default="tsb", show_default=True, help=PATHWAY_HELP)
@catalog_option
def sample(
    output: Path,
    units: int,
    rounds: int,
    seed: int,
    last_period: str,
    mistakes: bool,
    pathway: str,
    catalog_files: tuple[Path, ...],
) -> None:
    """Lag realistiske, utfylte eksempelskjema (samme frø gir samme filer)."""
    from statuskart.pipeline.run import pick_catalogue
    from statuskart.sample.checklists import write_samples

    catalogue = pick_catalogue(pathway, catalog_files)
    try:
        paths = write_samples(
            catalogue,
            output,
            units=units,
            rounds=rounds,
            seed=seed,
            last_period=last_period,
            mistakes=mistakes,
        )
    except ValueError:
        raise ConfigError(msg.BAD_PERIOD.format(value=last_period)) from None
    echo(
        msg.SAMPLE_WRITTEN.format(
            files=count(len(paths), "utfylt eksempelskjema", "utfylte eksempelskjema"),
            units=count(units, "enhet", "enheter"),
            rounds=count(rounds, "runde", "runder"),
            path=output,
        )
    )


@main.command(help=msg.ROUND_HELP)
@click.argument("checklists", nargs=-1, metavar="[MAPPE]...", type=click.Path(path_type=Path))
@click.option("--period", default=None, help=msg.ROUND_PERIOD_HELP)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=None, help=msg.ROUND_OUTPUT_HELP
)
@click.option("--pathway", "-p", default="tsb", show_default=True, help=PATHWAY_HELP)
@registry_option
@catalog_option
def runde(
    checklists: tuple[Path, ...],
    period: str | None,
    output: Path | None,
    pathway: str,
    registry_file: Path | None,
    catalog_files: tuple[Path, ...],
) -> None:
    """Lag neste rundes skjema, med svarene fra forrige runde overført."""
    from statuskart.pipeline.next_round import make_round, refuse_existing_round, round_folder
    from statuskart.pipeline.run import load_catalogues, pick_catalogue
    from statuskart.validate.intake import default_cache_dir

    known = round_folder(period, output)
    if known is not None:  # refused before the catalogues and skjemas are read
        refuse_existing_round(known)
    catalogues = load_catalogues(catalog_files)
    catalogue = pick_catalogue(pathway, catalog_files)
    result = make_round(
        checklists or (Path(DEFAULT_INPUT),),
        catalogues,
        catalogue,
        period=period,
        output=output,
        registry_file=registry_file,
        cache_dir=default_cache_dir(),
    )
    skjemas = result.plan.skjemas
    carried = sum(1 for s in skjemas if s.carry is not None)
    echo(
        msg.ROUND_WRITTEN.format(
            files=count(len(skjemas), "skjema", "skjema"),
            period=result.plan.period,
            path=result.folder,
            carried=count(carried, "med svar fra forrige runde", "med svar fra forrige runde"),
            blank=count(len(skjemas) - carried, "tomt", "tomme"),
            summary=result.summary,
        )
    )
    for s in skjemas:
        if s.carry is None:
            echo(msg.ROUND_NOT_CARRIED.format(hf=s.hf, unit=s.unit, why=s.note))


def _gather(
    paths: Sequence[Path], registry_file: Path | None = None, indicators: Sequence[Path] = ()
) -> Inputs:
    """The input files; what was passed over (lock files, the register, …) is listed on stderr."""
    from statuskart.pipeline.inputs import gather_inputs
    from statuskart.validate.expected_units import find_registry

    registry = registry_file or find_registry(paths)
    found = gather_inputs(paths, exclude=[*([registry] if registry else []), *indicators])
    for skipped in found.skipped:
        echo(msg.SKIPPED.format(path=skipped.path, reason=skipped.reason), err=True)
    return found


def _check(
    paths: Sequence[Path], catalog_files: tuple[Path, ...], today: dt.datetime | None
) -> Any:
    from statuskart.pipeline.run import check_files, load_catalogues

    catalogues = load_catalogues(catalog_files)
    gathered = _gather(paths)
    if not gathered.files:
        raise ConfigError(msg.NO_INPUT.format(paths=", ".join(map(str, paths))))
    with reading_bar(len(gathered.files)) as bar:
        reports = check_files(
            gathered, catalogues, parse_date_option(today), lambda _p: bar.update(1)
        )
    return catalogues, reports


@main.command()
@click.argument("paths", nargs=-1, metavar="[FIL_ELLER_MAPPE]...", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Utdataformat.",
)
@click.option(
    "--annotate",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Skriv kommenterte kopier av filene med funn til denne mappen.",
)
@catalog_option
@today_option
def validate(
    paths: tuple[Path, ...],
    fmt: str,
    annotate: Path | None,
    catalog_files: tuple[Path, ...],
    today: dt.datetime | None,
) -> None:
    """Les og kontroller utfylte skjema (filer og/eller mapper).

    Avslutter med kode 0 når alle filer kan brukes, 1 når en fil har feil.
    """
    from statuskart.core.serialise import to_json

    inputs = paths or (Path(DEFAULT_INPUT),)
    _, reports = _check(inputs, catalog_files, today)
    if fmt == "json":
        echo(to_json(reports))
    else:
        echo(format_reports(reports))
    if annotate is not None:
        from statuskart.workbook.annotate import annotate_files

        def failed(path: str, reason: str) -> None:
            echo(msg.ANNOTATE_FAILED.format(path=path, reason=reason), err=True)

        pairs = ((r.path, r.findings) for r in reports)
        written = annotate_files(pairs, annotate, roots=inputs, on_error=failed)
        copies = count(len(written), "kommentert kopi", "kommenterte kopier")
        echo(msg.ANNOTATED.format(n=copies, path=annotate), err=True)
    sys.exit(1 if any(has_errors(r.findings) for r in reports) else 0)


@main.command()
@click.argument("paths", nargs=-1, metavar="[FIL_ELLER_MAPPE]...", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Utdataformat.",
)
@click.option(
    "--top",
    default=3,
    show_default=True,
    type=click.IntRange(0, 100),
    help="Antall foreslåtte tiltak per enhet i tabellen.",
)
@catalog_option
@today_option
def score(
    paths: tuple[Path, ...],
    fmt: str,
    top: int,
    catalog_files: tuple[Path, ...],
    today: dt.datetime | None,
) -> None:
    """Regn ut skår, nivå og dekning per enhet, og foreslå neste tiltak."""
    from statuskart.core.serialise import to_json
    from statuskart.pipeline.run import score_files

    catalogues, reports = _check(paths or (Path(DEFAULT_INPUT),), catalog_files, today)
    scores = score_files(reports, catalogues, today=parse_date_option(today))
    not_scored = [r for r in reports if r.submission is None]
    if fmt == "json":
        echo(to_json({"scores": scores, "not_scored": not_scored}))
    elif fmt == "csv":
        echo(format_csv(scores), nl=False)
        for r in not_scored:
            echo(msg.NOT_SCORED.format(path=r.path), err=True)
    else:
        echo(format_table(scores, not_scored, top))


@main.command()
@click.argument("checklists", nargs=-1, metavar="[MAPPE]...", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Mappen nettstedet skrives til.",
)
@config_option
@click.option(
    "--templates",
    "template_dirs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Mappe med egne sidemaler som går foran de innebygde.",
)
@click.option("--strict", is_flag=True, help="Avslutt med kode 1 hvis en fil har feil.")
@audience_options
@registry_option
@click.option(
    "--no-cache",
    is_flag=True,
    help=(
        "Les alle skjema og bygg alle sider på nytt i stedet for å bruke hurtigbufferen "
        "(STATUSKART_CACHE_DIR)."
    ),
)
@click.option(
    "--indicators",
    "indicator_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Registertall (.xlsx, .csv eller NKI-.json) ved siden av egenvurderingen; kan gjentas "
    "(standard: indikatorer.xlsx/.csv/.json i skjemamappen).",
)
@catalog_option
@today_option
def build(
    checklists: tuple[Path, ...],
    output: Path,
    config_file: Path | None,
    template_dirs: tuple[Path, ...],
    strict: bool,
    audience: str,
    unit: str | None,
    hf: str | None,
    registry_file: Path | None,
    no_cache: bool,
    indicator_files: tuple[Path, ...],
    catalog_files: tuple[Path, ...],
    today: dt.datetime | None,
) -> None:
    """Les, kontroller og skår skjemaene, og bygg rapportnettstedet (checklists/ → site/)."""
    from statuskart.model.audience import choose_audience
    from statuskart.pipeline.build import run_build
    from statuskart.validate.intake import default_cache_dir

    chosen = choose_audience(audience, unit, hf)

    inputs = list(checklists or (Path(DEFAULT_INPUT),))
    gathered = _gather(inputs, registry_file, indicator_files)
    with BuildProgress(len(gathered.files)) as progress:
        result = run_build(
            inputs,
            output,
            catalog_files=catalog_files,
            config_file=config_file or _default_config(),
            template_dirs=template_dirs,
            today=parse_date_option(today) if today else None,
            progress=progress.file_done,
            audience=chosen,
            registry_file=registry_file,
            cache_dir=None if no_cache else default_cache_dir(),
            on_stage=progress.stage,
            indicator_files=indicator_files,
            gathered=gathered,
        )
    for notice in result.notices:
        echo(notice, err=True)
    counts = {
        s: sum(1 for r in result.files if r.status == s) for s in ("ok", "warnings", "rejected")
    }
    echo(
        msg.BUILD_SUMMARY.format(
            seconds=number(result.seconds, 1),
            files=count(len(result.files), "fil", "filer"),
            ok=number(counts["ok"]),
            warn=number(counts["warnings"]),
            rejected=number(counts["rejected"]),
            units=count(result.units, "enhet", "enheter"),
            pages=count(result.pages, "side", "sider"),
            site=output,
        ),
        err=True,
    )
    click.echo(format_stages(result.stages), err=True)
    sys.exit(1 if strict and any(has_errors(r.findings) for r in result.files) else 0)


def _default_config() -> Path | None:
    path = Path("mkdocs.yml")
    return path if path.is_file() else None


@main.command()
@click.argument("checklists", nargs=-1, metavar="[MAPPE]...", type=click.Path(path_type=Path))
@click.option(
    "--addr",
    default="127.0.0.1:8000",
    show_default=True,
    help="Adresse og port. Standard er bare denne maskinen; en annen adresse gjør "
    "forhåndsvisningen synlig på nettverket.",
)
@audience_options
@config_option
@catalog_option
def serve(
    checklists: tuple[Path, ...],
    addr: str,
    audience: str,
    unit: str | None,
    hf: str | None,
    config_file: Path | None,
    catalog_files: tuple[Path, ...],
) -> None:
    """Forhåndsvis rapportnettstedet lokalt, med automatisk oppdatering."""
    from statuskart.model.audience import choose_audience
    from statuskart.pipeline.serve import is_loopback, parse_address, serve_preview
    from statuskart.validate.intake import default_cache_dir

    chosen = choose_audience(audience, unit, hf)
    host, _ = parse_address(addr)

    def ready() -> None:
        click.echo(msg.SERVING.format(address=addr), err=True)
        if not is_loopback(host):
            shows = msg.SERVING_SHOWS[chosen.name]
            click.secho(msg.SERVING_ON_NETWORK.format(address=addr, what=shows), err=True, fg="red")

    serve_preview(
        list(checklists or (Path(DEFAULT_INPUT),)),
        addr,
        catalog_files=catalog_files,
        config_file=config_file or _default_config(),
        ready=ready,
        cache_dir=default_cache_dir(),
        audience=chosen,
    )


if __name__ == "__main__":
    main()


@main.command("cache", help=msg.CACHE_HELP, short_help="Vis eller tøm hurtigbufferen.")
@click.option("--clear", is_flag=True, help="Tøm hurtigbufferen.")
def cache_command(clear: bool) -> None:
    from statuskart.core import cache
    from statuskart.validate.intake import CACHE_ENV, default_cache_dir

    folder = default_cache_dir()
    if clear:
        freed = cache.clear(folder)
        echo(msg.CACHE_CLEARED.format(folder=folder, size=number(freed / 1e6, 1)))
        return
    used = cache.usage(folder)
    echo(
        msg.CACHE_USAGE.format(
            folder=f"{folder} ({CACHE_ENV})",
            size=number(used.bytes / 1e6, 1),
            reports=count(used.reports, "lest skjema", "leste skjema"),
            sites=count(used.sites, "nettsted", "nettsteder"),
            limit=number(cache.max_bytes() / 1e6),
            env=cache.MAX_MB_ENV,
            days=cache.MAX_AGE_DAYS,
        )
    )
