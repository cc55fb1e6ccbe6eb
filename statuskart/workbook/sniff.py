"""Pre-parse checks of an input file: what it really is, and whether it is safe to open.

Decides by magic bytes and zip directory, never by file name, before any XML is parsed.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

MAX_FILE_BYTES = 20 * 2**20
MAX_UNCOMPRESSED_BYTES = 100 * 2**20
MAX_RATIO = 200
MAX_ZIP_ENTRIES = 2000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_OOXML_STREAM = "EncryptedPackage".encode("utf-16-le")
XLS_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
"""Directory-entry names of the BIFF stream in an OLE2 .xls (BIFF8, and BIFF5 from Excel 95)."""
BIFF_STARTS = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")


@dataclass(frozen=True, slots=True)
class Sniffed:
    """Verdict on a file: ``ok`` to parse as OOXML, or a finding code and detail to report."""

    ok: bool
    code: str = ""
    detail: str = ""
    format: str = "xlsx"
    """What an ``ok`` file is: «xlsx» (openpyxl reads it), «ods» or «xls» (python-calamine)."""
    entries: tuple[zipfile.ZipInfo, ...] = field(default=(), compare=False, repr=False)
    """The zip directory of an ``ok`` .xlsx, so the reader does not parse it a second time."""


OK = Sniffed(True)


def check_size(size: int) -> Sniffed:
    """Verdict on a file size alone: callers check ``stat()`` with this before reading a byte."""
    if size > MAX_FILE_BYTES:
        return Sniffed(False, "too-large", f"{size / 2**20:.0f} MB, grensen er 20 MB")
    return OK


def sniff(data: bytes) -> Sniffed:
    """Classify the bytes of an input file; workbooks we read that look safe get ``ok``."""
    if len(data) > MAX_FILE_BYTES:
        return check_size(len(data))
    if not data:
        return Sniffed(False, "not-a-spreadsheet", "filen er tom")
    if data.startswith(OLE_MAGIC):
        return _sniff_ole(data)
    if data.startswith(ZIP_MAGIC):
        return _sniff_zip(data)
    if data[:2] in BIFF_STARTS:
        return Sniffed(False, "legacy-format", "Excel 2–4 (svært gammelt .xls)")
    return _sniff_text(data)


def _sniff_ole(data: bytes) -> Sniffed:
    # An OLE2 container is either a legacy .xls/.et or a password-encrypted OOXML file.
    if ENCRYPTED_OOXML_STREAM in data:
        return Sniffed(False, "encrypted")
    if any(stream in data for stream in XLS_STREAMS):
        return Sniffed(True, detail="Excel 97–2003 (.xls)", format="xls")
    return Sniffed(False, "legacy-format", "Excel 97–2003 (.xls) eller annet eldre format")


def _sniff_zip(data: bytes) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            if len(infos) > MAX_ZIP_ENTRIES:
                return Sniffed(False, "too-large", f"{len(infos)} deler i arkivet")
            suspicious_ratio = total > 10 * 2**20 and total > MAX_RATIO * len(data)
            if total > MAX_UNCOMPRESSED_BYTES or suspicious_ratio:
                return Sniffed(False, "too-large", f"{total / 2**20:.0f} MB utpakket")
            understated = next((i for i in infos if not _size_is_true(data, i)), None)
            if understated is not None:
                detail = f"ødelagt zip-arkiv: {understated.filename} {_LYING_SIZE}"
                return Sniffed(False, "corrupt-file", detail)
            if "mimetype" in names:
                return _sniff_opendocument(z)
            if any(n.endswith((".iwa", "Index.zip", "Properties.plist")) for n in names):
                return Sniffed(False, "legacy-format", "Apple Numbers (.numbers)")
            if "xl/workbook.bin" in names:
                return Sniffed(False, "legacy-format", "Excel binær arbeidsbok (.xlsb)")
            if "[Content_Types].xml" not in names:
                return Sniffed(False, "corrupt-file", "mangler [Content_Types].xml")
            workbook = next((n for n in names if n.endswith("workbook.xml")), None)
            if workbook and b"purl.oclc.org/ooxml" in _read(data, z, workbook)[:4096]:
                return Sniffed(False, "legacy-format", "«Strict Open XML»-regneark")
            return Sniffed(True, entries=tuple(infos))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError) as exc:
        return Sniffed(False, "corrupt-file", f"ødelagt zip-arkiv: {exc}")
    return OK


def _read(data: bytes, archive: zipfile.ZipFile, name: str) -> bytes:
    """ZipFile.read(name), mostly without its Python layers (``unpack``)."""
    content = unpack(data, archive.getinfo(name))
    return content if content is not None else archive.read(name)


_LYING_SIZE = "pakker ut til mer enn arkivet oppgir"
_CHUNK = 2**20
DEFLATE_MAX_RATIO = 1032
"""No deflate stream unpacks to more than 1,032 times its size (RFC 1951's longest match)."""
HARMLESS_BYTES = 16 * 2**20
"""A part that cannot unpack to more than this is not worth unpacking twice to check."""


def _size_is_true(data: bytes, info: zipfile.ZipInfo) -> bool:
    """True when the part unpacks to exactly the size its headers state, found by unpacking it.

    The checks above trust the zip directory, which the file itself writes: a part whose header
    understates its size would otherwise be unpacked whole by a reader that believes the data.
    Output is produced a chunk at a time, so a lie costs at most one chunk of memory.
    """
    if info.compress_size * DEFLATE_MAX_RATIO <= HARMLESS_BYTES:
        return True  # whatever its header says, it cannot unpack to much
    start = info.header_offset
    if data[start : start + 4] != b"PK\x03\x04":
        return False
    name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
    raw = data[start + 30 + name_len + extra_len :][: info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        return len(raw) == info.compress_size == info.file_size
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return False  # spreadsheets are deflated or stored; anything else is not read
    inflate = zlib.decompressobj(-15)
    produced = 0
    try:
        chunk = inflate.decompress(raw, _CHUNK)
        while chunk:
            produced += len(chunk)
            if produced > info.file_size:
                return False
            chunk = inflate.decompress(inflate.unconsumed_tail, _CHUNK)
    except zlib.error:
        return False
    return inflate.eof and produced == info.file_size


def _sniff_opendocument(z: zipfile.ZipFile) -> Sniffed:
    mimetype = z.read("mimetype")[:100].decode("ascii", "replace").strip()
    manifest = z.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in z.namelist() else b""
    if b"encryption-data" in manifest:
        return Sniffed(False, "encrypted")
    if mimetype == "application/vnd.oasis.opendocument.spreadsheet":
        return Sniffed(True, detail="OpenDocument-regneark (.ods)", format="ods")
    if "spreadsheet" in mimetype:  # a template (.ots) or something else we do not read
        return Sniffed(False, "legacy-format", f"OpenDocument av typen {mimetype}")
    return Sniffed(False, "not-a-spreadsheet", f"OpenDocument av typen {mimetype}")


def _sniff_text(data: bytes) -> Sniffed:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<")):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
            return Sniffed(False, "legacy-format", "Excel 2003 XML-regneark")
        if b"opendocument" in head or b"office:document" in head:
            return Sniffed(False, "legacy-format", "flatt OpenDocument-regneark (.fods)")
        if b"<html" in head or b"<!doctype html" in head:
            return Sniffed(False, "not-a-spreadsheet", "en nettside (HTML)")
        return Sniffed(False, "not-a-spreadsheet", "en XML-fil")
    if b"\x00" not in head and (b"," in head or b";" in head or b"\t" in head):
        return Sniffed(False, "not-a-spreadsheet", "en tekstfil, trolig CSV")
    return Sniffed(False, "not-a-spreadsheet", "ukjent filformat")


MAX_CELLS = 2_000_000
"""Largest used range (rows × columns) handed to calamine, which allocates all of it (a lone
cell at XFD1048576 aborted the process); a skjema uses about 700 cells."""


class SheetTooLarge(ValueError):
    """A sheet whose values span more than MAX_CELLS: refused before calamine allocates it."""


_PLAIN_FLAGS = 0x2 | 0x4 | 0x8 | 0x800
"""General-purpose flags unpack accepts: deflate level hints, sizes in a data descriptor
(the directory's are used, as ZipFile does), UTF-8 names. Encryption and the rest are not."""
_LOCAL_HEADER = struct.Struct("<4s2xH18xHH")
"""A local file header: signature, flags (offset 6), name and extra field lengths (26, 28)."""


def unpack(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The unpacked bytes of one plain stored or deflated entry, or None to let ZipFile say.

    Where zipfile.ZipFile.read spends its time (file object, header parse, chunked reads) in
    Python, this is one slice and one zlib call (fast_xlsx.py unpacks every part of a skjema).
    It answers only when the result is exactly what ZipFile.read returns: the local header's
    signature and name as ZipFile checks them, a complete stream, the size and CRC-32 the
    directory states. Output is bounded by the stated size (``_size_is_true`` checked it), so
    no entry unpacks to more than it says.
    """
    if info.flag_bits & ~_PLAIN_FLAGS or info.compress_type not in _UNPACKED:
        return None
    start = info.header_offset
    if start < 0 or len(data) < start + _LOCAL_HEADER.size:
        return None
    signature, flags, name_length, extra_length = _LOCAL_HEADER.unpack_from(data, start)
    name_start = start + _LOCAL_HEADER.size
    if signature != b"PK\x03\x04":
        return None
    encoding = "utf-8" if flags & 0x800 else "cp437"  # the local header's flag, as ZipFile reads
    try:
        name = data[name_start : name_start + name_length].decode(encoding)
    except UnicodeDecodeError:
        return None
    if name != info.orig_filename:
        return None
    begin = name_start + name_length + extra_length
    raw = data[begin : begin + info.compress_size]
    if len(raw) != info.compress_size:
        return None
    if info.compress_type == zipfile.ZIP_STORED:
        content = raw
    else:
        inflate = zlib.decompressobj(-15)
        try:
            content = inflate.decompress(raw, info.file_size + 1)
        except zlib.error:
            return None
        if not inflate.eof or inflate.unconsumed_tail:
            return None
    if len(content) != info.file_size or zlib.crc32(content) != info.CRC:
        return None
    return content


_UNPACKED = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
