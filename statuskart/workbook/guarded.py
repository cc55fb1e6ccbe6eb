"""The one way into a spreadsheet file: size, type and zip checks before any parser sees it.

A file is read with a size cap, sniffed (sniff.py), and only then opened: openpyxl (behind
defusedxml) for .xlsx, python-calamine for .ods and .xls. Every failure becomes a finding naming
the file; the skjema reader, the unit register and the registry-figure reader all come in here.
"""

from __future__ import annotations

import hashlib
import io
import stat
import warnings
import zipfile
from pathlib import Path

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from statuskart.core import messages as msg
from statuskart.core.findings import Finding, finding
from statuskart.workbook.backend import Book
from statuskart.workbook.sniff import MAX_FILE_BYTES, SheetTooLarge, check_size, sniff


def file_digest(data: bytes) -> str:
    """sha256 hex digest, shown as provenance on the site."""
    return hashlib.sha256(data).hexdigest()


def read_input_bytes(path: Path | str) -> bytes | Finding:
    """The file's bytes, size-checked with ``stat()`` first so a huge file is never loaded.

    At most the size limit plus one byte is read, in case the file grows after the check.
    """
    name = str(path)
    try:
        info = Path(path).stat()
        if not stat.S_ISREG(info.st_mode):  # opening a FIFO would wait for a writer forever
            return finding("not-a-spreadsheet", name, detail=msg.NOT_A_REGULAR_FILE)
        verdict = check_size(info.st_size)
        if not verdict.ok:
            return finding(verdict.code, name, detail=verdict.detail)
        with Path(path).open("rb") as fh:
            # The stated size and one byte: a read of the whole limit allocates 20 MB first,
            # which cost more than the rest of the read. A file grown since the check is read
            # on up to the limit, so the bytes are what one read of the limit gives.
            data = fh.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += fh.read(MAX_FILE_BYTES + 1 - len(data))
            return data
    except PermissionError:
        return finding("no-read-access", name)
    except OSError as exc:
        return finding("corrupt-file", name, detail=msg.os_reason(exc, reading=True))


def read_guarded(path: Path | str) -> bytes | Finding:
    """The file's bytes if it passes the pre-parse checks (size, zip, format), else a finding.

    The one way into a workbook file: the skjema reader and the unit register both use it.
    """
    data = read_input_bytes(path)
    if isinstance(data, Finding):
        return data
    verdict = sniff(data)
    if not verdict.ok:
        return finding(verdict.code, str(path), detail=verdict.detail)
    if verdict.format != "xlsx":  # callers open these bytes with openpyxl
        return finding("legacy-format", str(path), detail=verdict.detail)
    return data


def open_any(data: bytes, kind: str) -> Book:
    """Open checked bytes of the sniffed ``kind``: openpyxl for xlsx, python-calamine otherwise.

    Both give read.py the same shape: sheets by title, whose first rows ``_grid`` reads.
    """
    if kind == "xlsx":
        return open_guarded(data)
    from statuskart.workbook.calamine_read import open_calamine  # only for .ods/.xls files

    return open_calamine(data, kind)


def open_guarded(data: bytes) -> Workbook:
    """Open checked bytes read-only with values only; defusedxml guards the XML (see module)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about every extension it drops
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)


def failure_finding(exc: Exception, name: str) -> Finding:
    """The finding for an exception raised while openpyxl opened or read a workbook."""
    unsafe = _defused_cause(exc)
    if unsafe is not None:
        return finding("unsafe-content", name, detail=type(unsafe).__name__)
    if isinstance(exc, SheetTooLarge):
        return finding("too-large", name, detail=str(exc))
    if isinstance(exc, zipfile.BadZipFile | EOFError):
        return finding("corrupt-file", name, detail=str(exc))
    detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    return finding("corrupt-file", name, detail=detail)


def _defused_cause(exc: BaseException) -> BaseException | None:
    """Openpyxl wraps parser errors in ValueError; find a defusedxml refusal in the chain."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DefusedXmlException):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None
