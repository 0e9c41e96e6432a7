"""A person's edit is checked before it is pinned: ACLED's types, a sub-type under its type,
coordinates on the earth and inside the event's country, numbers the columns can hold (the same for ``ahdath edit`` and the web)."""
from __future__ import annotations

from typing import Any

import pytest
from factory import article, event

from ahdath.errors import UsageError
from ahdath.store import Store, edit_event, event_detail


def _strike(db_url: str) -> Any:
    with Store.open(db_url, actor="ingest") as store:
        out = store.add_reports([(article("r1", "غارات جوية على معرة النعمان", source="Outlet A",
                                          url="https://a.example/1"), [event(1)])])
        yield store, out[0].event_ids[0]


@pytest.fixture(scope="module")
def strike(module_db_url: str) -> Any:
    """One store per backend for the refused edits: each leaves it as it was (which each checks)."""
    yield from _strike(module_db_url)


@pytest.fixture
def own_strike(db_url: str) -> Any:
    """A store of the test's own, for an edit that is made."""
    yield from _strike(db_url)


@pytest.mark.parametrize(("values", "message"), [
    ({"sub_event_type": "Bombing"}, "not an ACLED sub-event type"),
    ({"event_type": "Violence"}, "not an ACLED event type"),
    ({"event_type": "Battles", "sub_event_type": "Attack"}, "belongs to 'Violence against civilians'"),
    ({"event_type": "Battles"}, "belongs to 'Explosions/Remote violence'"),  # the event's own sub-type
    ({"latitude": 91}, "latitude"),
    ({"longitude": "-180.5"}, "longitude"),
    ({"latitude": "nan"}, "not a finite number"),
    ({"confidence": "inf"}, "not a finite number"),
    ({"fatalities": 2**31}, "out of range"),
    ({"fatalities": -1}, "cannot be negative"),
    ({"latitude": "3.56"}, "is not inside Syria"),  # a digit dropped
    ({"latitude": 35.65, "longitude": -36.67}, "is not inside Syria"),  # a sign typed
    ({"country": "Iraq"}, "is not inside Iraq"),  # the point stays in Idlib
])
def test_workflow_edits_refused(strike: Any, values: dict[str, Any], message: str) -> None:
    store, ev = strike
    before = event_detail(store.engine, ev)
    with pytest.raises(UsageError, match=message) as info:
        edit_event(store, ev, values, actor="layla")
    assert info.value.code == "E500"
    assert event_detail(store.engine, ev) == before  # nothing pinned, nothing logged


@pytest.mark.parametrize(("values", "shown"), [
    ({"sub_event_type": "Armed clash"}, {"event_type": "Battles", "sub_event_type": "Armed clash"}),
    ({"event_type": "Battles", "sub_event_type": "Armed clash"}, {"event_type": "Battles"}),
    ({"event_type": "Explosions/Remote violence"}, {"event_type": "Explosions/Remote violence"}),
    ({"latitude": "35.7", "longitude": "36.65"}, {"latitude": 35.7, "longitude": 36.65}),
    ({"fatalities": 0}, {"fatalities": 0}),
])
def test_workflow_edits_accepted(own_strike: Any, values: dict[str, Any], shown: dict[str, Any]) -> None:
    store, ev = own_strike
    row = edit_event(store, ev, values, actor="layla")
    assert {k: row[k] for k in shown} == shown
