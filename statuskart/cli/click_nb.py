"""Bokmål for Click's own strings (usage, help headings, usage errors).

Click marks its messages with ``gettext`` but ships no translations, and the gettext route needs
compiled catalogues for the process-wide "messages" domain. Users only see what the CLI prints, so
we swap the ``_``/``ngettext`` that Click's modules imported for a lookup in this table. A string
Click adds or rewords later falls back to English; ``tests/test_cli.py`` checks the common ones.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterator

SINGULAR: dict[str, str] = {
    "Usage:": "Bruk:",
    "Options": "Valg",
    "Commands": "Kommandoer",
    "Show this message and exit.": "Vis denne hjelpeteksten og avslutt.",
    "Show the version and exit.": "Vis versjonen og avslutt.",
    "default: {default}": "standard: {default}",
    "required": "påkrevd",
    "Aborted!": "Avbrutt.",
    "Error: {message}": "Feil: {message}",
    "Try '{command} {option}' for help.": "Skriv «{command} {option}» for hjelp.",
    "No such option {name!r}.": "Ukjent valg «{name}».",
    "No such option: {name}": "Ukjent valg «{name}».",  # Click 8.2
    "No such command {name!r}.": "Ukjent kommando «{name}».",
    "Missing command.": "Mangler kommando.",
    "Missing argument": "Mangler argument",
    "Missing option": "Mangler valg",
    "Missing parameter": "Mangler parameter",
    "Missing parameter: {param_name}": "Mangler parameter: {param_name}",
    "Invalid value for {param_hint}: {message}": "Ugyldig verdi for {param_hint}: {message}",
    "Invalid value: {message}": "Ugyldig verdi: {message}",
    "Option {name!r} does not take a value.": "Valget «{name}» tar ingen verdi.",
    "{value!r} is not a valid {number_type}.": "«{value}» er ikke et gyldig {number_type}.",
    "{value} is not in the range {range}.": "{value} er utenfor området {range}.",
    "{name} {filename!r} does not exist.": "{name} «{filename}» finnes ikke.",
    "{name} {filename!r} is a directory.": "{name} «{filename}» er en mappe.",
    "{name} {filename!r} is a file.": "{name} «{filename}» er en fil.",
    "{name} {filename!r} is not readable.": "{name} «{filename}» kan ikke leses.",
    "{name} {filename!r} is not writable.": "{name} «{filename}» kan ikke skrives til.",
    "Could not open file {filename!r}: {message}": "Kan ikke åpne filen «{filename}»: {message}",
    "file": "fil",
    "directory": "mappe",
    "path": "sti",
    "unknown error": "ukjent feil",
    "{value!r} is not a valid boolean.": "«{value}» er ikke en gyldig sannhetsverdi.",
    "Error: The value you entered was invalid.": "Feil: Verdien du skrev inn er ugyldig.",
    "Error: {e.message}": "Feil: {e.message}",
}
PLURAL: dict[str, tuple[str, str]] = {
    "{value!r} does not match the format {format}.": (
        "«{value}» er ikke en dato på formen {format}.",
        "«{value}» er ikke en dato. Skriv åååå-mm-dd eller dd.mm.åååå.",
    ),
    "Got unexpected extra argument ({args})": (
        "Uventet ekstra argument ({args})",
        "Uventede ekstra argumenter ({args})",
    ),
    "Option {name!r} requires an argument.": (
        "Valget «{name}» trenger en verdi.",
        "Valget «{name}» trenger {nargs} verdier.",
    ),
    "{value!r} is not {choice}.": (
        "«{value}» er ikke {choice}.",
        "«{value}» er ikke blant {choices}.",
    ),
    "Did you mean {possibility}?": (
        "Mente du {possibility}?",
        "(Mente du en av: {possibilities}?)",
    ),
}
NUMBER_TYPES = {
    "IntParamType": "heltall",
    "IntRange": "heltall",
    "FloatParamType": "desimaltall",
    "FloatRange": "desimaltall",
}
MODULES = ("core", "exceptions", "formatting", "decorators", "types", "parser", "termui", "utils")


def gettext(message: str) -> str:
    return SINGULAR.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    nb = PLURAL.get(singular)
    if nb is None:
        return singular if n == 1 else plural
    return nb[0] if n == 1 else nb[1]


@contextlib.contextmanager
def installed() -> Iterator[None]:
    """Point Click's message lookups at the bokmål table while the CLI runs, then restore them.

    Used by the CLI's ``main`` only, so importing statuskart (or Click) elsewhere sees Click as is.
    """
    saved: list[tuple[object, str, object]] = []
    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        replacements: dict[str, Callable[..., str]] = {"_": gettext, "ngettext": ngettext}
        for attr, func in replacements.items():
            if hasattr(module, attr):
                saved.append((module, attr, getattr(module, attr)))
                setattr(module, attr, func)
    types = importlib.import_module("click.types")
    for cls_name, nb_name in NUMBER_TYPES.items():
        cls = getattr(types, cls_name, None)
        if cls is not None:
            saved.append((cls, "name", cls.name))
            cls.name = nb_name  # shown in metavars and in "not a valid …" errors
    try:
        yield
    finally:
        for owner, attr, value in reversed(saved):
            setattr(owner, attr, value)
