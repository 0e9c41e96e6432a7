"""``ahdath events`` lists canonical events; ``ahdath show ID`` shows one with every report behind it."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from itertools import islice
from typing import Any, TextIO

from ahdath.cli.common import add_db_option, open_store
from ahdath.cli.export import add_filters, event_filter

_COLUMNS: tuple[tuple[str, int, Any], ...] = (
    ("event_id", 10, lambda r: r["event_id"]),
    ("date", 10, lambda r: r["event_date"]),
    ("sub_event_type", 30, lambda r: r["sub_event_type"]),
    ("actor1", 32, lambda r: r["actor1"]),
    ("actor2", 32, lambda r: r["actor2"]),
    ("admin1", 14, lambda r: r["admin1"]),
    ("fat", 4, lambda r: r["fatalities"]),
    ("src", 3, lambda r: r["n_reports"]),
    ("location", 30, lambda r: r["location"] or r["location_ar"]),
)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("events", help="list canonical events in the database")
    add_filters(p)
    p.add_argument("-n", "--limit", type=int, default=50, metavar="N", help="at most N events (0: all; default 50)")
    add_db_option(p)
    p.set_defaults(run=run_events)

    s = subparsers.add_parser("show", help="one event in full: fields, every report behind it, why merged, history")
    s.add_argument("event_id", metavar="EVENT_ID")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    add_db_option(s)
    s.set_defaults(run=run_show)


def run_events(args: argparse.Namespace) -> int:
    from ahdath.export.writers import write_table
    from ahdath.store import iter_events

    store = open_store(args, access="read")
    try:
        rows = iter_events(store.engine, event_filter(args))  # type: ignore[arg-type]
        if args.limit > 0:
            rows = islice(rows, args.limit)
        write_table(list(rows), _COLUMNS, sys.stdout)
    finally:
        store.close()
    return 0


def _when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts or 0, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def run_show(args: argparse.Namespace) -> int:
    from ahdath.store import event_detail

    store = open_store(args, access="read")
    try:
        detail = event_detail(store.engine, args.event_id)
    finally:
        store.close()
    if args.json:
        doc = {"event_id": detail.event_id, "event": detail.event, "tombstone": detail.tombstone,
               "reports": [{"article_id": r.article_id, "source": r.source, "url": r.url,
                            "published": r.published, "merge_reason": r.merge_reason, "record": r.record}
                           for r in detail.reports],
               "changes": list(detail.changes)}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n")
        return 0
    _print_detail(detail, sys.stdout)
    return 0


_FIELDS = ("event_date", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1",
           "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
           "country", "admin1", "admin2", "admin3", "location", "location_ar", "latitude", "longitude",
           "geo_precision", "fatalities", "source", "source_url", "notes", "tags", "confidence")
_PER_REPORT = ("event_date", "sub_event_type", "actor1", "actor2", "location", "location_ar", "geo_precision",
               "fatalities")


def _print_detail(detail: Any, out: TextIO) -> None:
    w = out.write
    if detail.event is None:
        stone = detail.tombstone or {}
        into = f" into {stone['merged_into']}" if stone.get("merged_into") else ""
        w(f"{detail.event_id}: {stone.get('reason', 'deleted')}{into} on {_when(stone.get('at'))} "
          f"by {stone.get('actor', '?')}: {stone.get('detail') or ''}\n")
    else:
        e = detail.event
        w(f"{detail.event_id}  ({e['n_reports']} report{'s' if e['n_reports'] != 1 else ''}, "
          f"last changed {_when(e['updated_at'])})\n")
        pinned = e.get("pinned") or {}
        for name in _FIELDS:
            if e.get(name) not in (None, ""):
                mark = "  (set by hand)" if name in pinned else ""
                w(f"  {name:<18} {e[name]}{mark}\n")
    w(f"\nreports ({len(detail.reports)}):\n")
    for n, r in enumerate(detail.reports, 1):
        w(f"  [{n}] {r.article_id}  {r.source or ''}  {r.url or ''}  published {r.published or '?'}\n")
        w(f"      why: {r.merge_reason or 'first report of this event'}\n")
        said = ", ".join(f"{k}={r.record.get(k)}" for k in _PER_REPORT if r.record.get(k) not in (None, ""))
        w(f"      said: {said}\n")
        ev = r.record.get("evidence") or {}
        if ev.get("text"):
            w(f"      evidence [{ev.get('start')}:{ev.get('end')}]: {' '.join(str(ev['text']).split())}\n")
    w(f"\nhistory ({len(detail.changes)}):\n")
    for c in detail.changes:
        w(f"  {_when(c['at'])}  {c['action']:<10} by {c['actor']}: {c.get('detail') or ''}\n")
        if c.get("before") or c.get("after"):
            for k in sorted(set(c.get("before") or {}) | set(c.get("after") or {})):
                if c["action"] == "create":
                    continue
                w(f"      {k}: {(c.get('before') or {}).get(k)!r} -> {(c.get('after') or {}).get(k)!r}\n")
