"""One batch of reports in one transaction: load the neighbourhood, decide in memory, write in bulk.

Writers are serialised (see ``Store``), so within a batch the store's state is
what this process read plus what it decided. ``Unit`` therefore reads, in a
few queries, every canonical event a batch's events could merge with (their
date windows, the names of undated ones, the events changed reports fed
before), makes each dedup decision against an in-memory ``DedupIndex`` that
it keeps current as events are created and merged, and writes new events,
updated events, mentions and tombstones with one executemany each. Against a
server, that turns a dozen round trips per report into a handful per batch.

Decisions are the same as one-by-one processing: events are taken in input
order, a merge re-derives the canonical event at once (so the next event sees
its new date and place), and the same-report rule uses the reports this batch
has attached to each event.
"""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from sqlalchemy import delete, insert

from ahdath.model import Article
from ahdath.store.cache import Stamp
from ahdath.store.canonical import Member, derive
from ahdath.store.dedup import DedupIndex, EventKey
from ahdath.store.schema import EVENT_FIELD_NAMES, events, mentions, tombstones

if TYPE_CHECKING:
    from ahdath.store.repository import Store

# a batch reads its days whole when they are few, or when the store's events a day make that at most
# _ROWS_AT_ONCE rows; otherwise each event reads its own neighbourhood
_DAYS_AT_ONCE = 7
# the canonical fields ``EventKey.from_row`` reads
_KEY_FIELDS = ("event_date", "date_lo", "date_hi", "date_basis", "iso", "time_precision", "event_type", "sub_event_type", "actor1", "actor2", "admin1",
               "location", "location_ar", "latitude", "longitude", "geo_precision", "fatalities")
_ROWS_AT_ONCE = 5000


class Unit:
    """The work of one write transaction; ``commit()`` writes it (the caller's transaction commits)."""

    def __init__(self, store: "Store", conn: Any, now: float) -> None:
        self.store, self.conn, self.now = store, conn, now
        self.rules = store.rules
        self.index = DedupIndex(store.rules)
        self.rows: dict[int, dict[str, Any]] = {}  # ref -> canonical row (DB id, or negative while new)
        self.loaded: set[int] = set()  # DB refs whose stored members are in ``db_members``
        self.db_members: dict[int, list[Member]] = {}
        self.stamps: dict[int, tuple[float, int]] = {}  # DB ref -> (updated_at, n_reports) as read
        self.new_members: dict[int, list[tuple[int, Member]]] = defaultdict(list)  # ref -> (report, member)
        self.batch_reports: dict[int, set[int]] = defaultdict(set)  # ref -> reports of this batch behind it
        self.keyed: dict[int, tuple[Any, ...]] = {}  # ref -> its ``_KEY_FIELDS`` when last filed in ``index``
        self.dirty: set[int] = set()
        self.created: list[int] = []
        self.mentions: list[tuple[int, dict[str, Any]]] = []  # (ref, row without event_id)
        self.stones: list[dict[str, Any]] = []
        self._next_temp = -1
        self.kin_events: dict[int, set[int]] = {}  # report -> the events it tells (reports read as kin)
        self._order = 1 << 40  # members added here sort after every stored mention

    # -- reading ------------------------------------------------------------------------------

    def load(self, records: Iterable[Mapping[str, Any]], extra_ids: Iterable[int] = (),
              kin_reports: Iterable[int] = ()) -> None:
        """Read every live canonical event the ``records`` could merge with, plus ``extra_ids`` and the
        events told by ``kin_reports`` (reports sharing wording with the batch's).

        A batch of reports from the same few days (a feed, an archive in order), or any batch while
        the store is small, reads those days whole (a query per run of days). A batch scattered over
        many busy days would read far more than it needs that way, so then each record reads only its
        own neighbourhood, the pre-filter dedup's rules imply (country, dates within ``max_days``,
        compatible sub-event types, nearby / same name / admin1). An undated record stands for the days
        of its window, and undated events are read by their windows.
        """
        sql = self.store.sql
        keys = [EventKey.from_row(0, r) for r in records]
        spans = [(k, _span(k)) for k in keys]
        placed = [(k, span) for k, span in spans if span is not None]
        stamps: dict[int, Stamp] = {}

        def read(statement: Any, params: dict[str, Any]) -> None:
            stamps.update((ref, (updated, n)) for ref, updated, n in self.conn.execute(statement, params))

        if placed:
            isos = {k.iso for k, _span in placed}
            md = self.rules.max_days
            days = _days_between([span for _k, span in placed], md)
            if len(days) <= _DAYS_AT_ONCE or len(days) * self.store.density(self.conn) <= _ROWS_AT_ONCE:
                # one read for every day the batch touches, however scattered (a list of days, so the
                # statement is compiled once, not once per shape of the batch)
                statement = sql.window_or_no_iso if None in isos else sql.window
                read(statement, {"isos": sorted(i for i in isos if i is not None), "days": days})
                first = min(span[0] for _k, span in placed) - timedelta(days=md)
                last = max(span[1] for _k, span in placed) + timedelta(days=md)
                statement = sql.undated_or_no_iso if None in isos else sql.undated
                read(statement, {"isos": sorted(i for i in isos if i is not None), "lo": first.isoformat(),
                                 "hi": last.isoformat()})
            else:
                for key, span in placed:
                    read(*self._near(key, span))
        wanted = set(extra_ids)
        kin = sorted(set(kin_reports))
        for lo in range(0, len(kin), 1000):
            for report_id, event_id in self.conn.execute(sql.events_of_reports, {"r": kin[lo:lo + 1000]}):
                self.kin_events.setdefault(report_id, set()).add(event_id)
                wanted.add(event_id)
        wanted_ids = sorted(wanted - set(self.rows))
        if wanted_ids:
            read(sql.live_by_ids, {"ids": wanted_ids})
        self._take(stamps)

    def _near(self, key: EventKey, span: tuple[Any, Any]) -> tuple[Any, dict[str, Any]]:
        """The statement and parameters for the canonical events ``key`` could be (a superset of what
        ``dedup.compare`` accepts); ``span``: its date, or its window."""
        rules, sql = self.rules, self.store.sql
        params: dict[str, Any] = {
            "iso": key.iso, "lo": (span[0] - timedelta(days=rules.max_days)).isoformat(),
            "hi": (span[1] + timedelta(days=rules.max_days)).isoformat(),
            "subs": sorted(rules.compatible_sub_event_types(key.sub_event_type)),
            "loc": key.location or "", "a1": key.admin1 or ""}
        if key.latitude is not None and key.longitude is not None and (key.geo_precision or 1) < 3:
            # a box a little wider than max_km, so rounding never drops a candidate dedup would accept
            dlat = 1.01 * rules.max_km / 111.19
            dlon = 1.01 * rules.max_km / (111.19 * max(0.05, math.cos(math.radians(key.latitude))))
            params.update(lat0=key.latitude - dlat, lat1=key.latitude + dlat, lon0=key.longitude - dlon,
                          lon1=key.longitude + dlon)
            return (sql.candidates_near if key.iso is not None else sql.candidates_near_no_iso), params
        return (sql.candidates_coarse if key.iso is not None else sql.candidates_coarse_no_iso), params

    def _take(self, stamps: Mapping[int, Stamp]) -> None:
        """Take the live events ``stamps`` names: cached rows whose stamp still holds, the others read."""
        rows: dict[int, dict[str, Any]] = {}
        missing: list[int] = []
        for ref, stamp in stamps.items():
            if ref not in self.rows:
                row = self.store.row_cache.get(ref, stamp)
                if row is None:
                    missing.append(ref)
                else:
                    rows[ref] = row
        for lo in range(0, len(missing), 1000):
            result = self.conn.execute(self.store.sql.events_by_ids, {"ids": missing[lo:lo + 1000]})
            names = tuple(result.keys())  # plain tuples zipped with the names once: cheaper than RowMappings
            rows.update((row["id"], row) for row in (dict(zip(names, values)) for values in result))
        for ref in sorted(rows):  # id order, however the rows were found (see ``_Statements``)
            row = rows[ref]
            self.rows[ref] = row
            self.stamps[ref] = (row["updated_at"], row["n_reports"])
            self._reindex(ref)

    def _reindex(self, ref: int) -> None:
        row = self.rows[ref]
        if row["deleted"]:
            self.index.discard(ref)
            self.keyed.pop(ref, None)
            return
        # most merges leave the fields dedup reads as they were, adding only a report
        fields = tuple(row[k] for k in _KEY_FIELDS)
        if self.keyed.get(ref) == fields and self.index.update_reports(ref, self.batch_reports.get(ref, ())):
            return
        self.keyed[ref] = fields
        self.index.add(EventKey.from_row(ref, row, self.batch_reports.get(ref, ())))

    def members(self, ref: int) -> list[Member]:
        """Stored members (read once) then those this batch added."""
        if ref > 0 and ref not in self.loaded:
            stamp = self.stamps.get(ref)
            cached = self.store.member_cache.get(ref, stamp) if stamp else None
            self.db_members[ref] = cached if cached is not None else self.store.members(self.conn, ref)
            self.loaded.add(ref)
        return self.db_members.get(ref, []) + [m for _r, m in self.new_members.get(ref, ())]

    # -- reports ------------------------------------------------------------------------------

    def forget_report(self, report_id: int) -> dict[int, str | None]:
        """Detach a report (changed or re-extracted) from its events; returns them with its merge reasons."""
        previous = {m.event_id: m.merge_reason
                    for m in self.conn.execute(self.store.sql.mentions_of_report, {"r": report_id})}
        self.conn.execute(delete(mentions).where(mentions.c.report_id == report_id))
        for ref, row in [(ref, row) for ref, row in self.mentions if row["report_id"] == report_id]:
            previous.setdefault(ref, row["merge_reason"])
        self.mentions = [(ref, row) for ref, row in self.mentions if row["report_id"] != report_id]
        self.load((), previous)
        for ref in previous:
            self.loaded.discard(ref)  # its stored members changed
            self.db_members.pop(ref, None)
            self.stamps.pop(ref, None)
            self.new_members[ref] = [(r, m) for r, m in self.new_members.get(ref, ()) if r != report_id]
            self.batch_reports[ref].discard(report_id)
            if ref in self.rows:
                self._reindex(ref)
        return previous

    def link(self, report_id: int, article: Article, found: Sequence[dict[str, Any]],
             previous: Mapping[int, str | None], why_dropped: str,
             kin_reports: Sequence[int] = ()) -> tuple[int, int, int, tuple[str, ...]]:
        """Attach a report's events (their records, ``repository.mention_record``) to canonical events, new or
        matched (see ``Store.add_reports``). The events of ``kin_reports`` (reports sharing its wording,
        read by ``load``) are candidates whatever their dates."""
        new = merged = 0
        ids: list[str] = []
        touched: set[int] = set()
        kin_set = set(kin_reports)
        kin = frozenset(ref for r in kin_reports for ref in self.kin_events.get(r, ()))
        kin |= {ref for ref, row in self.mentions if row["report_id"] in kin_set}
        for record in found:
            key = EventKey.from_row(0, record, [report_id], kin=kin)
            match = None
            if previous:  # the events this report fed before come first, so their ids survive
                match = self.index.match(key, among=previous)
            match = match or self.index.match(key)
            member = Member(record, article.source, article.url, self._next_order())
            mention = {"report_id": report_id, "local_id": record["event_id"], "record": record, "added_at": self.now}
            if match is None:
                ref = self._create(record, member, article)
                mention["merge_reason"] = None
                new += 1
            else:
                ref, reason = match[0].ref, match[1].reason
                again = ref in previous  # the same report's same event, extracted anew
                mention["merge_reason"] = previous[ref] if again else reason
                self.new_members[ref].append((report_id, member))
                if again:
                    self._refresh(ref, "update", f"report {article.id} extracted again")
                else:
                    self._refresh(ref, "merge", f"report {article.id} merged in: {reason}", reason)
                merged += 1
            self.mentions.append((ref, mention))
            self.batch_reports[ref].add(report_id)
            self._reindex(ref)
            touched.add(ref)
            ids.append(self.rows[ref]["event_id"])
        removed = 0
        for ref in previous:
            if ref in touched or ref not in self.rows or self.rows[ref]["deleted"]:
                continue
            if self.members(ref):
                self._refresh(ref, "update", why_dropped)
            else:
                self._tombstone(ref, why_dropped)
                removed += 1
        return new, merged, removed, tuple(ids)

    # -- canonical events ---------------------------------------------------------------------

    def _next_order(self) -> int:
        self._order += 1
        return self._order

    def _create(self, record: Mapping[str, Any], member: Member, article: Article) -> int:
        local = str(record.get("event_id") or "")
        prefix = local.split("-", 1)[0] if "-" in local else ""
        prefix = prefix if prefix.isalpha() and prefix.isupper() and len(prefix) <= 4 else "EVT"
        public = self.store._next_id(self.conn, prefix)
        values = derive([member], is_generic=self.rules.is_generic_actor)
        values.update(_window(values, [member]))
        ref = self._next_temp
        self._next_temp -= 1
        self.rows[ref] = {"id": ref, "event_id": public, **values, "merge_reason": None, "pinned": None,
                          "created_at": self.now, "updated_at": self.now, "deleted": False}
        self.new_members[ref].append((0, member))
        self.created.append(ref)
        self.store.log(self.conn, public, self.now, "create", f"from report {article.id}", None,
                       {k: v for k, v in values.items() if v not in (None, "")})
        return ref

    def _refresh(self, ref: int, action: str, detail: str, reason: str | None = None) -> None:
        row = self.rows[ref]
        members = self.members(ref)
        values = derive(members, is_generic=self.rules.is_generic_actor, pinned=row["pinned"] or None)
        values.update(_window(values, members))
        before = {k: row[k] for k in values if row[k] != values[k]}
        after = {k: values[k] for k in before}
        row.update(values, updated_at=self.now, merge_reason=reason or row["merge_reason"])
        if ref > 0:
            self.dirty.add(ref)
        self.store.log(self.conn, row["event_id"], self.now, action, detail, before or None, after or None)

    def _tombstone(self, ref: int, detail: str) -> None:
        row = self.rows[ref]
        row.update(deleted=True, updated_at=self.now)
        if ref > 0:
            self.dirty.add(ref)
        self.index.discard(ref)
        self.stones.append({"event_id": row["event_id"], "at": self.now, "reason": "deleted", "merged_into": None,
                            "actor": self.store.actor, "detail": detail})
        self.store.log(self.conn, row["event_id"], self.now, "delete", detail, {"deleted": False}, {"deleted": True})

    # -- writing ------------------------------------------------------------------------------

    def commit(self) -> None:
        """Write what this unit decided: new events, changed events, mentions, tombstones."""
        conn = self.conn
        ids: dict[int, int] = {}
        if self.created:
            fields = ("event_id", *EVENT_FIELD_NAMES, "date_lo", "date_hi", "date_basis", "n_reports", "merge_reason", "pinned",
                      "created_at", "updated_at", "deleted")
            ids = dict(zip(self.created, self.store.allocate_ids(conn, "events", len(self.created))))
            self.store.insert_many(conn, events, [{"id": ids[ref], **{k: self.rows[ref][k] for k in fields}}
                                                  for ref in self.created])
        if self.dirty:
            fields = (*EVENT_FIELD_NAMES, "date_lo", "date_hi", "date_basis", "n_reports", "merge_reason", "updated_at", "deleted")
            self.store.update_events(conn, [{"id": ref, **{k: self.rows[ref][k] for k in fields}}
                                            for ref in sorted(self.dirty)])
        if self.mentions:
            self.store.insert_many(conn, mentions,
                                   [{**row, "event_id": ids.get(ref, ref)} for ref, row in self.mentions])
        if self.stones:
            conn.execute(delete(tombstones).where(tombstones.c.event_id.in_([s["event_id"] for s in self.stones])))
            conn.execute(insert(tombstones), self.stones)
        # every event read or written here, and the members of those whose members were read, for
        # the next batches (see ``cache``)
        for ref, row in self.rows.items():
            if not row["deleted"]:
                self.store.row_cache.put(ids.get(ref, ref), row)
        for ref in self.loaded | set(self.created):
            row = self.rows[ref]
            if not row["deleted"]:
                self.store.member_cache.put(ids.get(ref, ref), (row["updated_at"], row["n_reports"]),
                                            self.members(ref))
        self.created, self.dirty, self.mentions, self.stones = [], set(), [], []


def _days_between(spans: Iterable[tuple[date, date]], max_days: int) -> list[str]:
    """Every ISO date within ``max_days`` of one of ``spans`` (a date, or a window), in order."""
    near = {lo + timedelta(days=d) for lo, hi in spans for d in range(-max_days, (hi - lo).days + max_days + 1)}
    return [day.isoformat() for day in sorted(near)]


def _span(key: EventKey) -> tuple[date, date] | None:
    """The days ``key`` may be on: its date, else its window (None: neither)."""
    if key.event_date is not None:
        return key.event_date, key.event_date
    return key.window


def dated(record: dict[str, Any], published: date | None, ingested: float, rules: Any) -> dict[str, Any]:
    """Give an undated event's record the window of its report: the ``rules.undated_window_days`` up to
    its publication day, or up to the (UTC) day it was ingested when the feed gave none."""
    if record.get("event_date") is None:
        day = published or datetime.fromtimestamp(ingested, tz=timezone.utc).date()
        record["date_lo"] = (day - timedelta(days=rules.undated_window_days)).isoformat()
        record["date_hi"] = day.isoformat()
        record["date_basis"] = "published" if published else "ingested"
    return record


def _window(values: Mapping[str, Any], members: Sequence[Member]) -> dict[str, str | None]:
    """A canonical event's window: none when it has a date, else the hull of its members' windows."""
    if values.get("event_date"):
        return {"date_lo": None, "date_hi": None, "date_basis": None}
    los = [m.record.get("date_lo") for m in members if m.record.get("date_lo")]
    his = [m.record.get("date_hi") for m in members if m.record.get("date_hi")]
    # one report with a publication date dates the event better than any number read on some day
    basis = "published" if any(m.record.get("date_basis") == "published" for m in members) else \
        "ingested" if los else None
    return {"date_lo": min(los) if los else None, "date_hi": max(his) if his else None, "date_basis": basis}
