"""The store's write rules, on SQLite and PostgreSQL alike."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from ahdath.errors import EventNotFoundError, UsageError
from ahdath.store import (EventFilter, Store, delete_event, edit_event, event_detail, iter_events,
                          list_tombstones, merge_events, split_event, summary)
from ahdath.store.schema import changes, events, mentions

from factory import article, event


@pytest.fixture
def store(db_url: str):
    with Store.open(db_url, actor="tester") as s:
        yield s


def _events(store: Store) -> list[dict]:
    return list(iter_events(store.engine, EventFilter()))


def test_repository_same_strike_from_two_outlets_is_one_event(store: Store) -> None:
    store.add_reports([(article("a", url="https://a.example/1", source="Outlet A"), [event(1, fatalities=5)])])
    [outcome] = store.add_reports([(article("b", url="https://b.example/2", source="Outlet B"),
                                    [event(2, fatalities=7, event_date="2024-03-13")])])
    assert (outcome.status, outcome.events_new, outcome.events_merged) == ("new", 0, 1)
    [row] = _events(store)
    assert row["event_id"] == "SYR1"
    assert row["n_reports"] == 2
    assert row["source"] == "Outlet A; Outlet B"
    assert row["fatalities"] == 5  # ACLED: the lowest figure
    assert "[fatalities reported: 5, 7; lowest coded]" in row["notes"]
    assert row["merge_reason"]


def test_repository_mention_keeps_the_whole_extracted_record(store: Store) -> None:
    found = event(1)
    store.add_reports([(article("a"), [found])])
    with store.engine.connect() as conn:
        [record] = conn.execute(select(mentions.c.record)).scalars().all()
    assert record == json.loads(json.dumps(found.to_dict()))  # evidence spans included


def test_repository_distinct_towns_same_day_stay_apart(store: Store) -> None:
    store.add_reports([(article("a"), [event(1)]), (article("b"), [event(2, town="saraqib")])])
    assert sorted(r["location"] for r in _events(store)) == ["Maarrat An Nu'man", "Saraqab"]


def test_repository_events_of_one_report_never_merge_with_each_other(store: Store) -> None:
    store.add_reports([(article("a"), [event(1), event(2, sub_event_type="Air/drone strike", fatalities=2)])])
    assert len(_events(store)) == 2


def test_repository_reingest_changes_nothing(store: Store) -> None:
    batch = [(article("a", url="https://a.example/1"), [event(1)]), (article("b"), [event(2, town="tafas")])]
    store.add_reports(batch)
    before = summary(store.engine)
    outcomes = store.add_reports(batch)
    assert [o.status for o in outcomes] == ["unchanged", "unchanged"]
    assert summary(store.engine) == before
    assert store.is_stored(batch[0][0])


def test_repository_changed_report_at_same_url_updates_in_place(store: Store) -> None:
    url = "https://a.example/1"
    store.add_reports([(article("a", "النص الأول", url=url), [event(1, fatalities=3)])])
    [first] = _events(store)
    [outcome] = store.add_reports([(article("a", "النص بعد التحديث", url=url), [event(9, fatalities=4)])])
    assert outcome.status == "changed"
    [after] = _events(store)
    assert after["event_id"] == first["event_id"]  # never renumbered
    assert after["fatalities"] == 4
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(mentions)).scalar_one() == 1


def test_repository_event_dropped_by_changed_report_leaves_tombstone(store: Store) -> None:
    url = "https://a.example/1"
    store.add_reports([(article("a", "قبل", url=url), [event(1), event(2, town="tafas")])])
    store.add_reports([(article("a", "بعد", url=url), [event(1)])])
    assert [r["location"] for r in _events(store)] == ["Maarrat An Nu'man"]
    [stone] = list_tombstones(store.engine)
    assert stone["reason"] == "deleted" and stone["event_id"] == "SYR2"


def test_repository_ids_continue_per_country_prefix(store: Store) -> None:
    store.add_reports([(article("a"), [event(1)]), (article("b"), [event(2, town="tafas")]),
                       (article("c"), [event(3, event_id="IRQ-0000000003", iso=368, country="Iraq")])])
    assert sorted(r["event_id"] for r in _events(store)) == ["IRQ1", "SYR1", "SYR2"]


def test_repository_edit_is_pinned_logged_and_survives_new_reports(store: Store) -> None:
    store.add_reports([(article("a"), [event(1, fatalities=5)])])
    edit_event(store, "SYR1", {"fatalities": "3"}, actor="reviewer", note="hospital list")
    store.add_reports([(article("b"), [event(2, fatalities=9)])])
    [row] = _events(store)
    assert row["fatalities"] == 3 and row["n_reports"] == 2
    detail = event_detail(store.engine, "SYR1")
    edit = next(c for c in detail.changes if c["action"] == "edit")
    assert edit["actor"] == "reviewer" and edit["before"] == {"fatalities": 5} and edit["after"] == {"fatalities": 3}
    edit_event(store, "SYR1", {}, unpin=("fatalities",))
    assert _events(store)[0]["fatalities"] == 5


def test_repository_delete_and_merge_leave_tombstones(store: Store) -> None:
    store.add_reports([(article("a"), [event(1)]), (article("b"), [event(2, town="saraqib")]),
                       (article("c"), [event(3, town="tafas")])])
    merge_events(store, "SYR1", "SYR2", reason="same strike, the outlet misnamed the town", actor="reviewer")
    delete_event(store, "SYR3", reason="not a conflict event", actor="reviewer")
    [row] = _events(store)
    assert row["event_id"] == "SYR1" and row["n_reports"] == 2
    stones = {s["event_id"]: s for s in list_tombstones(store.engine)}
    assert stones["SYR2"]["reason"] == "merged" and stones["SYR2"]["merged_into"] == "SYR1"
    assert stones["SYR3"]["reason"] == "deleted" and stones["SYR3"]["actor"] == "reviewer"
    assert event_detail(store.engine, "SYR2").event is None
    with pytest.raises(EventNotFoundError):
        edit_event(store, "SYR3", {"fatalities": "1"})


def test_repository_split_moves_reports_to_a_new_event(store: Store) -> None:
    store.add_reports([(article("a", source="Outlet A"), [event(1, fatalities=5)])])
    store.add_reports([(article("b", url="https://b.example/1", source="Outlet B"), [event(2, fatalities=9)])])
    store.add_reports([(article("c", source="Outlet C"), [event(3, fatalities=7)])])
    edit_event(store, "SYR1", {"admin2": "Corrected"}, actor="reviewer")
    assert _events(store)[0]["n_reports"] == 3
    new = split_event(store, "SYR1", ["b", "c"], reason="b and c report a second strike", actor="reviewer")
    assert new == "SYR2"
    rows = {r["event_id"]: r for r in _events(store)}
    assert (rows["SYR1"]["n_reports"], rows["SYR1"]["source"], rows["SYR1"]["fatalities"]) == (1, "Outlet A", 5)
    assert rows["SYR1"]["admin2"] == "Corrected"  # the reviewer's pin stays with the event it was set on
    assert (rows["SYR2"]["n_reports"], rows["SYR2"]["source"], rows["SYR2"]["fatalities"]) == \
        (2, "Outlet B; Outlet C", 7)
    assert rows["SYR2"]["admin2"] == "Ma'arrat An Nu'man"
    detail = event_detail(store.engine, "SYR2")
    assert [r.article_id for r in detail.reports] == ["b", "c"] and detail.reports[0].merge_reason is None
    assert [(c["action"], c["actor"]) for c in detail.changes] == [("create", "reviewer")]
    old = event_detail(store.engine, "SYR1").changes[-1]
    assert old["action"] == "split" and "SYR2" in old["detail"] and old["after"]["n_reports"] == 1
    # a changed version of b, at its url, stays with the event it was split into
    changed = article("b", "نص معدل", url="https://b.example/1", source="Outlet B")
    store.add_reports([(changed, [event(2, fatalities=8)])])
    rows = {r["event_id"]: r for r in _events(store)}
    assert sorted(rows) == ["SYR1", "SYR2"] and rows["SYR2"]["n_reports"] == 2 and rows["SYR1"]["n_reports"] == 1


@pytest.mark.parametrize(("reports", "message"), [
    (["zzz"], "has no report 'zzz'"),
    (["a", "b"], "every report of SYR1 would move"),
    ([" "], "name the reports"),
])
def test_repository_split_refuses_what_it_cannot_do(store: Store, reports: list[str], message: str) -> None:
    store.add_reports([(article("a"), [event(1)])])
    store.add_reports([(article("b"), [event(2)])])
    with pytest.raises(UsageError, match=message):
        split_event(store, "SYR1", reports)
    assert [r["n_reports"] for r in _events(store)] == [2]


def test_repository_writer_sees_what_another_process_changed_between_batches(store: Store, db_url: str) -> None:
    store.add_reports([(article("a", source="Outlet A"), [event(1, fatalities=5)])])  # rows now cached here
    with Store.open(db_url, actor="reviewer") as other:  # another process: its own caches
        edit_event(other, "SYR1", {"fatalities": "2", "admin2": "Checked"})
        other.add_reports([(article("b", source="Outlet B"), [event(2, fatalities=4)])])
    store.add_reports([(article("c", source="Outlet C"), [event(3, fatalities=7)])])
    [row] = _events(store)
    assert (row["n_reports"], row["fatalities"], row["admin2"]) == (3, 2, "Checked")  # the pins held
    assert row["source"] == "Outlet A; Outlet B; Outlet C"


def test_repository_every_change_is_logged(store: Store) -> None:
    store.add_reports([(article("a"), [event(1)])])
    store.add_reports([(article("b"), [event(2, fatalities=2)])])
    with store.engine.connect() as conn:
        log = conn.execute(select(changes.c.action, changes.c.actor).order_by(changes.c.id)).all()
    assert [tuple(r) for r in log] == [("create", "tester"), ("merge", "tester")]


def test_repository_filters(store: Store) -> None:
    store.add_reports([(article("a"), [event(1)]), (article("b"), [event(2, town="tafas", event_date="2024-01-02",
                                                                          sub_event_type="Armed clash",
                                                                          event_type="Battles")])])
    def ids(**kw: object) -> list[str]:
        return [r["event_id"] for r in iter_events(store.engine, EventFilter(**kw))]
    assert ids(since="2024-03-01") == ["SYR1"]
    assert ids(until="2024-01-31") == ["SYR2"]
    assert ids(admin1="dar'a") == ["SYR2"]
    assert ids(event_type="battles") == ["SYR2"]
    assert ids(actor="russia") == ["SYR2", "SYR1"]
    assert ids(country="SYR") == ["SYR2", "SYR1"] and ids(country="760") == ["SYR2", "SYR1"]
    assert ids(country="Iraq") == []


def test_repository_show_explains_merge(store: Store) -> None:
    store.add_reports([(article("a", source="Outlet A"), [event(1)])])
    store.add_reports([(article("b", source="Outlet B"), [event(2)])])
    detail = event_detail(store.engine, "SYR1")
    assert [r.article_id for r in detail.reports] == ["a", "b"]
    assert detail.reports[0].merge_reason is None and "Air/drone strike" in (detail.reports[1].merge_reason or "")


def test_repository_iter_events_pages_through_large_results(store: Store) -> None:
    store.add_reports([(article(f"r{i}"), [event(i, event_date=f"2024-0{1 + i % 9}-1{i % 10}", town="tafas",
                                                 sub_event_type="Armed clash" if i % 2 else "Air/drone strike")])
                       for i in range(30)])
    rows = list(iter_events(store.engine, EventFilter(), chunk=7))
    assert len(rows) == len({r["event_id"] for r in rows})
    assert [r["event_date"] for r in rows] == sorted(r["event_date"] for r in rows)
    with store.engine.connect() as conn:
        assert len(rows) == conn.execute(select(func.count()).select_from(events)).scalar_one()


def test_repository_reextract_keeps_ids_and_withdraws_what_is_gone(store: Store) -> None:
    store.add_reports([(article("a"), [event(1, fatalities=3), event(2, town="tafas")]),
                       (article("b"), [event(3, town="saraqib")])])
    before = {r["event_id"]: r for r in _events(store)}
    assert store.reextract(lambda a: [event(1, fatalities=3), event(2, town="tafas")] if a.id == "a"
                           else [event(3, town="saraqib")])
    assert {r["event_id"]: r["location"] for r in _events(store)} == {k: v["location"] for k, v in before.items()}
    assert list_tombstones(store.engine) == []

    # a better engine: report a now gives a higher toll and no longer sees the Tafas event
    outcomes = store.reextract(lambda a: [event(1, fatalities=4)] if a.id == "a" else [event(3, town="saraqib")])
    assert [(o.article_id, o.status, o.events_new, o.events_removed) for o in outcomes] == [
        ("a", "reextracted", 0, 1), ("b", "reextracted", 0, 0)]
    after = {r["event_id"]: r for r in _events(store)}
    assert set(after) == {"SYR1", "SYR3"} and after["SYR1"]["fatalities"] == 4
    assert [s["event_id"] for s in list_tombstones(store.engine)] == ["SYR2"]
