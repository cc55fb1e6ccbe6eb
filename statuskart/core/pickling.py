"""Pickles of our slotted dataclasses, made and loaded in a third of Python's own time.

Python pickles a dataclass with slots through its ``__getstate__`` and ``__setstate__``, which
look up the class's fields again for every object. A parsed skjema holds about 80 such objects
and a unit's view thousands: at 3,000 skjemas, unpickling the cached reports was 1.4 s of a
rebuild, most of it there. Here such an object is written as ``rebuild(class, field values)``,
and ``rebuild`` sets the slots directly, with each class's slots looked up once.

Only for classes whose fields are their whole state: every slot a field, nothing else kept.
Any other object is pickled as Python pickles it. Loading is ``pickle.loads``.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
import types
from collections.abc import Callable
from typing import Any

PROTOCOL = 5


def dumps(value: object) -> bytes:
    """``value`` as pickle bytes; the same bytes for the same values, in any process."""
    out = io.BytesIO()
    _Pickler(out, protocol=PROTOCOL).dump(value)
    return out.getvalue()


def rebuild(cls: type, values: tuple[Any, ...]) -> object:
    """The object ``dumps`` wrote as ``cls`` and its field values (called by the unpickler)."""
    try:
        make = _MAKERS[cls]
    except KeyError:
        make = _MAKERS[cls] = _maker(cls)
    if make is None:
        raise pickle.UnpicklingError(f"{cls.__qualname__}: not pickled by statuskart")
    try:
        return make(*values)
    except TypeError:
        wrong = f"{cls.__qualname__}: not the fields it was pickled with"
        raise pickle.UnpicklingError(wrong) from None


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        names = _names(cls)
        if names is None:
            return NotImplemented
        return rebuild, (cls, tuple([getattr(obj, name) for name in names]))


_NAMES: dict[type, tuple[str, ...] | None] = {}
_MAKERS: dict[type, Callable[..., object] | None] = {}


def _names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass whose slots are exactly its fields; None otherwise."""
    try:
        return _NAMES[cls]
    except KeyError:
        pass
    names = _NAMES[cls] = _whole_state(cls)
    return names


def _maker(cls: type) -> Callable[..., object] | None:
    """A function of the field values that makes the object, setting each slot directly.

    Generated once per class, as dataclasses generates ``__init__``: one call per field and no
    loop, half the time of a loop over the slots.
    """
    names = _names(cls)
    if names is None:
        return None
    params = ", ".join(f"v{i}" for i in range(len(names)))
    body = "".join(f"    s{i}(o, v{i})\n" for i in range(len(names)))
    source = f"def make({params}):\n    o = new(cls)\n{body}    return o\n"
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    scope.update({f"s{i}": getattr(cls, name).__set__ for i, name in enumerate(names)})
    exec(source, scope)  # our own text: numbered names only, nothing from any input
    return scope["make"]  # type: ignore[no-any-return]


def _whole_state(cls: type) -> tuple[str, ...] | None:
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        return None
    slots: set[str] = set()
    for klass in cls.__mro__[:-1]:  # all but object
        own = klass.__dict__.get("__slots__")
        if own is None:
            return None  # instances have a __dict__: state the fields do not hold
        slots.update([own] if isinstance(own, str) else own)
    slots.discard("__weakref__")
    names = tuple(f.name for f in dataclasses.fields(cls))
    if slots != set(names):
        return None
    if not all(isinstance(getattr(cls, n, None), types.MemberDescriptorType) for n in names):
        return None
    return names
