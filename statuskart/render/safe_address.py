"""What a page or stylesheet may load by itself: only a file of the site, by a plain relative path.

Shared by the HTML and CSS checks. The rule is stricter than any URL parser needs: no scheme and no
colon at all, no backslash (browsers read it as «/»), no leading «/» (another host or the root of
the disk), no control characters. Whether the file exists, and stays inside the docs folder, is
for the caller to say (``local``).
"""

from __future__ import annotations

from collections.abc import Callable

from statuskart.core import messages as msg

LocalCheck = Callable[[str], str | None]
"""A relative path a page loads → None when allowed, else the problem in bokmål."""


class Refused(Exception):
    """A page or stylesheet the allow-list would change; ``found`` says what, ``line`` where."""

    def __init__(self, found: str, line: int | None = None) -> None:
        super().__init__(found)
        self.found = found
        self.line = line


def local_address_problem(value: str, local: LocalCheck) -> str | None:
    """None for a relative path to a file of the site, else why it would load from outside."""
    address = value.strip(" \t\n\r\f")
    if not address:
        return msg.SAFE_ADDRESS_EMPTY
    if address.startswith("#"):  # a part of the same document (an SVG filter, a marker)
        return None
    if ":" in address or address.startswith(("/", "\\")) or "\\" in address:
        return msg.SAFE_ADDRESS_REMOTE.format(value=shown(address))
    if any(ord(c) < 0x20 or c == "\x7f" for c in address):
        return msg.SAFE_ADDRESS_REMOTE.format(value=shown(address))
    path = address.split("#", 1)[0].split("?", 1)[0]
    return local(path)


def shown(value: str, limit: int = 80) -> str:
    """The address as it can be printed on one line: control characters shown as «?»."""
    text = "".join("?" if ord(c) < 0x20 or c == "\x7f" else c for c in value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def any_local(_path: str) -> str | None:
    """For template output: the page's own relative links are not files yet (built later)."""
    return None
