"""Process helpers for the process tests, kept small: a spawned child imports them too."""

from __future__ import annotations


def process_gone(pid: int) -> bool:
    """True when process ``pid`` has ended (gone, or a zombie waiting for its parent).

    A process can be reaped between opening its /proc entry and reading it: the read then fails
    with ESRCH (ProcessLookupError), which means gone as well (seen under forkserver in CI).
    """
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True
