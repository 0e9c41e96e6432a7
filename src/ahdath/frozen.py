"""``evolve``: ``dataclasses.replace`` for the frozen records the stages pass on, made cheap.

A report makes and amends many frozen records (a place found inside another, a toll given to
an incident, an event's confidence set once the report's events are merged). ``replace`` walks
the class's fields and calls the class with keywords on every call; ``evolve`` reads a record's
values with one ``attrgetter`` call and calls the class with them in order. Same result.
"""
from __future__ import annotations

import dataclasses
from functools import lru_cache
from operator import attrgetter
from typing import Any, Callable, TypeVar

T = TypeVar("T")


@lru_cache(maxsize=64)  # one entry per record class: a handful
def _layout(cls: type) -> tuple[Callable[[Any], tuple[Any, ...]], dict[str, int]] | None:
    """How to read a record's values in field order, and where each field stands; None where
    ``replace`` has more to do (a field left out of ``__init__``)."""
    fields = dataclasses.fields(cls)
    if len(fields) < 2 or not all(f.init for f in fields):
        return None
    names = [f.name for f in fields]
    return attrgetter(*names), {n: k for k, n in enumerate(names)}


def evolve(record: T, **changes: Any) -> T:
    """``record`` with ``changes`` (field names and new values): ``dataclasses.replace``."""
    layout = _layout(type(record))
    if layout is None:
        return dataclasses.replace(record, **changes)  # type: ignore[type-var]
    get, index = layout
    values = list(get(record))
    for name, value in changes.items():
        values[index[name]] = value  # an unknown name raises KeyError (replace: TypeError)
    return type(record)(*values)
