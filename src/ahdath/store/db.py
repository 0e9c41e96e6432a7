"""Where the event store lives and how to connect to it.

The URL comes from ``--db``, then ``$AHDATH_DB``, then a SQLite file in the
user's data directory. SQLite runs in WAL mode with ``BEGIN IMMEDIATE`` write
transactions, so two ingests into one file queue instead of failing or
interleaving; PostgreSQL serialises store writes with a transaction-scoped
advisory lock (see ``Store``), so both backends give the same guarantees. A
writer waits for the lock at most the engine's lock timeout (``locks``).
"""
from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ahdath.errors import StoreUnavailableError, StoreWriteError
from ahdath.store import locks

ENV_VAR = "AHDATH_DB"
SQLITE_BUSY_MS = 60_000
# Execution option marking a connection that only reads: on SQLite its transactions start
# deferred, so a reader neither waits for an ingest batch nor needs write access to the file.
READ_ONLY = "ahdath_read_only"
# SQLite waits for the write lock inside one C call, deaf to signals: in slices of this many ms,
# Ctrl-C or SIGTERM ends a long wait at once instead of when the timeout runs out
_BEGIN_SLICE_MS = 200


def json_dumps(value: Any) -> str:
    """JSON text as the store writes it (mention records, the change log, pinned fields): Arabic
    kept as UTF-8, not escaped. orjson, because every event stored costs two of these and the
    standard library's encoder takes about six times as long."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def json_loads(text: str | bytes) -> Any:
    return orjson.loads(text)


@dataclass(frozen=True, slots=True)
class DatabaseURL:
    """A resolved database URL and whether it is the default file (announced on first use)."""

    url: str
    is_default: bool = False
    path: Path | None = None  # the file, for SQLite

    @property
    def backend(self) -> str:
        return "postgresql" if self.url.startswith("postgresql") else "sqlite"

    def display(self) -> str:
        """The URL without a password, for messages."""
        if self.path is not None:
            return str(self.path)
        try:
            from sqlalchemy.engine import make_url

            return make_url(self.url).render_as_string(hide_password=True)
        except Exception:  # noqa: BLE001 - a message must not fail
            return self.url.split("@")[-1]


def default_sqlite_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("ahdath", appauthor=False)) / "ahdath.sqlite"


def resolve_url(value: str | None = None, *, environ: Mapping[str, str] | None = None) -> DatabaseURL:
    """``value`` (``--db``), else ``$AHDATH_DB``, else the default SQLite file.

    A bare path is taken as a SQLite file; ``postgresql://`` and ``postgres://``
    use the psycopg 3 driver (``pip install 'ahdath[postgres]'``).
    """
    env = os.environ if environ is None else environ
    raw = (value or "").strip() or (env.get(ENV_VAR) or "").strip()
    if not raw:
        path = default_sqlite_path()
        return DatabaseURL(f"sqlite:///{path}", is_default=True, path=path)
    scheme, sep, rest = raw.partition("://")
    scheme = scheme.lower() if sep else ""
    if scheme in ("postgresql", "postgres"):
        return DatabaseURL("postgresql+psycopg://" + rest)
    if scheme.startswith("postgresql+"):
        return DatabaseURL(scheme + "://" + rest)
    if scheme == "sqlite" or (not sep and raw.lower().startswith("sqlite:")):
        return _sqlite_url(raw)
    if sep:
        raise StoreUnavailableError(f"{raw.split('://')[0]}: unsupported database "
                                    "(use sqlite:///FILE or postgresql://...)")
    if raw == ":memory:":  # as a path it would become sqlite:///:memory:
        raise StoreUnavailableError(f"{raw}: an in-memory database cannot keep a dataset; give a file")
    path = Path(raw).expanduser()
    return DatabaseURL(f"sqlite:///{path}", path=path)


def _sqlite_url(raw: str) -> DatabaseURL:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    url = "sqlite" + raw[raw.index(":"):]
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StoreUnavailableError(f"{raw}: not a database URL (use sqlite:///FILE)") from None
    file = parsed.database or ""
    # a query string (?timeout=...) is not part of the file name; mode=memory is an in-memory database too
    if not file or file == ":memory:" or parsed.query.get("mode") == "memory":
        raise StoreUnavailableError(f"{raw}: an in-memory database cannot keep a dataset; give a file")
    return DatabaseURL(url, path=Path(file))


def _wal(cur: Any) -> None:
    """Switch to WAL. The switch needs the file to itself and SQLite reports "locked" at once,
    without waiting, when another connection is opening a new file at the same moment: retry."""
    import sqlite3
    import time

    deadline = time.monotonic() + SQLITE_BUSY_MS / 1000
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def make_engine(db: DatabaseURL, *, lock_timeout: float = locks.DEFAULT_SECONDS,
                application: str = "ahdath") -> Any:
    """A SQLAlchemy engine set up for the store's concurrency rules: a write transaction waits at
    most ``lock_timeout`` seconds for the write lock; PostgreSQL sessions are named ``application``
    plus this process's pid (``pg_stat_activity.application_name``), so that a writer kept waiting
    can be told who holds the lock."""
    from sqlalchemy import create_engine, event

    options = {locks.TIMEOUT_OPTION: lock_timeout}
    busy_ms = locks.milliseconds(lock_timeout)
    if db.backend == "sqlite":
        assert db.path is not None
        try:
            db.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailableError(f"{db.path.parent}: cannot create the database folder "
                                        f"({exc.strerror or exc})") from None
        engine = create_engine(db.url, connect_args={"timeout": busy_ms / 1000}, execution_options=options,
                               json_serializer=json_dumps, json_deserializer=json_loads)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout={busy_ms}")
            _wal(cur)
            cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at checkpoints, never corrupt
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA cache_size=-65536")  # 64 MB of pages: dedup reads around recent days
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            if conn.get_execution_options().get(READ_ONLY):
                conn.exec_driver_sql("BEGIN")  # WAL: a snapshot, taken without blocking the writer
                return
            # take the write lock at the start: a read-then-write transaction cannot then be
            # overtaken by another writer between its check and its insert
            _begin_immediate(conn, busy_ms)

        return engine
    if db.url.startswith("postgresql+psycopg:"):
        from ahdath.extras import require_extra

        require_extra("postgres", source=db.display())
    try:
        from sqlalchemy.engine import make_url

        named = "application_name" in make_url(db.url).query  # the URL's own name wins
        connect_args = {} if named else {"application_name": f"{application} (pid {os.getpid()})"[:63]}
        return create_engine(db.url, pool_pre_ping=True, connect_args=connect_args, execution_options=options,
                             json_serializer=json_dumps, json_deserializer=json_loads)
    except Exception as exc:  # noqa: BLE001 - a bad URL or a missing driver
        raise StoreUnavailableError(f"{db.display()}: {exc}") from None


def _begin_immediate(conn: Any, timeout_ms: int) -> None:
    """``BEGIN IMMEDIATE``, waiting up to ``timeout_ms`` for the writer before us, a slice at a time
    (``_BEGIN_SLICE_MS``); a wait that runs out raises SQLite's "database is locked"."""
    deadline = time.monotonic() + timeout_ms / 1000
    try:
        while True:
            left = round((deadline - time.monotonic()) * 1000)
            conn.exec_driver_sql(f"PRAGMA busy_timeout={max(1, min(_BEGIN_SLICE_MS, left))}")
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except Exception as exc:
                if not locks.is_busy(exc) or time.monotonic() >= deadline:
                    raise
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={timeout_ms}")


def read_connection(engine: Any) -> Any:
    """A connection for reads only (see ``READ_ONLY``); use it as a context manager."""
    return engine.connect().execution_options(**{READ_ONLY: True})


# what a driver's message says, in words a user can act on (SQLite's and PostgreSQL's wording)
_CAUSES = (
    (("readonly", "read-only", "read only"), "the database is read-only"),
    (("database or disk is full", "disk full", "no space left", "could not extend file", "could not write"),
     "the disk is full"),
    (("malformed", "not a database", "file is encrypted", "corrupt"), "the database file is corrupt"),
    (("terminating connection", "server closed the connection", "connection is closed", "consuming input failed",
      "connection refused", "the connection is lost", "connection already closed", "server is shutting down",
      "could not receive data", "ssl syscall", "connection to server"),
     "the connection to the database server was lost"),
)


def is_database_error(exc: BaseException) -> bool:
    """An error of the database or its driver (not of ahdath)."""
    return type(exc).__module__.split(".")[0] in ("sqlalchemy", "sqlite3", "psycopg", "psycopg2")


def describe(exc: BaseException) -> str:
    """A database error in one line: what it means, then the driver's own first line."""
    orig = getattr(exc, "orig", None) or exc
    first = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    low = first.lower()
    cause = next((why for keys, why in _CAUSES if any(k in low for k in keys)), None)
    return f"{cause} ({first})" if cause else first


def write_error(db: DatabaseURL, exc: BaseException) -> StoreWriteError:
    """One line naming the database and what went wrong, for a database error during a write."""
    return StoreWriteError(f"{describe(exc)}; the batch in flight was rolled back, nothing of it was stored",
                           source=db.display())
