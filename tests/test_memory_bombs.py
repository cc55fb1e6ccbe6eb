"""Small files that claim to be huge: refused or read within a fixed memory and time budget.

Each bomb is read by `statuskart validate` in a child process whose peak memory is measured; the
old reader took 3.1 GB and 13 s for the single-quoted reference.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from statuskart.workbook.sniff import sniff

from .conftest import WorkbookFactory

BUDGET_MB = 256
DATA = Path(__file__).parent / "data"
SECONDS = 60  # generous for a loaded CI machine (each took under 4 s here); memory is the check


def _rewrite(source: Path, target: Path, part: str, change) -> Path:
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as w:
        for info in z.infolist():
            data = z.read(info.filename)
            w.writestr(info.filename, change(data) if info.filename == part else data)
    return target


def _checklist_part(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return next(
            n for n in z.namelist() if n.startswith("xl/worksheets/") and b"Krav" in z.read(n)
        )


def _understate(data: bytes, part: str, size: int) -> bytes:
    """Patch the local and central headers of ``part`` to claim ``size`` bytes unpacked."""
    out = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(part)
    struct.pack_into("<I", out, info.header_offset + 22, size)
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + name_len] == part.encode():
            struct.pack_into("<I", out, pos + 24, size)
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def _validate_measured(path: Path) -> tuple[dict[str, Any], float, float]:
    """(report, peak MB of the child, seconds) for `statuskart validate --format json`."""
    probe = (
        "import resource, runpy, sys\n"
        "sys.argv = ['statuskart', 'validate', '--format', 'json', sys.argv[1]]\n"
        "try:\n"
        "    runpy.run_module('statuskart', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        # VmHWM, not ru_maxrss: ru_maxrss survives exec, so a child of a big pytest process
        # would start with pytest's peak
        "peak = next(int(line.split()[1]) for line in open('/proc/self/status')"
        " if line.startswith('VmHWM'))\n"
        "peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print('PEAK', peak, file=sys.stderr)\n"
    )
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, timeout=300
    )
    seconds = time.monotonic() - start
    peak_kb = int(done.stderr.split("PEAK")[-1].split()[0])
    (report,) = json.loads(done.stdout)
    return report, peak_kb / 1024, seconds


def test_single_quoted_far_reference_is_read_within_budget(
    filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    source = filled_workbook()
    part = _checklist_part(source)
    far = b"<row r='6000'><c r='XFD6000' t='n'><v>1</v></c></row></sheetData>"
    bomb = _rewrite(
        source, tmp_path / "enkle-anforsler.xlsx", part, lambda d: d.replace(b"</sheetData>", far)
    )
    report, peak, seconds = _validate_measured(bomb)
    assert report["status"] != "rejected", report
    assert peak < BUDGET_MB and seconds < SECONDS, (peak, seconds)


def test_part_larger_than_its_header_says_is_refused(
    filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    source = filled_workbook()
    part = _checklist_part(source)
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 400_001)
    )
    big = _rewrite(
        source,
        tmp_path / "stor.xlsx",
        part,
        lambda d: d.replace(b"</sheetData>", rows + b"</sheetData>"),
    )
    lying = tmp_path / "lyver.xlsx"
    lying.write_bytes(_understate(big.read_bytes(), part, 5000))
    verdict = sniff(lying.read_bytes())
    assert not verdict.ok and "pakker ut til mer enn arkivet oppgir" in verdict.detail
    report, peak, seconds = _validate_measured(lying)
    assert report["status"] == "rejected"
    assert [f["code"] for f in report["findings"]] == ["corrupt-file"]
    assert peak < BUDGET_MB and seconds < SECONDS, (peak, seconds)
    assert sniff(big.read_bytes()).ok  # the same part with honest headers passes the check


@pytest.mark.parametrize("quote", [b'"', b"'"])
def test_reference_in_any_quoting_counts_for_the_extent(quote) -> None:
    from statuskart.workbook.fast_xlsx import _scan

    sheet = (
        b"<sheetData><row><c r="
        + quote
        + b"XFD6000"
        + quote
        + b" s="
        + quote
        + b"3"
        + quote
        + b"><v>1</v></c></row></sheetData>"
    )
    _, too_large = _scan(sheet)
    assert too_large


def _ods_bomb(path: Path, rows: int, cols: int) -> Path:
    """A few kB of .ods whose one repeated row of repeated values spans rows × cols cells."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Statuskartlegging">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>ID</text:p>'
        "</table:table-cell></table:table-row>"
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{cols}" office:value-type="float"'
        ' office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(DATA / "percent-formats.ods") as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = content.encode() if info.filename == "content.xml" else src.read(info)
            out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


@pytest.mark.parametrize(
    ("kind", "span"),
    [
        ("ods", "arket «Statuskartlegging» bruker 40001 rader og 1000 kolonner"),  # 1 + 40,000
        ("xls", "ark nr. 1 bruker 65536 rader og 256 kolonner"),
    ],
)
def test_ods_and_xls_spanning_millions_of_cells_are_refused_within_budget(
    tmp_path: Path, kind: str, span: str
) -> None:
    # 40,000 × 1,000 repeated values (.ods, 10 kB: 2.5 GB before); one cell at IV65536 (.xls,
    # 6 kB, saved by LibreOffice: 1.2 GB before)
    bomb = (
        _ods_bomb(tmp_path / "stor.ods", 40_000, 1_000) if kind == "ods" else DATA / "far-cell.xls"
    )
    report, peak, seconds = _validate_measured(bomb)
    assert [f["code"] for f in report["findings"]] == ["too-large"], report
    assert f"({span})" in report["findings"][0]["message"]
    assert peak < BUDGET_MB and seconds < SECONDS, (peak, seconds)


def test_far_cell_in_a_sheet_outside_xl_worksheets_is_read_within_budget(
    filled_workbook: WorkbookFactory, tmp_path: Path
) -> None:
    """The relationships may put a sheet anywhere; calamine loads it from there.

    The checklist part moved to «xl/other/», with a cell at XFD1048576: the extent scan once
    looked only under xl/worksheets/, and calamine's 512 GB allocation aborted the process.
    """
    source = filled_workbook()
    part = _checklist_part(source)
    moved = "xl/other/" + part.rsplit("/", 1)[-1]
    far = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    target = tmp_path / "flyttet-ark.xlsx"
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as w:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename == part:
                w.writestr(moved, data.replace(b"</sheetData>", far))
                continue
            if info.filename in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                data = data.replace(part.removeprefix("xl/").encode(), moved[3:].encode())
            w.writestr(info.filename, data)
    assert sniff(target.read_bytes()).ok
    report, peak, seconds = _validate_measured(target)
    assert report["status"] != "rejected", report  # read (by openpyxl), not crashed
    assert peak < BUDGET_MB and seconds < SECONDS, (peak, seconds)
