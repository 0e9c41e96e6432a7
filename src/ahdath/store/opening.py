"""Opening a database: is there a store, is it ahdath's, and may this command write to it.

Each command says which ``Access`` it needs:

- ``read`` (``events``, ``show``, ``export``, ``db status``, ``gazetteer unresolved``): never
  creates, migrates or writes. A missing SQLite file, or a database without tables, is
  ``NoSuchStoreError`` (E606), so a mistyped ``--db`` is an error instead of an empty result.
- ``write`` (``edit``, ``delete``, ``merge``, ``split``, ``reextract``): the store must exist; an
  older schema is migrated, as a writer would do anyway.
- ``create`` (``ingest``, ``db upgrade``): a missing file or an empty database becomes a new store.

Before a writable connection is made (on SQLite that switches the file to WAL), the database is
looked at through a read-only one (``probe``). A database holding tables but no version table of
ahdath's belongs to another program: ``ForeignDatabaseError`` (E607), and nothing is written to it
unless ``adopt`` is given (``ahdath db upgrade --adopt``).

A SQLite store is read without the WAL switch. Where the file and its folder are writable the
connection is opened read-write with ``PRAGMA query_only``: SQLite then removes the ``-wal`` and
``-shm`` files a WAL reader needs when it closes, where a ``mode=ro`` connection would leave them
behind. Otherwise it is opened ``mode=ro``; and where the folder is not writable and no ``-shm``
file exists, SQLite cannot make the shared-memory index a WAL reader needs, so the file is opened
``immutable=1`` (no locks, no index). That is only right while nobody writes the file: in a folder
nobody can write, a writer could not make its ``-wal`` file either. A ``-wal`` file that still
holds changes is the exception: ``immutable`` would read past them, so that store is refused.
PostgreSQL is read in sessions whose transactions are read-only (``default_transaction_read_only``).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ahdath.errors import ForeignDatabaseError, NoSuchStoreError, StoreError, StoreUnavailableError
from ahdath.store.db import (SQLITE_BUSY_MS, DatabaseURL, describe, json_dumps, json_loads,
                             make_engine, read_connection)

Access = Literal["read", "write", "create"]
ACCESS: tuple[str, ...] = ("read", "write", "create")
VERSION_TABLE = "alembic_version"
# ahdath's revisions are numbered (0001_initial); another program's Alembic history uses other names
_OUR_REVISION = re.compile(r"^\d{4}_\w+$")
_SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True, slots=True)
class Contents:
    """What a database holds, as seen through a read-only connection."""

    tables: frozenset[str]
    revisions: tuple[str, ...] = ()  # the rows of the version table, sorted

    @property
    def revision(self) -> str | None:
        return self.revisions[0] if len(self.revisions) == 1 else None

    @property
    def empty(self) -> bool:
        """No tables (a new file, a new PostgreSQL database): a store may be created in it."""
        return not self.revisions and self.tables <= {VERSION_TABLE}

    @property
    def ours(self) -> bool:
        """ahdath's store, of this version, an older or a newer one."""
        return len(self.revisions) == 1 and bool(_OUR_REVISION.match(self.revisions[0]))


def open_engine(db: DatabaseURL, access: Access, *, adopt: bool = False, **engine_options: Any) -> tuple[Any, Contents]:
    """An engine for ``db`` once it is known that ``access`` may use it, and what it holds.

    ``read`` gives a read-only engine; ``write`` and ``create`` the store's usual one. Raises
    ``NoSuchStoreError``, ``ForeignDatabaseError`` or ``StoreUnavailableError``, naming ``db``.
    ``engine_options`` (the lock timeout, the application name) go to ``db.make_engine``.
    """
    if access not in ACCESS:
        raise ValueError(f"access must be one of {ACCESS}, not {access!r}")
    if db.path is not None:
        if db.path.is_dir():
            raise StoreUnavailableError("a folder, not a database file", source=db.display())
        if not db.path.exists():
            if access != "create":
                raise NoSuchStoreError(_missing(db, "no database there"), source=db.display())
            return make_engine(db, **engine_options), Contents(frozenset())
    reader = read_engine(db)
    try:
        contents = probe(reader)
        check(db, contents, access=access, adopt=adopt)
    except BaseException as exc:
        reader.dispose()
        if isinstance(exc, StoreError) or not isinstance(exc, Exception):
            raise
        raise unavailable(db, exc) from None
    if access == "read":
        return reader, contents
    reader.dispose()
    return make_engine(db, **engine_options), contents


def check(db: DatabaseURL, contents: Contents, *, access: Access, adopt: bool = False) -> None:
    """Refuse a database ``access`` must not use: no store in it (unless creating), or not ahdath's."""
    if contents.empty:
        if access != "create":
            raise NoSuchStoreError(_missing(db, "no ahdath store in this database, it holds no tables"),
                                   source=db.display())
        return
    if contents.ours:
        return
    from ahdath.store.schema import metadata

    shown = ", ".join(sorted(contents.tables)[:5]) + (", ..." if len(contents.tables) > 5 else "")
    if adopt and access != "read":
        clash = sorted(contents.tables & (set(metadata.tables) | {VERSION_TABLE}))
        if clash:
            raise ForeignDatabaseError(f"cannot be adopted: it already has tables named as ahdath's "
                                       f"({', '.join(clash)}); left untouched", source=db.display())
        return
    raise ForeignDatabaseError(f"holds tables that are not ahdath's ({shown}); left untouched. "
                               "`ahdath db upgrade --adopt` adds ahdath's tables beside them", source=db.display())


def _missing(db: DatabaseURL, what: str) -> str:
    if db.is_default:
        return f"{what} yet (run `ahdath ingest` first, or give --db or AHDATH_DB)"
    return f"{what} (check --db); only `ahdath ingest` or `ahdath db upgrade` makes a store"


def probe(engine: Any) -> Contents:
    """The tables and the schema version, read without writing anything."""
    from sqlalchemy import inspect, text

    with read_connection(engine) as conn:
        tables = frozenset(inspect(conn).get_table_names())
        revisions: tuple[str, ...] = ()
        if VERSION_TABLE in tables:
            rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
            revisions = tuple(sorted(str(r) for r in rows))
    return Contents(tables, revisions)


def named(err: StoreError, db: DatabaseURL) -> StoreError:
    """``err`` naming ``db`` in front, unless it already does (a migration's error does not)."""
    if err.source is None and db.display() not in err.message:
        err.source = db.display()
    return err


def unavailable(db: DatabaseURL, exc: BaseException) -> StoreUnavailableError:
    """A database that could not be opened or read, in one line naming it."""
    why = describe(exc)
    if db.path is not None and db.path.exists() and not (
            os.access(db.path, os.W_OK) and os.access(db.path.parent, os.W_OK)):
        # SQLite says "unable to open database file" when it cannot write its WAL beside the file
        why = f"the database is read-only (SQLite needs to write the file and its folder; {why})"
    if db.backend == "postgresql" and re.search(r'database ".*" does not exist', str(exc)):
        return NoSuchStoreError(f"no such database on the server ({why}); create it first (createdb)",
                                source=db.display())
    return StoreUnavailableError(f"cannot open the database: {why}", source=db.display())


# -- read-only engines ----------------------------------------------------------------------------

def read_engine(db: DatabaseURL) -> Any:
    """An engine that cannot write: SQLite opened as the module docstring says, PostgreSQL sessions
    read-only. It neither creates the database nor switches its journal."""
    from sqlalchemy import create_engine, event

    if db.backend == "postgresql":
        if db.url.startswith("postgresql+psycopg:"):
            from ahdath.extras import require_extra

            require_extra("postgres", source=db.display())
        try:
            from sqlalchemy.engine import make_url

            given = make_url(db.url).query.get("options") or ()  # a URL's own ?options= are kept
            options = " ".join([given] if isinstance(given, str) else list(given))
            return create_engine(db.url, pool_pre_ping=True, json_serializer=json_dumps,
                                 json_deserializer=json_loads,
                                 connect_args={"options": f"{options} -c default_transaction_read_only=on".strip()})
        except Exception as exc:  # noqa: BLE001 - a bad URL or a missing driver
            raise StoreUnavailableError(str(exc), source=db.display()) from None
    assert db.path is not None
    uri, query_only = sqlite_read_uri(db.path)

    def connect() -> Any:
        import sqlite3

        # the pool hands a connection to one thread at a time, as it does the store's own engine
        return sqlite3.connect(uri, uri=True, timeout=SQLITE_BUSY_MS / 1000, check_same_thread=False)

    engine = create_engine(db.url, creator=connect, json_serializer=json_dumps, json_deserializer=json_loads)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # BEGIN is ours (below), as in the store's engine
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        if query_only:
            cur.execute("PRAGMA query_only=ON")
        cur.execute("PRAGMA cache_size=-65536")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")  # deferred: a snapshot; a reader never takes the write lock

    return engine


def sqlite_read_uri(path: Path) -> tuple[str, bool]:
    """The URI to read ``path`` by, and whether it is opened read-write with ``query_only``."""
    base = path.absolute().as_uri()
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    if folder_writable and os.access(path, os.W_OK):
        return base + "?mode=rw", True
    shm = path.with_name(path.name + "-shm")
    if folder_writable or shm.exists() or not _is_wal(path):
        return base + "?mode=ro", False
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreUnavailableError(
            f"its last changes are still in {wal.name} and the folder is read-only, so SQLite cannot read "
            f"them (it needs to create {shm.name}); open it once where the folder is writable",
            source=str(path))
    return base + "?mode=ro&immutable=1", False


def _is_wal(path: Path) -> bool:
    """Whether the file's header marks it WAL (bytes 18 and 19 are 2; 1 is a rollback journal)."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(20)
    except OSError:
        return False
    return header.startswith(_SQLITE_HEADER) and 2 in header[18:20]
