""".ods and .xls, as LibreOffice saves them, read back the same as the .xlsx they came from."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.sample.checklists import write_samples
from statuskart.validate.rules import validate_submission
from statuskart.workbook import read as read_module
from statuskart.workbook.read import read_workbook
from statuskart.workbook.sniff import sniff

from .conftest import TODAY, WorkbookFactory, raw_of, submission_of

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _convert(source: Path, fmt: str, tmp_path: Path) -> Path:
    assert SOFFICE is not None  # the callers skip without it
    out = tmp_path / fmt
    done = subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            fmt,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out / f"{source.stem}.{fmt}"


def _plain(value):
    """One spelling per value: calamine gives dates and whole floats where openpyxl gives
    datetimes and ints; the text a user typed must be the same."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _rows(raw):
    return [
        (row.row, {key: (cell.cell, _plain(cell.value)) for key, cell in row.cells.items()})
        for row in raw.rows
    ]


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_libreoffice_ods_and_xls_read_as_the_xlsx(
    tmp_path: Path, tsb: Catalogue, catalogues: dict[str, Catalogue], fmt
) -> None:
    (xlsx,) = write_samples(tsb, tmp_path / "in", units=1, rounds=1, seed=5)
    converted = _convert(xlsx, fmt, tmp_path)
    assert sniff(converted.read_bytes()).format == fmt
    a, b = raw_of(xlsx), raw_of(converted)
    assert a is not None and b is not None, read_workbook(converted).findings
    assert (b.sheet, b.header_row, dict(b.columns)) == (a.sheet, a.header_row, dict(a.columns))
    assert _rows(b) == _rows(a)
    assert dict(b.stamp) == dict(a.stamp)
    meta_a = {k: _plain(c.value) for k, c in a.meta.items()}
    assert {k: _plain(c.value) for k, c in b.meta.items()} == meta_a
    assert any(isinstance(v, dt.date) for v in meta_a.values())  # the date really compared
    dues = [cells["due"][1] for _, cells in _rows(a) if cells["due"][1] is not None]
    assert dues and all(isinstance(d, dt.date) for d in dues)
    ra = validate_submission(a, catalogues, TODAY)
    rb = validate_submission(b, catalogues, TODAY)
    assert rb.status == ra.status and rb.submission is not None
    assert submission_of(rb).answers == submission_of(ra).answers
    assert submission_of(rb).meta == submission_of(ra).meta
    assert [f.code for f in rb.findings] == [f.code for f in ra.findings]


SSCONVERT = shutil.which("ssconvert")


def _ssconvert(source: Path, fmt: str, tmp_path: Path) -> Path:
    assert SSCONVERT is not None  # the callers skip without it
    out = tmp_path / "gnumeric" / f"{source.stem}.{fmt}"
    out.parent.mkdir()
    done = subprocess.run(
        [SSCONVERT, str(source), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out


def _rich_skjema(filled_workbook, tsb):
    """A skjema with a share, a frist and two «Egne krav», one of them with its own frist."""
    from openpyxl.utils import get_column_letter

    from statuskart.workbook import layout as L

    from .conftest import column, row_of
    from .test_local_requirements import TIMED, fill_local, local_row

    local = fill_local(
        tsb,
        {
            1: {"title": "Pårørendesamtale", "text": "Innen to uker", "status": "Påbegynt"},
            3: {"title": "Eget", "status": "Ikke startet", "action": "Rutine"},
        },
    )

    def edit(wb):
        local(wb)
        ws = wb[L.CHECKLIST_SHEET]
        row = local_row(tsb, 3)
        ws[f"{get_column_letter(column('owner'))}{row}"] = "Enhetsleder"
        ws[f"{get_column_letter(column('due'))}{row}"] = dt.date(2027, 3, 1)
        ws.cell(row_of(tsb, TIMED), column("share")).value = 0.85

    answers = {"TSB-08": {"status": "Påbegynt", "due": dt.date(2027, 1, 15), "owner": "Leder"}}
    return filled_workbook(answers, edit=edit)


def _same_reading(original, converted, catalogues):
    a, b = raw_of(original), raw_of(converted)
    assert a is not None and b is not None, read_workbook(converted).findings
    assert (b.sheet, b.header_row, dict(b.columns)) == (a.sheet, a.header_row, dict(a.columns))
    assert _rows(b) == _rows(a)
    assert [(r.row, {k: _plain(c.value) for k, c in r.cells.items()}) for r in b.local_rows] == [
        (r.row, {k: _plain(c.value) for k, c in r.cells.items()}) for r in a.local_rows
    ]
    ra = validate_submission(a, catalogues, TODAY)
    rb = validate_submission(b, catalogues, TODAY)
    assert rb.status == ra.status and rb.submission is not None
    assert submission_of(rb).answers == submission_of(ra).answers
    assert submission_of(rb).local == submission_of(ra).local
    assert submission_of(rb).meta == submission_of(ra).meta
    assert [f.code for f in rb.findings] == [f.code for f in ra.findings]
    return ra.submission


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_local_rows_and_shares_survive_libreoffice(
    tmp_path: Path,
    filled_workbook: WorkbookFactory,
    tsb: Catalogue,
    catalogues: dict[str, Catalogue],
    fmt,
) -> None:
    source = _rich_skjema(filled_workbook, tsb)
    submission = _same_reading(source, _convert(source, fmt, tmp_path), catalogues)
    assert [r.id for r in submission.local] == ["EGEN-1", "EGEN-3"]
    assert submission.local[1].answer.due == dt.date(2027, 3, 1)
    assert [a.share for a in submission.answers if a.share is not None] == [85.0]


@pytest.mark.slow
@pytest.mark.skipif(SSCONVERT is None, reason="Gnumeric (ssconvert) is not installed")
def test_gnumeric_resaved_xlsx_reads_as_the_original(
    tmp_path: Path,
    filled_workbook: WorkbookFactory,
    tsb: Catalogue,
    catalogues: dict[str, Catalogue],
) -> None:
    source = _rich_skjema(filled_workbook, tsb)
    converted = _ssconvert(source, "xlsx", tmp_path)
    submission = _same_reading(source, converted, catalogues)
    assert [r.id for r in submission.local] == ["EGEN-1", "EGEN-3"]
    assert [a.share for a in submission.answers if a.share is not None] == [85.0]
    assert dict(raw_of(converted).stamp)["catalogue_id"] == "tsb"


def test_a_panic_in_calamine_is_a_finding_for_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class PanicException(BaseException):  # pyo3's panic type derives from BaseException
        pass

    def panic(data, kind):
        raise PanicException("index out of bounds")

    path = tmp_path / "x.ods"
    path.write_bytes(_minimal_ods())
    monkeypatch.setattr(read_module, "open_any", panic)
    result = read_workbook(path)
    assert result.raw is None
    assert [f.code for f in result.findings] == ["corrupt-file"]
    assert "index out of bounds" in result.findings[0].message


@pytest.mark.parametrize(("lead", "ref"), [(0, "B3"), (2, "D3")])
def test_ods_read_without_libreoffice(tmp_path: Path, lead, ref) -> None:
    path = tmp_path / "egen.ods"
    path.write_bytes(_minimal_ods(lead))
    result = read_workbook(path)
    assert result.raw is not None, result.findings
    assert [row.value("id") for row in result.raw.rows] == ["TSB-01"]
    assert result.raw.rows[0].value("status") == "Implementert"
    assert result.raw.rows[0].cells["status"].cell == ref  # cell names as the user sees them


def _minimal_ods(lead=0):
    """A hand-written .ods: a blank row, then a header and one row, after ``lead`` empty
    columns (calamine starts its rows at the first used column)."""
    blank = "<table:table-cell/>" * lead
    import io
    import zipfile

    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>"
        '<table:table table:name="Statuskartlegging">'
        "<table:table-row><table:table-cell/></table:table-row>"
        f"<table:table-row>{blank}"
        '<table:table-cell office:value-type="string"><text:p>ID</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>Status</text:p></table:table-cell>'
        f"</table:table-row><table:table-row>{blank}"
        '<table:table-cell office:value-type="string"><text:p>TSB-01</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>Implementert</text:p>'
        "</table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()
