"""Compiled Jinja templates kept in memory for the life of the process.

Each build makes new Jinja environments (ours and MkDocs' theme), and each compiled every
template again: ~0.6 s for our pages and more for Material's, per build. A long ``serve`` and
the test suite build many times in one process. The code is never written to disk or read from
it: a cache file would be code anyone who can write the cache folder could plant.
"""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.bccache import Bucket

MAX_TEMPLATES = 1_000
"""Compiled templates kept; past it the cache starts over (a long ``serve`` never grows)."""


class CompiledTemplates(jinja2.BytecodeCache):
    """Bytecode by template, file, environment kind and source checksum, in memory only.

    The environment's kind is part of the key: code compiled for the sandbox routes every call
    through its checks, and must never be confused with code compiled for a plain environment.
    A changed source has another checksum, so it is compiled again (Jinja checks on load).
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        """Jinja's bucket under a key that also names how ``environment`` compiles."""
        key = f"{self.get_cache_key(name, filename)}|{compile_kind(environment)}"
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` from memory, if this template was compiled before."""
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep what Jinja just compiled."""
        if len(self._code) >= MAX_TEMPLATES:
            self._code.clear()
        self._code[bucket.key] = bucket.bytecode_to_string()


def compile_kind(env: jinja2.Environment) -> str:
    """What decides the code Jinja generates for a template, besides its source."""
    options: tuple[Any, ...] = (
        type(env).__module__,
        type(env).__qualname__,
        env.sandboxed,
        env.is_async,
        env.optimized,
        env.autoescape if isinstance(env.autoescape, bool) else "select",
        getattr(env.finalize, "__module__", ""),
        getattr(env.finalize, "__qualname__", repr(env.finalize)),
        env.trim_blocks,
        env.lstrip_blocks,
        env.keep_trailing_newline,
        env.newline_sequence,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        tuple(sorted(env.extensions)),
    )
    return repr(options)


PAGES = CompiledTemplates()
"""The page templates: ours, and a user's --templates (in the sandbox: another kind)."""
THEME = CompiledTemplates()
"""MkDocs' theme templates (Material and our overrides)."""
