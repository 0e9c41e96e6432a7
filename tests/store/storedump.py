"""A store's content as plain, comparable data: what "changes nothing" means for the durability tests."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ahdath.store import Store
from ahdath.store.schema import changes, events, id_counters, mentions, reports, tombstones

# clock fields: when a row was written or looked at, never what it says
CLOCKS = frozenset({"created_at", "updated_at", "extracted_at", "added_at", "at"})


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every table, rows in key order, clock fields left out (ids kept: an unchanged store keeps them)."""
    with store.engine.connect() as conn:
        def rows(table: Any, order: Any) -> list[tuple]:
            return [tuple((k, v) for k, v in r.items() if k not in CLOCKS)
                    for r in conn.execute(select(table).order_by(order)).mappings()]

        return {"reports": rows(reports, reports.c.id), "events": rows(events, events.c.id),
                "mentions": rows(mentions, mentions.c.id), "tombstones": rows(tombstones, tombstones.c.event_id),
                "id_counters": rows(id_counters, id_counters.c.prefix), "changes": rows(changes, changes.c.id)}


def mention_targets(store: Store) -> dict[tuple[str, str], tuple[str, bool]]:
    """(article id, the extractor's local event id) -> (public event id, whether that event is deleted)."""
    with store.engine.connect() as conn:
        return {(r.article_id, r.local_id): (r.event_id, bool(r.deleted)) for r in conn.execute(
            select(reports.c.article_id, mentions.c.local_id, events.c.event_id, events.c.deleted)
            .join(reports, reports.c.id == mentions.c.report_id).join(events, events.c.id == mentions.c.event_id))}


def live_ids(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.execute(select(events.c.event_id).where(events.c.deleted.is_(False))).scalars())
