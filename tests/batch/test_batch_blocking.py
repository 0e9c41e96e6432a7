"""The dedup shuffle's blocking (``ahdath.batch.dedup.event_tokens``): any two events the store's rules
call the same share a token (or meet through the archive rule's key), so the shuffle never parts them."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.batch.dedup import BUCKET_DAYS, event_tokens
from ahdath.store.dedup import DedupIndex, EventKey, compare
from ahdath.store.rules import DedupRules

RULES = DedupRules.from_data()
INDEX = DedupIndex(RULES)
START = date(2024, 3, 1)
# the edge between two rows of the index's grid: two towns 4 km apart, one each side, in two admin1s
_EDGE = -90.0 + (INDEX._row(35.85) + 1) * INDEX._row_deg
# a few places: close towns across an admin1 border (and across a grid edge), a coarse governorate,
# a namesake far away, a place known only by its admin1
PLACES = (
    {"location": "Town North", "admin1": "Aleppo", "latitude": _EDGE + 0.018, "longitude": 36.5, "geo_precision": 1},
    {"location": "Town South", "admin1": "Idleb", "latitude": _EDGE - 0.018, "longitude": 36.5, "geo_precision": 2},
    {"location": "Saraqib", "admin1": "Idleb", "latitude": 35.864, "longitude": 36.804, "geo_precision": 1},
    {"location": "Tal Mardikh", "admin1": "Aleppo", "latitude": 35.840, "longitude": 36.810, "geo_precision": 1},
    {"location": "Idleb", "admin1": "Idleb", "latitude": 35.93, "longitude": 36.63, "geo_precision": 3},
    {"location": "Saraqib", "admin1": "Hama", "latitude": 35.10, "longitude": 36.70, "geo_precision": 1},
    {"location": None, "admin1": "Idleb", "latitude": None, "longitude": None, "geo_precision": 3},
)
SUBS = ("Air/drone strike", "Shelling/artillery/missile attack", "Armed clash", "Attack")
ACTORS = ("Military Forces of Russia (2000-)", "Military Forces of Syria (2000-2024)", None, "Unidentified Armed Group (Syria)")


# days either side of the shuffle's time buckets' edges (ordinals divisible by BUCKET_DAYS), and between
DAYS = tuple(range(0, 60))
EDGES = tuple(d for d in DAYS if (START + timedelta(days=d)).toordinal() % BUCKET_DAYS in (0, 1, 15))


@st.composite
def records(draw: Any, near: dict[str, Any] | None = None) -> dict[str, Any]:
    place = draw(st.sampled_from(PLACES))
    sub = draw(st.sampled_from(SUBS))
    record: dict[str, Any] = {
        "iso": draw(st.sampled_from((760, 760, 760, 792))), "time_precision": draw(st.sampled_from((1, 1, 2))),
        "event_type": "Battles" if sub == "Armed clash" else "Violence against civilians" if sub == "Attack"
        else "Explosions/Remote violence", "sub_event_type": sub, "actor1": draw(st.sampled_from(ACTORS)),
        "actor2": draw(st.sampled_from(("Civilians (Syria)", None))), "fatalities": draw(st.sampled_from((0, 3, 4))),
        **place}
    day = START + timedelta(days=draw(st.sampled_from(EDGES) | st.sampled_from(DAYS)))
    if near is not None:  # most pairs the rules could merge are a day or two apart
        day = date.fromisoformat(near.get("event_date") or near["date_hi"]) + timedelta(days=draw(st.integers(-2, 2) | st.integers(-45, 45)))
    if draw(st.booleans()):
        record["event_date"] = day.isoformat()
    else:  # undated: its report's window, counted back from its publication or from the day it was read
        record.update(event_date=None, date_lo=(day - timedelta(days=RULES.undated_window_days)).isoformat(),
                      date_hi=day.isoformat(), date_basis=draw(st.sampled_from(("published", "ingested"))))
    return record


@st.composite
def pairs(draw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    a = draw(records())
    b = draw(records(near=a))
    if draw(st.booleans()):  # the same incident told twice, some fields read otherwise
        b = {**a, **{k: b[k] for k in draw(st.sets(st.sampled_from(sorted(b))))}}
    return a, b


@settings(max_examples=600, deadline=None)
@given(pairs())
def test_batch_blocking_never_parts_two_events_the_rules_merge(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    a, b = pair
    verdict = compare(EventKey.from_row(1, a, [1]), EventKey.from_row(2, b, [2]), RULES)
    ta, weak_a, firm_a = event_tokens(a, "report-a", 0, INDEX, RULES)
    tb, weak_b, firm_b = event_tokens(b, "report-b", 0, INDEX, RULES)
    joined = bool(set(ta) & set(tb)) or (weak_a is not None and weak_a == firm_b) or \
        (weak_b is not None and weak_b == firm_a)
    if verdict.same:
        assert joined, verdict.reason


def test_batch_blocking_keeps_far_apart_events_apart() -> None:
    a = {**PLACES[2], "iso": 760, "event_date": "2024-03-01", "sub_event_type": SUBS[0], "event_type": "x"}
    b = {**a, "event_date": "2024-06-01"}
    c = {**a, **PLACES[5], "location": "Hama"}  # 80 km away, another admin1
    d = {**a, **PLACES[5]}  # a namesake there: the index looks names up, so it shares the name's token
    ta = set(event_tokens(a, "r", 0, INDEX, RULES)[0])
    assert not ta & set(event_tokens(b, "r2", 0, INDEX, RULES)[0])
    assert not ta & set(event_tokens(c, "r3", 0, INDEX, RULES)[0])
    assert len(ta & set(event_tokens(d, "r4", 0, INDEX, RULES)[0])) == 1


def test_batch_blocking_joins_an_archive_report_to_an_earlier_day_of_its_place() -> None:
    # a report read with no date (its window: the days up to the day it was read) telling of a strike on
    # a named town that a dated report put weeks before: the archive rule merges them, whatever the gap
    dated = {**PLACES[2], "iso": 760, "event_date": "2024-03-02", "time_precision": 1, "event_type": "Explosions/Remote violence",
             "sub_event_type": SUBS[0], "actor1": ACTORS[0], "actor2": "Civilians (Syria)", "fatalities": 4}
    weak = {**dated, "event_date": None, "date_lo": "2024-04-27", "date_hi": "2024-04-30", "date_basis": "ingested"}
    assert compare(EventKey.from_row(1, dated, [1]), EventKey.from_row(2, weak, [2]), RULES).same
    t1, weak1, firm1 = event_tokens(dated, "a", 0, INDEX, RULES)
    t2, weak2, firm2 = event_tokens(weak, "b", 0, INDEX, RULES)
    assert weak1 is None and firm2 is None and weak2 == firm1
    assert set(t1) & set(t2) == set()  # only the archive key joins them (``run_dedup``)
