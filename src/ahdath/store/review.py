"""A reviewer's changes: correct a field, delete an event, merge two events, split one.

A corrected field is *pinned*: later reports still add sources to the event,
but never overwrite what a person set; what ACLED derives from a pinned field
(the year from the date, the event and disorder types from the sub-event type,
the interaction from the inter codes) follows it, and unpinning the field gives
all of it back to the reports. Deleting or merging leaves a tombstone so
downstream copies can drop the row; nothing is renumbered. Merging keeps the
pins of both events (the survivor's win). A deleted event stays deleted: a
re-extracted or changed report behind it is recorded against its tombstone.
Splitting moves some reports to a new event (a new id); the old event keeps its
id, its pins and the other reports. A report re-extracted later stays with the
event it was split (or merged) into, since re-extraction matches a report's own
mentions first (``unit.Unit.link``).

An edit is checked before it is pinned: ACLED's event and sub-event types, the
sub-event type under the event type, coordinates and confidence in range,
numbers the columns hold, a point inside the event's country. An edit, a merge or a split is a person's check of the events it leaves: they
become ``reviewed`` (a ``final`` event stays final; see ``workflow``). The two
events of a split are remembered as a dismissed pair (``suggest``).
"""
from __future__ import annotations

import math
import time
from typing import Any, Mapping, Sequence

from sqlalchemy import insert, select, update

from ahdath.errors import EventNotFoundError, UsageError
from ahdath.store.repository import Store
from ahdath.store.canonical import derive
from ahdath.store.schema import EVENT_FIELDS, dismissed_pairs, events, mentions, reports

_TYPES = {name: typ.__name__ for name, typ in EVENT_FIELDS}


def _coerce(name: str, raw: Any) -> Any:
    if name not in _TYPES:
        raise UsageError(f"{name}: not an event field (fields: {', '.join(sorted(_TYPES))})")
    if raw is None or raw == "":
        return None
    kind = _TYPES[name]
    try:
        if kind == "Integer":
            return _in_range(name, int(raw))
        if kind == "Float":
            return _on_earth(name, float(raw))
    except (TypeError, ValueError, OverflowError):
        raise UsageError(f"{name}: {raw!r} is not a {'whole number' if kind == 'Integer' else 'number'}") from None
    if name == "event_date":
        from datetime import date

        try:
            return date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise UsageError(f"event_date: {raw!r} is not a date YYYY-MM-DD") from None
    return str(raw)


def ordered_pair(a: str, b: str) -> tuple[str, str]:
    """Two public ids in id order (SYR9 before SYR10): how a pair is stored and compared."""
    first, second = sorted((a, b), key=lambda e: (len(e), e))
    return first, second


_INT_MAX = 2**31 - 1  # the Integer columns are 32-bit on PostgreSQL
_BOUNDS = {"latitude": 90.0, "longitude": 180.0, "confidence": 1.0}


def _in_range(name: str, value: int) -> int:
    if not -_INT_MAX <= value <= _INT_MAX:
        raise UsageError(f"{name}: {value} is out of range")
    if name == "fatalities" and value < 0:
        raise UsageError("fatalities: a toll cannot be negative")
    return value


def _on_earth(name: str, value: float) -> float:
    if not math.isfinite(value):
        raise UsageError(f"{name}: {value!r} is not a finite number")
    bound = _BOUNDS.get(name)
    low = 0.0 if name == "confidence" else -(bound or 0.0)
    if bound is not None and not low <= value <= bound:
        raise UsageError(f"{name}: {value:g} is outside {low:g}..{bound:g}")
    return value


def _check_types(typed: Mapping[str, Any], row: Mapping[str, Any]) -> None:
    """ACLED's types, and a sub-event type under its event type (the one given, or the event's)."""
    from ahdath.lexicon.schema import EVENT_TYPES, SUB_TO_TYPE

    sub, kind = typed.get("sub_event_type"), typed.get("event_type")
    if sub is not None and sub not in SUB_TO_TYPE:
        raise UsageError(f"sub_event_type: {sub!r} is not an ACLED sub-event type")
    if kind is not None and kind not in EVENT_TYPES:
        raise UsageError(f"event_type: {kind!r} is not an ACLED event type ({', '.join(EVENT_TYPES)})")
    sub_after = sub if "sub_event_type" in typed else row["sub_event_type"]
    if kind is not None and sub_after in SUB_TO_TYPE and SUB_TO_TYPE[sub_after] != kind:
        raise UsageError(f"sub_event_type {sub_after!r} belongs to {SUB_TO_TYPE[sub_after]!r}, not {kind!r} "
                         "(change the sub-event type: the event type follows it)")


def _check_point(typed: Mapping[str, Any], row: Mapping[str, Any]) -> None:
    """An edited point lies inside its event's country (the country given, or the event's): the rough
    extents of ``data/countries.yaml`` catch a swapped or mistyped coordinate."""
    if "latitude" not in typed and "longitude" not in typed and "country" not in typed:
        return
    lat = typed["latitude"] if "latitude" in typed else row["latitude"]
    lon = typed["longitude"] if "longitude" in typed else row["longitude"]
    country = typed["country"] if "country" in typed else row["country"]
    if lat is None or lon is None or not country:
        return
    from ahdath.extract.record import load_countries

    known = load_countries()[0].get(str(country))
    if known is None or known.box is None:
        return
    west, south, east, north = known.box
    if not (south <= lat <= north and west <= lon <= east):
        raise UsageError(f"latitude {lat:g}, longitude {lon:g} is not inside {country} "
                         f"({south:g}..{north:g} N, {west:g}..{east:g} E): swapped or mistyped?")


def _live(conn: Any, event_id: str) -> Any:
    row = conn.execute(select(events).where(events.c.event_id == event_id)).mappings().first()
    if row is None:
        raise EventNotFoundError(f"no event {event_id!r}")
    if row["deleted"]:
        raise EventNotFoundError(f"event {event_id} was deleted or merged; see `ahdath show {event_id}`")
    return row


def set_status(store: Store, conn: Any, row: Any, status: str, note: str | None, now: float, *,
               actor: str | None, action: str = "status") -> None:
    """Give an event (its row, read in this transaction) a review status, logged with its user.
    The stamp moves too: the row caches of other processes key on it (``cache``)."""
    if row["status"] == status and (note is None or note == row["status_note"]):
        return
    conn.execute(update(events).where(events.c.id == row["id"]).values(
        status=status, status_note=note if note is not None else row["status_note"], updated_at=now))
    store.log(conn, row["event_id"], now, action, note or "", {"status": row["status"]}, {"status": status}, actor)


def _checked(store: Store, conn: Any, event_row_id: int, now: float, actor: str | None) -> None:
    """A person changed the event: it is ``reviewed`` now, unless already final."""
    row = conn.execute(select(events).where(events.c.id == event_row_id)).mappings().one()
    if row["status"] not in ("reviewed", "final"):
        set_status(store, conn, row, "reviewed", None, now, actor=actor)


def edit_event(store: Store, event_id: str, values: Mapping[str, Any], *, unpin: tuple[str, ...] = (),
               actor: str | None = None, note: str | None = None) -> dict[str, Any]:
    """Set (and pin) fields; ``unpin`` returns fields to what the reports say. Returns the new row."""
    typed = {name: _coerce(name, raw) for name, raw in values.items()}
    for name in unpin:
        _coerce(name, None)
    now = time.time()
    with store.transaction() as conn:
        row = _live(conn, event_id)
        _check_types(typed, row)
        _check_point(typed, row)
        pinned = dict(row["pinned"] or {})
        if "event_date" in typed or "event_date" in unpin:
            # ahdath used to pin the year beside an edited date; the year now follows a pinned date
            # (``canonical._pin``), so a year pin that only echoed the old date goes with it
            old = pinned.get("event_date")
            if old and "year" not in typed and pinned.get("year") == int(str(old)[:4]):
                pinned.pop("year", None)
        pinned.update(typed)
        for name in unpin:
            pinned.pop(name, None)
        conn.execute(update(events).where(events.c.id == row["id"]).values(pinned=pinned or None))
        what = ", ".join([f"{k}={v}" for k, v in typed.items()] + [f"{k} unpinned" for k in unpin])
        store.refresh(conn, row["id"], now, action="edit", detail=what + (f" ({note})" if note else ""),
                      actor=actor)
        _checked(store, conn, row["id"], now, actor)
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
        # a correction made on either event is a fact about the one incident: the survivor keeps its own
        # pins and takes over those it lacks
        pinned = dict(keep["pinned"] or {})
        taken = {k: v for k, v in (other["pinned"] or {}).items() if k not in pinned}
        detail = f"{other_id} merged in: {why}"
        if taken:
            pinned.update(taken)
            conn.execute(update(events).where(events.c.id == keep["id"]).values(pinned=pinned))
            detail += "; pins taken over: " + ", ".join(f"{k}={v} from {other_id}" for k, v in sorted(taken.items()))
        store.refresh(conn, keep["id"], now, action="merge", detail=detail, reason=why, actor=actor)
        store.tombstone(conn, other["id"], now, "merged", keep_id, why, actor)
        _checked(store, conn, keep["id"], now, actor)
        return dict(conn.execute(select(events).where(events.c.id == keep["id"])).mappings().one())


def split_event(store: Store, event_id: str, report_ids: Sequence[str], *, actor: str | None = None,
                reason: str | None = None) -> str:
    """Move the reports ``report_ids`` (their article ids, as ``ahdath show`` lists them) out of
    ``event_id`` into a new event; returns the new event's id."""
    wanted = list(dict.fromkeys(r.strip() for r in report_ids if r.strip()))
    if not wanted:
        raise UsageError("name the reports to move to the new event (their ids, as `ahdath show` lists them)")
    now = time.time()
    why = reason.strip() if reason and reason.strip() else "split by a reviewer"
    with store.transaction() as conn:
        row = _live(conn, event_id)
        behind = conn.execute(select(mentions.c.id, reports.c.article_id)
                              .join(reports, reports.c.id == mentions.c.report_id)
                              .where(mentions.c.event_id == row["id"]).order_by(mentions.c.id)).all()
        known = {article for _id, article in behind}
        unknown = [r for r in wanted if r not in known]
        if unknown:
            raise UsageError(f"{event_id} has no report {', '.join(map(repr, unknown))} "
                             f"(its reports: {', '.join(sorted(known))})")
        moving = [mid for mid, article in behind if article in wanted]
        if len(moving) == len(behind):
            raise UsageError(f"every report of {event_id} would move: nothing would be left to keep "
                             "(edit or delete the event instead)")
        public = store._next_id(conn, "".join(ch for ch in event_id if not ch.isdigit()) or "EVT")
        new_id = store.allocate_ids(conn, "events", 1)[0]
        # made by a person: reviewed from the start (its "create" entry names them)
        conn.execute(insert(events).values(id=new_id, event_id=public, created_at=now, updated_at=now,
                                           deleted=False, n_reports=0, status="reviewed"))
        first = f"split from {event_id}: {why}"
        for n, mention in enumerate(moving):
            conn.execute(update(mentions).where(mentions.c.id == mention).values(
                event_id=new_id, merge_reason=None if n == 0 else f"{first} (with {wanted[0]})"))
        values = derive(store.members(conn, new_id), is_generic=store.rules.is_generic_actor)
        conn.execute(update(events).where(events.c.id == new_id).values(merge_reason=None, **values))
        store.log(conn, public, now, "create", first, None, {k: v for k, v in values.items() if v not in (None, "")},
                  actor)
        store.refresh(conn, row["id"], now, action="split", detail=f"reports {', '.join(wanted)} moved to {public}: "
                      f"{why}", actor=actor, current=row)
        _checked(store, conn, row["id"], now, actor)
        # a person said the two are apart: never suggest them as duplicates (``suggest``)
        first, second = ordered_pair(event_id, public)
        conn.execute(insert(dismissed_pairs).values(event_a=first, event_b=second, actor=actor or store.actor, at=now))
        return public
