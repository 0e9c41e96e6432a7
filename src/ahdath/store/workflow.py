"""The review workflow: every event has a status, and a queue orders what to look at first.

Statuses (``events.status``):

- ``machine``: as the engine wrote it; nobody has looked.
- ``reviewed``: a person accepted it, or changed it (an edit, a merge or a split marks the events
  it leaves ``reviewed``, see ``review``).
- ``final``: a reviewed event signed off; edits keep it final.
- ``machine_updated``: re-extraction (or a changed or new report) changed a field of a reviewed or
  final event, one a person had not pinned: the person's check no longer covers what is shown
  (``unit.Unit._refresh``).
- ``flagged``: a person marked it for a second look, with a note.

``reject`` withdraws an event (``review.delete_event``: a tombstone, the reason on record). Each
change of status is one entry in the change log with its user. Who may finalize is the caller's
rule (the web app asks for an admin); the store records who did.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from ahdath.errors import UsageError
from ahdath.store.browse import RISK_WEIGHTS, Browse, _disagreeing, _risk, conditions, risk_of, row_tags
from ahdath.store.db import read_connection
from ahdath.store.repository import Store
from ahdath.store.review import _live, delete_event, set_status
from ahdath.store.schema import events

# what the queue shows when its filter names no status: what no person has settled
OPEN_STATUSES: tuple[str, ...] = ("machine", "machine_updated", "flagged")
MAX_QUEUE = 500


@dataclass(frozen=True, slots=True)
class QueueItem:
    event_id: str
    risk: float
    reasons: tuple[str, ...]  # the review tags behind the risk, heaviest first; "flagged" first when flagged


def _change(store: Store, event_id: str, status: str, note: str | None, *, actor: str | None,
            allowed: tuple[str, ...], action: str) -> None:
    with store.transaction() as conn:
        row = _live(conn, event_id)
        if row["status"] not in allowed:
            raise UsageError(f"{event_id} is {row['status']}: it cannot be made {status} "
                             f"(only from {', '.join(allowed)})")
        set_status(store, conn, row, status, note, time.time(), actor=actor, action=action)


def accept(store: Store, event_id: str, *, actor: str | None = None, note: str | None = None) -> None:
    """A person checked the event against its reports: ``reviewed``."""
    _change(store, event_id, "reviewed", note, actor=actor, action="accept",
            allowed=("machine", "machine_updated", "flagged", "reviewed"))


def finalize(store: Store, event_id: str, *, actor: str | None = None, note: str | None = None) -> None:
    """Sign a reviewed event off: ``final``."""
    _change(store, event_id, "final", note, actor=actor, action="finalize", allowed=("reviewed", "final"))


def flag(store: Store, event_id: str, note: str, *, actor: str | None = None) -> None:
    """Mark an event for a second look; the note says why."""
    if not (note or "").strip():
        raise UsageError("say why the event is flagged (a note)")
    _change(store, event_id, "flagged", note.strip(), actor=actor, action="flag",
            allowed=("machine", "machine_updated", "flagged", "reviewed", "final"))


def reject(store: Store, event_id: str, reason: str, *, actor: str | None = None) -> None:
    """Not an event (or not one for the dataset): withdrawn with a tombstone and the reason."""
    delete_event(store, event_id, reason=reason, actor=actor)


def review_queue(engine: Any, q: Browse = Browse(), limit: int = 50) -> list[QueueItem]:
    """The events of ``q`` most in need of a look: by risk, then id (SYR9 before SYR10). Without a
    status in ``q``, only the open ones (``OPEN_STATUSES``)."""
    if not (isinstance(limit, int) and 1 <= limit <= MAX_QUEUE):
        raise UsageError(f"limit: {limit!r} is not between 1 and {MAX_QUEUE}")
    cond = conditions(q)
    if not q.status:
        cond.append(events.c.status.in_(OPEN_STATUSES))
    dis = _disagreeing().subquery()
    risk = _risk(dis.c.event_id.is_not(None))
    stmt = (select(events.c.id, events.c.event_id, events.c.tags, events.c.confidence, events.c.geo_precision,
                   events.c.source, events.c.status, risk.label("risk"))
            .outerjoin(dis, dis.c.event_id == events.c.id).where(*cond)
            .order_by(risk.desc(), func.length(events.c.event_id), events.c.event_id).limit(limit))
    with read_connection(engine) as conn:
        rows = conn.execute(stmt).mappings().all()
        disagree = {r[0] for r in conn.execute(_disagreeing().where(
            events.c.id.in_([r["id"] for r in rows])))} if rows else set()
    out = []
    for r in rows:
        tags = row_tags(r, r["id"] in disagree)
        reasons = sorted((t for t in tags if t in RISK_WEIGHTS), key=lambda t: (-RISK_WEIGHTS[t], t))
        if r["status"] == "flagged":
            reasons.insert(0, "flagged")
        out.append(QueueItem(r["event_id"], round(risk_of(tags, r["confidence"], r["status"]), 6), tuple(reasons)))
    return out
