"""What `build` shows while it runs: a progress bar per stage and where the time went.

Kept out of commands.py so the command definitions stay a short list of commands.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from statuskart.cli.support import reading_bar
from statuskart.core import messages as msg
from statuskart.core.numbers import number, percent
from statuskart.core.timing import ALONGSIDE


def format_stages(stages: Sequence[tuple[str, float]]) -> str:
    """The summary of where a build's time went, slowest stage named."""
    # A stage run alongside others (in another process) adds no time of its own to the build.
    serial = [(stage, seconds) for stage, seconds in stages if stage not in ALONGSIDE]
    total = sum(seconds for _, seconds in serial) or 1.0
    name, slowest = max(serial, key=lambda item: item[1], default=("mkdocs", 0.0))
    return msg.BUILD_STAGES.format(
        stages=", ".join(f"{msg.STAGE_NAMES.get(s, s)} {number(t, 1)} s" for s, t in stages),
        slowest=msg.STAGE_NAMES.get(name, name),
        share=percent(slowest / total),
    )


class BuildProgress:
    """Progress on stderr: one bar for the files read, then one for the remaining stages.

    Hidden when stderr is not a terminal or there are few files, like ``reading_bar``.
    """

    def __init__(self, total_files: int) -> None:
        self.files = reading_bar(total_files)
        self.hidden = self.files.hidden
        self.stages: Any = None
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> BuildProgress:
        self._stack.enter_context(self.files)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def file_done(self, _path: Path) -> None:
        """One more file read and validated."""
        self.files.update(1)

    def stage(self, name: str) -> None:
        """A stage starts: after reading, switch to the stage bar and name the stage."""
        if name in ("read", "validate"):
            return
        if self.stages is None:
            self.files.render_finish()
            self.stages = self._stack.enter_context(
                click.progressbar(
                    length=len(LATER_STAGES),
                    label=msg.PROGRESS_BUILDING,
                    file=sys.stderr,
                    hidden=self.hidden,
                    item_show_func=lambda s: msg.STAGE_NAMES.get(s, s) if s else None,
                )
            )
            self.stages.update(0, name)
        else:
            self.stages.update(1, name)


LATER_STAGES = ("score", "report", "pages", "downloads", "mkdocs")
