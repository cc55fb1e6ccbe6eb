"""Run a command and print how long it took: .ci/run's record of where its 15 minutes go."""

from __future__ import annotations

import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    """``ci_timer.py LABEL -- COMMAND...``: run COMMAND, print «LABEL: N s», return its code."""
    label, separator, *command = argv
    if separator != "--" or not command:
        print("usage: ci_timer.py LABEL -- COMMAND...", file=sys.stderr)
        return 2
    start = time.monotonic()
    code = subprocess.call(command)
    print(f"[ci] {label}: {time.monotonic() - start:.0f} s (exit {code})", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
