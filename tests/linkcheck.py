"""A link checker for a built site: every relative link and source must name a file in the site.

Used by the tests that build each audience: a page that links to a page its build leaves out (a
requirement page in a one-unit report, say) is a broken link a reader meets, so it fails a test.
Fragments are checked against the ids of the target page.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRS = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("iframe", "src")}


@dataclass(frozen=True)
class Broken:
    """One link that leads nowhere: the page it is on, and the link as written."""

    page: str
    link: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link}"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.ids.add(value)
            if (tag, name) in LINK_ATTRS:
                self.links.append(value)


def _parse(path: Path, cache: dict[Path, _Page]) -> _Page:
    if path not in cache:
        page = _Page()
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
        cache[path] = page
    return cache[path]


def broken_links(site: Path) -> list[Broken]:
    """Every relative link in the site's HTML pages that names no file (or no id on its page)."""
    site = site.resolve()
    cache: dict[Path, _Page] = {}
    broken: list[Broken] = []
    for html in sorted(site.rglob("*.html")):
        page = _parse(html, cache)
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("//", "#!", "javascript:")):
                continue  # external, or a script's own pseudo-link
            target = html if not parts.path else (html.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            where = str(html.relative_to(site))
            if not target.is_file() or site not in target.parents:
                broken.append(Broken(where, link))
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in _parse(target, cache).ids:
                broken.append(Broken(where, link))
    return broken
