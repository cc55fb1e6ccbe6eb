"""Pages stage: ReportModel → Markdown files for MkDocs, through Jinja templates (autoescaped).

Every spreadsheet string is untrusted: HTML blocks are escaped by Jinja's autoescape, and text put
into Markdown itself goes through the ``md`` filter, which escapes for HTML and Markdown both.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from statuskart.catalog.changes import KINDS as VERSION_KINDS
from statuskart.core import heap
from statuskart.core import messages as msg
from statuskart.core.atomic import write_new
from statuskart.core.errors import ConfigError
from statuskart.core.identity import name_key
from statuskart.core.numbers import percent
from statuskart.core.resources import default_templates_dir
from statuskart.model import carried, facts
from statuskart.model.comparison import PEER_MIN
from statuskart.model.views import GroupView, ReportModel
from statuskart.render import build_date, charts, colour, compiled, kept_pages, markup
from statuskart.render.escape import escape_text, front_matter_title
from statuskart.render.template_env import (
    FolderLoader,
    SandboxEnvironment,
    UserTemplates,
    sandbox_breach,
    template_crash,
)
from statuskart.render.unit_search import UNIT_TEMPLATE, is_unit_page, unit_entries
from statuskart.score.rounds import CHANGE_KINDS, TrendPoint, comparable_segments


def md_inline(value: object) -> Markup:
    """Escape text for an inline Markdown context (headings, list items); kept as a filter name."""
    return escape_text(value, line_break="<br>")


def nl2br(value: object) -> Markup:
    """Escape each line and join with real line breaks (for comments in tables)."""
    return escape_text(value or "", line_break="<br>")


def finalize(value: object) -> object:
    """Jinja ``finalize``: escape every printed value that is not already safe markup."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    return escape_text(value)


def fmt_date(value: dt.date | None) -> str:
    """dd.mm.åååå, or empty."""
    return value.strftime("%d.%m.%Y") if value else ""


def fmt_pct(value: float | None) -> str:
    """Share as «83 %», or a dash."""
    return "–" if value is None else percent(value)


def short_path(value: object) -> str:
    """Round folder and file name («2026-T1/enhet.xlsx»): the build machine's folders stay out."""
    path = Path(str(value))
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def environment(template_dirs: Sequence[Path] = ()) -> jinja2.Environment:
    """The pages' Jinja environment: the user's folders first, then ours; autoescape on.

    With a user's folder, every template renders in the sandbox (template_env.py): a user
    template is foreign code. Without one, only the templates shipped with the package render,
    code as trusted as this module, so Jinja's plain environment runs them: the sandbox checked
    every attribute a page read, a quarter of the pages stage at 1,000 units. The data they print
    is escaped the same way in both (``finalize``); tests/test_template_sandbox.py holds the two
    to the same bytes.
    """
    for folder in template_dirs:
        if not Path(folder).is_dir():
            raise ConfigError(msg.TEMPLATES_DIR_MISSING.format(path=folder))
    dirs = [*template_dirs, default_templates_dir()]
    kind = SandboxEnvironment if template_dirs else jinja2.Environment
    env = kind(
        loader=jinja2.ChoiceLoader([FolderLoader(str(d)) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
        bytecode_cache=compiled.PAGES,
    )
    env.filters.update(
        md=md_inline,
        page_title=front_matter_title,
        nl2br=nl2br,
        short_path=short_path,
        date=fmt_date,
        pct=fmt_pct,
        score=charts.fmt,
    )
    env.globals.update(
        status=markup.status,
        req_link=markup.req_link,
        badge=markup.badge,
        table_start=markup.table_start,
        bar_chart=_safe(charts.bar_chart),
        stacked_bar=_safe(charts.stacked_bar),
        strip_plot=_safe(charts.strip_plot),
        trend_chart=_safe(trend_chart),
        score_rows=facts.score_rows,
        heat_key=colour.heat_key,
        group_rows=group_rows,
        phase_rows=facts.phase_rows,
        type_rows=facts.type_rows,
        plain_reason=facts.plain_reason,
        follow_up=facts.follow_up,
        follow_up_per_hf=facts.FOLLOW_UP_PER_HF,
        rhf_groups=facts.rhf_groups,
        collapse_over=facts.COLLAPSE_OVER,
        data_quality=facts.data_quality,
        carried_answers=carried.carried_answers,
        unit_findings=facts.file_todo,
        finding_place=facts.finding_place,
        finding_kind=facts.finding_kind,
        file_status=facts.FILE_STATUS,
        catalogue_of=facts.catalogue_of,
        results_by_phase=facts.results_by_phase,
        next_steps=NEXT_STEPS,
        peer_min=PEER_MIN,
        plan_path=facts.plan_path,
        change_kinds=CHANGE_KINDS,
        hf_scopes_of=facts.hf_scopes_of,
        hf_implemented=facts.hf_implemented,
        learn_from=facts.learn_from,
        hfs_to_learn_from=facts.hfs_to_learn_from,
        requirement_history=facts.requirement_history,
        version_kinds=VERSION_KINDS,
        version_labels=msg.VERSION_CHANGE_LABELS,
        scope_labels=msg.SCOPE_LABELS,
        purpose_title=msg.PURPOSE_TITLE,
        purpose_text=msg.PURPOSE_NOTE,
        purpose_source=msg.PURPOSE_SOURCE,
        build_date_span=build_date.span,
    )
    env.tests["result_is"] = facts.result_is
    return env


NEXT_STEPS = 5
"""Actions shown at the top of a unit page; the rest follow in the full list."""


def trend_chart(points: Sequence[TrendPoint], title: str, uid: str) -> str:
    """Line chart of score per round, broken wherever the catalogue version changes."""
    segments = [[(p.period, p.score) for p in seg] for seg in comparable_segments(points)]
    return charts.line_chart(segments, title, uid)


def group_rows(groups: Sequence[GroupView], folder: str) -> list[tuple[str, str, Any]]:
    """(name, link, stats) rows for the statistics table."""
    return [(g.name, f"{folder}{g.slug}.html", g.stats) for g in groups]


def _safe(func: Any) -> Any:
    # Charts escape their own text, so their output is marked safe for autoescaping.
    return lambda *args, **kwargs: Markup(func(*args, **kwargs))


CROSS_UNIT_PAGES = (
    ("regioner/index.md", "regions.md.j2"),
    ("enheter/index.md", "units.md.j2"),
    ("krav/index.md", "requirements.md.j2"),
    ("sammenligning.md", "comparison.md.j2"),
    ("innlevering.md", "submissions.md.j2"),
)
"""Pages that only make sense across units: left out of one unit's own report."""
SHARED_PAGES = (
    ("datakvalitet.md", "data-quality.md.j2"),
    ("metode.md", "method.md.j2"),
    ("nedlastinger.md", "downloads.md.j2"),
)


def page_jobs(model: ReportModel) -> list[tuple[str, str, dict[str, Any]]]:
    """(target, template, variables) for every page of the site, as the audience allows."""
    jobs: list[tuple[str, str, dict[str, Any]]] = []
    if model.audience == "enhet":
        if model.units:
            first, *others = model.units
            jobs.append(("index.md", "unit.md.j2", {"unit": first, "up": ""}))
            jobs += [(f"enheter/{u.slug}.md", "unit.md.j2", {"unit": u}) for u in others]
        else:
            jobs.append(("index.md", "unit-unscored.md.j2", {}))
        return jobs + [(t, tpl, {}) for t, tpl in SHARED_PAGES]
    jobs.append(("index.md", "overview.md.j2", {}))
    jobs += [(t, tpl, {}) for t, tpl in (*CROSS_UNIT_PAGES, *SHARED_PAGES)]
    jobs += [(f"regioner/{g.slug}.md", "group.md.j2", {"group": g}) for g in model.rhfs]
    jobs += [(f"hf/{g.slug}.md", "group.md.j2", {"group": g}) for g in model.hfs]
    jobs += [(f"enheter/{u.slug}.md", "unit.md.j2", {"unit": u}) for u in model.units]
    jobs += [(f"enheter/{u.slug}.md", "unit.md.j2", {"unit": u}) for u in model.absent_units]
    jobs += [(f"krav/{r.slug}.md", "requirement.md.j2", {"req": r}) for r in model.requirements]
    return jobs


class RenderedPages(NamedTuple):
    """The pages written, and the search entries of the unit pages when the build indexes them."""

    written: list[Path]
    unit_entries: list[dict[str, str]]
    kept: int = 0
    """Unit pages copied from the last build, not rendered (kept_pages.py)."""


class PageWriter:
    """Every page job of one site, and the means to render any of them by its number.

    A job's number names one page; ``write`` renders it. With the shipped templates alone, a
    unit page gets a ``UnitPageModel`` as ``model`` (kept_pages.py), so its key covers what it
    reads; the user's own templates get the whole model.
    """

    def __init__(
        self,
        model: ReportModel,
        *,
        template_dirs: Sequence[Path] = (),
        own_unit_search: bool = False,
    ) -> None:
        self.env = environment(template_dirs)
        self.user = UserTemplates(self.env, template_dirs)
        jobs = page_jobs(model)
        if own_unit_search:
            jobs = [(t, tpl, {**x, "search_exclude": is_unit_page(t, tpl)}) for t, tpl, x in jobs]
        self.jobs = jobs
        self.targets = targets = {t for t, _, _ in jobs}
        steps = [step for cat in model.catalogues for step in cat.scale.steps]
        self.base = {
            "status_icons": {step.label: step.icon for step in steps},
            "status_colours": {step.label: step.colour for step in steps},
            "model": model,
            "audience_note": model.audience_note,
            "cross_unit": model.audience != "enhet",
            # Not through self: a writer in a circle with itself kept the whole model alive
            # until a full collection found it (0.6 s at national size, core/heap.py).
            "has_page": targets.__contains__,
            "up": "../",
            "search_exclude": False,
        }
        self.unit_models = None if template_dirs else kept_pages.unit_page_models(model)

    def keyed(self, number: int) -> bool:
        """True for a page whose key covers all it reads (a unit page, shipped templates)."""
        return self.unit_models is not None and self.jobs[number][1] == UNIT_TEMPLATE

    def shared_digest(self, model: ReportModel) -> bytes:
        """What every keyed page's key shares (kept_pages.shared_digest)."""
        context = {k: v for k, v in self.base.items() if k not in ("model", "has_page")}
        return kept_pages.shared_digest(model, context, self.targets)

    def key(self, number: int, shared: bytes) -> str | None:
        """The key of keyed page ``number``: ``shared`` and the page's own variables."""
        target, template, extra = self.jobs[number]
        scopes = self._unit_model(extra).hf_scopes
        return kept_pages.page_key(shared, target, template, {**extra, "hf_scopes": scopes})

    def render(self, number: int) -> bytes:
        """Page ``number``'s Markdown; template problems become ConfigError."""
        target, template, extra = self.jobs[number]
        variables = {**self.base, **extra}
        if self.keyed(number):
            variables["model"] = self._unit_model(extra)
        with template_errors(template):
            text = self.env.get_template(template).render(**variables)
            self.user.check(template, target, text)
        return text.encode("utf-8")

    def write(self, number: int, docs_dir: Path, data: bytes | None = None) -> Path:
        """Write page ``number`` (``data``, or rendered now) into ``docs_dir``."""
        path = docs_dir / self.jobs[number][0]
        path.parent.mkdir(parents=True, exist_ok=True)
        write_new(path, self.render(number) if data is None else data)
        return path

    def _unit_model(self, extra: dict[str, Any]) -> kept_pages.UnitPageModel:
        assert self.unit_models is not None
        return self.unit_models[name_key(extra["unit"].score.unit.hf)]


def render_pages(
    model: ReportModel,
    docs_dir: Path,
    *,
    template_dirs: Sequence[Path] = (),
    own_unit_search: bool = False,
    kept: kept_pages.KeptPages | None = None,
) -> RenderedPages:
    """Write every page of the site into ``docs_dir``, and the build date's stylesheet.

    ``own_unit_search``: unit pages tell the search plugin to skip them, because the build puts
    their entries into the index itself (unit_search.py); their entries come back with the files.
    ``kept``: the last build's unit pages; one whose key is unchanged is copied, not rendered,
    and the memo of this build's pages is written for the next.
    """
    writer = PageWriter(model, template_dirs=template_dirs, own_unit_search=own_unit_search)
    entries = unit_entries(model, writer.jobs) if own_unit_search else []
    build_date.write_stylesheet(docs_dir, model.build_date)
    keyed = kept is not None and writer.unit_models is not None
    shared = writer.shared_digest(model) if keyed else b""
    with heap.frozen():  # the model: ~700,000 objects that live through the pages
        for number, (target, _, _) in enumerate(writer.jobs):
            key = writer.key(number, shared) if keyed and writer.keyed(number) else None
            if kept is None or key is None:
                writer.write(number, docs_dir)
            elif not kept.copy(target, key, docs_dir):
                data = writer.render(number)
                writer.write(number, docs_dir, data)
                kept.record(target, key, data)
    if kept is not None:
        kept.save()
    written = [docs_dir / target for target, _, _ in writer.jobs]
    return RenderedPages(written, entries, kept.reused if kept is not None else 0)


@contextlib.contextmanager
def template_errors(template: str) -> Iterator[None]:
    """A broken or missing template (often in the user's --templates folder) → one bokmål line.

    Syntax errors name the file and line; other errors name the page template being rendered.
    """
    try:
        yield
    except SecurityError as exc:
        raise sandbox_breach(exc, template) from None
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or template
        raise ConfigError(
            msg.TEMPLATE_SYNTAX.format(file=where, line=exc.lineno, error=exc.message)
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise ConfigError(msg.TEMPLATE_NOT_FOUND.format(name=exc.name, page=template)) from None
    except jinja2.TemplateError as exc:
        raise ConfigError(msg.TEMPLATE_FAILED.format(page=template, error=exc)) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as exc:
        raise template_crash(exc, template) from None
