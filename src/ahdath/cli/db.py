"""``ahdath db upgrade|status``: schema migrations and a look at the database."""
from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import Any

from ahdath.cli.common import add_db_option, add_lock_timeout_option


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("db", help="database schema migrations and status")
    sub = p.add_subparsers(dest="db_command", metavar="ACTION")
    up = sub.add_parser("upgrade", help="create the store, or apply pending schema migrations (commands that "
                                        "write do this themselves; commands that read never do)")
    up.add_argument("--adopt", action="store_true",
                    help="add ahdath's tables to a database that already holds another program's tables "
                         "(refused without it, and nothing is written)")
    add_db_option(up)
    add_lock_timeout_option(up)
    up.set_defaults(run=run_upgrade)
    st = sub.add_parser("status", help="schema revision and counts (reads only: never creates the database)")
    add_db_option(st)
    st.set_defaults(run=run_status)


def _open(args: argparse.Namespace, access: str, *, adopt: bool = False) -> tuple[Any, Any, Any]:
    from ahdath.errors import StoreError
    from ahdath.store.db import resolve_url
    from ahdath.store import locks
    from ahdath.store.opening import named, open_engine

    db = resolve_url(args.db)
    try:
        engine, contents = open_engine(db, access, adopt=adopt,  # type: ignore[arg-type]
                                       lock_timeout=locks.resolve_timeout(getattr(args, "lock_timeout", None)),
                                       application="ahdath db")
    except StoreError as err:
        raise named(err, db)
    return db, engine, contents


@contextlib.contextmanager
def _named(db: Any) -> Iterator[None]:
    """A database failing mid-command (a read-only file, a lost server): one line naming it."""
    from ahdath.errors import StoreError
    from ahdath.store.db import is_database_error
    from ahdath.store.opening import named, unavailable

    try:
        yield
    except StoreError as err:
        raise named(err, db)
    except Exception as exc:
        if not is_database_error(exc):
            raise
        raise unavailable(db, exc) from None


def run_upgrade(args: argparse.Namespace) -> int:
    from ahdath.store import migrate

    db, engine, _contents = _open(args, "create", adopt=args.adopt)
    try:
        with _named(db):
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

    db, engine, contents = _open(args, "read")
    head = migrate.head_revision()
    known = contents.revision in migrate.known_revisions()
    try:
        with _named(db):
            counts = summary(engine) if known else {}
    finally:
        engine.dispose()
    print(f"database   {db.display()} ({db.backend})")
    print(f"schema     {contents.revision} (newest {head})")
    for k, v in counts.items():
        print(f"{k:<10} {v}")
    if not known:
        print(f"ahdath: {db.display()}: schema {contents.revision} is newer than this ahdath knows; "
              "upgrade ahdath", file=sys.stderr)
    elif contents.revision != head:
        print(f"ahdath: {db.display()}: schema {contents.revision} is older than this ahdath's; "
              "`ahdath db upgrade` brings it up to date", file=sys.stderr)
    return 0
