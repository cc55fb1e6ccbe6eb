"""Which requirement sources are official: the rule behind «sekundærkilde» on the site and in tests.

A quality adviser trusts a row once it can be checked against the authority's own text, so a source
counts as official only on Helsedirektoratet's or Lovdata's own hosts
(docs/dev/catalogue-format.md).
"""

from __future__ import annotations

from urllib.parse import urlsplit

OFFICIAL_HOSTS: tuple[str, ...] = ("helsedirektoratet.no", "lovdata.no")
"""Hosts whose pages are the pathways' and the law's own text."""


def is_official(source: str) -> bool:
    """True when the source is a URL on an official host or one of its subdomains."""
    try:
        host = (urlsplit(source.strip()).hostname or "").casefold()
    except ValueError:  # a malformed URL in a user's catalogue is simply not official
        return False
    return any(host == h or host.endswith("." + h) for h in OFFICIAL_HOSTS)
