"""core/pickling.py: slotted dataclasses pickled as their field values, loaded by pickle.loads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import pickletools

import pytest

from statuskart.core import pickling
from statuskart.core.findings import finding
from statuskart.validate.model import Answer, FileReport


@dataclasses.dataclass(frozen=True, slots=True)
class Point:
    x: int
    y: int = 0
    label: str = dataclasses.field(default="", compare=False)


@dataclasses.dataclass(frozen=True, slots=True)
class Labelled(Point):
    tags: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class WithDict:  # no slots: state may live in __dict__ beyond the fields
    x: int


@dataclasses.dataclass(slots=True)
class Mutable:
    items: list[int]


class Plain:
    __slots__ = ("x",)

    def __init__(self, x: int) -> None:
        self.x = x

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Plain) and other.x == self.x

    def __hash__(self) -> int:
        return hash(self.x)


def _uses_rebuild(data: bytes) -> bool:
    names = [arg for op, arg, _ in pickletools.genops(data) if op.name == "SHORT_BINUNICODE"]
    return "statuskart.core.pickling" in names and "rebuild" in names


def test_a_report_comes_back_equal_with_its_classes() -> None:
    answer = Answer(
        requirement_id="K1",
        status="Delvis",
        points=0.5,
        not_applicable=False,
        comment="=SUM(A1)",
        action="Lage rutine",
        owner="Kari",
        due=dt.date(2026, 12, 24),
        risk="Høy",
        cell="Sjekkliste!C5",
        share=80.0,
    )
    report = FileReport(
        path="a/b.xlsx",
        sha256="0" * 64,
        status="rejected",
        submission=None,
        findings=(finding("reader-crashed", "a/b.xlsx", detail="x"),),
    )
    for value in (answer, report, {"k": [answer, report]}):
        data = pickling.dumps(value)
        assert _uses_rebuild(data)
        back = pickle.loads(data)
        assert back == value
        assert pickling.dumps(back) == data  # the same bytes again
    loaded = pickle.loads(pickling.dumps(answer))
    assert type(loaded) is Answer
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.points = 1.0  # type: ignore[misc]


def test_fields_of_a_base_class_and_fields_left_out_of_comparison_come_back() -> None:
    value = Labelled(1, 2, "not compared", ("a",))
    back = pickle.loads(pickling.dumps(value))
    assert (back.x, back.y, back.label, back.tags) == (1, 2, "not compared", ("a",))
    mutable = pickle.loads(pickling.dumps(Mutable([1, 2])))
    mutable.items.append(3)
    assert mutable.items == [1, 2, 3]


def test_other_objects_are_pickled_as_python_pickles_them() -> None:
    for value in (WithDict(3), Plain(4), dt.date(2026, 1, 2), (1, "x", None)):
        data = pickling.dumps(value)
        assert not _uses_rebuild(data)
        assert data == pickle.dumps(value, protocol=pickling.PROTOCOL)
        assert pickle.loads(data) == value


def test_shared_objects_stay_shared() -> None:
    point = Point(1, 2)
    first, second = pickle.loads(pickling.dumps([point, point]))
    assert first is second


def test_a_rebuild_with_other_fields_or_an_other_class_is_refused() -> None:
    with pytest.raises(pickle.UnpicklingError, match="not the fields"):
        pickling.rebuild(Point, (1, 2))
    with pytest.raises(pickle.UnpicklingError, match="not the fields"):
        pickling.rebuild(Point, (1, 2, "x", "one too many"))
    for cls in (WithDict, Plain, int, dict):
        with pytest.raises(pickle.UnpicklingError, match="not pickled by statuskart"):
            pickling.rebuild(cls, (1,))
