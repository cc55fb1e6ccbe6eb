"""An audience build leaves words out and nothing else: counts, yes/no, dates and statuses stay.

The internal and the regional model of the same input are compared field by field. A field that
holds typed text may only go from text to «[tekst utelatt]» (and stay None where it was None); every
other field must be equal. No MkDocs: the model is built as the pipeline builds it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from statuskart.catalog.model import Catalogue
from statuskart.core import messages as msg
from statuskart.core.findings import TEXT_LEFT_OUT
from statuskart.model.audience import apply_audience, choose_audience
from statuskart.pipeline.run import check_files, score_files
from statuskart.score.actions import Action
from statuskart.score.scoring import RequirementResult, UnitScore
from statuskart.validate.model import Answer, LocalRequirement

pytestmark = pytest.mark.own_logic  # our rules and content: not in the lowest-versions run

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 24)
TYPED = {
    Answer: {"comment", "action", "owner"},
    RequirementResult: {"comment", "action", "owner"},
    Action: {"owner"},
    LocalRequirement: {"title", "text"},
}
"""Fields holding what a person typed: left out for «region», as a marker where there was text."""


@pytest.fixture(scope="module")
def both(catalogues: dict[str, Catalogue]) -> tuple[Any, Any]:
    reports = check_files([ROOT / "checklists"], catalogues, TODAY, workers=1)
    scores = score_files(reports, catalogues, today=TODAY)
    region = apply_audience(choose_audience("region", None), reports, scores)
    return (tuple(reports), tuple(scores)), region


def compare(internal: Any, region: Any, where: str, diffs: list[str]) -> None:
    """Walk two values of the same shape; record every difference redaction may not make."""
    if dataclasses.is_dataclass(internal) and not isinstance(internal, type):
        typed = TYPED.get(type(internal), set())
        for f in dataclasses.fields(internal):
            a, b = getattr(internal, f.name), getattr(region, f.name)
            here = f"{where}.{f.name}"
            if f.name in typed:
                if (a is None) != (b is None) or b not in (None, TEXT_LEFT_OUT):
                    diffs.append(f"{here}: {a!r} -> {b!r}")
            elif isinstance(internal, Action) and f.name == "text":
                expected = msg.REDACTED_PLAN if internal.own_plan else internal.suggested
                if b != expected:
                    diffs.append(f"{here}: {b!r}")
            elif f.name in ("filled_by", "period", "meta", "findings"):
                continue  # checked by the tests of redaction itself (test_audience.py)
            else:
                compare(a, b, here, diffs)
    elif isinstance(internal, tuple | list):
        if len(internal) != len(region):
            diffs.append(f"{where}: {len(internal)} items -> {len(region)}")
            return
        for i, (a, b) in enumerate(zip(internal, region, strict=True)):
            compare(a, b, f"{where}[{i}]", diffs)
    elif internal != region:
        diffs.append(f"{where}: {internal!r} -> {region!r}")


def test_region_keeps_every_fact_of_every_score(both: tuple[Any, Any]) -> None:
    (_, scores), (_, region_scores) = both
    diffs: list[str] = []
    compare(scores, region_scores, "scores", diffs)
    assert diffs == []


def test_region_keeps_every_fact_of_every_submission(both: tuple[Any, Any]) -> None:
    (reports, _), (region_reports, _) = both
    diffs: list[str] = []
    compare(reports, region_reports, "files", diffs)
    assert diffs == []


def test_a_plan_is_still_a_plan_without_its_words(both: tuple[Any, Any]) -> None:
    """The regional build once said «Enheten har ikke planlagt noe tiltak» next to a frist."""
    (_, scores), (_, region_scores) = both
    planned = [a for s in scores for a in s.actions if a.own_plan]
    kept = [a for s in region_scores for a in s.actions if a.own_plan]
    assert len(planned) > 50
    assert len(kept) == len(planned)
    assert {a.text for a in kept} == {msg.REDACTED_PLAN}
    no_owner = sum(a.no_owner for s in scores for a in s.actions)
    assert sum(a.no_owner for s in region_scores for a in s.actions) == no_owner


def test_the_comparison_itself_notices_a_changed_fact(both: tuple[Any, Any]) -> None:
    (_, scores), (_, region_scores) = both
    first: UnitScore = scores[0]
    red: UnitScore = region_scores[0]
    action = red.actions[0]
    moved = dt.date(2030, 1, 1) if action.due is None else None
    broken = dataclasses.replace(
        red, actions=(dataclasses.replace(action, due=moved), *red.actions[1:])
    )
    diffs: list[str] = []
    compare((first,), (broken,), "scores", diffs)
    assert diffs == [f"scores[0].actions[0].due: {first.actions[0].due!r} -> {moved!r}"]
