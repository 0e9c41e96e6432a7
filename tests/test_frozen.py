"""``evolve`` gives what ``dataclasses.replace`` gives, for every kind of record the stages amend."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest
from hypothesis import given, strategies as st

from ahdath.frozen import evolve
from ahdath.model import Event, Evidence, Span
from ahdath.resolve.places import PlaceMention


def _event(**changes: object) -> Event:
    base = {name: None for name in Event.__dataclass_fields__}
    base.update(article_id="r1", event_id="SYR-1", time_precision=1, disorder_type="Political violence",
                event_type="Battles", sub_event_type="Armed clash", notes="", fatalities=0,
                evidence=Evidence("اشتباكات في البلدة", 0, 18, {"trigger": (Span(0, 9, "اشتباكات"),)}),
                confidence=0.5)
    base.update(changes)
    return Event(**base)


@pytest.mark.parametrize("record, changes", [
    (_event(), {"confidence": 0.91}),
    (_event(location_ar="دوما"), {"fatalities": 3, "evidence": Evidence("", 0, 0)}),
    (PlaceMention(0, 2, 0, 9, "تل شهاب", "settlement", "populated", ()), {"inside": True}),
    (PlaceMention(3, 4, 15, 19, "درعا", None, "admin1", ()), {"parent": 0, "reference": True}),
])
def test_frozen_evolve_is_replace(record: object, changes: dict) -> None:
    got = evolve(record, **changes)
    assert got == dataclasses.replace(record, **changes)
    assert type(got) is type(record) and got is not record


@given(st.integers(), st.text())
def test_frozen_evolve_keeps_the_other_fields(count: int, note: str) -> None:
    e = _event(notes=note)
    got = evolve(e, fatalities=count)
    assert got.fatalities == count and got.notes == note and got.evidence is e.evidence


def test_frozen_evolve_refuses_an_unknown_field() -> None:
    with pytest.raises(KeyError):
        evolve(_event(), colour="red")


@dataclass(frozen=True)
class _Derived:
    a: int
    b: int = field(init=False, default=0)


def test_frozen_evolve_leaves_records_with_derived_fields_to_replace() -> None:
    assert evolve(_Derived(1), a=2) == dataclasses.replace(_Derived(1), a=2)
