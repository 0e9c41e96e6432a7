"""A canonical event from its reports: ACLED's rules for combining what outlets say."""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.store.canonical import Member, derive
from ahdath.store.schema import EVENT_FIELD_NAMES

from factory import event

_BASE = event(1).to_dict()
_TOWNS = {name: event(1, town=name).to_dict() for name in ("maarrat", "saraqib", "tafas")}
_PLACE_KEYS = ("location", "location_ar", "latitude", "longitude", "admin1")
GENERIC = "Unidentified Armed Group (Syria)"


def _generic(actor: str | None) -> bool:
    return not actor or actor.startswith("Unidentified")


def record(town: str = "maarrat", **fields: Any) -> dict[str, Any]:
    rec = dict(_BASE)
    rec.update({k: _TOWNS[town][k] for k in _PLACE_KEYS})
    rec.update(fields)
    return rec


def member(order: int, source: str | None = "Outlet A", url: str | None = None, town: str = "maarrat",
           **fields: Any) -> Member:
    return Member(record(town, **fields), source, url, order)


@pytest.mark.parametrize(("tolls", "expected"), [
    ((5, 7), 5),
    ((7, 5), 5),
    ((0, 5, 7), 5),  # 0 is "not said": it does not pull the toll down
    ((5, 0), 5),
    ((0, 0), 0),
    ((3,), 3),
])
def test_canonical_lowest_reported_toll(tolls: tuple[int, ...], expected: int) -> None:
    members = [member(i, source=f"Outlet {i}", fatalities=t) for i, t in enumerate(tolls)]
    assert derive(members)["fatalities"] == expected


@pytest.mark.parametrize(("dates", "expected"), [
    # (order, event_date, time_precision): the most precise date wins, whatever the count
    ([(1, "2024-03-01", 3), (2, "2024-03-01", 3), (3, "2024-03-12", 1)], ("2024-03-12", 1)),
    ([(1, "2024-03-10", 2), (2, "2024-03-12", 1)], ("2024-03-12", 1)),
    # among equally precise dates, the one most reports give
    ([(1, "2024-03-12", 1), (2, "2024-03-13", 1), (3, "2024-03-13", 1)], ("2024-03-13", 1)),
    # a tie goes to the report seen first (its order, not its place in the list)
    ([(2, "2024-03-13", 1), (1, "2024-03-12", 1)], ("2024-03-12", 1)),
    # a report with no date says nothing about the date, however precise it claims to be
    ([(1, None, 1), (2, "2024-02-01", 3)], ("2024-02-01", 3)),
])
def test_canonical_most_precise_then_most_common_date(dates: list[tuple[int, str | None, int]],
                                                      expected: tuple[str, int]) -> None:
    out = derive([member(o, event_date=d, time_precision=tp) for o, d, tp in dates])
    assert (out["event_date"], out["time_precision"]) == expected
    assert out["year"] == int(expected[0][:4])


def test_canonical_most_precise_place_with_its_own_coordinates() -> None:
    out = derive([member(1, town="saraqib", geo_precision=2), member(2, town="saraqib", geo_precision=2),
                  member(3, town="maarrat", geo_precision=1)])
    assert (out["location"], out["geo_precision"]) == ("Maarrat An Nu'man", 1)
    assert (out["latitude"], out["longitude"]) == (_TOWNS["maarrat"]["latitude"], _TOWNS["maarrat"]["longitude"])


def test_canonical_most_common_place_among_equally_precise() -> None:
    out = derive([member(1, town="maarrat"), member(2, town="saraqib"), member(3, town="saraqib")])
    assert {k: out[k] for k in _PLACE_KEYS} == {k: _TOWNS["saraqib"][k] for k in _PLACE_KEYS}
    tie = derive([member(2, town="saraqib"), member(1, town="maarrat")])
    assert tie["location"] == "Maarrat An Nu'man"


@pytest.mark.parametrize(("actors", "expected"), [
    ([GENERIC, "Military Forces of Russia (2000-)"], "Military Forces of Russia (2000-)"),
    (["Military Forces of Russia (2000-)", GENERIC, GENERIC], "Military Forces of Russia (2000-)"),
    ([GENERIC, GENERIC], GENERIC),  # nothing better said
    (["Military Forces of Syria (2000-2024)", "Military Forces of Russia (2000-)",
      "Military Forces of Russia (2000-)"], "Military Forces of Russia (2000-)"),
])
def test_canonical_named_actor_beats_generic(actors: list[str], expected: str) -> None:
    inter = {GENERIC: 3, "Military Forces of Russia (2000-)": 8, "Military Forces of Syria (2000-2024)": 1}
    members = [member(i, actor1=a, inter1=inter[a]) for i, a in enumerate(actors)]
    out = derive(members, is_generic=_generic)
    assert out["actor1"] == expected
    assert out["inter1"] == inter[expected]  # the actor's fields come from one report, not mixed


def test_canonical_type_most_reports_give() -> None:
    out = derive([member(1, sub_event_type="Shelling/artillery/missile attack"), member(2), member(3)])
    assert out["sub_event_type"] == "Air/drone strike"
    assert out["event_type"] == "Explosions/Remote violence"


def test_canonical_blank_sub_event_type_is_no_type() -> None:
    out = derive([member(1, sub_event_type=""), member(2, sub_event_type="")])
    assert out["sub_event_type"] in ("", None)
    assert out["actor1"] == _BASE["actor1"]


def test_canonical_every_outlet_once_in_order() -> None:
    members = [member(3, source="Outlet B", url="https://b.example/2"),
               member(1, source="Outlet A", url="https://a.example/1"),
               member(2, source="Outlet B", url="https://b.example/1"),
               # no outlet known for the report: the record's own source and url stand in
               Member(record(source="Outlet C", source_url="https://c.example/9"), None, None, 4)]
    out = derive(members)
    assert out["source"] == "Outlet A; Outlet B; Outlet C"
    assert out["source_url"] == "https://a.example/1; https://b.example/1; https://b.example/2; https://c.example/9"


def test_canonical_notes_count_sources_and_conflicting_tolls() -> None:
    out = derive([member(1, source="Outlet A", fatalities=5), member(2, source="Outlet B", fatalities=7),
                  member(3, source="Outlet B", fatalities=0)])
    assert out["notes"].startswith(_BASE["notes"])
    assert "[2 sources]" in out["notes"]
    assert "[fatalities reported: 5, 7; lowest coded]" in out["notes"]


@pytest.mark.parametrize("tolls", [(5, 5), (5, 0), (0, 0)])
def test_canonical_notes_quiet_without_conflict(tolls: tuple[int, int]) -> None:
    out = derive([member(i, source="Outlet A", fatalities=t) for i, t in enumerate(tolls)])
    assert out["notes"] == _BASE["notes"]


def test_canonical_pinned_fields_override() -> None:
    members = [member(1, fatalities=5), member(2, source="Outlet B", fatalities=7)]
    out = derive(members, pinned={"fatalities": 12, "location": "Kafr Nobol", "not_a_field": "x"})
    assert (out["fatalities"], out["location"]) == (12, "Kafr Nobol")
    assert "not_a_field" not in out
    assert out["source"] == "Outlet A; Outlet B"  # what is not pinned is still derived


def test_canonical_every_field_and_report_count() -> None:
    out = derive([member(1), member(2), member(3)])
    assert set(out) == set(EVENT_FIELD_NAMES) | {"n_reports"}
    assert out["n_reports"] == 3
    assert derive([member(1)])["n_reports"] == 1


def test_canonical_needs_a_report() -> None:
    with pytest.raises(ValueError):
        derive([])


_TOLLS = st.sampled_from([0, 0, 1, 3, 5, 12])
_RECORDS = st.fixed_dictionaries({
    "town": st.sampled_from(sorted(_TOWNS)),
    "event_date": st.sampled_from(["2024-03-11", "2024-03-12", "2024-03-13", None]),
    "time_precision": st.integers(1, 3),
    "geo_precision": st.integers(1, 3),
    "fatalities": _TOLLS,
    "actor1": st.sampled_from([GENERIC, "Military Forces of Russia (2000-)", "Military Forces of Syria (2000-2024)"]),
    "actor2": st.sampled_from([None, "Civilians (Syria)"]),
    "sub_event_type": st.sampled_from(["Air/drone strike", "Shelling/artillery/missile attack"]),
    "civilian_targeting": st.sampled_from([None, "Civilian targeting"]),
    "source": st.sampled_from(["Outlet A", "Outlet B", "Outlet C"]),
    "confidence": st.sampled_from([0.5, 0.8]),
})


@st.composite
def _members(draw: st.DrawFn) -> list[Member]:
    specs = draw(st.lists(_RECORDS, min_size=1, max_size=6))
    orders = draw(st.lists(st.integers(0, 1000), min_size=len(specs), max_size=len(specs), unique=True))
    out = []
    for spec, order in zip(specs, orders, strict=True):
        spec = dict(spec)
        town, source = spec.pop("town"), spec.pop("source")
        out.append(Member(record(town, **spec), source, f"https://{source[-1].lower()}.example/{order}", order))
    return out


@settings(max_examples=150, deadline=None)
@given(members=_members(), data=st.data())
def test_canonical_derive_ignores_list_order(members: list[Member], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(members))
    assert derive(shuffled, is_generic=_generic) == derive(members, is_generic=_generic)


@settings(max_examples=150, deadline=None)
@given(members=_members())
def test_canonical_toll_is_a_reported_figure(members: list[Member]) -> None:
    out = derive(members, is_generic=_generic)
    reported = {m.record["fatalities"] for m in members} - {0}
    assert out["fatalities"] == (min(reported) if reported else 0)
    assert out["n_reports"] == len(members)
    assert out["source"] is not None and len(out["source"].split("; ")) == len({m.source for m in members})


_ODD = st.one_of(st.none(), st.just(""), st.sampled_from(["Outlet A", "A; B", " A ;A", "x;"]))


@settings(max_examples=300, deadline=None)
@given(members=_members(), source=_ODD, url=_ODD, tags=_ODD, assoc=_ODD, notes=_ODD,
       fatalities=st.sampled_from([0, -2, 4, None]), tp=st.sampled_from([0, None, 1, 3]),
       day=st.sampled_from(["", None, "2024-03-11"]))
def test_canonical_one_report_shortcut_matches_the_rules(members: list[Member], source: str | None, url: str | None,
                                                         tags: str | None, assoc: str | None, notes: str | None,
                                                         fatalities: int | None, tp: int | None,
                                                         day: str | None) -> None:
    from ahdath.store.canonical import _derive_many

    first = members[0]
    rec = {**first.record, "source": source, "source_url": url, "tags": tags, "assoc_actor_1": assoc,
           "assoc_actor_2": assoc, "notes": notes, "fatalities": fatalities, "time_precision": tp, "event_date": day}
    for m in (first, Member(rec, source, url, 1), Member(rec, None, None, 1)):
        for pinned in (None, {"fatalities": 9, "location": "Pinned"}):
            assert derive([m], is_generic=_generic, pinned=pinned) == _derive_many([m], _generic, pinned)
