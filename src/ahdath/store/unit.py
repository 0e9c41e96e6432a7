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
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from sqlalchemy import delete, insert

from ahdath.model import Article
from ahdath.store.cache import Stamp
from ahdath.store.canonical import Member, derive
from ahdath.store.dedup import DedupIndex, EventKey, best_match
from ahdath.store.schema import CHECKED, EVENT_FIELD_NAMES, events, mentions, tombstones

if TYPE_CHECKING:
    from ahdath.store.repository import Store

# a batch reads its days whole when they are few, or when the store's events a day make that at most
# _ROWS_AT_ONCE rows; otherwise each event reads its own neighbourhood
_DAYS_AT_ONCE = 7
# the canonical fields ``EventKey.from_row`` reads
_KEY_FIELDS = ("event_date", "date_lo", "date_hi", "date_basis", "iso", "time_precision", "event_type",
               "sub_event_type", "actor1", "actor2", "admin1", "location", "location_ar", "latitude", "longitude",
               "geo_precision", "fatalities", "tags")
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
        self.mentions: list[tuple[int, dict[str, Any], int]] = []  # (ref, row without event_id, member order)
        self.mention_updates: dict[int, tuple[int, dict[str, Any]]] = {}  # stored mention id -> (ref, its new row)
        self.dropped: set[int] = set()  # stored mentions of the reports linked again: rewritten or deleted
        self.relinked: set[int] = set()  # reports whose stored mentions are in ``dropped``
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
        self._archived(placed, read)
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

    def _archived(self, placed: Sequence[tuple[EventKey, tuple[date, date]]],
                  read: Callable[[Any, dict[str, Any]], None]) -> None:
        """Read the candidates of the archive rule (``dedup._archived``), which no day bounds: for the
        undated records of reports read with no feed date, the dated events of their places; for the
        dated records, the undated events of their places read since. Only precise, named places."""
        weak: dict[tuple[Any, str], set[str]] = defaultdict(set)
        firm: dict[tuple[Any, str], set[str]] = defaultdict(set)
        first: date | None = None
        for key, span in placed:
            if key.iso is None or not key.location or key.latitude is None or (key.geo_precision or 1) >= 3:
                continue
            if key.event_date is None and key.window_basis != "published":
                weak[(key.iso, key.sub_event_type)].add(key.location)
            else:
                firm[(key.iso, key.sub_event_type)].add(key.location)
                first = span[0] if first is None else min(first, span[0])
        sql = self.store.sql
        for groups, statement, extra in ((weak, sql.archived_dated, {}),
                                         (firm, sql.archived_undated, {"lo": first.isoformat() if first else ""})):
            if not groups:
                continue
            isos = sorted({iso for iso, _sub in groups})
            subs = sorted({sub for _iso, sub in groups})
            names = sorted(set().union(*groups.values()))
            for lo in range(0, len(names), 1000):
                read(statement, {"isos": isos, "subs": subs, "names": names[lo:lo + 1000], **extra})

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
        for ref in sorted(rows):  # id order, however the rows were found (see ``statements``)
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
            if cached is None:
                # the stored mentions of reports being linked again are not members: those the reports
                # take again come back among the new ones (``forget_report`` has such events read here,
                # never from the cache, whose orders are positions, not mention ids)
                cached = [m for m in self.store.members(self.conn, ref) if m.order not in self.dropped]
            self.db_members[ref] = cached
            self.loaded.add(ref)
        return self.db_members.get(ref, []) + [m for _r, m in self.new_members.get(ref, ())]

    # -- reports ------------------------------------------------------------------------------

    def forget_report(self, report_id: int) -> list[Prior]:
        """Detach a report (changed or re-extracted) from its events; returns its mentions as they were.

        The stored mentions stay in the database until ``commit``: one the report's new events take
        again is rewritten in place, so it keeps its id, and with it its place among its event's reports
        (the first report seen breaks ties in ``canonical.derive``); the others are deleted then."""
        if report_id in self.relinked:  # linked before in this batch (two versions of a url): what that decided
            priors = [Prior(mid, ref, row["local_id"], row["record"], row["merge_reason"], mid)
                      for mid, (ref, row) in self.mention_updates.items() if row["report_id"] == report_id]
            priors += [Prior(None, ref, row["local_id"], row["record"], row["merge_reason"], order)
                       for ref, row, order in self.mentions if row["report_id"] == report_id]
            priors.sort(key=lambda p: p.order)
            for p in priors:
                if p.mention_id is not None:
                    del self.mention_updates[p.mention_id]
            self.mentions = [m for m in self.mentions if m[1]["report_id"] != report_id]
        else:
            self.relinked.add(report_id)
            priors = [Prior(m.id, m.event_id, m.local_id, m.record, m.merge_reason, m.id)
                      for m in self.conn.execute(self.store.sql.mentions_of_report, {"r": report_id})]
            self.dropped.update(p.order for p in priors)
        refs = sorted({p.ref for p in priors})
        self.load((), refs)
        # the events a reviewer deleted (or that lost every report) are read too: a report's event that
        # is one of them stays on its tombstone
        gone = [ref for ref in refs if ref not in self.rows]
        if gone:
            result = self.conn.execute(self.store.sql.events_by_ids, {"ids": gone})
            names = tuple(result.keys())
            for values in result:
                row = dict(zip(names, values))
                self.rows[row["id"]] = row
        for ref in refs:
            self.loaded.discard(ref)  # its stored members changed
            self.db_members.pop(ref, None)
            self.stamps.pop(ref, None)
            self.new_members[ref] = [(r, m) for r, m in self.new_members.get(ref, ()) if r != report_id]
            self.batch_reports[ref].discard(report_id)
            if ref in self.rows:
                self._reindex(ref)
        return priors

    def link(self, report_id: int, article: Article, found: Sequence[dict[str, Any]],
             priors: Sequence[Prior], why_dropped: str, kin_reports: Sequence[int] = ()) -> Linked:
        """Attach a report's events (their records, ``repository.mention_record``) to canonical events, new or
        matched (see ``Store.add_reports``); ``priors``: the report's mentions before (``forget_report``).

        A record is first the report's own event again: the prior mention it is by identity
        (``_identify``), else the best of its prior mentions and the events they point at by the dedup
        rules; only then any live event by the dedup rules, or a new one. An event it is again keeps its id
        and pins, and one a reviewer deleted takes the record on its tombstone and publishes nothing. The
        events of ``kin_reports`` (reports sharing its wording, read by ``load``) are candidates whatever
        their dates."""
        new = merged = deleted = 0
        ids: list[str] = []
        touched: set[int] = set()
        again_refs: dict[int, None] = {}  # insertion-ordered set
        previous: dict[int, str | None] = {}
        for p in priors:
            previous.setdefault(p.ref, p.merge_reason)
        kin_set = set(kin_reports)
        kin = frozenset(ref for r in kin_reports for ref in self.kin_events.get(r, ()))
        kin |= {ref for ref, row, _order in self.mentions if row["report_id"] in kin_set}
        claims = _identify(found, priors)
        claimed = {c.order for c in claims if c is not None}
        free = {p.order: p for p in priors if p.order not in claimed}  # prior mentions no record has taken yet
        for record, claim in zip(found, claims):
            key = EventKey.from_row(0, record, [report_id], kin=kin)
            prior, ref, reason = self._target(key, report_id, claim, free, previous)
            if prior is not None:
                free.pop(prior.order, None)
            order = prior.order if prior is not None else self._next_order()
            member = Member(record, article.source, article.url, order)
            mention = {"report_id": report_id, "local_id": record["event_id"], "record": record, "added_at": self.now}
            if ref is None:
                ref = self._create(record, member, article, report_id)
                mention["merge_reason"] = None
                new += 1
            else:
                again = reason is None  # the same report's same event, extracted anew
                mention["merge_reason"] = (prior.merge_reason if prior is not None else previous[ref]) \
                    if again else reason
                self.new_members[ref].append((report_id, member))
                if self.rows[ref]["deleted"]:
                    deleted += 1  # recorded against its tombstone; the event stays as the reviewer left it
                else:
                    merged += 1
                    if again:
                        # re-derived once the report is whole (below): an event the report tells twice
                        # would otherwise be logged with half its reports
                        again_refs[ref] = None
                    else:
                        self._refresh(ref, "merge", f"report {article.id} merged in: {reason}", reason)
            if prior is not None and prior.mention_id is not None:
                self.mention_updates[prior.mention_id] = (ref, mention)
            else:
                self.mentions.append((ref, mention, order))
            self.batch_reports[ref].add(report_id)
            self._reindex(ref)
            touched.add(ref)
            if not self.rows[ref]["deleted"]:
                ids.append(self.rows[ref]["event_id"])
        for ref in again_refs:
            self._refresh(ref, "update", f"report {article.id} extracted again", quiet=True)
            self._reindex(ref)
        removed = 0
        for ref in previous:
            if ref in touched or ref not in self.rows or self.rows[ref]["deleted"]:
                continue
            if self.members(ref):
                self._refresh(ref, "update", why_dropped)
            else:
                self._tombstone(ref, why_dropped)
                removed += 1
        return Linked(new, merged, removed, deleted, tuple(ids))

    def _target(self, key: EventKey, report_id: int, claim: Prior | None, free: Mapping[int, Prior],
                previous: Mapping[int, str | None]) -> tuple[Prior | None, int | None, str | None]:
        """Where a record goes: ``(prior, event, reason)``, the prior mention it rewrites (if any), the event
        (None: a new one) and the dedup verdict's reason (None when it is the report's own event again)."""
        if claim is not None:
            return claim, claim.ref, None
        if previous:
            prior, ref = self._match_previous(key, report_id, free, previous)
            if ref is not None:
                return prior, ref, None
        found = self.index.match(key)
        return (None, None, None) if found is None else (None, found[0].ref, found[1].reason)

    def _match_previous(self, key: EventKey, report_id: int, free: Mapping[int, Prior],
                        previous: Mapping[int, str | None]) -> tuple[Prior | None, int | None]:
        """The event this report fed before that ``key`` is, by the dedup rules: compared with what the
        report said of it before (its prior mentions not yet taken) and with the event as it stands (live,
        or a tombstone). Returns the prior mention to rewrite (if any) and the event."""
        targets: list[tuple[Prior | None, int]] = []
        keys: list[EventKey] = []
        for p in free.values():
            targets.append((p, p.ref))
            keys.append(EventKey.from_row(len(keys) + 1, p.record))
        # an event still holding a mention of this report not taken yet may take one more of its records
        # (a reviewer's merge can leave a report twice in one event); others only by the report rule
        held = {p.ref for p in free.values()}
        for ref in previous:
            reports = self.batch_reports.get(ref, set())
            targets.append((None, ref))
            keys.append(EventKey.from_row(len(keys) + 1, self.rows[ref],
                                          reports - {report_id} if ref in held else reports))
        best = best_match(key, keys, self.rules)
        if best is None:
            return None, None
        prior, ref = targets[best[0].ref - 1]
        if prior is None:  # the event itself matched: the report's mention of it, if still free, is rewritten
            prior = next((p for p in free.values() if p.ref == ref), None)
        return prior, ref

    # -- canonical events ---------------------------------------------------------------------

    def _next_order(self) -> int:
        self._order += 1
        return self._order

    def _create(self, record: Mapping[str, Any], member: Member, article: Article, report_id: int) -> int:
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
        self.new_members[ref].append((report_id, member))
        self.created.append(ref)
        self.store.log(self.conn, public, self.now, "create", f"from report {article.id}", None,
                       {k: v for k, v in values.items() if v not in (None, "")})
        return ref

    def _refresh(self, ref: int, action: str, detail: str, reason: str | None = None, *, quiet: bool = False) -> None:
        """Re-derive an event from its members; ``quiet``: log it only when a field changed (a report read
        again that says what it said is no change to the event)."""
        row = self.rows[ref]
        members = self.members(ref)
        values = derive(members, is_generic=self.rules.is_generic_actor, pinned=row["pinned"] or None)
        values.update(_window(values, members))
        before = {k: row[k] for k in values if row[k] != values[k]}
        after = {k: values[k] for k in before}
        # the stamp moves even when no field does: the members changed, and caches key on it
        row.update(values, updated_at=self.now, merge_reason=reason or row["merge_reason"])
        if ref > 0:
            self.dirty.add(ref)
        if before or not quiet:
            self.store.log(self.conn, row["event_id"], self.now, action, detail, before or None, after or None)
        shown = sorted(before.keys() - _BOOKKEEPING)
        if shown and row.get("status") in CHECKED:
            # a person checked what the event showed, and the machine has changed it since
            old = row["status"]
            row.update(status="machine_updated", status_note=f"{', '.join(shown)} changed ({detail})"[:500])
            self.store.log(self.conn, row["event_id"], self.now, "status", row["status_note"], {"status": old},
                           {"status": "machine_updated"})

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
            fields = ("event_id", *EVENT_FIELD_NAMES, "date_lo", "date_hi", "date_basis", "n_reports", "merge_reason",
                      "pinned", "created_at", "updated_at", "deleted")
            ids = dict(zip(self.created, self.store.allocate_ids(conn, "events", len(self.created))))
            self.store.insert_many(conn, events, [{"id": ids[ref], **{k: self.rows[ref][k] for k in fields}}
                                                  for ref in self.created])
        if self.dirty:
            fields = (*EVENT_FIELD_NAMES, "date_lo", "date_hi", "date_basis", "n_reports", "merge_reason", "updated_at",
                      "deleted")
            self.store.update_events(conn, [{"id": ref, **{k: self.rows[ref][k] for k in fields}}
                                            for ref in sorted(self.dirty)])
            reopened = sorted(ref for ref in self.dirty if self.rows[ref].get("status") == "machine_updated")
            if reopened:
                self.store.update_rows(conn, events, self.store.sql.update_event, [
                    {"id": ref, "status": "machine_updated", "status_note": self.rows[ref]["status_note"]}
                    for ref in reopened])
        gone = sorted(self.dropped - self.mention_updates.keys())
        for lo in range(0, len(gone), 1000):
            conn.execute(delete(mentions).where(mentions.c.id.in_(gone[lo:lo + 1000])))
        if self.mention_updates:
            self.store.update_rows(conn, mentions, self.store.sql.update_mention, [
                {"id": mid, "event_id": ids.get(ref, ref), "local_id": row["local_id"], "record": row["record"],
                 "merge_reason": row["merge_reason"]}
                for mid, (ref, row) in sorted(self.mention_updates.items())])
        if self.mentions:
            # in member order, so the ids the rows get keep each event's reports in the order ``derive`` saw
            self.store.insert_many(conn, mentions, [{**row, "event_id": ids.get(ref, ref)}
                                                    for ref, row, _o in sorted(self.mentions, key=lambda m: m[2])])
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
                # in mention order (a mention rewritten in place keeps its early place)
                self.store.member_cache.put(ids.get(ref, ref), (row["updated_at"], row["n_reports"]),
                                            sorted(self.members(ref), key=lambda m: m.order))
        self.created, self.dirty, self.mentions, self.stones = [], set(), [], []
        self.mention_updates, self.dropped, self.relinked = {}, set(), set()


# fields that change as outlets accrue (the notes count the sources), not what a person checks: a
# change to them alone leaves a reviewed event reviewed (``_refresh``)
_BOOKKEEPING = frozenset({"source", "source_url", "notes", "n_reports", "confidence", "date_lo", "date_hi",
                          "date_basis"})


@dataclass(frozen=True, slots=True)
class Prior:
    """One of a report's mentions as it stood before the report is linked again."""

    mention_id: int | None  # its stored row; None for a row this batch has not written yet
    ref: int  # the event it points at (live, or a tombstone)
    local_id: str  # the extractor's id for the event within its report
    record: Mapping[str, Any]
    merge_reason: str | None
    order: int  # its place among its event's reports (the stored row's id)


@dataclass(frozen=True, slots=True)
class Linked:
    """What linking one report's events did."""

    new: int
    merged: int  # matched a live event (the report's own again, or another report's)
    removed: int  # events tombstoned since the report no longer tells them
    deleted: int  # matched an event a reviewer deleted: kept on its tombstone
    ids: tuple[str, ...]  # the live events the report now feeds


def _identity(record: Mapping[str, Any], *, dated: bool = True) -> tuple[Any, ...]:
    # what one report cannot tell twice: its extractor merges what shares these (one unit of ACLED's)
    return (record.get("sub_event_type") or None, (record.get("event_date") or None) if dated else "",
            record.get("location") or record.get("location_ar") or None, record.get("actor1") or None)


def _identify(found: Sequence[Mapping[str, Any]], priors: Sequence[Prior]) -> list[Prior | None]:
    """For each record, the prior mention of its report that it is by identity, or None: the same local
    id (an extractor that reads the same words the same way), else the same sub-event type, date, place
    name and actor1, else all of those but the date. Unlike the dedup rules these need no place, so an
    event placed nowhere keeps its id, and none needs its date to stay."""
    claims: list[Prior | None] = [None] * len(found)
    if not priors:
        return claims
    taken: set[int] = set()
    by_local: tuple[Callable[[Prior], Any], Callable[[Mapping[str, Any]], Any]] = (
        lambda p: p.local_id, lambda r: str(r.get("event_id") or ""))
    by_unit: tuple[Callable[[Prior], Any], Callable[[Mapping[str, Any]], Any]] = (
        lambda p: _identity(p.record), _identity)
    # last, the same act at the same place by the same side on another day: an engine that now reads
    # the report's date otherwise (a weekday resolved, a background year no longer taken) tells the same
    # mention, and the reviewer's id and pins belong to it
    by_act: tuple[Callable[[Prior], Any], Callable[[Mapping[str, Any]], Any]] = (
        lambda p: _identity(p.record, dated=False), lambda r: _identity(r, dated=False))
    for of_prior, of_record in (by_local, by_unit, by_act):
        waiting: dict[Any, list[int]] = {}
        for n, p in enumerate(priors):
            if n not in taken:
                waiting.setdefault(of_prior(p), []).append(n)
        for i, record in enumerate(found):
            if claims[i] is None:
                queue = waiting.get(of_record(record))
                if queue:
                    n = queue.pop(0)
                    taken.add(n)
                    claims[i] = priors[n]
    return claims


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
