"""Suggested duplicates (``store.suggest``): near misses of the dedup rules, dismissed pairs remembered."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from factory import article, event

from ahdath.errors import EventNotFoundError, UsageError
from ahdath.store import Store, event_detail, split_event
from ahdath.store.browse import Browse
from ahdath.store.dedup import DedupRules
from ahdath.store.suggest import Suggestion, dismiss, suggestions

RUSSIA, TURKEY = "Military Forces of Russia (2000-)", "Military Forces of Turkey (2016-)"
SHELLING = "Shelling/artillery/missile attack"


def _report(n: int, day: str, **fields: Any) -> tuple[Any, list[Any]]:
    return (article(f"r{n}", f"نص التقرير رقم {n} عن قصف في المنطقة", source="Outlet A", url=f"https://a.example/{n}",
                    published=date.fromisoformat(day)),
            [event(n, event_date=day, **fields)])


@pytest.fixture
def pairs(db_url: str) -> Iterator[tuple[Store, dict[str, str]]]:
    """Stored under stricter rules (dates must be equal), so that one pair the packaged rules call
    one event stays apart; the others are each one rule short of a merge, or two."""
    strict = replace(DedupRules.from_data(), max_days=0)
    with Store.open(db_url, actor="ingest", rules=strict) as store:
        kafr = {"location": "Kafr Nabl", "location_ar": "كفرنبل", "latitude": 35.6476 + 0.12, "admin2": None}
        out = store.add_reports([
            _report(1, "2024-03-01"),
            _report(2, "2024-03-03"),  # two days after 1: the date rule fails
            _report(3, "2024-03-10", **kafr),  # 13 km from Maarrat: the place rule fails
            _report(4, "2024-03-10"),
            _report(5, "2024-03-20", town="tafas", sub_event_type=SHELLING),
            _report(6, "2024-03-20", town="tafas", sub_event_type=SHELLING, actor1=TURKEY),  # actors differ
            _report(7, "2024-03-25", town="tafas"),
            _report(8, "2024-03-27", town="tafas", actor1=TURKEY),  # two rules fail: never suggested
            _report(9, "2024-04-10", town="saraqib"),
            _report(10, "2024-04-11", town="saraqib"),  # one day apart: one event by the packaged rules
        ])
        ids = {f"r{n}": o.event_ids[0] for n, o in enumerate(out, start=1)}
        # one report telling two incidents in one place: never suggested, whatever else agrees
        two = store.add_reports([(article("r11", "قصف على طفس وقصف آخر", source="Outlet A",
                                           url="https://a.example/11", published=date(2024, 5, 1)),
                                  [event(11, town="tafas", event_date="2024-05-01", fatalities=1),
                                   event(12, town="tafas", event_date="2024-05-01", fatalities=2)])])
        assert len(set(two[0].event_ids)) == 2
        yield store, ids


def _pairs(found: list[Suggestion]) -> list[tuple[str, str, str]]:
    return [(s.event_a, s.event_b, s.rule) for s in found]


def test_suggest_near_misses_ranked(pairs: tuple[Store, dict[str, str]]) -> None:
    store, ids = pairs
    found = suggestions(store.engine, q=Browse())
    assert _pairs(found) == [(ids["r9"], ids["r10"], "same_event"), (ids["r5"], ids["r6"], "actors"),
                             (ids["r1"], ids["r2"], "date"), (ids["r3"], ids["r4"], "place")]
    assert [s.score for s in found] == [pytest.approx(x) for x in (0.875, 0.8, 0.75, 0.7)]
    by_rule = {s.rule: s for s in found}
    assert by_rule["date"].reasons[0] == "dates 2024-03-01 and 2024-03-03 are 2 days apart (more than 1)"
    assert "same place (Maarrat An Nu'man)" in by_rule["date"].reasons
    assert by_rule["place"].reasons[0].startswith("places Kafr Nabl and Maarrat An Nu'man are 13.")
    assert by_rule["actors"].reasons[0] == f"actor1 differs ({RUSSIA} and {TURKEY})"
    assert by_rule["same_event"].reasons[:2] == ("same sub-event type (Air/drone strike)",
                                                 "dates 2024-04-10 and 2024-04-11 (1 day apart)")


def test_suggest_limit_filter_and_order_stable(pairs: tuple[Store, dict[str, str]]) -> None:
    store, ids = pairs
    everything = Browse()
    assert _pairs(suggestions(store.engine, limit=2, q=everything)) == \
        _pairs(suggestions(store.engine, q=everything))[:2]
    assert _pairs(suggestions(store.engine, q=Browse(admin1="درعا"))) == [(ids["r5"], ids["r6"], "actors")]
    assert suggestions(store.engine, q=everything) == suggestions(store.engine, q=everything)


def test_suggest_without_a_filter_looks_at_the_recent_days(pairs: tuple[Store, dict[str, str]]) -> None:
    """The newest event is of 2024-05-01: the 60 days before it begin on 2024-03-02, after r1's day."""
    store, ids = pairs
    assert _pairs(suggestions(store.engine)) == [(ids["r9"], ids["r10"], "same_event"),
                                                 (ids["r5"], ids["r6"], "actors"), (ids["r3"], ids["r4"], "place")]
    with pytest.raises(UsageError, match="limit"):
        suggestions(store.engine, limit=0)


def test_suggest_dismissed_pair_remembered(pairs: tuple[Store, dict[str, str]], db_url: str) -> None:
    store, ids = pairs
    dismiss(store, ids["r2"], ids["r1"], actor="layla")  # either order
    dismiss(store, ids["r1"], ids["r2"], actor="layla")  # again: nothing new
    with Store.open(db_url) as again:
        assert (ids["r1"], ids["r2"], "date") not in _pairs(suggestions(again.engine, q=Browse()))
    assert len(suggestions(store.engine, q=Browse())) == 3
    for one, other in ((ids["r1"], ids["r2"]), (ids["r2"], ids["r1"])):
        log = [(c["actor"], c["action"], c["detail"]) for c in event_detail(store.engine, one).changes
               if c["action"] == "dismiss"]
        assert log == [("layla", "dismiss", f"not the same event as {other}")]


@pytest.mark.parametrize(("a", "b", "error"), [("r1", "r1", UsageError), ("r1", "SYR999", EventNotFoundError)])
def test_suggest_dismiss_refuses(pairs: tuple[Store, dict[str, str]], a: str, b: str, error: type) -> None:
    store, ids = pairs
    with pytest.raises(error):
        dismiss(store, ids.get(a, a), ids.get(b, b), actor="layla")


def test_suggest_split_events_are_not_suggested_back(db_url: str) -> None:
    with Store.open(db_url, actor="ingest") as store:
        out = store.add_reports([_report(1, "2024-03-01"), (article("r2", "نص آخر عن القصف نفسه", source="Outlet B",
                                                                   url="https://b.example/2",
                                                                   published=date(2024, 3, 1)),
                                                           [event(2, event_date="2024-03-01", source="Outlet B")])])
        merged = out[0].event_ids[0]
        assert out[1].event_ids == (merged,)
        new = split_event(store, merged, ["r2"], actor="layla")
        # by the rules the two are one event; a person said otherwise
        assert suggestions(store.engine) == []
        assert new != merged
