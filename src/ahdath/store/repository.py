"""The event store: reports in, canonical events out, every change on record.

Write rules (the same on SQLite and PostgreSQL):

- One transaction per batch of reports. A process killed mid-batch leaves the
  batch rolled back; running the ingest again redoes exactly that batch.
- A report already stored (same content hash) changes nothing. A report at a
  known url with new content replaces the old version, and ``reextract`` reads
  every report again: the report's events are matched first against its own
  mentions (the extractor's local id, else sub-event type, date, place and
  actor1), then by the dedup rules against the events it fed before, so their
  ids and pins survive; an event left with no report is tombstoned. A report's
  event matched to an event a reviewer deleted stays on its tombstone.
- Writers are serialised (SQLite ``BEGIN IMMEDIATE``; PostgreSQL a
  transaction-scoped advisory lock), so two ingests at once cannot both create
  the same canonical event or the same id. A writer waits for the lock at most
  the lock timeout, then fails with E605 naming the holder (``locks``).
- ``event_id`` is the country prefix plus a number from ``id_counters``; it is
  given once and never changes.
"""
from __future__ import annotations

import getpass
import hashlib
import os
import time
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Mapping, Sequence

from sqlalchemy import JSON, delete, func, insert, select, update

from ahdath.errors import StoreError
from ahdath.model import Article, Event
from ahdath.store import locks
from ahdath.store.browse import report_search_text
from ahdath.store.cache import MemberCache, RowCache
from ahdath.store.canonical import Member, derive
from ahdath.store.db import (DatabaseURL, is_database_error, json_dumps, read_connection, resolve_url,
                             write_error)
from ahdath.store.dedup import DedupRules
from ahdath.store.opening import Access
from ahdath.store.schema import (
    changes,
    events,
    id_counters,
    report_sketches,
    reports,
    tombstones,
)
from ahdath.store.statements import Statements
from ahdath.store.kin import find_kin, forget_sketches, sketch, sketch_rows
from ahdath.store.unit import Linked, Prior, Unit, dated

_PG_LOCK = 0x61686474  # "ahdt": one advisory lock for all store writers


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    """What storing one report did."""

    article_id: str
    status: str  # new | unchanged | changed | reextracted
    events_new: int = 0
    events_merged: int = 0
    events_removed: int = 0
    event_ids: tuple[str, ...] = ()
    events_deleted: int = 0  # events of the report a reviewer deleted: kept on their tombstones, not published


def _outcome(article_id: str, status: str, linked: Linked) -> ReportOutcome:
    return ReportOutcome(article_id, status, linked.new, linked.merged, linked.removed, linked.ids, linked.deleted)


def content_hash(article: Article) -> str:
    """What makes two reports "the same report": text, title and publication date, as published by
    one outlet at one address. The same wire text from a second outlet is a report of its own, so
    that its outlet and url reach the events (their events merge: the reports are kin)."""
    return report_hash(article.reference, article.title, article.published.isoformat() if article.published else None,
                       article.url, article.source)


def report_hash(text: str, title: str | None, published: str | None, url: str | None, source: str | None) -> str:
    h = hashlib.sha256()
    for part in (text, title or "", published or "", url or "", source or ""):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def default_actor() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        user = "unknown"
    return f"{user} (ahdath pid {os.getpid()})"


class Store:
    """An open event store. Use as a context manager or call ``close()``."""

    def __init__(self, engine: Any, db: DatabaseURL, *, actor: str | None = None,
                 rules: DedupRules | None = None) -> None:
        self.engine = engine
        self.db = db
        self.actor = actor or default_actor()
        self.rules = rules or DedupRules.from_data()
        self.member_cache = MemberCache()
        self.row_cache = RowCache()
        self._density: tuple[float, float] | None = None  # (events a day, when measured)
        self.sql = Statements(engine.dialect.name)

    @classmethod
    def open(cls, url: str | None = None, *, actor: str | None = None, migrate: bool = True,
             rules: DedupRules | None = None, access: Access = "create", adopt: bool = False,
             lock_timeout: float | None = None, application: str = "ahdath") -> "Store":
        """Connect as ``access`` allows (``ahdath.store.opening``): ``read`` neither creates, migrates
        nor writes, and needs the newest schema; ``write`` needs a store and migrates it unless
        ``migrate`` is False; ``create`` also makes one in a missing file or an empty database.
        ``adopt`` lets a writer add ahdath's tables to a database that holds another program's.
        ``lock_timeout``: seconds a write waits for another writer (default ``$AHDATH_LOCK_TIMEOUT``,
        else 60); ``application``: how the connections name themselves to PostgreSQL."""
        from ahdath.store import migrate as migrations
        from ahdath.store.opening import named, open_engine, unavailable

        db = resolve_url(url)
        try:
            engine, contents = open_engine(db, access, adopt=adopt, application=application,
                                           lock_timeout=locks.resolve_timeout(lock_timeout))
        except StoreError as err:
            raise named(err, db)
        try:
            if access == "read":
                migrations.check_readable(contents.revision)
            elif migrate:
                migrations.ensure_current(engine)
        except StoreError as err:
            engine.dispose()
            raise named(err, db)
        except Exception as exc:  # noqa: BLE001 - unreachable server, bad credentials, locked file
            engine.dispose()
            raise unavailable(db, exc) from None
        return cls(engine, db, actor=actor, rules=rules)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------------

    def _begin(self) -> Any:
        conn = self.engine.connect()
        try:
            tx = conn.begin()  # SQLite: BEGIN IMMEDIATE, which waits for the lock (``db.make_engine``)
            if self.db.backend == "postgresql":
                # bounds the wait for the lock below and for any lock the transaction meets later
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = {locks.milliseconds(locks.timeout_of(conn))}")
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
        except BaseException as exc:
            seconds = locks.timeout_of(conn)
            # rolled back, so it holds nothing while the holder is looked up (see ``_Tx.__exit__``)
            _close(conn, drop=not isinstance(exc, Exception))
            if locks.is_lock_timeout(exc):
                raise locks.timeout_error(self.db, self.engine, seconds, _PG_LOCK) from None
            raise
        return conn, tx

    def transaction(self) -> "_Tx":
        """A serialised write transaction: ``with store.transaction() as conn: ...``."""
        return _Tx(self)

    # -- reports ------------------------------------------------------------------------------

    def is_stored(self, article: Article) -> bool:
        """True when this exact report is already in the store (a cheap check before extracting)."""
        return bool(self.stored(article))

    def stored(self, *articles: Article) -> set[str]:
        """Content hashes of those ``articles`` already in the store (one query)."""
        try:
            with read_connection(self.engine) as conn:
                return {r.content_hash for r in conn.execute(
                    self.sql.reports_by_hash, {"h": [content_hash(a) for a in articles]})}
        except Exception as exc:
            if is_database_error(exc):
                raise write_error(self.db, exc) from exc
            raise

    def add_reports(self, items: Sequence[tuple[Article, Sequence[Event]]], *,
                    extractor_version: str = "") -> list[ReportOutcome]:
        """Store a batch of reports with their extracted events, in one transaction."""
        now = time.time()
        digests = [content_hash(a) for a, _found in items]
        with self.transaction() as conn:
            # what the store already holds, read once under the write lock: by hash, and by url
            known: dict[str, int] = {}
            by_url: dict[str, int] = {}
            urls = [a.url for a, _found in items if a.url]
            for r in conn.execute(self.sql.reports_known, {"h": digests, "u": urls}):
                known[r.content_hash] = r.id
                if r.url:
                    by_url[r.url] = r.id
            # new reports go in with one statement; a repeat within the batch is unchanged, and a
            # second version of a url within the batch replaces the first, in order
            status: list[str] = []
            fresh: list[dict[str, Any]] = []
            seen: set[str] = set(known)
            claimed: set[str] = set(by_url)
            for (article, found), digest in zip(items, digests):
                if digest in seen:
                    status.append("unchanged")
                    continue
                seen.add(digest)
                if article.url and article.url in claimed:
                    status.append("changed")
                    continue
                status.append("new")
                if article.url:
                    claimed.add(article.url)
                fresh.append(_report_row(article, found, digest, now, extractor_version))
            if fresh:
                for row, new_id in zip(fresh, self.allocate_ids(conn, "reports", len(fresh))):
                    row["id"] = new_id
                    known[row["content_hash"]] = new_id
                    if row["url"]:
                        by_url[row["url"]] = new_id
                self.insert_many(conn, reports, fresh)
            unit = Unit(self, conn, now)
            rids = [None if st == "unchanged" else by_url[a.url] if st == "changed" else known[digest]  # type: ignore[index]
                    for (a, _found), digest, st in zip(items, digests, status)]
            sketches = {rid: sketch(a.reference) for (a, _found), rid in zip(items, rids) if rid is not None}
            kin = find_kin(conn, sketches, self.rules.kin_containment)
            forget_sketches(conn, [rid for rid, st in zip(rids, status) if st == "changed"])
            self.insert_many(conn, report_sketches, sketch_rows(sketches))
            # each event's record is built once: the candidate read, the match and the mention all use it
            records = [[dated(mention_record(e), a.published, now, self.rules) for e in found]
                       if st != "unchanged" else [] for (a, found), st in zip(items, status)]
            unit.load((r for rs in records for r in rs), kin_reports=[k for ks in kin.values() for k in ks])
            outcomes = []
            for (article, found), digest, st, recs, report_id in zip(items, digests, status, records, rids):
                if report_id is None:
                    outcomes.append(ReportOutcome(article.id, "unchanged"))
                    continue
                previous: list[Prior] = []
                if st == "changed":
                    conn.execute(update(reports).where(reports.c.id == report_id).values(
                        **_report_row(article, found, digest, now, extractor_version)))
                    previous = unit.forget_report(report_id)
                why = f"report {article.id} changed and no longer reports this event"
                outcomes.append(_outcome(article.id, st, unit.link(report_id, article, recs, previous, why,
                                                                   kin[report_id])))
            unit.commit()
            return outcomes

    def reextract(self, extract: Callable[[Article], Sequence[Event]], *, version: str = "", batch_size: int = 50,
                  on_report: Callable[[ReportOutcome], None] | None = None,
                  only: Sequence[int] | None = None) -> list[ReportOutcome]:
        """Extract every stored report again (after a lexicon or engine change) and update its events.

        Each report's new events are matched first against the events it fed before, so ids survive;
        events no report supports any more are tombstoned. Extraction runs outside the transactions.
        ``only``: the reports (their row ids) to read again, where a change concerns a few (a place
        added to the gazetteer).
        """
        with read_connection(self.engine) as conn:
            report_ids = [r.id for r in conn.execute(select(reports.c.id).order_by(reports.c.id))]
        if only is not None:
            wanted = set(only)
            report_ids = [r for r in report_ids if r in wanted]
        outcomes: list[ReportOutcome] = []
        for lo in range(0, len(report_ids), batch_size):
            with read_connection(self.engine) as conn:
                rows = conn.execute(select(reports).where(reports.c.id.in_(report_ids[lo:lo + batch_size]))
                                    .order_by(reports.c.id)).mappings().all()
            work = []
            for r in rows:
                published = date.fromisoformat(r["published"]) if r["published"] else None
                article = Article(r["article_id"], r["text"], published, r["url"], r["title"], r["source"])
                # an undated event keeps the window of the day its report reached the store
                work.append((r["id"], article, [dated(mention_record(e), published, r["ingested_at"], self.rules)
                                                for e in extract(article)]))
            now = time.time()
            with self.transaction() as conn:
                unit = Unit(self, conn, now)
                kin = find_kin(conn, {i: sketch(a.reference) for i, a, _found in work}, self.rules.kin_containment)
                unit.load((record for _i, _a, found in work for record in found),
                          kin_reports=[k for ks in kin.values() for k in ks])
                for report_id, article, found in work:
                    previous = unit.forget_report(report_id)
                    why = f"report {article.id} re-extracted and no longer reports this event"
                    outcome = _outcome(article.id, "reextracted",
                                       unit.link(report_id, article, found, previous, why, kin[report_id]))
                    conn.execute(update(reports).where(reports.c.id == report_id).values(
                        extracted_at=now, extractor_version=version, n_events=len(found)))
                    outcomes.append(outcome)
                    if on_report:
                        on_report(outcome)
                unit.commit()
        return outcomes

    # -- canonical events ---------------------------------------------------------------------

    def _next_id(self, conn: Any, prefix: str) -> str:
        """The next public id. The counters are read once per transaction (all of them: a handful of
        country prefixes) and written back on commit (writers are serialised)."""
        counters = conn.info.get("ahdath_counters")
        if counters is None:
            counters = conn.info["ahdath_counters"] = _Counters(
                {p: v for p, v in conn.execute(select(id_counters.c.prefix, id_counters.c.next_value))})
        return f"{prefix}{counters.next(prefix)}"

    def insert_many(self, conn: Any, table: Any, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert ``rows`` (all with the same keys) in bulk: PostgreSQL's COPY, else an executemany.

        COPY sends the rows as one stream, where an INSERT per batch of rows costs a round trip and a
        statement for the server to parse; on a busy ingest that is the larger part of the writing."""
        if not rows:
            return
        if self.db.backend != "postgresql":
            conn.execute(insert(table), list(rows))
            return
        columns = list(rows[0])
        as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(
                f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:  # names from our schema
            for row in rows:
                copy.write_row([json_dumps(row[c]) if c in as_json and row[c] is not None
                                else row[c] for c in columns])

    def update_events(self, conn: Any, rows: Sequence[Mapping[str, Any]]) -> None:
        """Update canonical events in bulk (see ``update_rows``)."""
        self.update_rows(conn, events, self.sql.update_event, rows)

    def update_rows(self, conn: Any, table: Any, statement: Any, rows: Sequence[Mapping[str, Any]]) -> None:
        """Update rows of ``table`` in bulk: each row holds ``id`` and the columns to set (the same
        keys in every row); ``statement`` is the table's ``UPDATE ... WHERE id = :b_id``. PostgreSQL
        gets every row in one JSON parameter and applies them with one ``UPDATE ... FROM
        json_to_recordset``, where an executemany would have the server plan and run one UPDATE per
        row (and a temporary table would not survive a transaction-mode pooler); elsewhere an
        executemany."""
        if not rows:
            return
        columns = [c for c in rows[0] if c != "id"]
        if self.db.backend != "postgresql":
            conn.execute(statement, [{"b_id": row["id"], **{c: row[c] for c in columns}} for row in rows])
            return
        types = {c.name: c.type.compile(dialect=conn.dialect) for c in table.columns}
        spec = ", ".join(f"{c} {types[c]}" for c in ("id", *columns))  # names and types from our schema
        sets = ", ".join(f"{c} = u.{c}" for c in columns)
        conn.exec_driver_sql(f"UPDATE {table.name} SET {sets} FROM json_to_recordset(%(rows)s::json) AS u({spec}) "
                             f"WHERE {table.name}.id = u.id", {"rows": json_dumps(rows)})

    def allocate_ids(self, conn: Any, table: str, n: int) -> list[int]:
        """``n`` new primary keys for ``table``, so rows can be inserted with one executemany and no
        RETURNING (which makes the driver insert row by row). Writers are serialised, so on SQLite
        the next ids after the largest are ours; PostgreSQL hands them out from the table's sequence."""
        if n <= 0:
            return []
        if self.db.backend == "postgresql":
            return [r[0] for r in conn.exec_driver_sql(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, {int(n)})")]
        top = conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar_one()
        return list(range(top + 1, top + 1 + n))

    def density(self, conn: Any) -> float:
        """About how many live events the store holds per day of its date range (re-measured every
        ten minutes): how much a read of whole days would return."""
        if self._density is None or time.monotonic() - self._density[1] > 600:
            row = conn.execute(select(func.count(), func.min(events.c.event_date), func.max(events.c.event_date))
                               .where(events.c.deleted.is_(False), events.c.event_date.is_not(None))).one()
            n, lo, hi = row
            days = (date.fromisoformat(hi) - date.fromisoformat(lo)).days + 1 if n else 1
            self._density = (n / max(1, days), time.monotonic())
        return self._density[0]

    def members(self, conn: Any, canonical_id: int) -> list[Member]:
        """The reports behind an event, as stored, in the order they were added."""
        return [Member(r.record, r.source, r.url, r.id) for r in conn.execute(self.sql.members, {"i": canonical_id})]

    def refresh(self, conn: Any, canonical_id: int, now: float, *, action: str, detail: str,
                reason: str | None = None, actor: str | None = None, current: Any = None) -> None:
        """Re-derive a canonical event from its reports (pinned fields kept) and log what changed.

        ``current``: the event's row when the caller has just read it in this transaction."""
        if current is None:
            current = conn.execute(self.sql.event_by_id, {"i": canonical_id}).mappings().one()
        values = derive(self.members(conn, canonical_id), is_generic=self.rules.is_generic_actor,
                        pinned=current["pinned"] or None)
        before = {k: current[k] for k in values if current[k] != values[k]}
        after = {k: values[k] for k in before}
        conn.execute(self.sql.update_event, {"b_id": canonical_id, "updated_at": now,
                                             "merge_reason": reason or current["merge_reason"], **values})
        self.log(conn, current["event_id"], now, action, detail, before or None, after or None, actor)

    def log(self, conn: Any, public: str, now: float, action: str, detail: str,
            before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, actor: str | None = None) -> None:
        # written in one go before commit (``flush``), in the order they happened
        _pending(conn, "changes").append({"event_id": public, "at": now, "actor": actor or self.actor,
                                          "action": action, "detail": detail,
                                          "before": dict(before) if before else None,
                                          "after": dict(after) if after else None})

    def flush(self, conn: Any) -> None:
        """Write the change-log rows held back for one executemany."""
        rows = conn.info.pop("ahdath_changes", None)
        if rows:
            self.insert_many(conn, changes, rows)

    def tombstone(self, conn: Any, canonical_id: int, now: float, reason: str, merged_into: str | None,
                  detail: str, actor: str | None = None) -> None:
        public = conn.execute(self.sql.public_id, {"i": canonical_id}).scalar_one()
        conn.execute(update(events).where(events.c.id == canonical_id).values(deleted=True, updated_at=now))
        conn.execute(delete(tombstones).where(tombstones.c.event_id == public))
        conn.execute(insert(tombstones).values(event_id=public, at=now, reason=reason, merged_into=merged_into,
                                               actor=actor or self.actor, detail=detail))
        self.log(conn, public, now, "merge-away" if reason == "merged" else "delete", detail,
                 {"deleted": False}, {"deleted": True, **({"merged_into": merged_into} if merged_into else {})},
                 actor)


def mention_record(event: Event) -> dict[str, Any]:
    """``event.to_dict()``, except that the evidence stays an ``Evidence`` object: nothing in the
    store reads it before it is written, and the store's JSON encoder (orjson) writes the dataclass
    as the object ``Evidence.to_dict`` gives, in a fraction of the time the conversion takes."""
    record = {name: getattr(event, name) for name in _EVENT_KEYS}
    record["evidence"] = event.evidence
    return record


_EVENT_KEYS = tuple(Event.__dataclass_fields__)


def _report_row(article: Article, found: Sequence[Event], digest: str, now: float, version: str) -> dict[str, Any]:
    return {"article_id": article.id, "url": article.url, "content_hash": digest, "source": article.source,
            "title": article.title, "published": article.published.isoformat() if article.published else None,
            # the report as given (what the evidence offsets index); ``reextract`` cleans it again
            "text": article.reference, "extracted_at": now, "extractor_version": version, "n_events": len(found),
            "ingested_at": now, "search": report_search_text(article.title, article.reference)}


def _pending(conn: Any, name: str) -> list[Any]:
    """Rows held back on this connection until ``Store.flush`` (kept in ``conn.info``, per transaction)."""
    pending: list[Any] = conn.info.setdefault(f"ahdath_{name}", [])
    return pending


class _Counters:
    """The id counters of one write transaction: as read, and as handed out since."""

    def __init__(self, stored: dict[str, int]) -> None:
        self.stored = stored
        self.values = dict(stored)

    def next(self, prefix: str) -> int:
        self.values[prefix] = self.values.get(prefix, 0) + 1
        return self.values[prefix]

    def write(self, conn: Any, set_counter: Any) -> None:
        changed = [{"p": p, "next_value": v} for p, v in self.values.items()
                   if p in self.stored and v != self.stored[p]]
        if changed:
            conn.execute(set_counter, changed)
        new = [{"prefix": p, "next_value": v} for p, v in self.values.items() if p not in self.stored]
        if new:
            conn.execute(insert(id_counters), new)


class _Tx:
    """Context manager for a serialised write transaction; rolls back on any error."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn: Any = None
        self.tx: Any = None

    def __enter__(self) -> Any:
        try:
            self.conn, self.tx = self.store._begin()
        except Exception as exc:
            if is_database_error(exc):
                raise write_error(self.store.db, exc) from exc
            raise
        return self.conn

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        # a database that fails (read-only, full, corrupt, its server gone) fails the whole
        # transaction: nothing of the batch stays, and the error names the database in one line
        failed: BaseException | None = exc if exc is not None and is_database_error(exc) else None
        # an interrupt (Ctrl-C, SIGTERM: not an ``Exception``) can stop the driver mid-statement,
        # where the connection cannot be talked to any more: it is dropped instead, and the database
        # rolls back the transaction of a connection that ends
        interrupted = exc is not None and not isinstance(exc, Exception)
        try:
            if exc is None:
                try:
                    self.store.flush(self.conn)
                    counters = self.conn.info.pop("ahdath_counters", None)
                    if counters is not None:
                        counters.write(self.conn, self.store.sql.set_counter)
                    self.tx.commit()
                except Exception as err:
                    if not is_database_error(err):
                        raise
                    failed = err
                    self._rollback()
                except BaseException:
                    interrupted = True
                    raise
            elif not interrupted:
                if not self.conn.invalidated:  # else its info went with its DBAPI connection
                    for name in ("changes", "counters"):
                        self.conn.info.pop(f"ahdath_{name}", None)
                self._rollback()
        finally:
            seconds = locks.timeout_of(self.conn)
            _close(self.conn, drop=interrupted)
        if failed is not None and locks.is_lock_timeout(failed):  # a lock met mid-transaction
            raise locks.timeout_error(self.store.db, self.store.engine, seconds, _PG_LOCK) from None
        if failed is not None:
            raise write_error(self.store.db, failed) from failed

    def _rollback(self) -> None:
        try:
            self.tx.rollback()
        except Exception as err:  # noqa: BLE001 - the server gone: the server rolls it back itself
            if not is_database_error(err):
                raise


def _close(conn: Any, *, drop: bool = False) -> None:
    """Close a connection (rolling back what it holds), unless it is already lost; ``drop``: end it
    without a word to the database (see ``_Tx.__exit__``)."""
    try:
        if drop:
            conn.invalidate()
        conn.close()
    except Exception as err:  # noqa: BLE001 - a connection already lost cannot be closed cleanly
        if not is_database_error(err):
            raise
