"""Reviewer decisions are durable, whatever happens in between: a state machine ingests reports, changes
them, edits, unsets, merges, splits and deletes events and re-extracts the store, in any order.

Invariants after every step:
- a deleted event never comes back live: while a report that fed it still tells the incident, its
  mention stays on a tombstone (and a deleted id never lives again);
- every live event's id, reports and fields survive ``reextract``: re-extracting an unchanged store
  changes nothing (the dump is equal, clock fields aside);
- pinned values survive everything but an explicit edit or unset (a merge keeps both events' pins,
  the survivor's first), and what derives from a pinned field follows it;
- every mention points at a live event or at a tombstone; a live event's ``n_reports`` counts its mentions.

The reports are Arabic prose written here, one sentence per incident; the extract callable gives back
the events each version of a report was written with (the store is what is tested, not the engine).
CI runs a short derandomized pass on SQLite and a shorter one on PostgreSQL; ``AHDATH_FUZZ_EXAMPLES=N``
makes a long random run (docs/testing.md).
"""
from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from sqlalchemy import select

from ahdath.lexicon.schema import SUB_TO_TYPE
from ahdath.model import Event
from ahdath.store import Store, delete_event, edit_event, merge_events, split_event
from ahdath.store.schema import events, mentions, reports, tombstones

from factory import article
from factory import event as make_event
from storedump import dump

_LONG = os.environ.get("AHDATH_FUZZ_EXAMPLES")


def _settings(ci_examples: int) -> settings:
    return settings(max_examples=int(_LONG) if _LONG else ci_examples, derandomize=not _LONG, database=None,
                    deadline=None, stateful_step_count=25 if _LONG else 12,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


# -- the incidents, and how a report tells them ---------------------------------------------------------

TOWNS = {"maarrat": "مدينة معرة النعمان", "saraqib": "مدينة سراقب", "tafas": "بلدة طفس",
         None: "منطقة لم يسمها المصدر"}
DAYS = (date(2024, 3, 1), date(2024, 3, 5), date(2024, 3, 9))  # apart by more than a shifted day
NOWHERE: dict[str, Any] = dict(location=None, location_ar=None, latitude=None, longitude=None, admin1=None,
                               admin2=None, geo_precision=None)
KINDS = (
    ("شنت طائرات حربية روسية غارات جوية على {town} يوم {day} آذار، ما أدى إلى مقتل {n} مدنيين.",
     dict(sub_event_type="Air/drone strike", event_type="Explosions/Remote violence")),
    ("اندلعت اشتباكات عنيفة بين قوات النظام وهيئة تحرير الشام في {town} يوم {day} آذار، قتل فيها {n} مقاتلين.",
     dict(sub_event_type="Armed clash", event_type="Battles", actor1="Military Forces of Syria (2000-2024)",
          actor2="Hayat Tahrir al-Sham", inter1=1, inter2=2, interaction=12, civilian_targeting=None)),
)
SLOTS = [(town, day, kind) for town in TOWNS for day in range(len(DAYS)) for kind in range(len(KINDS))]


@dataclass(frozen=True)
class Told:
    """One incident as a version of a report tells it."""

    slot: tuple[str | None, int, int]  # (town, day, kind): the incident
    shift: int  # an outlet may date it a day late (only where it names the place: a day is all an
    #             incident placed nowhere is known by)
    toll: int


@dataclass(frozen=True)
class Version:
    article_id: str
    url: str | None
    text: str
    told: tuple[Told, ...]
    found: tuple[Event, ...]


def write(article_id: str, url: str | None, n: int, told: tuple[Told, ...]) -> Version:
    lines, found = [], []
    for t in told:
        town, day, kind = t.slot
        when = DAYS[day] + timedelta(days=t.shift)
        template, fields = KINDS[kind]
        sentence = template.format(town=TOWNS[town], day=when.day, n=t.toll)
        lines.append(sentence)
        local = hashlib.sha1(f"{article_id}|{n}|{sentence}".encode()).hexdigest()[:10]
        found.append(make_event(1, town=town or "maarrat", **({} if town else NOWHERE), **fields,
                           event_id=f"SYR-{local}", article_id=article_id, event_date=when.isoformat(),
                           fatalities=t.toll))
    lines.append(f"(النسخة {n} من تقرير {article_id})")
    return Version(article_id, url, "\n".join(lines), tuple(told), tuple(found))


EDITS: dict[str, Any] = {
    "fatalities": st.integers(0, 40).map(str),
    "admin2": st.sampled_from(["Ariha", "Jisr Ash-Shugur", "Harim"]),
    "event_date": st.sampled_from(["2024-02-27", "2023-12-31", "2024-03-05"]),
    "sub_event_type": st.sampled_from(["Shelling/artillery/missile attack", "Armed clash", "Attack"]),
    "inter2": st.sampled_from(["1", "3", "7"]),
}
_TYPED = {"fatalities": int, "inter2": int}


class DurableStore(RuleBasedStateMachine):
    """Reviewer decisions against a store that keeps changing. ``new_url`` gives each run a fresh database."""

    new_url: Callable[[], str]
    seen: Counter[str]  # what the runs did, so the test can tell it tried every decision

    def __init__(self) -> None:
        super().__init__()
        self.store = Store.open(self.new_url(), actor="machine")
        self.versions: dict[str, Version] = {}
        self.by_text: dict[str, tuple[Event, ...]] = {}
        self.n = 0
        self.pins: dict[str, dict[str, Any]] = {}  # live event id -> what the model says is pinned
        self.deleted: set[str] = set()  # ids a reviewer deleted
        self.deleted_told: set[tuple[str, tuple]] = set()  # (report, incident) that fed a deleted event

    def teardown(self) -> None:
        self.store.close()

    # -- helpers ----------------------------------------------------------------------------------------

    def extract(self, a: Any) -> list[Event]:
        return list(self.by_text[a.text])

    def _new_version(self, article_id: str, url: str | None, told: tuple[Told, ...]) -> Version:
        self.n += 1
        v = write(article_id, url, self.n, told)
        self.by_text[v.text] = v.found
        return v

    def _rows(self) -> dict[str, dict[str, Any]]:
        with self.store.engine.connect() as conn:
            return {r["event_id"]: dict(r) for r in conn.execute(select(events)).mappings()}

    def _live(self) -> list[str]:
        return sorted(k for k, r in self._rows().items() if not r["deleted"])

    def _mentions(self) -> list[tuple[str, str, str, bool]]:
        """(report, local id, event id, deleted) for every mention."""
        with self.store.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(
                select(reports.c.article_id, mentions.c.local_id, events.c.event_id, events.c.deleted)
                .join(reports, reports.c.id == mentions.c.report_id)
                .join(events, events.c.id == mentions.c.event_id).order_by(mentions.c.id))]

    def _incident(self, article_id: str, local_id: str) -> tuple:
        v = self.versions[article_id]
        return next(t.slot for t, e in zip(v.told, v.found) if e.event_id == local_id)

    def _store_reports(self, versions: list[Version]) -> None:
        before = set(self._live())
        outcomes = self.store.add_reports([(article(v.article_id, v.text, url=v.url, source=f"Outlet {v.article_id}"),
                                 list(v.found)) for v in versions])
        for v in versions:
            self.versions[v.article_id] = v
            # a report that no longer tells an incident no longer holds it deleted
            told = {t.slot for t in v.told}
            self.deleted_told -= {(a, s) for a, s in self.deleted_told if a == v.article_id and s not in told}
        # an event every report of it stopped telling is withdrawn, pins and all
        for gone in before - set(self._live()):
            self.pins.pop(gone, None)
        self.seen["a changed report told a deleted incident again"] += any(o.events_deleted for o in outcomes)
        self.seen["a changed report withdrew an event"] += any(o.events_removed for o in outcomes)

    # -- rules ------------------------------------------------------------------------------------------

    @rule(incidents=st.lists(st.tuples(st.sampled_from(SLOTS), st.integers(0, 1), st.integers(1, 9)),
                             min_size=1, max_size=3, unique_by=lambda t: t[0]),
          without_url=st.booleans(), alone=st.booleans())
    def ingest(self, incidents: list, without_url: bool, alone: bool) -> None:
        """One outlet's report, or two outlets' reports of the same incidents (in one batch)."""
        versions = []
        for k in range(1 if alone else 2):
            article_id = f"r{len(self.versions) + k}"
            told = tuple(Told(s, shift * k if s[0] else 0, toll + k) for s, shift, toll in incidents)
            url = None if without_url and k == 0 else f"https://outlet{k}.example/{article_id}"
            versions.append(self._new_version(article_id, url, told))
        self._store_reports(versions)

    @precondition(lambda self: any(v.url for v in self.versions.values()))
    @rule(pick=st.integers(0, 10**6), drop=st.lists(st.booleans(), min_size=3, max_size=3),
          shifts=st.lists(st.integers(-1, 1), min_size=3, max_size=3), toll=st.integers(1, 9),
          added=st.lists(st.sampled_from(SLOTS), max_size=2, unique=True), twice=st.booleans())
    def change(self, pick: int, drop: list[bool], shifts: list[int], toll: int, added: list, twice: bool) -> None:
        """The outlet updates a report at its url: tolls and days corrected, incidents dropped and added."""
        changing = sorted(a for a, v in self.versions.items() if v.url)
        old = self.versions[changing[pick % len(changing)]]
        told = [replace(t, toll=toll + i, shift=max(-1, min(1, t.shift + shifts[i % 3])) if t.slot[0] else 0)
                for i, t in enumerate(old.told) if not drop[i % 3]]
        told += [Told(s, 0, toll) for s in added if s not in {t.slot for t in told}]
        new = self._new_version(old.article_id, old.url, tuple(told))
        self.seen["change"] += 1
        if twice:  # two versions of the url in one batch: the second stands
            first = self._new_version(old.article_id, old.url, tuple(told[:1]))
            self._store_reports([first, new])
        else:
            self._store_reports([new])

    @precondition(lambda self: bool(self.versions))
    @rule(pick=st.integers(0, 10**6))
    def ingest_again(self, pick: int) -> None:
        """A report stored before, read again unchanged: nothing happens."""
        v = self.versions[sorted(self.versions)[pick % len(self.versions)]]
        before = dump(self.store)
        self.store.add_reports([(article(v.article_id, v.text, url=v.url, source=f"Outlet {v.article_id}"),
                                 list(v.found))])
        assert dump(self.store) == before

    @precondition(lambda self: bool(self.versions))
    @rule(pick=st.integers(0, 10**6), data=st.data())
    def edit(self, pick: int, data: st.DataObject) -> None:
        live = self._live()
        if not live:
            return
        target = live[pick % len(live)]
        field = data.draw(st.sampled_from(sorted(EDITS)))
        value = data.draw(EDITS[field])
        edit_event(self.store, target, {field: value}, actor="reviewer")
        self.seen["edit"] += 1
        self.pins.setdefault(target, {})[field] = _TYPED.get(field, str)(value)

    @precondition(lambda self: any(self.pins.values()))
    @rule(pick=st.integers(0, 10**6), which=st.integers(0, 10**6))
    def unset(self, pick: int, which: int) -> None:
        pinned = sorted(k for k, v in self.pins.items() if v)
        target = pinned[pick % len(pinned)]
        field = sorted(self.pins[target])[which % len(self.pins[target])]
        edit_event(self.store, target, {}, unpin=(field,), actor="reviewer")
        self.seen["unset"] += 1
        del self.pins[target][field]

    @precondition(lambda self: bool(self.versions))
    @rule(pick=st.integers(0, 10**6))
    def delete(self, pick: int) -> None:
        live = self._live()
        if not live:
            return
        target = live[pick % len(live)]
        self.deleted_told |= {(a, self._incident(a, local)) for a, local, e, _d in self._mentions() if e == target}
        delete_event(self.store, target, reason="not a conflict event", actor="reviewer")
        self.seen["delete"] += 1
        self.deleted.add(target)
        self.pins.pop(target, None)

    @precondition(lambda self: bool(self.versions))
    @rule(pick=st.integers(0, 10**6), other=st.integers(1, 10**6))
    def merge(self, pick: int, other: int) -> None:
        live = self._live()
        if len(live) < 2:
            return
        keep = live[pick % len(live)]
        away = live[(pick + other % (len(live) - 1) + 1) % len(live)]
        merge_events(self.store, keep, away, reason="the same incident", actor="reviewer")
        self.seen["merge"] += 1
        self.pins[keep] = {**self.pins.pop(away, {}), **self.pins.get(keep, {})}

    @precondition(lambda self: bool(self.versions))
    @rule(pick=st.integers(0, 10**6), moving=st.integers(1, 10**6))
    def split(self, pick: int, moving: int) -> None:
        behind: dict[str, list[str]] = {}
        for a, _local, e, deleted in self._mentions():
            if not deleted and a not in behind.setdefault(e, []):
                behind[e].append(a)
        several = sorted(e for e, names in behind.items() if len(names) > 1)
        if not several:
            return
        target = several[pick % len(several)]
        names = behind[target]
        move = names[: 1 + moving % (len(names) - 1)]
        new = split_event(self.store, target, move, reason="two incidents", actor="reviewer")
        self.seen["split"] += 1
        self.pins[new] = {}

    @precondition(lambda self: bool(self.versions))
    @rule()
    def reextract(self) -> None:
        before = dump(self.store)
        outcomes = self.store.reextract(self.extract, batch_size=3)
        self.seen["reextract"] += 1
        self.seen["reextract read a deleted event"] += any(o.events_deleted for o in outcomes)
        assert all(o.events_new == 0 and o.events_removed == 0 for o in outcomes), outcomes
        assert dump(self.store) == before

    # -- invariants (one reading of the store for all of them) -----------------------------------------

    @invariant()
    def decisions_hold(self) -> None:
        rows = self._rows()
        said = self._mentions()
        with self.store.engine.connect() as conn:
            stones = set(conn.execute(select(tombstones.c.event_id)).scalars())
        live = {k for k, r in rows.items() if not r["deleted"]}

        # a deleted event never comes back live
        assert self.deleted <= set(rows) - live
        where = {(a, self._incident(a, local)): (e, deleted) for a, local, e, deleted in said}
        for told in self.deleted_told:
            assert where[told][1], f"{told} was deleted and now feeds the live event {where[told][0]}"

        # pins hold, and what derives from a pinned field follows it
        assert set(self.pins) <= live
        for event_id in live:
            row, pinned = rows[event_id], self.pins.get(event_id, {})
            assert (row["pinned"] or {}) == pinned, event_id
            assert all(row[field] == value for field, value in pinned.items()), event_id
            if pinned.get("event_date"):
                assert row["year"] == int(pinned["event_date"][:4]), event_id
            if "sub_event_type" in pinned:
                assert row["event_type"] == SUB_TO_TYPE[pinned["sub_event_type"]], event_id

        # every mention points at a live event or a tombstone; live events count their reports
        assert stones == set(rows) - live
        counts: dict[str, int] = {}
        per_report: dict[str, int] = {}
        for a, _local, event_id, _deleted in said:
            counts[event_id] = counts.get(event_id, 0) + 1
            per_report[a] = per_report.get(a, 0) + 1
        for event_id in live:
            assert rows[event_id]["n_reports"] == counts.get(event_id, 0) > 0, event_id
        # each report holds one mention per event its current version tells
        assert per_report == {a: len(v.found) for a, v in self.versions.items() if v.found}


WHAT_RUNS_DO = ("change", "edit", "unset", "delete", "merge", "split", "reextract", "reextract read a deleted event",
                "a changed report told a deleted incident again", "a changed report withdrew an event")


def _run(new_url: Callable[[], str], examples: int) -> Counter[str]:
    seen: Counter[str] = Counter()
    machine = type("DurableStoreRun", (DurableStore,), {"new_url": staticmethod(new_url), "seen": seen})
    run_state_machine_as_test(machine, settings=_settings(examples))
    return seen


def test_durable_property_sqlite(tmp_path: Path) -> None:
    made = iter(range(10**9))
    seen = _run(lambda: f"sqlite:///{tmp_path}/store{next(made)}.sqlite", 25)
    # the runs tried every decision the invariants are about
    assert not [what for what in WHAT_RUNS_DO if not seen[what]], seen


def test_durable_property_postgresql(new_postgres_db: Callable[[], str]) -> None:
    _run(new_postgres_db, 6)
