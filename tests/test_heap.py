"""core/heap.py: what a build keeps alive stays out of full collections, until the build ends."""

from __future__ import annotations

import gc

from statuskart.core import heap


def test_frozen_blocks_nest_and_the_outermost_lets_go() -> None:
    assert gc.get_freeze_count() == 0
    with heap.frozen():
        outer = gc.get_freeze_count()
        assert outer > 0
        made = [[i] for i in range(1000)]
        heap.freeze_more()
        assert gc.get_freeze_count() >= outer + 1000
        with heap.frozen():
            pass
        assert gc.get_freeze_count() >= outer + 1000  # the inner block did not let go
        del made
    assert gc.get_freeze_count() == 0


def test_freeze_more_outside_a_build_freezes_nothing() -> None:
    heap.freeze_more()
    assert gc.get_freeze_count() == 0


def test_what_is_no_longer_used_is_freed_while_frozen() -> None:
    class Big:
        freed = 0

        def __del__(self) -> None:
            Big.freed += 1

    with heap.frozen():
        one = Big()
        heap.freeze_more()
        del one
        assert Big.freed == 1  # freed when its last reference went, frozen or not
