"""Run a command and print how long it took: .ci/run's record of where its 15 minutes go."""

from __future__ import annotations

import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    """``ci_timer.py LABEL -- COMMAND...``: run COMMAND, print «LABEL: N s», return its code.

    CPU seconds (the command's whole process tree) are printed too: on a shared or busy machine
    they say what a step costs when wall time cannot, and their sum over two cores is the floor.
    """
    label, separator, *command = argv
    if separator != "--" or not command:
        print("usage: ci_timer.py LABEL -- COMMAND...", file=sys.stderr)
        return 2
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    code = subprocess.call(command)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"[ci] {label}: {wall:.0f} s, CPU {cpu:.0f} s (exit {code})", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
