"""What `validate` and `score` print: the human text, the table and the CSV."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from statuskart.core import messages as msg
from statuskart.core.numbers import count, number, percent
from statuskart.core.terminal import one_line


def format_reports(reports: Sequence[Any]) -> str:
    """Human output of validate: per file a status line, then its findings with cell and fix."""
    out = io.StringIO()
    for r in reports:
        out.write(f"{msg.STATUS_LABELS[r.status]:<17} {one_line(r.path)}\n")
        for f in r.findings:
            where, message = one_line(f.location), one_line(f.message)
            out.write(f"  [{msg.SEVERITY_LABELS[f.severity]}] {where}: {message}\n")
            out.write(f"      {msg.FIX_PREFIX}{one_line(f.fix)}\n")
    counts = {s: sum(1 for r in reports if r.status == s) for s in ("ok", "warnings", "rejected")}
    out.write(
        msg.VALIDATE_SUMMARY.format(
            total=count(len(reports), "fil", "filer"),
            ok=number(counts["ok"]),
            warn=number(counts["warnings"]),
            rejected=number(counts["rejected"]),
        )
    )
    return out.getvalue()


def format_table(scores: Sequence[Any], not_scored: Sequence[Any], top: int) -> str:
    """Human output of score: one block per unit with its top actions."""
    out = io.StringIO()
    for s in scores:
        m = s.unit
        value = "–" if s.score is None else f"{s.score:.0f}"
        out.write(
            one_line(f"{m.unit} ({m.hf}, {m.period}): skår {value}, {s.band}, ")
            + f"dekning {percent(s.coverage)}\n"
        )
        for a in s.actions[:top]:
            out.write(one_line(f"  {a.rank}. {a.requirement_id} {a.title} – {a.reason}") + "\n")
    for r in not_scored:
        out.write(f"Ikke skåret: {one_line(r.path)} ({msg.STATUS_LABELS[r.status]})\n")
    return out.getvalue()


def format_csv(scores: Sequence[Any]) -> str:
    """The site's «kravstatus» download, the same exporter and columns, for every unit given.

    Files that could not be scored have no rows; `score` names them on stderr.
    """
    from statuskart.downloads.export import csv_text, tables

    kravstatus = next(t for t in tables(scores) if t.name == "kravstatus")
    return csv_text(kravstatus)
