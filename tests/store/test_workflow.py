"""The review workflow (``store.workflow``): statuses, who changed them, and the review queue."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from browsing import seed
from factory import article, event

from ahdath.errors import EventNotFoundError, UsageError
from ahdath.store import Store, edit_event, event_detail, merge_events, split_event
from ahdath.store.browse import Browse, browse_events
from ahdath.store.workflow import QueueItem, accept, finalize, flag, reject, review_queue


@pytest.fixture
def seeded(db_url: str) -> Iterator[tuple[Store, dict[str, str]]]:
    with Store.open(db_url, actor="ingest") as store:
        yield store, seed(store)


def _event(store: Store, event_id: str) -> dict[str, Any]:
    detail = event_detail(store.engine, event_id)
    assert detail.event is not None
    return detail.event


def _status_log(store: Store, event_id: str) -> list[tuple[str, str, Any, Any]]:
    return [(c["actor"], c["action"], c["before"], c["after"]) for c in event_detail(store.engine, event_id).changes
            if c["action"] in ("accept", "finalize", "flag", "status")]


def test_workflow_accept_then_finalize(seeded: tuple[Store, dict[str, str]]) -> None:
    store, roles = seeded
    strike = roles["strike"]
    stamp = _event(store, strike)["updated_at"]
    accept(store, strike, actor="layla")
    assert _event(store, strike)["status"] == "reviewed"
    assert _event(store, strike)["updated_at"] > stamp  # caches and downstream copies see the change
    accept(store, strike, actor="layla")  # again: nothing new to record
    finalize(store, strike, actor="omar", note="checked twice")
    row = _event(store, strike)
    assert (row["status"], row["status_note"]) == ("final", "checked twice")
    assert _status_log(store, strike) == [("layla", "accept", {"status": "machine"}, {"status": "reviewed"}),
                                          ("omar", "finalize", {"status": "reviewed"}, {"status": "final"})]
    assert [r["event_id"] for r in browse_events(store.engine, Browse(status="final")).rows] == [strike]


@pytest.mark.parametrize(("first", "then", "message"), [
    (None, "finalize", "machine: it cannot be made final"),
    ("final", "accept", "final: it cannot be made reviewed"),
])
def test_workflow_refuses_a_skipped_step(seeded: tuple[Store, dict[str, str]], first: str | None, then: str,
                                         message: str) -> None:
    store, roles = seeded
    clash = roles["clash"]
    if first == "final":
        accept(store, clash, actor="layla")
        finalize(store, clash, actor="layla")
    with pytest.raises(UsageError, match=message) as info:
        (finalize if then == "finalize" else accept)(store, clash, actor="layla")
    assert info.value.code == "E500"


def test_workflow_flag_needs_a_note_and_keeps_it(seeded: tuple[Store, dict[str, str]]) -> None:
    store, roles = seeded
    with pytest.raises(UsageError, match="why"):
        flag(store, roles["attack"], "  ", actor="layla")
    flag(store, roles["attack"], "the bakery is in Saraqib city, not a village", actor="layla")
    row = _event(store, roles["attack"])
    assert (row["status"], row["status_note"]) == ("flagged", "the bakery is in Saraqib city, not a village")
    assert _status_log(store, roles["attack"]) == [("layla", "flag", {"status": "machine"}, {"status": "flagged"})]


def test_workflow_reject_withdraws_with_the_reason(seeded: tuple[Store, dict[str, str]]) -> None:
    store, roles = seeded
    reject(store, roles["protest"], "a commemoration, not a protest", actor="omar")
    detail = event_detail(store.engine, roles["protest"])
    assert detail.event is None and detail.tombstone is not None
    assert (detail.tombstone["actor"], detail.tombstone["detail"]) == ("omar", "a commemoration, not a protest")
    assert roles["protest"] not in [r["event_id"] for r in browse_events(store.engine, Browse()).rows]
    with pytest.raises(UsageError):
        reject(store, roles["clash"], " ", actor="omar")


@pytest.mark.parametrize("action", [accept, finalize, lambda s, e, actor: flag(s, e, "x", actor=actor)])
def test_workflow_unknown_or_deleted_event_named(seeded: tuple[Store, dict[str, str]], action: Any) -> None:
    store, roles = seeded
    for missing in ("SYR999", roles["gone"]):
        with pytest.raises(EventNotFoundError, match=missing) as info:
            action(store, missing, actor="layla")
        assert info.value.code == "E603"


def test_workflow_edits_by_people_mark_reviewed(seeded: tuple[Store, dict[str, str]]) -> None:
    store, roles = seeded
    edit_event(store, roles["clash"], {"fatalities": 3}, actor="layla")
    assert _event(store, roles["clash"])["status"] == "reviewed"
    assert _status_log(store, roles["clash"]) == [("layla", "status", {"status": "machine"}, {"status": "reviewed"})]
    # an edit keeps a final event final
    accept(store, roles["strike"], actor="omar")
    finalize(store, roles["strike"], actor="omar")
    edit_event(store, roles["strike"], {"notes": "Two outlets."}, actor="layla")
    assert _event(store, roles["strike"])["status"] == "final"
    merge_events(store, roles["shelling"], roles["attack"], actor="layla")
    assert _event(store, roles["shelling"])["status"] == "reviewed"
    new = split_event(store, roles["shelling"], ["a3"], actor="layla")
    assert _event(store, roles["shelling"])["status"] == "reviewed"
    assert _event(store, new)["status"] == "reviewed"
    assert all(c["actor"] == "layla" for c in event_detail(store.engine, new).changes)


def _one(store: Store, **fields: Any) -> str:
    out = store.add_reports([(article("r1", "قصف مدفعي على معرة النعمان", source="Outlet A",
                                      url="https://a.example/r1"), [event(1, **fields)])])
    return out[0].event_ids[0]


def _reextract(store: Store, **fields: Any) -> None:
    store.reextract(lambda a: [event(1, **fields)] if a.id == "r1" else [])


def test_workflow_reextract_changing_a_reviewed_event_marks_it_machine_updated(db_url: str) -> None:
    with Store.open(db_url, actor="ingest") as store:
        ev = _one(store, fatalities=5)
        accept(store, ev, actor="layla")
        _reextract(store, fatalities=5)  # the same reading: the person's check still holds
        assert _event(store, ev)["status"] == "reviewed"
        _reextract(store, fatalities=7)
        row = _event(store, ev)
        assert (row["status"], row["fatalities"]) == ("machine_updated", 7)
        assert "fatalities" in row["status_note"]
        assert _status_log(store, ev)[-1] == ("ingest", "status", {"status": "reviewed"},
                                              {"status": "machine_updated"})
        assert [r["event_id"] for r in browse_events(store.engine, Browse(tag="machine_updated")).rows] == [ev]
        assert review_queue(store.engine)[0].reasons[0] == "machine_updated"


def test_workflow_reextract_leaves_machine_and_pinned_events_alone(db_url: str) -> None:
    with Store.open(db_url, actor="ingest") as store:
        ev = _one(store, fatalities=5)
        _reextract(store, fatalities=7)
        assert _event(store, ev)["status"] == "machine"  # nobody had looked: nothing to undo
        edit_event(store, ev, {"fatalities": 6}, actor="layla")
        _reextract(store, fatalities=9)  # a pinned field: the reports do not reach what is shown
        row = _event(store, ev)
        assert (row["status"], row["fatalities"]) == ("reviewed", 6)


def test_workflow_another_outlet_adds_a_source_without_reopening(db_url: str) -> None:
    with Store.open(db_url, actor="ingest") as store:
        ev = _one(store, fatalities=5)
        accept(store, ev, actor="layla")
        store.add_reports([(article("r2", "قصف مدفعي على معرة النعمان وقتلى", source="Outlet B",
                                    url="https://b.example/r2"), [event(2, fatalities=5, source="Outlet B")])])
        row = _event(store, ev)
        assert (row["n_reports"], row["status"]) == (2, "reviewed")
        store.add_reports([(article("r3", "قصف على معرة النعمان يقتل ثلاثة", source="Outlet C",
                                    url="https://c.example/r3"), [event(3, fatalities=3, source="Outlet C")])])
        row = _event(store, ev)
        assert (row["n_reports"], row["fatalities"], row["status"]) == (3, 3, "machine_updated")


def test_workflow_queue_by_risk_with_reasons(seeded: tuple[Store, dict[str, str]]) -> None:
    store, roles = seeded
    queue = review_queue(store.engine)
    assert all(isinstance(item, QueueItem) for item in queue)
    assert [item.event_id for item in queue] == [roles[x] for x in ("clash", "attack", "shelling", "protest",
                                                                    "strike")]
    reasons = {item.event_id: item.reasons for item in queue}
    assert reasons[roles["clash"]] == ("low_confidence", "precision3", "one_source")
    assert reasons[roles["attack"]] == ("unresolved_place", "one_source")
    assert reasons[roles["shelling"]] == ("disagreement",)
    assert reasons[roles["strike"]] == ()
    assert [i.risk for i in queue] == sorted((i.risk for i in queue), reverse=True)
    # settled events leave the queue; a flagged one comes first
    accept(store, roles["clash"], actor="layla")
    flag(store, roles["strike"], "two strikes or one?", actor="layla")
    queue = review_queue(store.engine)
    assert [item.event_id for item in queue][:2] == [roles["strike"], roles["attack"]]
    assert queue[0].reasons == ("flagged",)
    assert roles["clash"] not in [item.event_id for item in queue]
    # the filter narrows it; a status in the filter replaces the open ones
    assert [i.event_id for i in review_queue(store.engine, Browse(admin1="درعا"))] == [roles["protest"]]
    assert [i.event_id for i in review_queue(store.engine, Browse(status="reviewed"))] == [roles["clash"]]
    assert len(review_queue(store.engine, limit=2)) == 2


def test_workflow_queue_ties_by_event_number(db_url: str) -> None:
    with Store.open(db_url, actor="ingest") as store:
        items = [(article(f"r{n}", f"تقرير رقم {n} عن قصف", source="Outlet A", url=f"https://a.example/{n}",
                          published=date(2024, 1, 2 * n)),  # two days apart: never one event
                  [replace(event(n, event_date=f"2024-01-{2 * n:02d}", confidence=0.7))]) for n in range(1, 12)]
        ids = [o.event_ids[0] for o in store.add_reports(items)]
        assert [i.event_id for i in review_queue(store.engine)] == ids  # SYR1 ... SYR9, SYR10, SYR11


@pytest.mark.parametrize("limit", [0, 501])
def test_workflow_queue_limit_bounded(seeded: tuple[Store, dict[str, str]], limit: int) -> None:
    store, _roles = seeded
    with pytest.raises(UsageError, match="limit"):
        review_queue(store.engine, limit=limit)
