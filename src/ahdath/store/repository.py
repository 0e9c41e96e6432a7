"""The event store: reports in, canonical events out, every change on record.

Write rules (the same on SQLite and PostgreSQL):

- One transaction per batch of reports. A process killed mid-batch leaves the
  batch rolled back; running the ingest again redoes exactly that batch.
- A report already stored (same content hash) changes nothing. A report at a
  known url with new content replaces the old version: its events are
  re-extracted and matched first against the events the old version fed, so
  their ids survive; an event left with no report is tombstoned.
- Writers are serialised (SQLite ``BEGIN IMMEDIATE``; PostgreSQL a
  transaction-scoped advisory lock), so two ingests at once cannot both create
  the same canonical event or the same id.
- ``event_id`` is the country prefix plus a number from ``id_counters``; it is
  given once and never changes.
"""
from __future__ import annotations

import getpass
import hashlib
import os
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Mapping, Sequence

from sqlalchemy import and_, delete, func, insert, select, update

from ahdath.errors import StoreError
from ahdath.model import Article, Event
from ahdath.store.canonical import Member, derive
from ahdath.store.db import DatabaseURL, make_engine, resolve_url
from ahdath.store.dedup import DedupRules, EventKey, best_match
from ahdath.store.schema import EVENT_FIELD_NAMES, changes, events, id_counters, mentions, reports, tombstones

_PG_LOCK = 0x61686474  # "ahdt": one advisory lock for all store writers


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    """What storing one report did."""

    article_id: str
    status: str  # new | unchanged | changed
    events_new: int = 0
    events_merged: int = 0
    events_removed: int = 0
    event_ids: tuple[str, ...] = ()


def content_hash(article: Article) -> str:
    """What makes two reports "the same report": text, title and publication date."""
    h = hashlib.sha256()
    for part in (article.text, article.title or "", article.published.isoformat() if article.published else ""):
        h.update(part.encode("utf-8"))
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

    @classmethod
    def open(cls, url: str | None = None, *, actor: str | None = None, migrate: bool = True,
             rules: DedupRules | None = None) -> "Store":
        """Connect, and bring the schema up to date unless ``migrate`` is False."""
        from ahdath.store import migrate as migrations

        db = resolve_url(url)
        engine = make_engine(db)
        try:
            if migrate:
                migrations.ensure_current(engine)
        except StoreError:
            engine.dispose()
            raise
        except Exception as exc:  # noqa: BLE001 - unreachable server, bad credentials, locked file
            engine.dispose()
            from ahdath.errors import StoreUnavailableError

            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreUnavailableError(f"{db.display()}: cannot open the database ({first})") from None
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
        tx = conn.begin()
        if self.db.backend == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
        return conn, tx

    def transaction(self) -> "_Tx":
        """A serialised write transaction: ``with store.transaction() as conn: ...``."""
        return _Tx(self)

    # -- reports ------------------------------------------------------------------------------

    def is_stored(self, article: Article) -> bool:
        """True when this exact report is already in the store (a cheap check before extracting)."""
        with self.engine.connect() as conn:
            found = conn.execute(select(reports.c.id).where(reports.c.content_hash == content_hash(article)))
            return found.first() is not None

    def add_reports(self, items: Sequence[tuple[Article, Sequence[Event]]], *,
                    extractor_version: str = "") -> list[ReportOutcome]:
        """Store a batch of reports with their extracted events, in one transaction."""
        now = time.time()
        with self.transaction() as conn:
            return [self._add_report(conn, article, found, now, extractor_version) for article, found in items]

    def _add_report(self, conn: Any, article: Article, found: Sequence[Event], now: float,
                    version: str) -> ReportOutcome:
        digest = content_hash(article)
        if conn.execute(select(reports.c.id).where(reports.c.content_hash == digest)).first():
            return ReportOutcome(article.id, "unchanged")
        row = {"article_id": article.id, "url": article.url, "content_hash": digest, "source": article.source,
               "title": article.title, "published": article.published.isoformat() if article.published else None,
               "text": article.text, "extracted_at": now, "extractor_version": version, "n_events": len(found)}
        old = conn.execute(select(reports.c.id).where(reports.c.url == article.url)).first() \
            if article.url else None
        previous: list[int] = []
        if old is not None:
            report_id = old.id
            previous = [r.event_id for r in conn.execute(
                select(mentions.c.event_id).where(mentions.c.report_id == report_id).distinct())]
            conn.execute(delete(mentions).where(mentions.c.report_id == report_id))
            conn.execute(update(reports).where(reports.c.id == report_id).values(**row))
        else:
            report_id = conn.execute(insert(reports).values(**row).returning(reports.c.id)).scalar_one()
        new = merged = 0
        ids: list[str] = []
        touched: set[int] = set()
        for event in found:
            record = event.to_dict()
            canonical_id, reason = self._match(conn, record, report_id, previous)
            if canonical_id is None:
                canonical_id, public = self._create(conn, record, now)
                new += 1
            else:
                public = conn.execute(select(events.c.event_id).where(events.c.id == canonical_id)).scalar_one()
                merged += 1
            conn.execute(insert(mentions).values(report_id=report_id, event_id=canonical_id,
                                                 local_id=event.event_id, record=record, merge_reason=reason,
                                                 added_at=now))
            if reason is None:
                self.refresh(conn, canonical_id, now, action="create", detail=f"from report {article.id}")
            else:
                self.refresh(conn, canonical_id, now, action="merge",
                              detail=f"report {article.id} merged in: {reason}", reason=reason)
            touched.add(canonical_id)
            ids.append(public)
        removed = 0
        for canonical_id in previous:
            if canonical_id in touched:
                continue
            left = conn.execute(select(func.count()).select_from(mentions)
                                .where(mentions.c.event_id == canonical_id)).scalar_one()
            if left:
                self.refresh(conn, canonical_id, now, action="update",
                              detail=f"report {article.id} changed and no longer reports this event")
            else:
                self.tombstone(conn, canonical_id, now, "deleted", None,
                                f"report {article.id} changed and no longer reports this event")
                removed += 1
        return ReportOutcome(article.id, "changed" if old is not None else "new", new, merged, removed, tuple(ids))

    # -- deduplication ------------------------------------------------------------------------

    def _match(self, conn: Any, record: Mapping[str, Any], report_id: int,
               previous: Sequence[int]) -> tuple[int | None, str | None]:
        """The canonical event this record describes, with the reason; (None, None) for a new one."""
        key = EventKey.from_row(0, record, [report_id])
        if key.event_date is None:
            return None, None
        lo = (key.event_date - timedelta(days=self.rules.max_days)).isoformat()
        hi = (key.event_date + timedelta(days=self.rules.max_days)).isoformat()
        cond = [events.c.deleted.is_(False), events.c.event_date >= lo, events.c.event_date <= hi]
        cond.append(events.c.iso == key.iso if key.iso is not None else events.c.iso.is_(None))
        rows = conn.execute(select(events).where(and_(*cond))).mappings().all()
        if previous:  # a changed report's events may also still sit outside the window
            missing = set(previous) - {r["id"] for r in rows}
            if missing:
                rows = list(rows) + list(conn.execute(select(events).where(
                    and_(events.c.id.in_(missing), events.c.deleted.is_(False)))).mappings())
        if not rows:
            return None, None
        refs: dict[int, set[int]] = {r["id"]: set() for r in rows}
        for m in conn.execute(select(mentions.c.event_id, mentions.c.report_id)
                              .where(mentions.c.event_id.in_(list(refs)))):
            refs[m.event_id].add(m.report_id)
        candidates = [EventKey.from_row(r["id"], r, refs[r["id"]]) for r in rows]
        # the events this report fed before it changed come first, so their ids survive re-extraction
        if previous:
            prior = best_match(key, [c for c in candidates if c.ref in set(previous)], self.rules)
            if prior is not None:
                return prior[0].ref, prior[1].reason
        found = best_match(key, candidates, self.rules)
        if found is None:
            return None, None
        return found[0].ref, found[1].reason

    # -- canonical events ---------------------------------------------------------------------

    def _next_id(self, conn: Any, prefix: str) -> str:
        value = conn.execute(update(id_counters).where(id_counters.c.prefix == prefix)
                             .values(next_value=id_counters.c.next_value + 1)
                             .returning(id_counters.c.next_value)).scalar()
        if value is None:
            value = 1
            conn.execute(insert(id_counters).values(prefix=prefix, next_value=value))
        return f"{prefix}{value}"

    def _create(self, conn: Any, record: Mapping[str, Any], now: float) -> tuple[int, str]:
        local = str(record.get("event_id") or "")
        prefix = local.split("-", 1)[0] if "-" in local else ""
        prefix = prefix if prefix.isalpha() and prefix.isupper() and len(prefix) <= 4 else "EVT"
        public = self._next_id(conn, prefix)
        values = {k: record.get(k) for k in EVENT_FIELD_NAMES}
        new_id = conn.execute(insert(events).values(event_id=public, n_reports=0, pinned=None, created_at=now,
                                                    updated_at=now, deleted=False, **values)
                              .returning(events.c.id)).scalar_one()
        return new_id, public

    def members(self, conn: Any, canonical_id: int) -> list[Member]:
        rows = conn.execute(select(mentions.c.record, mentions.c.id, reports.c.source, reports.c.url)
                            .join(reports, reports.c.id == mentions.c.report_id)
                            .where(mentions.c.event_id == canonical_id).order_by(mentions.c.id))
        return [Member(r.record, r.source, r.url, r.id) for r in rows]

    def refresh(self, conn: Any, canonical_id: int, now: float, *, action: str, detail: str,
                 reason: str | None = None, actor: str | None = None) -> None:
        """Re-derive a canonical event from its reports (pinned fields kept) and log what changed."""
        current = conn.execute(select(events).where(events.c.id == canonical_id)).mappings().one()
        values = derive(self.members(conn, canonical_id), is_generic=self.rules.is_generic_actor,
                        pinned=current["pinned"] or None)
        before = {k: current[k] for k in values if current[k] != values[k]}
        after = {k: values[k] for k in before}
        conn.execute(update(events).where(events.c.id == canonical_id)
                     .values(updated_at=now, merge_reason=reason or current["merge_reason"], **values))
        if action == "create":
            before, after = {}, {k: v for k, v in values.items() if v not in (None, "")}
        self.log(conn, current["event_id"], now, action, detail, before or None, after or None, actor)

    def log(self, conn: Any, public: str, now: float, action: str, detail: str,
             before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, actor: str | None = None) -> None:
        conn.execute(insert(changes).values(event_id=public, at=now, actor=actor or self.actor, action=action,
                                            detail=detail, before=dict(before) if before else None,
                                            after=dict(after) if after else None))

    def tombstone(self, conn: Any, canonical_id: int, now: float, reason: str, merged_into: str | None,
                   detail: str, actor: str | None = None) -> None:
        public = conn.execute(select(events.c.event_id).where(events.c.id == canonical_id)).scalar_one()
        conn.execute(update(events).where(events.c.id == canonical_id).values(deleted=True, updated_at=now))
        conn.execute(delete(tombstones).where(tombstones.c.event_id == public))
        conn.execute(insert(tombstones).values(event_id=public, at=now, reason=reason, merged_into=merged_into,
                                               actor=actor or self.actor, detail=detail))
        self.log(conn, public, now, "merge-away" if reason == "merged" else "delete", detail,
                  {"deleted": False}, {"deleted": True, **({"merged_into": merged_into} if merged_into else {})},
                  actor)


class _Tx:
    """Context manager for a serialised write transaction; rolls back on any error."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn: Any = None
        self.tx: Any = None

    def __enter__(self) -> Any:
        self.conn, self.tx = self.store._begin()
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                self.tx.commit()
            else:
                self.tx.rollback()
        finally:
            self.conn.close()
