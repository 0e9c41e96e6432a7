"""Review commands: ``ahdath edit``, ``delete``, ``merge`` and ``split``. Each is logged with who did it."""
from __future__ import annotations

import argparse
import sys

from ahdath.cli.common import add_db_option, add_lock_timeout_option, open_store
from ahdath.errors import UsageError


def register(subparsers: argparse._SubParsersAction) -> None:
    e = subparsers.add_parser("edit", help="correct fields of an event (kept over what reports say)")
    e.add_argument("event_id", metavar="EVENT_ID")
    e.add_argument("assignments", nargs="*", metavar="FIELD=VALUE", help="e.g. fatalities=3 admin2=Maarrat")
    e.add_argument("--unset", action="append", default=[], metavar="FIELD",
                   help="drop a correction: the field, and what derives from it (the year of a date, the "
                        "types of a sub-event type, the interaction of inter codes), follows the reports again")
    e.add_argument("--note", default=None, help="why, for the change log")
    add_db_option(e)
    add_lock_timeout_option(e)
    e.set_defaults(run=run_edit)

    d = subparsers.add_parser("delete", help="withdraw an event (it leaves a tombstone)")
    d.add_argument("event_id", metavar="EVENT_ID")
    d.add_argument("--reason", required=True, help="why, for the change log and the tombstone")
    add_db_option(d)
    add_lock_timeout_option(d)
    d.set_defaults(run=run_delete)

    m = subparsers.add_parser("merge", help="fold one event into another (the second leaves a tombstone)")
    m.add_argument("keep", metavar="KEEP_ID")
    m.add_argument("other", metavar="OTHER_ID")
    m.add_argument("--reason", default=None, help="why, for the change log")
    add_db_option(m)
    add_lock_timeout_option(m)
    m.set_defaults(run=run_merge)

    sp = subparsers.add_parser("split", help="move reports out of an event into a new one (a wrong merge undone)")
    sp.add_argument("event_id", metavar="EVENT_ID")
    sp.add_argument("reports", nargs="+", metavar="REPORT_ID", help="the reports to move, as `ahdath show` lists them")
    sp.add_argument("--reason", default=None, help="why, for the change log")
    add_db_option(sp)
    add_lock_timeout_option(sp)
    sp.set_defaults(run=run_split)


def _assignments(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"{item!r}: write FIELD=VALUE")
        out[name.strip()] = value
    return out


def run_edit(args: argparse.Namespace) -> int:
    from ahdath.store import edit_event

    values = _assignments(args.assignments)
    if not values and not args.unset:
        raise UsageError("nothing to change: give FIELD=VALUE or --unset FIELD")
    with open_store(args, access="write") as store:
        edit_event(store, args.event_id, values, unpin=tuple(args.unset), note=args.note)
    print(f"ahdath: {args.event_id} updated", file=sys.stderr)
    return 0


def run_delete(args: argparse.Namespace) -> int:
    from ahdath.store import delete_event

    with open_store(args, access="write") as store:
        delete_event(store, args.event_id, reason=args.reason)
    print(f"ahdath: {args.event_id} deleted", file=sys.stderr)
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from ahdath.store import merge_events

    with open_store(args, access="write") as store:
        merge_events(store, args.keep, args.other, reason=args.reason)
    print(f"ahdath: {args.other} merged into {args.keep}", file=sys.stderr)
    return 0


def run_split(args: argparse.Namespace) -> int:
    from ahdath.store import split_event

    with open_store(args, access="write") as store:
        new = split_event(store, args.event_id, args.reports, reason=args.reason)
    print(f"ahdath: {', '.join(args.reports)} moved from {args.event_id} to the new event {new}", file=sys.stderr)
    print(new)
    return 0
