"""``ahdath db upgrade|status``: schema migrations and a look at the database."""
from __future__ import annotations

import argparse
import sys

from ahdath.cli.common import add_db_option


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("db", help="database schema migrations and status")
    sub = p.add_subparsers(dest="db_command", metavar="ACTION")
    up = sub.add_parser("upgrade", help="apply pending schema migrations (other commands do this themselves)")
    add_db_option(up)
    up.set_defaults(run=run_upgrade)
    st = sub.add_parser("status", help="schema revision and counts")
    add_db_option(st)
    st.set_defaults(run=run_status)


def run_upgrade(args: argparse.Namespace) -> int:
    from ahdath.store import migrate
    from ahdath.store.db import make_engine, resolve_url

    db = resolve_url(args.db)
    engine = make_engine(db)
    try:
        before, after = migrate.upgrade(engine)
    finally:
        engine.dispose()
    if before == after:
        print(f"ahdath: {db.display()} is at the newest schema ({after})", file=sys.stderr)
    else:
        print(f"ahdath: {db.display()} upgraded from {before or 'empty'} to {after}", file=sys.stderr)
    return 0


def run_status(args: argparse.Namespace) -> int:
    from ahdath.store import migrate, summary
    from ahdath.store.db import make_engine, resolve_url

    db = resolve_url(args.db)
    engine = make_engine(db)
    try:
        current = migrate.current_revision(engine)
        counts = summary(engine) if current else {}
    finally:
        engine.dispose()
    print(f"database   {db.display()} ({db.backend})")
    print(f"schema     {current or 'none'} (newest {migrate.head_revision()})")
    for k, v in counts.items():
        print(f"{k:<10} {v}")
    return 0
