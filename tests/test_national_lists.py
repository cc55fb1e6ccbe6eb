"""Long lists built for 1,000 units (#27 points 3 and 4), as pure facts without MkDocs.

Follow-up lists are grouped by HF, oldest frist first and capped; the data-quality page is a
to-do per HF and unit with errors first and passed frister counted apart; «funn» has every
finding.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from statuskart.core.findings import Finding, file_status, finding
from statuskart.downloads.export import finding_rows
from statuskart.model import facts
from statuskart.model.report import build_report
from statuskart.score.scoring import score_submission
from statuskart.validate.model import FileReport, Submission

from .rules_support import make_catalogue, make_submission

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

TODAY = dt.date(2026, 5, 1)
IDS = [f"N-{i:02d}" for i in range(1, 9)]


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("national")
    return make_catalogue(tmp, [{"id": rid, "priority": "normal"} for rid in IDS])


def unit_submission(
    hf: str, unit: str, dues: dict[str, dt.date], *, period: str = "2026-T1", owner: str = "Leder"
) -> Submission:
    """A unit with every requirement «Påbegynt» and its own plan with the given frister."""
    plans = {
        rid: {"action": f"Plan {rid}", "owner": owner, "due": due} for rid, due in dues.items()
    }
    sub = make_submission(dict.fromkeys(IDS, "Påbegynt"), unit=unit, plans=plans)
    rhf = "Helse Nord RHF" if hf.startswith("Nord") else "Helse Vest RHF"
    meta = dataclasses.replace(sub.meta, hf=hf, rhf=rhf, period=period)
    return dataclasses.replace(sub, meta=meta, path=f"{period}/{hf}-{unit}.xlsx")


def report(sub: Submission | None, found: tuple[Finding, ...], **meta: str) -> FileReport:
    path = sub.path if sub else f"{meta['period']}/{meta['unit']}.xlsx"
    findings = tuple(dataclasses.replace(f, file=path) for f in found)
    return FileReport(
        path=path,
        sha256="0",
        status=file_status(findings),
        submission=sub,
        findings=findings,
        meta=meta,
    )


def model_of(catalogue, files):
    scores = [
        score_submission(f.submission, catalogue, reference_date=TODAY)
        for f in files
        if f.submission is not None and f.status != "rejected"
    ]
    return build_report(
        files,
        scores,
        {"rules": catalogue},
        build_date=TODAY,
        version="test",
        method_version="1.0",
    )


def day(n: int) -> dt.date:
    return dt.date(2026, 1, 1) + dt.timedelta(days=n)


def test_overdue_is_grouped_by_hf_oldest_first_and_capped_per_hf(catalogue):
    # Two units with the same name under two HFs, and one HF with more than the RHF page shows.
    bergen = unit_submission("Bergen HF", "Poliklinikk", {rid: day(i) for i, rid in enumerate(IDS)})
    fonna = unit_submission("Fonna HF", "Poliklinikk", {IDS[0]: day(30), IDS[1]: day(5)})
    later = unit_submission("Fonna HF", "Døgn", {IDS[2]: day(2), IDS[3]: dt.date(2027, 1, 1)})
    files = [report(s, ()) for s in (bergen, fonna, later)]
    model = model_of(catalogue, files)
    (rhf,) = model.rhfs

    found = facts.follow_up(rhf, model.hfs)

    assert found.overdue.total == 8 + 2 + 1  # the frist in 2027 has not passed
    assert [g.hf for g in found.overdue.groups] == ["Bergen HF", "Fonna HF"]
    bergen_rows, fonna_rows = found.overdue.groups
    cap = facts.FOLLOW_UP_PER_HF["rhf"]
    assert bergen_rows.total == 8 and len(bergen_rows.rows) == cap and bergen_rows.hidden == 8 - cap
    assert [a.due for _, a in bergen_rows.rows] == [day(i) for i in range(cap)]  # oldest first
    assert [(u.score.unit.unit, a.due) for u, a in fonna_rows.rows] == [
        ("Døgn", day(2)),
        ("Poliklinikk", day(5)),
        ("Poliklinikk", day(30)),
    ]
    assert fonna_rows.hidden == 0 and found.overdue.shown == cap + 3
    # Each «Poliklinikk» is under its own HF, never mixed.
    assert {u.hf_slug for u, _ in bergen_rows.rows} == {bergen_rows.hf_slug}
    assert {u.hf_slug for u, _ in fonna_rows.rows} == {fonna_rows.hf_slug}


def test_an_hf_page_shows_more_rows_than_an_rhf_page(catalogue):
    dues = {rid: day(i) for i, rid in enumerate(IDS)}
    files = [report(unit_submission("Bergen HF", f"Enhet {n}", dues), ()) for n in range(4)]
    model = model_of(catalogue, files)
    (hf,) = model.hfs
    (rhf,) = model.rhfs
    on_hf = facts.follow_up(hf, model.hfs).overdue
    on_rhf = facts.follow_up(rhf, model.hfs).overdue
    assert on_hf.total == on_rhf.total == 32
    assert on_hf.shown == facts.FOLLOW_UP_PER_HF["hf"] > on_rhf.shown
    assert on_rhf.shown == facts.FOLLOW_UP_PER_HF["rhf"]
    assert [a.due for _, a in on_hf.groups[0].rows][:4] == [day(0)] * 4  # oldest of every unit


def test_plans_without_owner_are_grouped_earliest_frist_first_none_last(catalogue):
    sub = unit_submission("Bergen HF", "Enhet", {IDS[0]: dt.date(2027, 3, 1)}, owner="")
    sub = dataclasses.replace(
        sub,
        answers=tuple(
            dataclasses.replace(a, owner=None, action="Plan", due=None)
            if a.requirement_id == IDS[1]
            else dataclasses.replace(a, owner=None)
            if a.requirement_id == IDS[2]
            else a
            for a in sub.answers
        ),
    )
    model = model_of(catalogue, [report(sub, ())])
    no_owner = facts.follow_up(model.hfs[0], model.hfs).no_owner
    (group,) = no_owner.groups
    assert [(a.requirement_id, a.due) for _, a in group.rows] == [
        (IDS[0], dt.date(2027, 3, 1)),
        (IDS[1], None),
    ]
    assert no_owner.total == 2


def test_finding_place_names_requirement_and_cell():
    item = finding(
        "due-in-past",
        "a.xlsx",
        sheet="Statuskartlegging",
        cell="M14",
        detail="01.02.2026",
        requirement="TSB-08",
    )
    assert facts.finding_place(item) == "TSB-08 (Statuskartlegging!M14)"
    assert facts.finding_kind(item) == "Påminnelse"
    front = finding("missing-metadata", "a.xlsx", sheet="Forside", cell="B7", detail="Enhet")
    assert facts.finding_place(front) == "Forside!B7" and facts.finding_kind(front) == "Feil"


def mistakes(requirement: str) -> tuple[Finding, ...]:
    """A reminder, a note-free warning and a cell error, in row order (error last)."""
    return (
        finding(
            "due-in-past",
            "",
            sheet="Statuskartlegging",
            cell="M5",
            detail="01.01.2026",
            requirement=requirement,
        ),
        finding(
            "action-without-owner",
            "",
            sheet="Statuskartlegging",
            cell="L6",
            detail=requirement,
            requirement=requirement,
        ),
        finding(
            "status-invalid",
            "",
            sheet="Statuskartlegging",
            cell="G7",
            detail="Kanskje",
            choices="Ikke startet, Påbegynt",
            requirement=requirement,
        ),
    )


@pytest.fixture(scope="module")
def national(catalogue):
    """Three HFs over two rounds: errors, warnings, reminders, rejected files old and new."""
    old_sub = unit_submission("Bergen HF", "Alfa", {}, period="2025-T3")
    old = report(old_sub, mistakes(IDS[0])[1:2])
    alfa = report(unit_submission("Bergen HF", "Alfa", {}), mistakes(IDS[0]))
    beta = report(unit_submission("Bergen HF", "Beta", {}), mistakes(IDS[1])[:2])
    clean = report(unit_submission("Bergen HF", "Gamma", {}), ())
    only_reminder = report(unit_submission("Nord HF", "Delta", {}), mistakes(IDS[2])[:1])
    front = finding("missing-metadata", "", sheet="Forside", cell="B7", detail="Enhet")
    rejected_now = report(
        None, (front,), rhf="Helse Vest RHF", hf="Fonna HF", unit="Epsilon", period="2026-T1"
    )
    rejected_then = report(
        None, (front,), rhf="Helse Vest RHF", hf="Bergen HF", unit="Alfa", period="2025-T3"
    )
    files = [old, alfa, beta, clean, only_reminder, rejected_now, rejected_then]
    assert alfa.status == "warnings" and rejected_now.status == "rejected"  # a cell error only
    model = model_of(catalogue, files)
    return model, facts.data_quality(model)


def test_data_quality_lists_the_current_round_per_hf_errors_first(national):
    model, dq = national
    assert dq.period == "2026-T1"
    (bergen,) = dq.todo  # Nord HF has only a reminder, Fonna HF only a rejected file
    assert bergen.hf == "Bergen HF" and bergen.total == 2 and bergen.hidden == 0
    alfa, beta = bergen.files  # the unit with an error first
    assert (alfa.unit, alfa.errors, alfa.warnings, len(alfa.reminders)) == ("Alfa", 1, 1, 1)
    assert [f.code for f in alfa.findings] == ["status-invalid", "action-without-owner"]
    assert (beta.unit, beta.errors, beta.warnings) == ("Beta", 0, 1)
    assert (bergen.errors, bergen.warnings, bergen.notes) == (1, 2, 0)
    slugs = {u.score.unit.unit: u.slug for u in model.units}
    assert alfa.unit_slug == slugs["Alfa"] and beta.unit_slug == slugs["Beta"]
    assert dq.todo_files == 2


def test_data_quality_counts_passed_frister_apart_per_hf(national):
    _, dq = national
    # RHF, then HF: Helse Nord before Helse Vest.
    assert [(r.rhf, r.hf, r.units, r.frister) for r in dq.reminders] == [
        ("Helse Nord RHF", "Nord HF", 1, 1),
        ("Helse Vest RHF", "Bergen HF", 2, 2),
    ]


def test_every_rejected_file_is_named_newest_round_first_with_its_unit_page(national):
    model, dq = national
    assert [(r.period, r.hf, r.unit) for r in dq.rejected] == [
        ("2026-T1", "Fonna HF", "Epsilon"),
        ("2025-T3", "Bergen HF", "Alfa"),
    ]
    epsilon, old_alfa = dq.rejected
    assert epsilon.unit_slug is None  # never scored: no page to link
    assert old_alfa.unit_slug == next(u.slug for u in model.units if u.score.unit.unit == "Alfa")
    assert [f.code for f in epsilon.findings] == ["missing-metadata"]


def test_rounds_are_counted_newest_first(national):
    _, dq = national
    assert [tuple(r) for r in dq.rounds] == [
        ("2026-T1", 5, 1, 1, 1, 3),
        ("2025-T3", 2, 1, 0, 1, 0),
    ]
    assert dq.earlier == 1  # the old «Alfa» with a warning: in funn.xlsx, not on the page


def test_page_caps_findings_per_file_and_files_per_hf(catalogue):
    many = tuple(
        finding(
            "action-without-owner",
            "",
            sheet="Statuskartlegging",
            cell=f"L{row}",
            detail=rid,
            requirement=rid,
        )
        for row, rid in enumerate(IDS * 3, start=5)
    )
    count = facts.FILES_PER_HF + 2
    files = [
        report(unit_submission("Bergen HF", f"Enhet {n:02d}", {}), many[: n + 1])
        for n in range(count)
    ]
    dq = facts.data_quality(model_of(catalogue, files))
    (bergen,) = dq.todo
    assert bergen.total == count and len(bergen.files) == facts.FILES_PER_HF
    assert bergen.hidden == 2
    first = bergen.files[0]  # the unit with most to fix comes first
    assert first.unit == f"Enhet {count - 1:02d}" and first.warnings == count
    assert len(first.findings) == facts.FINDINGS_PER_FILE
    assert first.hidden == count - facts.FINDINGS_PER_FILE
    assert [f.cell for f in first.findings] == [f"L{r}" for r in range(5, 5 + len(first.findings))]


def test_file_todo_on_a_unit_page_keeps_every_finding_reminders_apart():
    found = mistakes("TSB-08")
    todo = facts.file_todo(report(None, found, hf="H", unit="U", period="2026-T1"))
    assert [f.code for f in todo.findings] == ["status-invalid", "action-without-owner"]
    assert [f.code for f in todo.reminders] == ["due-in-past"]
    assert todo.total == 2 and todo.hidden == 0


def test_funn_download_has_every_finding_of_every_round_reminders_last(national):
    model, _ = national
    rows = finding_rows(model.files)
    assert len(rows) == sum(len(f.findings) for f in model.files)
    assert [r[3] for r in rows] == sorted(r[3] for r in rows)  # by round, oldest first
    alfa_now = [r for r in rows if r[2] == "Alfa" and r[3] == "2026-T1"]
    assert [(r[6], r[7], r[8]) for r in alfa_now] == [
        ("Feil", IDS[0], "Statuskartlegging!G7"),
        ("Advarsel", IDS[0], "Statuskartlegging!L6"),
        ("Påminnelse", IDS[0], "Statuskartlegging!M5"),
    ]
    epsilon = next(r for r in rows if r[2] == "Epsilon")
    assert (epsilon[0], epsilon[1], epsilon[5], epsilon[7]) == (
        "Helse Vest RHF",
        "Fonna HF",
        "Avvist",
        None,
    )


def test_to_do_lines_say_where_then_what_grouped_by_fix():
    def owner(rid: str, cell: str) -> Finding:
        return finding(
            "action-without-owner",
            "a.xlsx",
            sheet="Statuskartlegging",
            cell=cell,
            detail=rid,
            requirement=rid,
        )

    missing = finding("requirement-missing", "a.xlsx", sheet="Statuskartlegging", detail="TSB-06")
    local = dataclasses.replace(owner("EGEN-1", "L70"), sheet="Egne krav")
    error = mistakes("TSB-02")[2]
    todo = facts.file_todo(
        report(
            None,
            (owner("TSB-01", "L5"), missing, error, owner("TSB-03", "L7"), local),
            hf="H",
            unit="U",
            period="2026-T1",
        )
    )
    lines = [(g.kind, g.places, g.fix) for g in todo.fixes]
    owner_fix = owner("TSB-01", "L5").fix
    assert lines == [
        ("Feil", ("TSB-02 (G7)",), error.fix),  # errors first
        ("Advarsel", ("TSB-01 (L5)", "TSB-03 (L7)", "EGEN-1 (Egne krav!L70)"), owner_fix),
        ("Advarsel", ("Statuskartlegging",), f"{missing.message} {missing.fix}"),
    ]
    assert "TSB-06" in lines[2][2]  # a finding on no row still names what is missing
