"""Reading the store: filters, paging, one event in full, tombstones and counts, on SQLite and PostgreSQL."""
from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import update

from ahdath.errors import EventNotFoundError
from ahdath.model import Event
from ahdath.store import (EventFilter, Store, delete_event, event_detail, iter_events, list_tombstones,
                          merge_events, summary, unresolved_places)
from ahdath.store.schema import events

from factory import article, event


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url, actor="tester") as s:
        yield s


@pytest.fixture
def three(store: Store) -> Store:
    """SYR1 (Maarrat, two outlets), SYR2 (Saraqab), SYR3 (Tafas), all on 2024-03-12."""
    store.add_reports([(article("a", source="Outlet A"), [event(1)]),
                       (article("b", source="Outlet B"), [event(2, town="saraqib")]),
                       (article("c", source="Outlet C"), [event(3, town="tafas")])])
    store.add_reports([(article("d", source="Outlet D"), [event(4, fatalities=6)])])
    return store


def _ids(store: Store, **kw: object) -> list[str]:
    return [r["event_id"] for r in iter_events(store.engine, EventFilter(**kw))]  # type: ignore[arg-type]


def test_queries_summary_counts(three: Store) -> None:
    assert summary(three.engine) == {"reports": 4, "events": 3, "mentions": 4, "tombstones": 0}
    delete_event(three, "SYR3", reason="not a conflict event")
    merge_events(three, "SYR1", "SYR2")
    # a withdrawn event leaves the count; its reports and mentions stay on record
    assert summary(three.engine) == {"reports": 4, "events": 1, "mentions": 4, "tombstones": 2}


def test_queries_tombstones_since(three: Store) -> None:
    assert list_tombstones(three.engine) == []
    delete_event(three, "SYR3", reason="not a conflict event", actor="reviewer")
    [stone] = list_tombstones(three.engine)
    assert (stone["event_id"], stone["reason"], stone["merged_into"], stone["actor"], stone["detail"]) == (
        "SYR3", "deleted", None, "reviewer", "not a conflict event")
    merge_events(three, "SYR1", "SYR2")
    stones = list_tombstones(three.engine)
    assert [s["event_id"] for s in stones] == ["SYR3", "SYR2"]  # in the order they happened
    later = stones[1]["at"]
    assert [s["event_id"] for s in list_tombstones(three.engine, since=later)] == ["SYR2"]  # inclusive
    assert list_tombstones(three.engine, since=later + 1) == []
    assert len(list_tombstones(three.engine, since=0)) == 2


def test_queries_event_detail_unknown_id(store: Store) -> None:
    with pytest.raises(EventNotFoundError, match="SYR404") as info:
        event_detail(store.engine, "SYR404")
    assert info.value.code == "E603"


def test_queries_event_detail_live_event(three: Store) -> None:
    detail = event_detail(three.engine, "SYR1")
    assert detail.event is not None and detail.tombstone is None
    assert detail.event["event_id"] == "SYR1" and "id" not in detail.event
    assert detail.event["timestamp"] == int(detail.event["updated_at"])
    assert [(r.article_id, r.source) for r in detail.reports] == [("a", "Outlet A"), ("d", "Outlet D")]
    assert detail.reports[1].record["fatalities"] == 6  # each report's own figures, as it gave them
    assert [c["action"] for c in detail.changes] == ["create", "merge"]
    assert all("id" not in c for c in detail.changes)


def test_queries_event_detail_deleted_event(three: Store) -> None:
    delete_event(three, "SYR3", reason="duplicate of an older report")
    detail = event_detail(three.engine, "SYR3")
    assert detail.event is None
    assert detail.tombstone is not None and detail.tombstone["reason"] == "deleted"
    assert [r.article_id for r in detail.reports] == ["c"]
    assert detail.changes[-1]["action"] == "delete"


_COUNTRIES = {
    "SYR": ["SYR1", "SYR2", "SYR3"], "syr": ["SYR1", "SYR2", "SYR3"], "Syria": ["SYR1", "SYR2", "SYR3"],
    "760": ["SYR1", "SYR2", "SYR3"], "IRQ": ["IRQ1"], "368": ["IRQ1"], "iraq": ["IRQ1"],
    "SY": [], "S": [], "IR": [],  # a prefix of a prefix is not a country
}


def test_queries_country_filter(store: Store) -> None:
    store.add_reports([(article("a"), [event(1), event(2, town="saraqib"), event(3, town="tafas")]),
                       (article("b"), [event(4, event_id="IRQ-0000000004", iso=368, country="Iraq")])])
    assert {c: sorted(_ids(store, country=c)) for c in _COUNTRIES} == _COUNTRIES


def test_queries_actor_filter_matches_text_not_pattern(store: Store) -> None:
    store.add_reports([(article("a"), [event(1, actor1="Military Forces of Russia (2000-)"),
                                       event(2, town="tafas", actor1="Unit_7 100% Militia", actor2=None)])])
    assert _ids(store, actor="RUSSIA") == ["SYR1"]
    assert _ids(store, actor="civilians") == ["SYR1"]  # any role
    assert _ids(store, actor="100%") == ["SYR2"]
    assert _ids(store, actor="unit_7") == ["SYR2"]
    assert _ids(store, actor="_") == ["SYR2"]  # not "any one character"
    assert _ids(store, actor="%") == ["SYR2"]


def test_queries_type_and_change_filters(three: Store) -> None:
    assert _ids(three, event_type="air/drone strike") == ["SYR1", "SYR2", "SYR3"]
    assert _ids(three, event_type="Explosions/Remote violence") == ["SYR1", "SYR2", "SYR3"]
    assert _ids(three, event_type="Armed clash") == []
    with three.engine.begin() as conn:
        conn.execute(update(events).where(events.c.event_id == "SYR2").values(updated_at=4_000_000_000.0))
    assert _ids(three, changed_since=3_999_999_999.0) == ["SYR2"]
    delete_event(three, "SYR2", reason="test")
    assert _ids(three, changed_since=3_999_999_999.0) == []  # withdrawn events are in the tombstones


def test_queries_pages_through_undated_events(store: Store) -> None:
    store.add_reports([(article("a"), [event(i, event_date=None, year=None, time_precision=3, town="tafas",
                                             fatalities=i) for i in range(1, 6)]
                        + [event(9, event_date="2024-01-05")])])
    rows = list(iter_events(store.engine, chunk=2))
    assert [r["event_date"] for r in rows] == [None] * 5 + ["2024-01-05"]  # undated first, then by date
    assert sorted(r["event_id"] for r in rows) == sorted(f"SYR{i}" for i in range(1, 7))
    assert rows == list(iter_events(store.engine))


def test_queries_reads_do_not_wait_for_a_writer(three: Store) -> None:
    found: list[list[str]] = []
    with three.transaction() as conn:
        conn.execute(update(events).where(events.c.event_id == "SYR1").values(notes="changing"))
        reader = threading.Thread(target=lambda: found.append(_ids(three)), daemon=True)
        reader.start()
        reader.join(timeout=10)
        assert not reader.is_alive(), "a reader waited for the write transaction"
    assert found == [["SYR1", "SYR2", "SYR3"]]
    assert summary(three.engine)["events"] == 3


def _unresolved(n: int, name: str, day: str, **fields: object) -> Event:
    return event(n, location=None, location_ar=name, geo_precision=3, tags="unresolved_place", event_date=day,
                 latitude=35.75, longitude=36.65, admin2=None, **fields)


def test_queries_unresolved_places_by_report_records(store: Store) -> None:
    """Counted from each report's record, so a name the canonical event does not show still counts;
    spellings of one name group; a deleted event's reports leave the list."""
    store.add_reports([(article("a", url="https://a.example/1", source="Outlet A"),
                        [_unresolved(1, "تل المشاحير الجنوبي", "2024-04-01")]),
                       (article("b", source="Outlet B"), [_unresolved(2, "التل المشاحير الجنوبي", "2024-04-20")]),
                       (article("c"), [_unresolved(3, "مزرعة الطواحين", "2024-04-20")]),
                       (article("d"), [_unresolved(4, "عين الصفصافة", "2024-05-09")]),
                       (article("e"), [event(5, tags="date_from_context")])])
    assert summary(store.engine)["events"] == 4  # b and c: one day, both at the Idleb point, one event
    found = unresolved_places(store.engine)
    names = [(p.name, p.events, p.reports) for p in found]
    assert names == [("تل المشاحير الجنوبي", 2, 2), ("مزرعة الطواحين", 1, 1), ("عين الصفصافة", 1, 1)]
    first = found[0]
    assert (first.article_id, first.url, first.source, first.admin1) == (
        "a", "https://a.example/1", "Outlet A", "Idleb")
    assert first.evidence == "غارات جوية على معرة النعمان"
    assert [p.name for p in unresolved_places(store.engine, limit=1)] == ["تل المشاحير الجنوبي"]
    delete_event(store, found[2].event_id, reason="not political violence")
    assert [p.name for p in unresolved_places(store.engine)] == ["تل المشاحير الجنوبي", "مزرعة الطواحين"]
