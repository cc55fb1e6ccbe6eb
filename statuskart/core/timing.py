"""Stage timings of one build: wall seconds per named stage, for the summary line and benchmarks.

No I/O. A plain mutable recorder passed down explicitly (no module state).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

STAGES = (
    "read",
    "validate",
    "score",
    "report",
    "pages",
    "downloads",
    "mkdocs",
    "downloads-parallel",
)
"""Stage names in pipeline order; messages.STAGE_NAMES holds their bokmål labels."""
ALONGSIDE = frozenset({"downloads-parallel"})
"""Stages that run in another process during later stages: their time is not added on top."""


@dataclass(slots=True)
class Stopwatch:
    """Wall seconds per stage, summed when a stage is entered more than once."""

    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, stage: str, seconds: float) -> None:
        """Add ``seconds`` to ``stage``."""
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the body of a ``with`` block as stage ``name``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)

    def ordered(self) -> tuple[tuple[str, float], ...]:
        """(stage, seconds) in pipeline order, then any others in the order first seen."""
        known = [(s, self.seconds[s]) for s in STAGES if s in self.seconds]
        rest = [(s, v) for s, v in self.seconds.items() if s not in STAGES]
        return (*known, *rest)
