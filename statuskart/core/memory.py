"""Give memory the build no longer needs back to the operating system before MkDocs starts.

After reading, scoring and rendering a national build, the process held ~200 MB it had freed:
CPython hands freed blocks larger than 512 bytes (page texts, row lists) back to the C
allocator, which keeps them for reuse instead of returning them. MkDocs then runs in the same
process beside a second MkDocs process, and the two together went over the memory target.
``malloc_trim`` asks glibc to return every free page it holds; elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys


def release() -> None:
    """Collect garbage, then return free heap pages to the OS (glibc only)."""
    gc.collect()
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # musl and others have no malloc_trim
        return
    trim(0)
