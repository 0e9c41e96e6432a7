"""Schema migrations (Alembic): named revisions, each in its own transaction.

``upgrade`` brings a database to the newest revision this ahdath knows; the
store calls it itself when it opens a database that is behind, so the first
command on a new database needs no separate step. A database *ahead* of this
ahdath (made by a newer version) is refused rather than misread.

Two processes opening a new database at once must not both create its tables:
on SQLite the migration runs in one ``BEGIN IMMEDIATE`` transaction, on
PostgreSQL under a session advisory lock. Alembic keeps its running context in
module globals, so within one process migrations also take a thread lock.
"""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ahdath.errors import SchemaError
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
    with _ALEMBIC, _schema_lock(engine):
        before = _checked_revision(engine)  # another process may have migrated while we waited
        if before == head_revision() and revision == "head":
            return before, before
        try:
            with engine.connect() as conn:
                from alembic import command

                command.upgrade(_config(conn), revision)
                conn.commit()
        except Exception as exc:  # noqa: BLE001 - a failed migration is rolled back; say which
            raise SchemaError(f"migration failed: {type(exc).__name__}: {exc}".splitlines()[0]) from None
    return before, current_revision(engine) or ""


def _checked_revision(engine: Any) -> str | None:
    before = current_revision(engine)
    if before is not None and before not in known_revisions():
        raise SchemaError(f"database schema {before!r} is newer than this ahdath knows; upgrade ahdath")
    return before


@contextlib.contextmanager
def _schema_lock(engine: Any) -> Iterator[None]:
    """Serialise migrations between processes: a PostgreSQL advisory lock, or for SQLite a lock on a
    file beside the database (each migration is its own transaction, so without it a second process
    could start on a revision the first is about to apply)."""
    if engine.dialect.name == "sqlite":
        with _file_lock(engine):
            yield
        return
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.exec_driver_sql(f"SELECT pg_advisory_lock({_PG_MIGRATION_LOCK})")
        conn.commit()  # a session lock outlives the transaction; the session must not sit idle in one
        try:
            yield
        finally:
            conn.rollback()
            conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_PG_MIGRATION_LOCK})")
            conn.commit()


@contextlib.contextmanager
def _file_lock(engine: Any) -> Iterator[None]:
    database = engine.url.database
    try:
        import fcntl
    except ImportError:  # not POSIX: SQLite's own locking still keeps each migration whole
        fcntl = None  # type: ignore[assignment]
    if not database or fcntl is None:
        yield
        return
    with open(f"{database}.migrate-lock", "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_current(engine: Any) -> bool:
    """Apply pending migrations; True when any were applied."""
    before, after = upgrade(engine)
    return before != after
