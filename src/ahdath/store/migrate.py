"""Schema migrations (Alembic): named revisions, applied in one transaction.

``upgrade`` brings a database to the newest revision this ahdath knows; a
command that writes calls it itself when it opens a database that is behind,
so the first ingest into a new database needs no separate step. A command that
only reads never migrates: an older schema is refused with a request to run
``ahdath db upgrade`` (``check_readable``). A database *ahead* of this ahdath
(made by a newer version) is refused rather than misread.

Two processes opening a new database at once must not both create its tables.
The whole upgrade is one transaction that first takes the database's own write
lock (SQLite ``BEGIN IMMEDIATE``; on PostgreSQL a transaction-scoped advisory
lock), then reads the revision again: the second process waits, then finds the
work done. Nothing is left beside the database (no lock file), and a failed
upgrade leaves the schema as it was. Alembic keeps its running context in
module globals, so within one process migrations also take a thread lock.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from ahdath.errors import SchemaError
from ahdath.store import locks
from ahdath.store.db import read_connection

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_MIGRATION_LOCK = 0x6168646D  # "ahdm": one process migrates, the others wait and then find it done
_ALEMBIC = threading.Lock()  # alembic.context and alembic.op are process-wide proxies


def _config(connection: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return str(ScriptDirectory(str(MIGRATIONS)).get_current_head())


def current_revision(engine: Any) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with read_connection(engine) as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def upgrade(engine: Any, revision: str = "head") -> tuple[str | None, str]:
    """Migrate to ``revision``; returns (revision before, revision after)."""
    before = _checked_revision(engine)
    if before == head_revision() and revision == "head":
        return before, before  # the usual case: no lock taken
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with _ALEMBIC, engine.connect() as conn:
        try:
            with conn.begin():  # SQLite: BEGIN IMMEDIATE, the write lock until the commit
                if conn.dialect.name == "postgresql":
                    # bounded like every writer's wait (``locks``): a stuck migrating process is named
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {locks.milliseconds(locks.timeout_of(conn))}")
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
                # another process may have migrated while we waited for the lock
                before = _known(MigrationContext.configure(conn).get_current_revision())
                if before == head_revision() and revision == "head":
                    return before, before
                # the connection is in a transaction already, so alembic runs every revision in it
                command.upgrade(_config(conn), revision)
        except SchemaError:
            raise
        except Exception as exc:  # noqa: BLE001 - a failed migration is rolled back; say which
            if locks.is_lock_timeout(exc):
                from ahdath.store.db import resolve_url

                db = resolve_url(engine.url.render_as_string(hide_password=False), environ={})
                raise locks.timeout_error(db, engine, locks.timeout_of(conn), _PG_MIGRATION_LOCK) from None
            raise SchemaError(f"migration failed: {type(exc).__name__}: {exc}".splitlines()[0]) from None
    return before, current_revision(engine) or ""


def _checked_revision(engine: Any) -> str | None:
    return _known(current_revision(engine))


def _known(revision: str | None) -> str | None:
    if revision is not None and revision not in known_revisions():
        raise SchemaError(f"database schema {revision!r} is newer than this ahdath knows; upgrade ahdath")
    return revision


def check_readable(revision: str | None) -> None:
    """A read needs the schema this ahdath reads; an older one is not migrated by a read (which may
    run on a read-only copy, and must not change a store its owner has not chosen to upgrade)."""
    head = head_revision()
    if _known(revision) != head:
        raise SchemaError(f"database schema {revision!r} is older than this ahdath's ({head!r}); "
                          "run `ahdath db upgrade` to bring it up to date")


def ensure_current(engine: Any) -> bool:
    """Apply pending migrations; True when any were applied."""
    before, after = upgrade(engine)
    return before != after
