"""Allow-list check of Markdown pages (a trust's own pages, and the output of page templates).

The page is converted with the site's own Markdown extensions, so raw HTML, ``{: attr}`` lists and
reference-style images are all seen as MkDocs will see them. nh3 (ammonia, with the browsers'
HTML5 parser html5ever) then sanitises that HTML twice: once with the allow-list, once keeping
every element and attribute it parsed. Any difference is something the allow-list would remove,
and the page is refused rather than silently altered; the first such thing is named, with the
line of the file it comes from.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
import nh3

from statuskart.core import messages as msg
from statuskart.render import safe_css
from statuskart.render.safe_address import (
    LocalCheck,
    Refused,
    any_local,
    local_address_problem,
    shown,
)

MARKDOWN_EXTENSIONS = ("admonition", "tables", "attr_list", "toc")
"""The Markdown extensions the site is built with (site/engine.py); pages are checked with them."""

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_PAGE_TAGS = frozenset(
    {
        *("a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd"),
        *("del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "hr", "i", "img"),
        *("ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong"),
        *("sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u"),
        *("ul", *_HEADINGS),
    }
)
_PAGE_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"title", "class", "lang"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "th": frozenset({"colspan", "rowspan", "style", "align"}),
    "td": frozenset({"colspan", "rowspan", "style", "align"}),
    "ol": frozenset({"start"}),
    "details": frozenset({"open"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    **{h: frozenset({"id"}) for h in _HEADINGS},
}
_SVG_CHART = {
    "svg": {"role", "viewBox", "xmlns", "aria-labelledby", "style"},
    "title": {"id"},
    "desc": {"id"},
    "rect": {"x", "y", "width", "height", "fill", "stroke", "stroke-width"},
    "line": {"x1", "x2", "y1", "y2", "stroke", "stroke-width"},
    "polyline": {"points", "fill", "stroke", "stroke-width"},
    "circle": {"cx", "cy", "r", "fill", "fill-opacity"},
    "text": {"x", "y", "fill", "font-size", "text-anchor"},
}
"""What charts.py draws: the shipped templates print these, so a copy of them must pass too."""
_TEMPLATE_EXTRA = {
    **_SVG_CHART,
    "section": {"data-sk-group"},
    "details": {"data-sk-group", "data-sk-label", "data-search-exclude"},
    "input": {"type", "id", "class", "placeholder", "autocomplete", "data-target", "data-count"},
    "label": {"for"},
    "span": {"id", "aria-live", "style"},
    "div": {"id", "role", "tabindex", "aria-label"},
    "th": {"scope"},
    "td": {"class"},
    "tr": {"data-sk-row"},
    "ol": {"data-search-exclude"},
    "table": {"data-search-exclude"},
}
_SCHEMES = frozenset({"http", "https", "mailto"})
"""Schemes a link may use: following a link is the reader's choice, loading is not."""
_LOADS = {("img", "src")}
"""Attributes whose address the browser loads by itself: only files of the site itself."""
_FRAGMENT_ONLY = frozenset({"body", "frameset", "head", "html"})
"""A parser merges these tags' attributes into the page's own <body> or <html>, so a fragment
sanitiser never sees them: refused wherever such a tag could start."""
# HTML's tokenizer starts a tag at «<» + ASCII letter; the name runs to whitespace, «/» or «>».
# Every name the parser can see is in this superset (it also matches inside text, harmlessly).
_TAG_START = re.compile(r"</?([A-Za-z][^\t\n\f\r />]*)")
_SVG_CASED = ("foreignObject", "clipPath", "linearGradient", "radialGradient", "textPath")
# Anything a URL parser could read as a scheme, after entity decoding and tab/newline removal.
_SCHEME_LIKE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_NOT_IN_TITLE = re.compile(r'[<>"]')
_LEADING_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


@dataclass(frozen=True, slots=True)
class Policy:
    """Elements, attributes and inline styles a page may use."""

    tags: frozenset[str]
    attributes: Mapping[str, frozenset[str]]
    styles: frozenset[str]
    input_types: frozenset[str] = field(default=frozenset())
    meta_keys: frozenset[str] = field(default=frozenset({"title"}))


PAGE = Policy(_PAGE_TAGS, _PAGE_ATTRIBUTES, frozenset({"text-align"}))
"""A trust's own pages: text, tables, links, local images; tables may align their cells."""
TEMPLATE = Policy(
    _PAGE_TAGS | set(_TEMPLATE_EXTRA),
    {
        tag: _PAGE_ATTRIBUTES.get(tag, frozenset()) | _TEMPLATE_EXTRA.get(tag, set())
        for tag in {*_PAGE_ATTRIBUTES, *_TEMPLATE_EXTRA}
    },
    frozenset({"text-align", "background", "font-family", "max-width"}),
    frozenset({"search", "text"}),
    frozenset({"title", "search"}),
)
"""Page templates: everything a page may use, plus what the shipped templates print."""


def check_markdown(text: str, policy: Policy, local: LocalCheck) -> None:
    """Raise Refused (with the line) if the page holds anything outside ``policy``."""
    from mkdocs.utils.meta import get_data  # the very split MkDocs makes (YAML or «key: value»)

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    body, meta = get_data(text)
    offset = text.count("\n") - body.count("\n")
    _check_meta(meta, policy, text)
    try:
        _check_html(to_html(body), policy, local)
    except Refused as refused:
        lines = body.splitlines(keepends=True)
        refused.line = offset + _first_failing_line(lines, policy, local)
        raise refused from None


def _check_meta(meta: Mapping[str, object], policy: Policy, text: str) -> None:
    """Page metadata: only a plain-text title (and ``search``) may be set.

    MkDocs-Material prints metadata unescaped (titles, descriptions) or acts on it (``template``
    picks a theme file).
    """
    for key, value in meta.items():
        line = _line_of(text, str(key))
        if key not in policy.meta_keys:
            raise Refused(msg.SAFE_META_KEY.format(key=key), line)
        if key == "title" and (not isinstance(value, str) or _NOT_IN_TITLE.search(value)):
            raise Refused(msg.SAFE_META_TITLE, line)
        if key == "search" and value not in ({"exclude": True}, {"exclude": False}):
            raise Refused(msg.SAFE_META_KEY.format(key=key), line)


def _line_of(text: str, key: str) -> int:
    """The line a metadata key is written on (1 if it cannot be found)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().lower().startswith(f"{key.lower()}:"):
            return number
    return 1


def to_html(body: str) -> str:
    """Markdown → HTML as the site renders it (same extensions)."""
    return str(markdown.markdown(body, extensions=list(MARKDOWN_EXTENSIONS)))


def _first_failing_line(lines: list[str], policy: Policy, local: LocalCheck) -> int:
    """The first line at which the page, cut off there, is refused (1-based; bisection)."""
    ok, bad = 0, len(lines)
    while bad - ok > 1:
        mid = (ok + bad) // 2
        try:
            _check_html(to_html("".join(lines[:mid])), policy, local)
            ok = mid
        except Refused:
            bad = mid
    return bad


def _check_html(text: str, policy: Policy, local: LocalCheck) -> None:
    """Refuse ``text`` unless the allow-list sanitiser keeps every element and attribute."""
    seen = {name for name in _TAG_START.findall(text.replace("\0", "\ufffd"))}
    names = seen | {n.lower() for n in seen}
    if names & _FRAGMENT_ONLY:
        raise Refused(msg.SAFE_ELEMENT.format(tag=sorted(names & _FRAGMENT_ONLY)[0]))
    problems: list[str] = []

    def attribute(tag: str, name: str, value: str) -> str | None:
        problem = _attribute_problem(policy, local, tag, name, value)
        if problem is not None:
            problems.append(problem)
            return None
        return value

    strict = nh3.clean(
        text,
        tags=set(policy.tags),
        clean_content_tags=set(),
        attributes={tag: set(names) for tag, names in policy.attributes.items()},
        attribute_filter=attribute,
        link_rel=None,
        url_schemes=set(_SCHEMES),
    )
    everything = nh3.clean(
        text,
        tags=set(policy.tags) | names | set(_SVG_CASED),
        clean_content_tags=set(),
        generic_attribute_prefixes={""},
        link_rel=None,
        url_schemes=set(_SCHEMES) | _schemes_in(text),
    )
    if problems:
        raise Refused(problems[0])
    if strict != everything:
        raise Refused(_explain(everything, policy) or msg.SAFE_CHANGED)


def _schemes_in(text: str) -> set[str]:
    """Every word that a URL parser could take for a scheme in ``text`` (a superset)."""
    found: set[str] = set()
    for variant in (text, html.unescape(text)):
        squeezed = re.sub(r"[\t\n\r]", "", variant)
        for match in _SCHEME_LIKE.finditer(squeezed):
            word = match.group(1)
            found |= {word[i:].lower() for i in range(len(word)) if word[i].isalpha()}
    return found


def _attribute_problem(
    policy: Policy, local: LocalCheck, tag: str, name: str, value: str
) -> str | None:
    """Why an allowed attribute's value is not allowed (style, input type, loaded address)."""
    if name == "style":
        problem = safe_css.inline_style_problem(value, policy.styles)
        return msg.SAFE_STYLE.format(tag=tag, problem=problem) if problem else None
    if tag == "input" and name == "type" and value.strip().lower() not in policy.input_types:
        return msg.SAFE_INPUT_TYPE.format(value=value)
    if (tag, name) in _LOADS:
        problem = local_address_problem(value, local)
        return msg.SAFE_LOADS.format(tag=tag, attribute=name, problem=problem) if problem else None
    return None


class _Walk(HTMLParser):
    """Start tags with their attributes, from the sanitiser's own (well-formed) serialisation."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _explain(serialised: str, policy: Policy) -> str | None:
    """The first element, attribute or link the allow-list removes, in bokmål."""
    walk = _Walk()
    walk.feed(serialised)
    walk.close()
    return next(_problems(walk.found, policy), None)


def _problems(
    found: list[tuple[str, list[tuple[str, str | None]]]], policy: Policy
) -> Iterator[str]:
    lower_tags = {t.lower() for t in policy.tags}
    for tag, attrs in found:
        if tag not in lower_tags:
            yield msg.SAFE_ELEMENT.format(tag=tag)
            continue
        named = (*policy.attributes.get("*", ()), *policy.attributes.get(tag, ()))
        allowed = {a.lower() for a in named}
        for name, value in attrs:
            if name not in allowed:
                yield msg.SAFE_ATTRIBUTE.format(tag=tag, attribute=name)
            elif name == "href" and _scheme(value or "") not in (None, *_SCHEMES):
                yield msg.SAFE_LINK.format(value=shown(value or ""))
            elif (tag, name) in _LOADS:
                problem = local_address_problem(value or "", any_local)
                if problem:
                    yield msg.SAFE_LOADS.format(tag=tag, attribute=name, problem=problem)


def _scheme(address: str) -> str | None:
    """The scheme a URL parser reads (tabs and newlines removed, case folded), if any."""
    found = _LEADING_SCHEME.match(re.sub(r"[\t\n\r]", "", address).strip(" \f"))
    return found.group(1).lower() if found else None
