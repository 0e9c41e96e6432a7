"""A reviewer's changes: correct a field, delete an event, merge two events.

A corrected field is *pinned*: later reports still add sources to the event,
but never overwrite what a person set. Deleting or merging leaves a tombstone
so downstream copies can drop the row; nothing is renumbered.
"""
from __future__ import annotations

import time
from typing import Any, Mapping

from sqlalchemy import select, update

from ahdath.errors import EventNotFoundError, UsageError
from ahdath.store.repository import Store
from ahdath.store.schema import EVENT_FIELDS, events, mentions

_TYPES = {name: typ.__name__ for name, typ in EVENT_FIELDS}


def _coerce(name: str, raw: Any) -> Any:
    if name not in _TYPES:
        raise UsageError(f"{name}: not an event field (fields: {', '.join(sorted(_TYPES))})")
    if raw is None or raw == "":
        return None
    kind = _TYPES[name]
    try:
        if kind == "Integer":
            return int(raw)
        if kind == "Float":
            return float(raw)
    except (TypeError, ValueError):
        raise UsageError(f"{name}: {raw!r} is not a {'whole number' if kind == 'Integer' else 'number'}") from None
    if name == "event_date":
        from datetime import date

        try:
            return date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise UsageError(f"event_date: {raw!r} is not a date YYYY-MM-DD") from None
    return str(raw)


def _live(conn: Any, event_id: str) -> Any:
    row = conn.execute(select(events).where(events.c.event_id == event_id)).mappings().first()
    if row is None:
        raise EventNotFoundError(f"no event {event_id!r}")
    if row["deleted"]:
        raise EventNotFoundError(f"event {event_id} was deleted or merged; see `ahdath show {event_id}`")
    return row


def edit_event(store: Store, event_id: str, values: Mapping[str, Any], *, unpin: tuple[str, ...] = (),
               actor: str | None = None, note: str | None = None) -> dict[str, Any]:
    """Set (and pin) fields; ``unpin`` returns fields to what the reports say. Returns the new row."""
    typed = {name: _coerce(name, raw) for name, raw in values.items()}
    for name in unpin:
        _coerce(name, None)
    now = time.time()
    with store.transaction() as conn:
        row = _live(conn, event_id)
        pinned = dict(row["pinned"] or {})
        pinned.update(typed)
        for name in unpin:
            pinned.pop(name, None)
        if "event_date" in typed and typed["event_date"]:
            pinned["year"] = int(typed["event_date"][:4])
        conn.execute(update(events).where(events.c.id == row["id"]).values(pinned=pinned or None))
        what = ", ".join([f"{k}={v}" for k, v in typed.items()] + [f"{k} unpinned" for k in unpin])
        store.refresh(conn, row["id"], now, action="edit", detail=what + (f" ({note})" if note else ""),
                      actor=actor)
        return dict(conn.execute(select(events).where(events.c.id == row["id"])).mappings().one())


def delete_event(store: Store, event_id: str, *, reason: str, actor: str | None = None) -> None:
    """Withdraw an event from the dataset (it stays on record, with a tombstone)."""
    if not reason.strip():
        raise UsageError("say why the event is deleted (--reason)")
    with store.transaction() as conn:
        row = _live(conn, event_id)
        store.tombstone(conn, row["id"], time.time(), "deleted", None, reason.strip(), actor)


def merge_events(store: Store, keep_id: str, other_id: str, *, actor: str | None = None,
                 reason: str | None = None) -> dict[str, Any]:
    """Fold ``other_id`` into ``keep_id``: its reports move over, it becomes a tombstone."""
    if keep_id == other_id:
        raise UsageError("an event cannot be merged into itself")
    now = time.time()
    with store.transaction() as conn:
        keep, other = _live(conn, keep_id), _live(conn, other_id)
        conn.execute(update(mentions).where(mentions.c.event_id == other["id"]).values(event_id=keep["id"]))
        why = reason.strip() if reason and reason.strip() else "merged by a reviewer"
        store.refresh(conn, keep["id"], now, action="merge", detail=f"{other_id} merged in: {why}", reason=why,
                      actor=actor)
        store.tombstone(conn, other["id"], now, "merged", keep_id, why, actor)
        return dict(conn.execute(select(events).where(events.c.id == keep["id"])).mappings().one())
