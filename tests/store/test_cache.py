"""Between batches the writer remembers rows and members, each only for the stamp it was stored with."""
from __future__ import annotations

from ahdath.store.cache import MemberCache, RowCache
from ahdath.store.canonical import Member


def test_cache_members_serve_only_the_stamp_they_were_given() -> None:
    cache = MemberCache(size=2)
    members = [Member({"fatalities": 3}, "A", None, 17), Member({"fatalities": 5}, "B", None, 40)]
    cache.put(1, (100.0, 2), members)
    got = cache.get(1, (100.0, 2))
    assert got is not None and [m.record for m in got] == [m.record for m in members]
    assert [m.order for m in got] == [0, 1]  # renumbered in stored order
    assert cache.get(1, (100.5, 2)) is None and cache.get(1, (100.0, 3)) is None  # the event changed since
    cache.put(2, (1.0, 1), members[:1])
    cache.put(3, (1.0, 1), members[:1])
    assert cache.get(1, (100.0, 2)) is None  # the oldest entry made room
    assert cache.get(3, (1.0, 1)) is not None and len(cache) == 2


def test_cache_rows_are_stamped_by_their_own_fields_and_handed_out_as_copies() -> None:
    cache = RowCache(size=2)
    row = {"id": -1, "event_id": "SYR7", "updated_at": 5.0, "n_reports": 2, "fatalities": 4}
    cache.put(7, row)  # a new event's row carries its temporary id until written
    got = cache.get(7, (5.0, 2))
    assert got == {**row, "id": 7}
    got["fatalities"] = 99  # a unit changes its rows in place
    assert cache.get(7, (5.0, 2)) == {**row, "id": 7}
    assert cache.get(7, (6.0, 2)) is None and cache.get(8, (5.0, 2)) is None
    cache.put(7, {**row, "updated_at": 6.0})
    assert cache.get(7, (5.0, 2)) is None and cache.get(7, (6.0, 2)) is not None
