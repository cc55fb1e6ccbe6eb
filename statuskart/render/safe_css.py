"""Allow-list check of a trust's stylesheets and of inline ``style`` attributes, with tinycss2.

tinycss2 tokenises as CSS Syntax Level 3 says browsers do, so escapes are already decoded:
``u\\72l(`` is the function «url», ``@\\69mport`` the rule «import». Every token of the sheet is
walked, nested blocks included: only listed at-rules and functions, listed properties (and
custom properties ``--*``), and ``url()`` of a relative path to a file of the site get through.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import tinycss2

from statuskart.core import messages as msg
from statuskart.render.safe_address import LocalCheck, Refused, local_address_problem

AT_RULES = frozenset(
    {"media", "supports", "font-face", "keyframes", "page", "layer", "container", "charset"}
)
"""Never «import» (loads another sheet) nor «namespace»: those load or rebind addresses."""
FUNCTIONS = frozenset(
    {
        *("rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color-mix"),
        *("calc", "min", "max", "clamp", "var", "minmax", "repeat", "fit-content", "rect", "inset"),
        *("linear-gradient", "radial-gradient", "conic-gradient", "repeating-linear-gradient"),
        *("repeating-radial-gradient", "repeating-conic-gradient", "cubic-bezier", "steps"),
        *("translate", "translatex", "translatey", "rotate", "scale", "scalex", "scaley"),
        *("skew", "skewx", "skewy", "matrix", "blur", "brightness", "contrast", "drop-shadow"),
        *("grayscale", "hue-rotate", "invert", "opacity", "saturate", "sepia", "counter"),
        *("counters", "format", "local", "url"),
        # selectors
        *("not", "is", "where", "has", "nth-child", "nth-last-child", "nth-of-type"),
        *("nth-last-of-type", "lang", "dir"),
    }
)
"""No image-set(), image(), cross-fade(), element(), paint(), attr(), src(), expression()."""
PROPERTIES = frozenset(
    {
        *("color", "background", "background-color", "background-image", "background-position"),
        *("background-repeat", "background-size", "background-clip", "background-origin"),
        *("border", "border-color", "border-style", "border-width", "border-radius"),
        *("border-collapse", "border-spacing", "outline", "outline-color", "outline-offset"),
        *("outline-style", "outline-width", "box-shadow", "box-sizing", "opacity"),
        *("margin", "padding", "width", "height", "min-width", "max-width", "min-height"),
        *("max-height", "display", "position", "top", "right", "bottom", "left", "inset"),
        *("float", "clear", "z-index", "overflow", "overflow-x", "overflow-y", "visibility"),
        *("clip", "clip-path"),
        *("font", "font-family", "font-size", "font-style", "font-weight", "font-variant"),
        *("font-display", "font-stretch", "line-height", "letter-spacing", "word-spacing"),
        *("text-align", "text-decoration", "text-decoration-color", "text-decoration-line"),
        *("text-decoration-style", "text-decoration-thickness", "text-underline-offset"),
        *("text-indent", "text-transform", "text-shadow", "text-overflow", "white-space"),
        *("word-break", "overflow-wrap", "hyphens", "vertical-align", "list-style"),
        *("list-style-type", "list-style-position", "list-style-image", "content", "quotes"),
        *("counter-reset", "counter-increment", "cursor", "table-layout", "caption-side"),
        *("empty-cells", "flex", "flex-direction", "flex-wrap", "flex-flow", "flex-grow"),
        *("flex-shrink", "flex-basis", "order", "gap", "row-gap", "column-gap", "grid"),
        *("grid-template", "grid-template-columns", "grid-template-rows", "grid-area"),
        *("grid-column", "grid-row", "grid-auto-flow", "align-items", "align-content"),
        *("align-self", "justify-content", "justify-items", "justify-self", "place-items"),
        *("transform", "transform-origin", "transition", "transition-property"),
        *("transition-duration", "transition-timing-function", "transition-delay"),
        *("animation", "animation-name", "animation-duration", "animation-delay"),
        *("animation-iteration-count", "animation-timing-function", "filter"),
        *("break-inside", "break-before", "break-after", "page-break-inside", "size"),
        *("page-break-before", "page-break-after", "orphans", "widows", "columns"),
        *("column-count", "column-width", "src", "unicode-range", "aspect-ratio", "object-fit"),
        *("accent-color", "scroll-margin-top", "print-color-adjust", "fill", "stroke"),
    }
)
_SIDES = ("top", "right", "bottom", "left", "block", "inline", "block-start", "block-end")
_SIDES_MORE = ("inline-start", "inline-end")
_BOXES = ("margin", "padding", "border", "inset", "scroll-margin", "scroll-padding")
PROPERTIES = PROPERTIES | {
    f"{box}-{side}{part}"
    for box in _BOXES
    for side in (*_SIDES, *_SIDES_MORE)
    for part in ("", "-color", "-style", "-width")
    if box == "border" or not part
}
PROPERTIES = PROPERTIES | {
    f"border-{v}-{h}-radius" for v in ("top", "bottom") for h in ("left", "right")
}
"""Presentation only; a name outside the list (``behavior``, ``-moz-binding``) is refused."""
_PREFIXES = ("-webkit-", "-moz-")
_RULE_BLOCKS = ("media", "supports", "layer", "container", "keyframes")
"""At-rules whose block holds rules (the others hold declarations)."""
_SKIP = {"skip_comments": True, "skip_whitespace": True}


def check_stylesheet(text: str, local: LocalCheck) -> None:
    """Raise Refused (with the line) for anything in the sheet outside the allow-list."""
    tokens = tinycss2.parse_component_value_list(text, skip_comments=True)
    for token in _walk(tokens):
        problem = _token_problem(token, local)
        if problem:
            raise Refused(problem, token.source_line)
    for rule in tinycss2.parse_stylesheet(text, **_SKIP):
        _check_rule(rule, local)


def inline_style_problem(value: str, allowed: Iterable[str]) -> str | None:
    """Why a ``style`` attribute is refused: a property outside ``allowed``, or a loading token."""
    tokens = tinycss2.parse_component_value_list(value, skip_comments=True)
    for token in _walk(tokens):
        problem = _token_problem(token, lambda _path: msg.SAFE_STYLE_NO_URL)
        if problem:
            return problem
    names = set(allowed)
    for item in tinycss2.parse_blocks_contents(value, **_SKIP):
        problem = _declaration_problem(item, names)
        if problem:
            return problem
    return None


def _walk(tokens: Iterable[Any]) -> Iterator[Any]:
    """Every token, and every token inside blocks and functions, in source order."""
    for token in tokens:
        yield token
        if token.type in ("() block", "[] block", "{} block", "function"):
            yield from _walk(token.arguments if token.type == "function" else token.content)


def _token_problem(token: Any, local: LocalCheck) -> str | None:
    if token.type == "error":
        return msg.SAFE_CSS_SYNTAX.format(problem=token.message)
    if token.type == "at-keyword" and token.lower_value not in AT_RULES:
        return msg.SAFE_CSS_AT_RULE.format(name=token.value)
    if token.type == "url":
        problem = local_address_problem(token.value, local)
        return msg.SAFE_CSS_URL.format(problem=problem) if problem else None
    if token.type == "function":
        if token.lower_name not in FUNCTIONS:
            return msg.SAFE_CSS_FUNCTION.format(name=token.name)
        if token.lower_name == "url":
            return _url_function_problem(token, local)
    return None


def _url_function_problem(token: Any, local: LocalCheck) -> str | None:
    """``url("…")`` (a quoted address is a function, not a url token): one string, checked."""
    arguments = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
    if len(arguments) != 1 or arguments[0].type != "string":
        return msg.SAFE_CSS_URL.format(problem=msg.SAFE_ADDRESS_REMOTE.format(value="url(…)"))
    problem = local_address_problem(arguments[0].value, local)
    return msg.SAFE_CSS_URL.format(problem=problem) if problem else None


def _check_rule(rule: Any, local: LocalCheck) -> None:
    """Property names of every declaration, also in nested rules and @media/@supports blocks."""
    if rule.type == "error":
        raise Refused(msg.SAFE_CSS_SYNTAX.format(problem=rule.message), rule.source_line)
    if rule.content is None:  # «@charset "utf-8";» and the like
        return
    if rule.type == "at-rule" and rule.lower_at_keyword in _RULE_BLOCKS:
        for inner in tinycss2.parse_rule_list(rule.content, **_SKIP):
            _check_rule(inner, local)
        return
    for item in tinycss2.parse_blocks_contents(rule.content, **_SKIP):
        if item.type in ("qualified-rule", "at-rule"):
            _check_rule(item, local)
            continue
        problem = _declaration_problem(item, PROPERTIES)
        if problem:
            raise Refused(problem, item.source_line)


def _declaration_problem(item: Any, allowed: frozenset[str] | set[str]) -> str | None:
    if item.type == "error":
        return msg.SAFE_CSS_SYNTAX.format(problem=item.message)
    if item.type != "declaration":
        return msg.SAFE_CSS_PROPERTY.format(name=getattr(item, "type", "?"))
    name = item.lower_name
    if name.startswith("--") and allowed is PROPERTIES:
        return None
    bare = next((name[len(p) :] for p in _PREFIXES if name.startswith(p)), name)
    if bare not in allowed:
        return msg.SAFE_CSS_PROPERTY.format(name=item.name)
    return None
