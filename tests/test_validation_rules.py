"""How typed answers become the Answers «Metode» scores, pinned on hand-made raw workbooks.

Validation is not itself a Metode section; each test names the section whose input it guards
(§1 statuses and points, §2 «Ikke aktuelt»/«Ubesvart», §6 target, §7 frister, owners and risk) or
the skjema rule its finding explains. Raw submissions are built in memory, so these run fast.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.core.findings import finding
from statuskart.validate.rules import report_unread, validate_submission
from statuskart.validate.typed_values import parse_date
from statuskart.workbook.raw import RawCell, RawRow, RawSubmission, ReadResult

from .rules_support import FILLED_IN, make_catalogue

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

SHEET, FRONT = "Statuskartlegging", "Forside"
LETTERS = {  # ID in column B: columns are found by header, a user may add one in front
    "id": "B",
    "status": "G",
    "comment": "H",
    "action": "I",
    "owner": "J",
    "due": "K",
    "risk": "L",
}
META = {
    "rhf": "Helse Vest RHF",
    "hf": "Helse Bergen HF",
    "unit": "Poliklinikk Sentrum",
    "unit_type": "poliklinikk",
    "period": "2026-T1",
    "date": FILLED_IN,
    "filled_by": "Enhetsleder",
}
TODAY = dt.date(2026, 11, 24)
IDS = ("V-01", "V-02", "V-03")


@pytest.fixture(scope="module")
def cats(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Catalogue]:
    tmp = tmp_path_factory.mktemp("val")
    val = make_catalogue(
        tmp,
        [{"id": i, "priority": "normal"} for i in IDS],
        cat_id="val",
        extra='retired_versions: ["0.9"]',
    )
    other = make_catalogue(tmp, [{"id": "O-01", "priority": "normal"}], cat_id="other")
    return {"val": val, "other": other}


def raw(
    rows: dict[str, Any] | Sequence[tuple[str | None, Any]] | None = None,
    *,
    meta: dict[str, Any] | None = None,
    stamp: dict[str, str] | None = None,
) -> RawSubmission:
    """Rows «id → status» or «id → {field: value}»; every id not given is «Implementert»."""
    if isinstance(rows, Sequence):
        given = list(rows)
    else:
        statuses = {**dict.fromkeys(IDS, "Implementert"), **(rows or {})}
        given = list(statuses.items())
    raw_rows = []
    for n, (rid, value) in enumerate(given, start=5):
        fields = value if isinstance(value, dict) else {"status": value}
        typed = {"id": rid, **fields} if rid is not None else fields  # None: no ID cell
        cells = {k: RawCell(SHEET, f"{LETTERS[k]}{n}", v) for k, v in typed.items()}
        raw_rows.append(RawRow(n, cells))
    front = {**META, **(meta or {})}
    return RawSubmission(
        path="skjema.xlsx",
        sha256="0",
        sheet=SHEET,
        header_row=4,
        columns=LETTERS,
        meta={
            k: RawCell(FRONT, f"B{i}", v)
            for i, (k, v) in enumerate(front.items(), 1)
            if v is not ...
        },
        stamp={"catalogue_id": "val", "catalogue_version": "1"} if stamp is None else stamp,
        rows=tuple(raw_rows),
    )


def check(cats, *args, **kw):
    return validate_submission(raw(*args, **kw), cats, TODAY)


def codes(report) -> Counter[str]:
    return Counter(f.code for f in report.findings)


def answer(report, rid):
    return next(a for a in report.submission.answers if a.requirement_id == rid)


@pytest.fixture(autouse=True)
def _current_version(cats: dict[str, Catalogue]) -> None:
    assert cats["val"].version == "1"


def test_clean_raw_submission_is_ok(cats: dict[str, Catalogue]) -> None:
    """Skjema: a fully and correctly filled skjema gives no findings and a usable submission."""
    report = check(cats)
    assert report.status == "ok" and report.findings == ()
    assert report.catalogue == cats["val"].label
    sub = report.submission
    assert [a.status for a in sub.answers] == ["Implementert"] * 3
    assert sub.meta.date == FILLED_IN and sub.meta.unit_type == "poliklinikk"
    assert answer(report, "V-01").cell == "Statuskartlegging!G5"
    assert report.meta["hf"] == "Helse Bergen HF" and report.meta["date"] == "30.04.2026"


# --- §1 statuses and points ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "status", "points", "code"),
    [
        ("Påbegynt", "Påbegynt", 0.3333, None),
        ("  delvis   IMPLEMENTERT. ", "Delvis implementert", 0.6667, None),  # spacing, case, dot
        ("ja", "Implementert", 1.0, "status-normalised"),
        ("Not started!", "Ikke startet", 0.0, "status-normalised"),
        ("Kanskje", None, None, "status-invalid"),
    ],
)
def test_status_is_read_onto_the_scale(
    cats: dict[str, Catalogue], typed, status, points, code
) -> None:
    """Metode §1: each answer gets the points of its scale step; variants are interpreted."""
    report = check(cats, {"V-02": typed})
    found = codes(report)
    assert set(found) == ({code} if code else set())
    if code == "status-invalid":
        # a bad cell costs that cell: the requirement is unanswered, the file is still used
        assert report.status == "warnings" and report.submission is not None
        (f,) = report.findings
        assert f.cell == "G6" and "Ikke startet" in f.fix and f.severity == "error"
        a = answer(report, "V-02")
        assert a.status is None and a.points is None
        return
    a = answer(report, "V-02")
    assert a.status == status and a.points == pytest.approx(points)
    if code:
        (f,) = report.findings
        assert f.cell == "G6" and f.detail == typed and report.status == "warnings"


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_status_is_unanswered(cats: dict[str, Catalogue], blank) -> None:
    """Metode §2: «Ubesvart» is no status and no points (not zero), with a warning at the cell."""
    report = check(cats, {"V-02": blank})
    a = answer(report, "V-02")
    assert a.status is None and a.points is None and not a.not_applicable
    assert codes(report) == {"status-empty": 1} and report.status == "warnings"


def test_not_applicable_needs_a_reason(cats: dict[str, Catalogue]) -> None:
    """Metode §2: «Ikke aktuelt» is not counted; the skjema asks for a reason in the comment."""
    report = check(
        cats, {"V-01": "Ikke aktuelt", "V-02": {"status": "n/a", "comment": "Ingen døgn"}}
    )
    a = answer(report, "V-01")
    assert a.not_applicable and a.points is None and a.status == "Ikke aktuelt"
    assert answer(report, "V-02").not_applicable and answer(report, "V-02").comment == "Ingen døgn"
    assert codes(report) == {"na-without-reason": 1, "status-normalised": 1}
    assert next(f for f in report.findings if f.code == "na-without-reason").cell == "G5"
    blank_reason = check(cats, {"V-01": {"status": "Ikke aktuelt", "comment": "  "}})
    assert codes(blank_reason) == {"na-without-reason": 1}
    assert blank_reason.findings[0].cell == "H5"


def test_implemented_is_never_not_applicable(cats: dict[str, Catalogue]) -> None:
    """Metode §2: only the «Ikke aktuelt» step is taken out of the count."""
    report = check(cats, {"V-01": "Ikke startet"})
    assert not answer(report, "V-01").not_applicable and answer(report, "V-01").points == 0


# --- rows ---------------------------------------------------------------------------------------


def test_rows_found_by_id_whatever_the_spelling(cats: dict[str, Catalogue]) -> None:
    """Skjema: the ID column identifies a row; spaces and case in the ID do not matter."""
    report = check(
        cats, [(" v-0 1 ", "Påbegynt"), ("V-02", "Implementert"), ("V-03", "Implementert")]
    )
    assert report.status == "ok", report.findings
    assert answer(report, "V-01").status == "Påbegynt"


def test_unknown_duplicate_and_missing_rows(cats: dict[str, Catalogue]) -> None:
    """Skjema: every row is accounted for: unknown ID warned, duplicate refused, missing warned."""
    rows = [
        ("V-01", "Påbegynt"),
        ("Z-99", "Implementert"),
        ("V-01", "Implementert"),
        ("V-02", "Implementert"),
    ]
    report = check(cats, rows)
    assert codes(report) == {"unknown-id": 1, "duplicate-id": 1, "requirement-missing": 1}
    assert report.status == "rejected"
    dup = next(f for f in report.findings if f.code == "duplicate-id")
    assert dup.detail == "V-01 (rad 5 og 7)" and dup.cell == "B7"
    assert next(f for f in report.findings if f.code == "unknown-id").cell == "B6"
    assert next(f for f in report.findings if f.code == "requirement-missing").detail == "V-03"
    missing_only = check(cats, [("V-01", "Implementert"), ("V-02", "Implementert")])
    assert missing_only.status == "warnings"
    v03 = answer(missing_only, "V-03")
    assert v03.status is None and v03.cell is None and v03.points is None
    assert not v03.not_applicable


def test_row_without_id_or_status_cell(cats: dict[str, Catalogue]) -> None:
    """Skjema: a row with no ID is reported, not dropped; no status cell is unanswered."""
    rows = [(None, "Implementert"), ("V-01", {"comment": "x"}), ("V-02", "Ja"), ("V-03", "Ja")]
    report = check(cats, rows)
    unknown = next(f for f in report.findings if f.code == "unknown-id")
    assert (unknown.cell, unknown.detail) == ("A5", "(tom)")  # no ID cell: the row's first cell
    empty = next(f for f in report.findings if f.code == "status-empty")
    assert (empty.sheet, empty.cell, empty.detail) == (SHEET, None, "V-01")
    v01 = answer(report, "V-01")
    assert v01.status is None and v01.cell is None and v01.comment == "x"


def test_unreadable_file_is_rejected_with_its_findings() -> None:
    """Skjema: a file that cannot be read is listed as rejected, with the reader's reasons."""
    found = (finding("corrupt-file", "x.xlsx"),)
    report = report_unread(ReadResult(path="x.xlsx", sha256="ab", raw=None, findings=found))
    assert (report.path, report.sha256, report.status) == ("x.xlsx", "ab", "rejected")
    assert report.submission is None and report.findings == found


# --- catalogue identification -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stamp", "code", "detail"),
    [
        (
            {"catalogue_id": "val", "catalogue_version": "0.9"},
            "catalogue-version-retired",
            "val 0.9",
        ),
        ({"catalogue_id": "val", "catalogue_version": "7"}, "catalogue-version-unknown", "val 7"),
        ({"catalogue_id": "val"}, "catalogue-version-unknown", "val (tom)"),
    ],
)
def test_catalogue_version_is_checked(cats: dict[str, Catalogue], stamp, code, detail) -> None:
    """Skjema: a skjema from another catalogue version is scored, with a warning naming it."""
    report = check(cats, stamp=stamp)
    assert [(f.code, f.detail) for f in report.findings] == [(code, detail)]
    assert report.submission is not None and report.submission.catalogue_id == "val"
    assert report.submission.catalogue_version == stamp.get("catalogue_version", "1")


def test_unknown_stamp_is_refused(cats: dict[str, Catalogue]) -> None:
    """Skjema: a stamp naming no known catalogue cannot be scored."""
    report = check(cats, stamp={"catalogue_id": "xyz", "catalogue_version": "1"})
    assert codes(report) == {"unknown-catalogue": 1} and report.submission is None
    assert report.catalogue == ""


def test_missing_stamp_uses_the_catalogue_with_most_ids(cats: dict[str, Catalogue]) -> None:
    """Skjema: without a stamp, the catalogue sharing most requirement IDs is assumed."""
    report = check(cats, [("O-01", "Implementert"), *((i, "Implementert") for i in IDS)], stamp={})
    assert report.submission.catalogue_id == "val"
    assert codes(report) == {"missing-stamp": 1, "unknown-id": 1}
    nothing = check(cats, [("Q-01", "Implementert")], stamp={})
    assert codes(nothing)["unknown-catalogue"] == 1 and nothing.submission is None


def test_missing_stamp_a_row_without_id_counts_for_no_catalogue(tmp_path: Path) -> None:
    """Skjema: a row without an ID names no requirement, not even one called «NONE» (what
    str(None) reads as), so it cannot tip the guess towards another catalogue."""
    val = make_catalogue(
        tmp_path,
        [{"id": "V-01", "priority": "normal"}, {"id": "V-02", "priority": "normal"}],
        cat_id="val",
    )
    none = make_catalogue(
        tmp_path,
        [{"id": "V-01", "priority": "normal"}, {"id": "NONE", "priority": "normal"}],
        cat_id="none",
    )
    rows = [("V-01", "Implementert"), ("V-02", "Implementert"), (None, "Implementert")]
    report = validate_submission(raw(rows, stamp={}), {"none": none, "val": val}, TODAY)
    assert report.submission is not None and report.submission.catalogue_id == "val"


# --- front sheet --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["hf", "unit", "period"])
def test_required_front_fields(cats: dict[str, Catalogue], key) -> None:
    """Skjema: HF, unit and period tie a skjema to a unit and round; without one it is refused."""
    report = check(cats, meta={key: "  "})
    assert codes(report)["missing-metadata"] == 1 and report.submission is None


def test_optional_front_fields(cats: dict[str, Catalogue]) -> None:
    """Skjema: «Utfylt av» and unit type optional (warning); blank date and target: no finding."""
    report = check(cats, meta={"filled_by": None, "unit_type": None, "date": None, "target": None})
    assert codes(report) == {"missing-metadata-optional": 2}
    assert report.status == "warnings"
    assert "filled_by" not in report.meta and report.meta["unit"] == "Poliklinikk Sentrum"
    meta = report.submission.meta
    assert meta.unit_type is None and meta.date is None and meta.target is None


def test_rhf_inferred_from_a_known_hf(cats: dict[str, Catalogue]) -> None:
    """Skjema: a blank RHF is filled in from a known HF (info), else «Ukjent RHF» (warning)."""
    report = check(cats, meta={"rhf": None})
    assert report.submission.meta.rhf == "Helse Vest RHF"
    assert [(f.code, f.detail) for f in report.findings] == [("rhf-inferred", "Helse Vest RHF")]
    unknown = check(cats, meta={"rhf": None, "hf": "  Privat Klinikk AS "})
    assert unknown.submission.meta.rhf == "Ukjent RHF"
    assert unknown.submission.meta.hf == "Privat Klinikk AS"
    assert [(f.code, f.detail) for f in unknown.findings] == [("missing-metadata-optional", "RHF")]


@pytest.mark.parametrize(
    ("typed", "unit_type", "code"),
    [
        ("Døgnavdeling", "døgn", None),
        ("  AMBULANT team ", "ambulant", None),
        ("Sengepost", None, "unknown-unit-type"),
    ],
)
def test_unit_type_aliases(cats: dict[str, Catalogue], typed, unit_type, code) -> None:
    """Metode §2: the unit type decides which requirements apply; spellings are mapped."""
    report = check(cats, meta={"unit_type": typed})
    assert report.submission.meta.unit_type == unit_type
    assert set(codes(report)) == ({code} if code else set())


@pytest.mark.parametrize(
    ("typed", "target"),
    [("80", 80.0), (80, 80.0), ("75,5", 75.5), ("90 %", 90.0), (0, 0.0), ("100", 100.0)],
)
def test_target_accepted_from_0_to_100(cats: dict[str, Catalogue], typed, target) -> None:
    """Metode §6: «Mål for skår» is a number from 0 to 100, comma or per cent sign allowed."""
    report = check(cats, meta={"target": typed})
    assert report.submission.meta.target == pytest.approx(target)
    assert report.findings == ()


@pytest.mark.parametrize("typed", ["101", "-1", "100,5", "høy", -0.5])
def test_target_outside_0_to_100_is_dropped(cats: dict[str, Catalogue], typed) -> None:
    """Metode §6: a target that is not a number from 0 to 100 is left out, with a warning."""
    report = check(cats, meta={"target": typed})
    assert report.submission.meta.target is None
    assert [(f.code, f.cell) for f in report.findings] == [("target-invalid", "B8")]


def test_period_canonical_or_kept_with_warning(cats: dict[str, Catalogue]) -> None:
    """Skjema: the round is read as ÅÅÅÅ-T1…; an unreadable one is kept as typed, with a warning."""
    assert check(cats, meta={"period": "2026 t2"}).submission.meta.period == "2026-T2"
    odd = check(cats, meta={"period": " Våren "})
    assert odd.submission.meta.period == "Våren" and set(codes(odd)) == {"period-unrecognised"}


def test_sender_is_the_validated_front_sheet_or_else_as_typed(cats: dict[str, Catalogue]) -> None:
    """Innlevering: a usable skjema counts for its unit and round as validated (invisible
    characters out, the period canonical); a rejected one as typed, so it still counts as sent."""
    typed = {"unit": "Poliklinikk\u200b Sentrum", "period": "2026 t1"}
    usable = check(cats, meta=typed)
    assert usable.submission is not None
    assert usable.sender() == ("Helse Bergen HF", "Poliklinikk Sentrum", "2026-T1")
    rejected = check(cats, meta=typed, stamp={"catalogue_id": "xyz", "catalogue_version": "1"})
    assert rejected.submission is None
    assert rejected.sender() == ("Helse Bergen HF", "Poliklinikk\u200b Sentrum", "2026 t1")


def test_fill_in_date_as_text_or_unreadable(cats: dict[str, Catalogue]) -> None:
    """Metode §7: frister are judged against the fill-in date, so it is read from text too."""
    assert check(cats, meta={"date": "30.04.2026"}).submission.meta.date == FILLED_IN
    bad = check(cats, meta={"date": "snart"})
    assert bad.submission.meta.date is None
    assert [(f.code, f.detail) for f in bad.findings] == [("unparseable-date", "snart")]


# --- §7 plans: owner, frist, risk ---------------------------------------------------------------


def test_planned_action_needs_owner_and_frist(cats: dict[str, Catalogue]) -> None:
    """Metode §7: an action without owner or frist is flagged; the skjema warns at the cell."""
    report = check(cats, {"V-01": {"status": "Påbegynt", "action": "Lage rutine"}})
    assert codes(report) == {"action-without-owner": 1, "action-without-due": 1}
    # the row has no owner or frist cell at all: the finding names the sheet
    assert {(f.sheet, f.cell) for f in report.findings} == {(SHEET, None)}
    blank = check(cats, {"V-01": {"status": "Påbegynt", "action": "X", "owner": " ", "due": None}})
    assert {f.cell for f in blank.findings} == {"J5", "K5"}
    full = check(
        cats,
        {
            "V-01": {
                "status": "Påbegynt",
                "action": "Lage rutine",
                "owner": "Leder",
                "due": dt.date(2026, 12, 1),
            }
        },
    )
    assert full.findings == ()
    a = answer(full, "V-01")
    assert (a.action, a.owner, a.due) == ("Lage rutine", "Leder", dt.date(2026, 12, 1))
    owner_only = check(cats, {"V-01": {"status": "Påbegynt", "action": "X", "owner": "Leder"}})
    assert codes(owner_only) == {"action-without-due": 1}
    due_only = check(cats, {"V-01": {"status": "Påbegynt", "action": "X", "due": "01.12.2026"}})
    assert codes(due_only) == {"action-without-owner": 1}


@pytest.mark.parametrize(
    ("status", "due", "past"),
    [
        ("Påbegynt", TODAY - dt.timedelta(days=1), True),  # the day before --today
        ("Påbegynt", TODAY, False),
        ("Påbegynt", TODAY + dt.timedelta(days=1), False),
        ("Påbegynt", FILLED_IN - dt.timedelta(days=1), True),  # the fill-in date does not decide
        (None, dt.date(2026, 4, 1), True),  # unanswered is unfinished
        ("Implementert", dt.date(2026, 4, 1), False),
        ("Ikke aktuelt", dt.date(2026, 4, 1), False),
    ],
)
def test_passed_frist_on_unfinished_requirement(
    cats: dict[str, Catalogue], status, due, past
) -> None:
    """Metode §7: a frist before --today (the report date) on an unfinished requirement is
    «passert», whatever the fill-in date."""
    report = check(cats, {"V-01": {"status": status, "due": due, "comment": "x"}})
    assert ("due-in-past" in codes(report)) is past
    assert answer(report, "V-01").due == due


def test_passed_frist_without_fill_in_date_uses_today(cats: dict[str, Catalogue]) -> None:
    """Metode §7: with or without a fill-in date, a frist is judged against --today."""
    report = check(
        cats, {"V-01": {"status": "Påbegynt", "due": dt.date(2026, 6, 1)}}, meta={"date": None}
    )
    assert codes(report)["due-in-past"] == 1
    future = check(
        cats, {"V-01": {"status": "Påbegynt", "due": dt.date(2026, 12, 1)}}, meta={"date": None}
    )
    assert "due-in-past" not in codes(future)


@pytest.mark.parametrize(
    ("typed", "risk"), [("Høg", "høy"), ("MIDDELS", "middels"), ("low", "lav")]
)
def test_risk_aliases(cats: dict[str, Catalogue], typed, risk) -> None:
    """Metode §7: high self-reported risk raises the gain, so the spellings must be understood."""
    report = check(cats, {"V-01": {"status": "Påbegynt", "risk": typed}})
    assert answer(report, "V-01").risk == risk and report.findings == ()


def test_unknown_risk_is_dropped_with_a_warning(cats: dict[str, Catalogue]) -> None:
    """Metode §7: a risk that is not lav, middels or høy is left out (warning at the cell)."""
    report = check(cats, {"V-01": {"status": "Påbegynt", "risk": "kritisk"}})
    assert answer(report, "V-01").risk is None
    assert [(f.code, f.cell, f.detail) for f in report.findings] == [
        ("risk-invalid", "L5", "kritisk")
    ]


def test_free_text_numbers_and_dates_become_text(cats: dict[str, Catalogue]) -> None:
    """Skjema: free text is kept as typed; a whole number or a date in a text cell reads back."""
    typed = dt.datetime(2026, 5, 1, 8, 0)  # noqa: DTZ001 - Excel cells have no time zone
    report = check(cats, {"V-01": {"status": "Påbegynt", "comment": 3.0, "owner": typed}})
    a = answer(report, "V-01")
    assert a.comment == "3" and a.owner == "01.05.2026"
    half = check(cats, {"V-01": {"status": "Påbegynt", "comment": 2.5}})
    assert answer(half, "V-01").comment == "2.5"


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "01.02.2026",
        "1.2.26",
        "2026-02-01",
        "01/02/2026",
        "01/02/26",
        "01-02-2026",
        "01.02.2026 08:30",
        " 01.02.2026 ",
    ],
)
def test_day_first_date_text(typed) -> None:
    """Metode §7: frister typed as text are read day first (Norwegian dd.mm.åååå)."""
    assert parse_date(typed) == dt.date(2026, 2, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (44927, dt.date(2023, 1, 1)),  # Excel shows serial 44927 as 01.01.2023
        (45000, dt.date(2023, 3, 15)),  # 44927 + 31 + 28 + 14
        (44927.75, dt.date(2023, 1, 1)),  # a time of day does not move the date
        (dt.datetime(2026, 2, 1, 23, 59), dt.date(2026, 2, 1)),  # noqa: DTZ001
        (dt.date(2026, 2, 1), dt.date(2026, 2, 1)),
    ],
)
def test_excel_serial_and_date_cells(value, expected) -> None:
    """Metode §7: a frist stored as an Excel serial day number counts days from 30.12.1899."""
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", [20000, 80000, 5, True, "32.01.2026", "snart", None, ""])
def test_not_a_date(value) -> None:
    """Metode §7: numbers outside plausible serials (1954–2119), bools and words are no date."""
    assert parse_date(value) is None


def test_serial_range_is_open_at_both_ends() -> None:
    """Metode §7: serials strictly between 20000 and 80000 are dates."""
    assert parse_date(20001) == dt.date(1954, 10, 4)
    # 79999 − 44927 = 35072 days after 01.01.2023; to 01.01.2119 is 96 × 365 + 23 leap days
    # (2024…2116, not 2100) = 35063, so 9 more days
    assert parse_date(79999) == dt.date(2119, 1, 10)


def test_front_sheet_finding_names_the_sheet_the_field_was_found_on(
    cats: dict[str, Catalogue],
) -> None:
    """Skjema: fields are found by label, so a finding points at the sheet where the cell is."""
    moved = raw(meta={"unit_type": "Sengepost"})
    renamed = {k: RawCell("Framside", c.cell, c.value) for k, c in moved.meta.items()}
    moved_report = validate_submission(replace(moved, meta=renamed), cats, TODAY)
    assert [(f.code, f.sheet, f.cell) for f in moved_report.findings] == [
        ("unknown-unit-type", "Framside", "B4")
    ]
