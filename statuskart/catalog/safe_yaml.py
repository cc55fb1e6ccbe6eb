"""YAML for files users write (catalogues, the unit register): safe, small and plain text only.

``yaml.safe_load`` still expands aliases (a «billion laughs» file takes the machine down when the
result is walked), recurses once per nesting level, and passes lone surrogates from "\\ud800"
escapes on to code that later fails to print them. This loader refuses all three up front: the
event stream is checked for aliases and depth before anything is built.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import yaml

from statuskart.core import messages as msg

MAX_YAML_BYTES = 10 * 2**20
"""A catalogue of 5,000 requirements is about 2 MB; anything much larger is a mistake."""
MAX_DEPTH = 50
SURROGATE = re.compile("[\ud800-\udfff]")


class UnsafeYamlError(yaml.YAMLError):
    """A construct this loader refuses; the message is bokmål and names the line."""


_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: 20× faster


def loader_for(base: Any) -> Any:
    """A subclass of the SafeLoader ``base`` that refuses lone surrogates in text.

    libyaml already refuses a "\\ud800" escape; PyYAML's pure-Python reader does not.
    """

    class Loader(base):  # type: ignore[misc]
        def construct_scalar(self, node: Any) -> Any:
            value = super().construct_scalar(node)
            if isinstance(value, str) and SURROGATE.search(value):
                raise UnsafeYamlError(_where(msg.YAML_SURROGATE, node))
            return value

        def construct_yaml_timestamp(self, node: Any) -> Any:
            # «2026-02-30» looks like a date to YAML and fails in English; say it in bokmål
            try:
                return super().construct_yaml_timestamp(node)
            except (ValueError, OverflowError):
                text = msg.YAML_BAD_DATE.format(value=node.value, line="{line}")
                raise UnsafeYamlError(_where(text, node)) from None

    Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)

    return Loader


_Loader = loader_for(_BASE)


def _check_events(text: str) -> None:
    """Refuse aliases and deep nesting from the event stream, before anything is built."""
    depth = 0
    for event in yaml.parse(text, Loader=_BASE):
        if isinstance(event, yaml.AliasEvent):
            raise UnsafeYamlError(_where(msg.YAML_ALIAS, event))
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise UnsafeYamlError(_where(msg.YAML_TOO_DEEP, event))
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            depth -= 1


def _where(text: str, event_or_node: Any) -> str:
    mark = getattr(event_or_node, "start_mark", None)
    return text.format(line=mark.line + 1 if mark is not None else "?")


def load_yaml_text(text: str) -> Any:
    """Parse YAML text; yaml.YAMLError (UnsafeYamlError for refused constructs) if it is bad."""
    _check_events(text)  # after this, no alias can make the result bigger than the text
    return yaml.load(text, Loader=_Loader)


def read_yaml_file(path: Path) -> Any:
    """Size-check, decode as UTF-8 and parse a user's YAML file.

    Raises OSError if it cannot be read, ValueError with a bokmål reason if it is too large or
    not UTF-8, and yaml.YAMLError if it is not acceptable YAML.
    """
    return parse_yaml_bytes(read_yaml_bytes(path))


def read_yaml_bytes(path: Path) -> bytes:
    """A user's YAML file's bytes, size-checked; OSError or ValueError as read_yaml_file."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):  # reading a FIFO would wait for a writer forever
        raise ValueError(msg.NOT_A_REGULAR_FILE)
    size = info.st_size
    if size > MAX_YAML_BYTES:
        raise ValueError(msg.YAML_TOO_LARGE.format(mb=size / 2**20, limit=MAX_YAML_BYTES // 2**20))
    return path.read_bytes()


def parse_yaml_bytes(data: bytes) -> Any:
    """Decode as UTF-8 and parse; ValueError or yaml.YAMLError as read_yaml_file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValueError(msg.YAML_NOT_UTF8.format(line=line)) from None
    return load_yaml_text(text)


def yaml_problem(exc: yaml.YAMLError) -> str:
    """One bokmål line for a YAML error (PyYAML's own messages are English and multi-line)."""
    if isinstance(exc, UnsafeYamlError):
        return str(exc)
    mark = getattr(exc, "problem_mark", None)
    if isinstance(exc, yaml.reader.ReaderError):
        return msg.YAML_BAD_CHARACTER.format(code=f"U+{exc.character:04X}")
    line = mark.line + 1 if mark is not None else "?"
    return msg.YAML_SYNTAX.format(line=line)
