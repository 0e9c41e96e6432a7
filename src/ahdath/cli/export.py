"""``ahdath export``: the canonical dataset from the database, as ACLED CSV, jsonl, GeoJSON or Parquet."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import IO

from ahdath.cli.common import add_db_option, open_store, parse_date
from ahdath.errors import UsageError

_EXT = {".csv": "acled-csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".geojson": "geojson", ".json": "geojson",
        ".parquet": "parquet"}


def add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", type=parse_date, default=None, metavar="DATE", help="events on or after DATE")
    p.add_argument("--until", type=parse_date, default=None, metavar="DATE", help="events on or before DATE")
    p.add_argument("--country", default=None, help="country name, ISO3 code (SYR) or ISO number (760)")
    p.add_argument("--admin1", default=None, help="governorate, e.g. Idleb")
    p.add_argument("--event-type", default=None, help="event type or sub-event type, e.g. 'Air/drone strike'")
    p.add_argument("--actor", default=None, help="part of an actor's name, in any role")


def event_filter(args: argparse.Namespace) -> object:
    from ahdath.store import EventFilter

    if args.since and args.until and args.since > args.until:
        raise UsageError("--since is after --until")
    return EventFilter(since=args.since.isoformat() if args.since else None,
                       until=args.until.isoformat() if args.until else None,
                       country=args.country, admin1=args.admin1, event_type=args.event_type, actor=args.actor)


def register(subparsers: argparse._SubParsersAction) -> None:
    from ahdath.export import DATASET_FORMATS

    p = subparsers.add_parser("export", help="export the canonical events from the database",
                              description="Export canonical events (one row per event, every outlet in "
                                          "`source`). --deleted lists tombstones instead, for syncing copies.")
    p.add_argument("-f", "--format", choices=DATASET_FORMATS, default=None,
                   help="default: from -o's extension, else acled-csv")
    p.add_argument("-o", "--output", default=None, metavar="FILE", help="write here instead of stdout")
    p.add_argument("--deleted", action="store_true",
                   help="list deleted and merged-away events (event_id_cnty, deleted_timestamp, reason, merged_into)")
    add_filters(p)
    add_db_option(p)
    p.set_defaults(run=run)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.output:
        return _EXT.get(Path(args.output).suffix.lower(), "acled-csv")
    return "acled-csv"


def run(args: argparse.Namespace) -> int:
    from ahdath.export import write_dataset_text, write_parquet
    from ahdath.store import iter_events, list_tombstones

    fmt = _format(args)
    if fmt == "parquet" and not args.output:
        raise UsageError("parquet is a binary format: give -o FILE.parquet")
    if fmt == "parquet":
        from ahdath.extras import require_extra

        require_extra("parquet")  # before the database is opened
    store = open_store(args, access="read")
    try:
        if args.deleted:
            return _write_deleted(list_tombstones(store.engine), fmt, args.output)
        rows = iter_events(store.engine, event_filter(args))  # type: ignore[arg-type]
        if fmt == "parquet":
            n = write_parquet(rows, args.output)
            skipped = 0
        else:
            out = _open(args.output)
            try:
                n, skipped = write_dataset_text(rows, fmt, out)
            finally:
                if out is not sys.stdout:
                    out.close()
                else:
                    out.flush()
    finally:
        store.close()
    if skipped:
        print(f"ahdath: {skipped} event(s) without coordinates left out of the GeoJSON", file=sys.stderr)
    if args.output:
        print(f"ahdath: {n} event(s) written to {args.output}", file=sys.stderr)
    return 0


def _open(path: str | None) -> IO[str]:
    if not path:
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _write_deleted(stones: list[dict], fmt: str, path: str | None) -> int:
    from ahdath.export import csv_cell, csv_line

    if fmt not in ("acled-csv", "jsonl"):
        raise UsageError("--deleted writes acled-csv or jsonl")
    out = _open(path)
    try:
        if fmt == "jsonl":
            for s in stones:
                out.write(json.dumps({**s, "at": int(s["at"])}, ensure_ascii=False) + "\n")
        else:
            out.write(csv_line(["event_id_cnty", "deleted_timestamp", "reason", "merged_into"]))
            for s in stones:
                out.write(csv_line([csv_cell(s["event_id"]), str(int(s["at"])), csv_cell(s["reason"]),
                                    csv_cell(s["merged_into"] or "")]))
    finally:
        if out is not sys.stdout:
            out.close()
    return 0
