"""Dates the store merges by: an undated report's window, kin reports that share their wording, and a
second outlet of one wire text. Every case on SQLite and PostgreSQL (``db_url``)."""
from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from ahdath.store import Store
from ahdath.store.schema import events, reports

from factory import article, event

UNKNOWN = "Unidentified Armed Group (Syria)"
DAY = 86_400.0
# A wire story of our own, and a copy an outlet edited a little (another opening, a changed word).
WIRE = ("أفاد ناشطون محليون بأن طائرات حربية شنت صباح اليوم سلسلة غارات على الأحياء السكنية في مدينة معرة النعمان "
        "بريف إدلب الجنوبي، ما أسفر عن مقتل خمسة مدنيين بينهم امرأتان وطفل وإصابة أكثر من عشرة آخرين بجروح "
        "متفاوتة، نقل بعضهم إلى مشاف ميدانية في المنطقة. وقال عناصر من الدفاع المدني إن فرقهم عملت لساعات على "
        "انتشال العالقين من تحت أنقاض مبنى من أربعة طوابق دمرته الغارات بالكامل، فيما شهدت المدينة حركة نزوح "
        "نحو القرى المجاورة خوفا من تجدد القصف خلال الليل.")
COPY = ("معرة النعمان - مراسلنا: " + WIRE.replace("سلسلة غارات", "عدة غارات").replace("خوفا من", "خشية"))
OTHER = ("قال مسؤولون في المجلس المحلي لمدينة معرة النعمان إن حملة لترميم المدارس المتضررة ستبدأ الشهر المقبل "
         "بتمويل من منظمات إغاثية، وإن الأعمال تشمل إصلاح النوافذ والأبواب وتأهيل دورات المياه وتجهيز الصفوف "
         "بمقاعد جديدة قبل بداية العام الدراسي، بالتنسيق مع مديرية التربية وفرق هندسية من أبناء المدينة.")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url, actor="test") as s:
        yield s


class _Clock:
    """``time.time`` moved to a chosen instant: the store dates an undated report by its ingest day."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = time.time()
        monkeypatch.setattr(time, "time", lambda: self.now)


def live(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(events).where(events.c.deleted.is_(False))
                                              .order_by(events.c.id)).mappings()]


def undated(n: int, **fields: Any) -> Any:
    return event(n, event_date=None, year=None, **fields)


def test_repository_second_outlet_of_one_wire_text_is_kept(store: Store) -> None:
    a = article("a", WIRE, url="https://outlet-a.example/1", source="Outlet A")
    b = article("b", WIRE, url="https://outlet-b.example/9", source="Outlet B")
    first, second = store.add_reports([(a, [event(1, source="Outlet A")]), (b, [event(2, source="Outlet B")])])
    assert (first.status, second.status) == ("new", "new")
    rows = live(store)
    assert len(rows) == 1 and rows[0]["n_reports"] == 2
    assert "Outlet A" in rows[0]["source"] and "Outlet B" in rows[0]["source"]
    # the same report again from the same outlet is still unchanged
    assert store.add_reports([(b, [event(2, source="Outlet B")])])[0].status == "unchanged"


def test_repository_undated_reports_far_apart_in_ingest_time_never_merge(store: Store,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    clock = _Clock(monkeypatch)
    store.add_reports([(article("a", published=None), [undated(1)])])
    clock.now += 40 * DAY
    store.add_reports([(article("b", published=None), [undated(2)])])
    assert len(live(store)) == 2


def test_repository_undated_reports_read_the_same_day_merge_when_all_else_agrees(store: Store) -> None:
    store.add_reports([(article("a", published=None), [undated(1)]), (article("b", published=None), [undated(2)])])
    rows = live(store)
    assert len(rows) == 1 and rows[0]["n_reports"] == 2
    assert rows[0]["date_basis"] == "ingested" and rows[0]["date_lo"] < rows[0]["date_hi"]


def test_repository_undated_reports_read_the_same_day_stay_apart_on_a_generic_attacker(store: Store) -> None:
    # an archive ingested at once: one ingest day says nothing of when either incident was
    store.add_reports([(article("a", published=None), [undated(1, actor1=UNKNOWN)]),
                       (article("b", published=None), [undated(2, actor1=UNKNOWN)])])
    assert len(live(store)) == 2


def _unlisted(n: int, village: str, *, admin1: str = "Idleb", **fields: Any) -> Any:
    """An undated event at a village the gazetteer does not list: placed at its container's point."""
    return undated(n, location=None, location_ar=village, latitude=35.93, longitude=36.63, geo_precision=3,
                   admin1=admin1, tags="unresolved_place;date_from_context", **fields)


@pytest.mark.parametrize(("second", "merged"), [
    ({"village": "تل زعرور"}, True),  # one village named alike by both
    ({"village": "تل زعرور", "admin1": "Hama"}, False),  # a namesake in another governorate
    ({"village": "كفر زعرور"}, False),  # another village of the same countryside
    ({"village": "تل زعرور", "actor1": UNKNOWN}, False),  # the attacker unknown on one side
])
def test_repository_undated_reports_read_the_same_day_merge_at_one_unlisted_village(
        store: Store, second: dict[str, Any], merged: bool) -> None:
    # a village the gazetteer does not list is still named: as specific as a listed town, though its
    # coordinates are only its countryside's
    store.add_reports([(article("a", published=None), [_unlisted(1, "تل زعرور")]),
                       (article("b", published=None), [_unlisted(2, **second)])])
    assert len(live(store)) == (1 if merged else 2)


def test_repository_undated_reports_read_the_same_day_stay_apart_at_one_region(store: Store) -> None:
    # a countryside named alike is no village: two strikes on one countryside read at once stay apart
    region = {"location": None, "location_ar": "ريف إدلب الجنوبي", "latitude": 35.93, "longitude": 36.63,
              "geo_precision": 3, "admin1": "Idleb"}
    store.add_reports([(article("a", published=None), [undated(1, **region)]),
                       (article("b", published=None), [undated(2, **region)])])
    assert len(live(store)) == 2


@pytest.mark.parametrize("published, merged", [(date(2024, 3, 12), True), (date(2024, 3, 14), True),
                                               (date(2024, 3, 15), True), (date(2024, 3, 20), False),
                                               (date(2024, 3, 10), False)])
def test_repository_undated_event_merges_within_its_publication_window(store: Store, published: date,
                                                                       merged: bool) -> None:
    # the dated report: a strike on 12 March; the undated one: the same strike, attacker not named
    store.add_reports([(article("a", url="https://a.example/1"), [event(1)]),
                       (article("b", published=published, url="https://b.example/2"),
                        [undated(2, actor1=UNKNOWN)])])
    rows = live(store)
    assert len(rows) == (1 if merged else 2)
    if merged:
        assert rows[0]["event_date"] == "2024-03-12" and rows[0]["date_lo"] is None


def test_repository_kin_reports_merge_whatever_their_dates(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = _Clock(monkeypatch)
    store.add_reports([(article("a", WIRE, url="https://a.example/1"), [event(1)])])
    clock.now += 300 * DAY  # the copy reaches the store much later, with no date of its own
    outcome, = store.add_reports([(article("b", COPY, url="https://b.example/2", published=None),
                                   [undated(2, actor1=UNKNOWN)])])
    assert outcome.events_merged == 1
    rows = live(store)
    assert len(rows) == 1 and "share their wording" in rows[0]["merge_reason"]


def test_repository_unrelated_report_of_the_same_town_is_not_kin(store: Store,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    clock = _Clock(monkeypatch)
    store.add_reports([(article("a", WIRE, url="https://a.example/1"), [event(1)])])
    clock.now += 300 * DAY
    store.add_reports([(article("b", OTHER, url="https://b.example/2", published=None),
                        [undated(2, actor1=UNKNOWN)])])
    assert len(live(store)) == 2


def test_repository_kin_in_one_batch_and_after_reextract(store: Store) -> None:
    store.add_reports([(article("a", WIRE, url="https://a.example/1"), [event(1)]),
                       (article("b", COPY, url="https://b.example/2", published=None), [undated(2, actor1=UNKNOWN)])])
    before = live(store)
    assert len(before) == 1

    def extract(a: Any) -> list:
        return [event(1)] if a.id == "a" else [undated(2, actor1=UNKNOWN)]

    store.reextract(extract)
    after = live(store)
    assert [r["event_id"] for r in after] == [r["event_id"] for r in before] and after[0]["n_reports"] == 2
    with store.engine.connect() as conn:
        assert all(r.ingested_at > 0 for r in conn.execute(select(reports.c.ingested_at)))


# -- the archive rule: a report read with no feed date may tell of an earlier dated event ------------

def _archive(n: int, **fields: Any) -> tuple[Any, list[Any]]:
    """An undated report with no publication date (an archive page), telling event ``n``."""
    return article(f"archive{n}", published=None, url=f"https://archive.example/{n}"), [undated(n, **fields)]


def _dated(n: int, day: date, **fields: Any) -> tuple[Any, list[Any]]:
    return (article(f"dated{n}", published=day, url=f"https://dated.example/{n}"),
            [event(n, event_date=day.isoformat(), year=day.year, **fields)])


@pytest.mark.parametrize("archive_first", [False, True])
def test_repository_archive_report_meets_its_one_earlier_dated_event(store: Store, archive_first: bool) -> None:
    items = [_dated(1, date(2024, 3, 12)), _archive(2)]
    for item in (items[::-1] if archive_first else items):
        store.add_reports([item])
    rows = live(store)
    assert len(rows) == 1 and rows[0]["n_reports"] == 2
    assert rows[0]["event_date"] == "2024-03-12"


@pytest.mark.parametrize("change", [{"fatalities": 2}, {"actor2": "Military Forces of Syria (2000-2024)"},
                                    {"actor1": UNKNOWN}, {"sub_event_type": "Shelling/artillery/missile attack",
                                                          "event_type": "Explosions/Remote violence"},
                                    {"town": "saraqib"}])
def test_repository_archive_report_needs_every_other_field_to_agree(store: Store, change: dict[str, Any]) -> None:
    store.add_reports([_dated(1, date(2024, 3, 12))])
    store.add_reports([_archive(2, **change)])
    assert len(live(store)) == 2


def test_repository_archive_report_stays_apart_when_two_earlier_days_fit(store: Store) -> None:
    # the same town struck by the same air force with the same toll on two days: nothing says which one
    store.add_reports([_dated(1, date(2024, 3, 12)), _dated(2, date(2024, 5, 2))])
    store.add_reports([_archive(3)])
    rows = live(store)
    assert len(rows) == 3 and all(r["n_reports"] == 1 for r in rows)


def test_repository_archive_report_never_tells_of_a_later_day(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = _Clock(monkeypatch)
    clock.now = time.mktime((2024, 1, 20, 12, 0, 0, 0, 0, 0))  # read in January, before the March strike
    store.add_reports([_archive(1)])
    clock.now += 90 * DAY
    store.add_reports([_dated(2, date(2024, 3, 12))])
    assert len(live(store)) == 2


def test_repository_archive_reports_read_far_apart_still_never_merge_each_other(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = _Clock(monkeypatch)
    store.add_reports([_archive(1)])
    clock.now += 40 * DAY
    store.add_reports([_archive(2)])
    assert len(live(store)) == 2
