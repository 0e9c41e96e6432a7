"""Reading the store: canonical events for export and listing, one event in full, tombstones."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from sqlalchemy import Text, and_, cast, func, or_, select

from ahdath.errors import EventNotFoundError
from ahdath.store.db import read_connection
from ahdath.store.schema import changes, events, mentions, reports, tombstones


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which canonical events to read; every field is optional."""

    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive
    country: str | None = None  # ACLED country name, ISO3 prefix or ISO numeric code
    admin1: str | None = None
    event_type: str | None = None  # an event type or a sub-event type
    actor: str | None = None  # part of an actor name, any role
    changed_since: float | None = None  # epoch seconds


def _where(flt: EventFilter) -> list[Any]:
    cond: list[Any] = [events.c.deleted.is_(False)]
    if flt.since:
        cond.append(events.c.event_date >= flt.since)
    if flt.until:
        cond.append(events.c.event_date <= flt.until)
    if flt.country:
        c = flt.country.strip()
        options = [func.lower(events.c.country) == c.lower()]
        if c.isascii() and c.isalpha():
            # the id's prefix, and only the whole prefix: SY must not match SYR12, nor IR match IRQ3
            options.append(and_(events.c.event_id.like(f"{c.upper()}%"),
                                func.substr(events.c.event_id, len(c) + 1, 1).between("0", "9")))
        if c.isdigit():
            options.append(events.c.iso == int(c))
        cond.append(or_(*options))
    if flt.admin1:
        cond.append(func.lower(events.c.admin1) == flt.admin1.strip().lower())
    if flt.event_type:
        t = flt.event_type.strip().lower()
        cond.append(or_(func.lower(events.c.event_type) == t, func.lower(events.c.sub_event_type) == t))
    if flt.actor:
        part = flt.actor.strip()
        # autoescape: a name with % or _ in it is matched as written, not as a pattern
        cond.append(or_(*(col.icontains(part, autoescape=True) for col in (
            events.c.actor1, events.c.actor2, events.c.assoc_actor_1, events.c.assoc_actor_2))))
    if flt.changed_since is not None:
        cond.append(events.c.updated_at >= flt.changed_since)
    return cond


def _public(row: Any) -> dict[str, Any]:
    d = dict(row)
    d.pop("id", None)
    d["timestamp"] = int(d["updated_at"])
    return d


def iter_events(engine: Any, flt: EventFilter = EventFilter(), *, chunk: int = 2000) -> Iterator[dict[str, Any]]:
    """Canonical events by date then id, read in chunks so a large export holds little memory."""
    last: tuple[str, int] | None = None
    cond = _where(flt)
    date_key = func.coalesce(events.c.event_date, "")
    while True:
        q = select(events).where(and_(*cond))
        if last is not None:
            q = q.where(or_(date_key > last[0], and_(date_key == last[0], events.c.id > last[1])))
        with read_connection(engine) as conn:
            rows = conn.execute(q.order_by(date_key, events.c.id).limit(chunk)).mappings().all()
        for row in rows:
            yield _public(row)
        if len(rows) < chunk:
            return
        last = (rows[-1]["event_date"] or "", rows[-1]["id"])


@dataclass(frozen=True, slots=True)
class ReportView:
    """One report behind an event: where it came from and what it said."""

    article_id: str
    source: str | None
    url: str | None
    published: str | None
    record: dict[str, Any]
    merge_reason: str | None


@dataclass(frozen=True, slots=True)
class EventDetail:
    event_id: str
    event: dict[str, Any] | None  # None when deleted or merged away
    reports: tuple[ReportView, ...] = ()
    changes: tuple[dict[str, Any], ...] = ()
    tombstone: dict[str, Any] | None = field(default=None)


def event_detail(engine: Any, event_id: str) -> EventDetail:
    """Everything known about one event, including a deleted or merged-away one."""
    with read_connection(engine) as conn:
        row = conn.execute(select(events).where(events.c.event_id == event_id)).mappings().first()
        if row is None:
            raise EventNotFoundError(f"no event {event_id!r}")
        stone = conn.execute(select(tombstones).where(tombstones.c.event_id == event_id)).mappings().first()
        views = tuple(ReportView(r.article_id, r.source, r.url, r.published, r.record, r.merge_reason)
                      for r in conn.execute(
                          select(reports.c.article_id, reports.c.source, reports.c.url, reports.c.published,
                                 mentions.c.record, mentions.c.merge_reason)
                          .join(reports, reports.c.id == mentions.c.report_id)
                          .where(mentions.c.event_id == row["id"]).order_by(mentions.c.id)))
        log = tuple(dict(r) for r in conn.execute(
            select(changes).where(changes.c.event_id == event_id).order_by(changes.c.id)).mappings())
    return EventDetail(event_id, None if row["deleted"] else _public(row), views,
                       tuple({k: v for k, v in c.items() if k != "id"} for c in log),
                       dict(stone) if stone and row["deleted"] else None)


def list_tombstones(engine: Any, since: float | None = None) -> list[dict[str, Any]]:
    with read_connection(engine) as conn:
        q = select(tombstones).order_by(tombstones.c.at, tombstones.c.event_id)
        if since is not None:
            q = q.where(tombstones.c.at >= since)
        return [dict(r) for r in conn.execute(q).mappings()]


def summary(engine: Any) -> dict[str, int]:
    """Counts for a status line."""
    with read_connection(engine) as conn:
        def count(table: Any, *cond: Any) -> int:
            return int(conn.execute(select(func.count()).select_from(table).where(*cond)).scalar_one())

        return {"reports": count(reports), "events": count(events, events.c.deleted.is_(False)),
                "mentions": count(mentions), "tombstones": count(tombstones)}


@dataclass(frozen=True, slots=True)
class UnresolvedPlace:
    """A place name no gazetteer knew, as the reports tagged ``unresolved_place`` wrote it."""

    name: str  # the spelling most of its reports use
    country: str | None
    admin1: str | None  # where the engine placed it instead (district or governorate point)
    events: int  # live canonical events whose reports name it
    reports: int  # the reports naming it
    event_id: str  # the example: the first report naming it, and its event
    article_id: str
    url: str | None
    source: str | None
    evidence: str | None  # the clause or sentence of the example report


UNRESOLVED_TAG = "unresolved_place"


def unresolved_places(engine: Any, limit: int = 0) -> list[UnresolvedPlace]:
    """The place names reports gave that no gazetteer knew, most events first, then most reports (0: all).

    Read from each report's own record (``mentions``), not from the canonical events: deduplication
    merges two coarse places in one governorate on one day, and the canonical event then shows one
    name of the two. Names are grouped by their gazetteer key (``geo.records.name_key``: with or
    without ال, hamza and ta marbuta spellings) within a country and first-level unit, since the same
    name in two governorates is two villages to add."""
    from ahdath.geo.records import name_key

    groups: dict[tuple[str, str | None, str | None], list[tuple[Any, dict[str, Any]]]] = {}
    q = (select(mentions.c.id, mentions.c.report_id, mentions.c.record, events.c.event_id, reports.c.article_id,
                reports.c.url, reports.c.source)
         .join(events, events.c.id == mentions.c.event_id).join(reports, reports.c.id == mentions.c.report_id)
         # the text test keeps the JSON decoding to the few records that can carry the tag
         .where(events.c.deleted.is_(False), cast(mentions.c.record, Text).like(f"%{UNRESOLVED_TAG}%"))
         .order_by(mentions.c.id))
    with read_connection(engine) as conn:
        for m in conn.execute(q):
            rec = m.record if isinstance(m.record, dict) else {}
            name = rec.get("location_ar") or rec.get("location")
            if not name or UNRESOLVED_TAG not in str(rec.get("tags") or "").split(";"):
                continue
            key = (name_key(name) or name, rec.get("country"), rec.get("admin1"))
            groups.setdefault(key, []).append((m, rec))

    def rank(g: list[tuple[Any, dict[str, Any]]]) -> tuple[int, int, int]:
        return (-len({m.event_id for m, _ in g}), -len({m.report_id for m, _ in g}), g[0][0].id)

    ranked = sorted(groups.values(), key=rank)
    out: list[UnresolvedPlace] = []
    for g in ranked[:limit] if limit > 0 else ranked:
        spellings: dict[str, int] = {}
        for _m, rec in g:
            spelled = rec.get("location_ar") or rec.get("location")
            spellings[spelled] = spellings.get(spelled, 0) + 1
        m, rec = g[0]
        evidence = (rec.get("evidence") or {}).get("text")
        out.append(UnresolvedPlace(
            max(spellings, key=spellings.__getitem__),  # ties: the first seen (dicts keep order)
            rec.get("country"), rec.get("admin1"), len({x.event_id for x, _ in g}), len({x.report_id for x, _ in g}),
            m.event_id, m.article_id, m.url, m.source, " ".join(str(evidence).split()) if evidence else None))
    return out
