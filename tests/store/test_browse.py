"""Browsing the store (``store.browse``): every filter, paging, sorting, the map and the counts."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from browsing import seed

from ahdath.errors import UsageError
from ahdath.store import Store
from ahdath.store.browse import MAX_LIMIT, Browse, MapPoint, browse_events, map_points, stats


@pytest.fixture(scope="module")
def seeded(module_db_url: str) -> Iterator[tuple[Store, dict[str, str]]]:
    """The seeded store the module's tests read (one per backend: they never change it)."""
    with Store.open(module_db_url, actor="tester") as store:
        yield store, seed(store)


@pytest.fixture
def seeded_to_change(db_url: str) -> Iterator[tuple[Store, dict[str, str]]]:
    """A seeded store of the test's own, for a test that changes it."""
    with Store.open(db_url, actor="tester") as store:
        yield store, seed(store)


def _ids(store: Store, q: Browse) -> list[str]:
    return [r["event_id"] for r in browse_events(store.engine, q).rows]


FILTERS = [
    # (filter, roles expected, in the default order: newest first, undated last)
    (Browse(), ["shelling", "attack", "clash", "strike", "protest"]),
    (Browse(since="2024-03-05", until="2024-03-10"), ["attack", "clash"]),
    (Browse(since="2024-03-11"), ["shelling"]),
    (Browse(event_type="Battles"), ["clash"]),
    (Browse(sub_event_type="Shelling/artillery/missile attack"), ["shelling"]),
    (Browse(actor="russia"), ["shelling", "strike"]),
    (Browse(actor="Unidentified Armed"), ["attack", "clash"]),
    (Browse(country="Syria"), ["shelling", "attack", "clash", "strike", "protest"]),
    (Browse(country="سوريا"), ["shelling", "attack", "clash", "strike", "protest"]),
    (Browse(country="Iraq"), []),
    (Browse(admin1="Idleb"), ["shelling", "attack", "strike"]),
    (Browse(admin1="idleb"), ["shelling", "attack", "strike"]),
    (Browse(admin1="إدلب"), ["shelling", "attack", "strike"]),
    (Browse(admin1="ادلب"), ["shelling", "attack", "strike"]),
    (Browse(admin1="درعا"), ["clash", "protest"]),
    (Browse(admin1="حلب"), []),
    (Browse(bbox=(35.5, 32.0, 36.5, 33.0)), ["clash", "protest"]),
    (Browse(bbox=(36.6, 35.6, 36.7, 35.7)), ["shelling", "strike"]),
    (Browse(status="machine"), ["shelling", "attack", "clash", "strike", "protest"]),
    (Browse(status="reviewed"), []),
    (Browse(conf_min=0.7), ["shelling", "strike", "protest"]),
    (Browse(conf_max=0.6), ["attack", "clash"]),
    (Browse(conf_min=0.5, conf_max=0.7), ["shelling", "attack"]),
    (Browse(tag="unresolved_place"), ["attack"]),
    (Browse(tag="precision3"), ["clash"]),
    (Browse(tag="one_source"), ["attack", "clash", "protest"]),
    (Browse(tag="low_confidence"), ["clash"]),
    (Browse(tag="disagreement"), ["shelling"]),
    (Browse(tag="machine_updated"), []),
    # free text: report texts (Arabic, hamza folded both ways), titles and events' own fields
    (Browse(text="اطفال"), ["strike"]),
    (Browse(text="أطفال"), ["strike"]),
    (Browse(text="مخبز"), ["attack"]),
    (Browse(text="ادلب"), ["attack"]),
    (Browse(text="الإفراج"), ["protest"]),
    (Browse(text="RUSSIA"), ["shelling", "strike"]),
    (Browse(text="clashes near"), ["clash"]),
    (Browse(text="سراقب"), ["attack"]),
    (Browse(text="100%"), []),
    (Browse(text="a_b"), []),
    (Browse(admin1="Idleb", text="قصف", since="2024-03-15"), ["shelling"]),
]


@pytest.mark.parametrize(("q", "expected"), FILTERS, ids=[repr(q) for q, _ in FILTERS])
def test_browse_filters(seeded: tuple[Store, dict[str, str]], q: Browse, expected: list[str]) -> None:
    store, roles = seeded
    page = browse_events(store.engine, q)
    assert [r["event_id"] for r in page.rows] == [roles[x] for x in expected]
    assert page.total == len(expected)
    assert roles["gone"] not in _ids(store, Browse(text="عبوة"))  # a deleted event is never listed


def test_browse_row_fields(seeded: tuple[Store, dict[str, str]]) -> None:
    store, roles = seeded
    rows = {r["event_id"]: r for r in browse_events(store.engine, Browse()).rows}
    strike, clash, shelling = rows[roles["strike"]], rows[roles["clash"]], rows[roles["shelling"]]
    assert strike["status"] == "machine" and strike["n_reports"] == 2 and strike["tags"] == []
    assert strike["source"] == "Outlet A; Outlet B" and strike["admin1"] == "Idleb"
    assert strike["latitude"] == pytest.approx(35.6476) and isinstance(strike["updated_at"], float)
    assert clash["tags"] == ["precision3", "one_source", "low_confidence"]
    assert shelling["tags"] == ["disagreement"] and shelling["fatalities"] == 3
    assert rows[roles["attack"]]["tags"] == ["unresolved_place", "one_source"]
    assert clash["risk"] > rows[roles["attack"]]["risk"] > shelling["risk"] > strike["risk"]


@pytest.mark.parametrize(("sort", "descending", "expected"), [
    ("event_date", True, ["shelling", "attack", "clash", "strike", "protest"]),
    ("event_date", False, ["strike", "clash", "attack", "shelling", "protest"]),
    ("fatalities", True, ["strike", "shelling", "clash", "attack", "protest"]),
    ("fatalities", False, ["protest", "attack", "clash", "shelling", "strike"]),
    ("confidence", True, ["strike", "protest", "shelling", "attack", "clash"]),
    ("confidence", False, ["clash", "attack", "shelling", "protest", "strike"]),
    ("event_id", False, ["strike", "clash", "attack", "shelling", "protest"]),
    ("event_id", True, ["protest", "shelling", "attack", "clash", "strike"]),
    ("risk", True, ["clash", "attack", "shelling", "protest", "strike"]),
    ("risk", False, ["strike", "protest", "shelling", "attack", "clash"]),
])
def test_browse_sorting(seeded: tuple[Store, dict[str, str]], sort: str, descending: bool,
                        expected: list[str]) -> None:
    store, roles = seeded
    assert _ids(store, Browse(sort=sort, descending=descending)) == [roles[x] for x in expected]


def test_browse_sort_by_update_and_event_id_numbers(seeded_to_change: tuple[Store, dict[str, str]]) -> None:
    from ahdath.store import edit_event

    store, roles = seeded_to_change
    edit_event(store, roles["clash"], {"fatalities": 7}, actor="tester")
    assert _ids(store, Browse(sort="updated_at"))[0] == roles["clash"]
    # SYR9 sorts before SYR10 (number order, not text order)
    numbers = [int(i[3:]) for i in _ids(store, Browse(sort="event_id", descending=False))]
    assert numbers == sorted(numbers)


def test_browse_paging(seeded: tuple[Store, dict[str, str]]) -> None:
    store, _roles = seeded
    everything = _ids(store, Browse(limit=MAX_LIMIT))
    pages = [browse_events(store.engine, Browse(offset=o, limit=2)) for o in (0, 2, 4, 6)]
    assert [p.total for p in pages] == [5, 5, 5, 5]
    assert [r["event_id"] for p in pages for r in p.rows] == everything
    assert [len(p.rows) for p in pages] == [2, 2, 1, 0]


@pytest.mark.parametrize(("fields", "message"), [
    ({"since": "2024-13-01"}, "since"),
    ({"until": "yesterday"}, "until"),
    ({"bbox": (37.0, 32.0, 36.0, 33.0)}, "bbox"),
    ({"bbox": (36.0, 32.0, 37.0)}, "bbox"),
    ({"bbox": (36.0, 32.0, 37.0, float("nan"))}, "bbox"),
    ({"bbox": (-200.0, 32.0, 37.0, 33.0)}, "bbox"),
    ({"status": "approved"}, "status"),
    ({"tag": "scary"}, "tag"),
    ({"sort": "id; drop table events"}, "sort"),
    ({"conf_min": 1.5}, "conf_min"),
    ({"conf_max": -0.1}, "conf_max"),
    ({"limit": 0}, "limit"),
    ({"limit": MAX_LIMIT + 1}, "limit"),
    ({"offset": -1}, "offset"),
    ({"text": "x" * 201}, "text"),
    ({"actor": "x" * 300}, "actor"),
])
def test_browse_refuses_bad_filters(fields: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message) as info:
        Browse(**fields)
    assert info.value.code == "E500"


def test_browse_map_points(seeded: tuple[Store, dict[str, str]]) -> None:
    store, roles = seeded
    points = map_points(store.engine, Browse())
    assert all(isinstance(p, MapPoint) for p in points)
    by_id = {p.event_id: p for p in points}
    assert set(by_id) == {roles[x] for x in ("strike", "clash", "attack", "shelling", "protest")}
    clash = by_id[roles["clash"]]
    assert (clash.latitude, clash.longitude, clash.geo_precision) == (pytest.approx(32.7366), pytest.approx(35.9897), 3)
    assert (clash.event_type, clash.sub_event_type, clash.location) == ("Battles", "Armed clash", "Tafas")
    assert (clash.event_date, clash.fatalities) == ("2024-03-05", 2)
    assert [p.event_id for p in map_points(store.engine, Browse(admin1="درعا"))] == [roles["clash"],
                                                                                    roles["protest"]]
    assert len(map_points(store.engine, Browse(), limit=2)) == 2
    # the page size is the table's, not the map's
    assert len(map_points(store.engine, Browse(limit=1))) == 5


def test_browse_stats(seeded: tuple[Store, dict[str, str]]) -> None:
    store, _roles = seeded
    s = stats(store.engine, Browse())
    assert s.total == 5
    assert s.per_day == [("2024-03-01", "Explosions/Remote violence", 1), ("2024-03-05", "Battles", 1),
                         ("2024-03-10", "Violence against civilians", 1),
                         ("2024-03-20", "Explosions/Remote violence", 1)]
    assert s.per_type == {"Battles": 1, "Explosions/Remote violence": 2, "Protests": 1,
                          "Violence against civilians": 1}
    assert s.per_admin1 == {"Dar'a": 2, "Idleb": 3}
    only = stats(store.engine, Browse(admin1="حلب"))
    assert (only.total, only.per_day, only.per_type, only.per_admin1) == (0, [], {}, {})


@pytest.mark.parametrize("field", ["text", "actor", "admin1", "country", "event_type", "sub_event_type"])
@pytest.mark.parametrize("value", ["a\x00b", "a\udc80b"])
def test_browse_refuses_values_that_are_not_text(field: str, value: str) -> None:
    """A NUL (which PostgreSQL cannot take) or a lone surrogate (which no database can) is a bad
    filter, said when the filter is made, not a database error when it runs."""
    with pytest.raises(UsageError, match=f"{field}: not text") as info:
        Browse(**{field: value})
    assert info.value.code == "E500"
