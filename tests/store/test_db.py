"""Where the store lives (``resolve_url``) and how SQLite connections are set up (``make_engine``)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ahdath.errors import StoreUnavailableError
from ahdath.store.db import ENV_VAR, SQLITE_BUSY_MS, DatabaseURL, make_engine, read_connection, resolve_url


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs' user data dir on Linux follows $XDG_DATA_HOME."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.mark.parametrize(("value", "environ", "expected"), [
    ("cli.sqlite", {ENV_VAR: "env.sqlite"}, "sqlite:///cli.sqlite"),  # --db first
    (None, {ENV_VAR: "env.sqlite"}, "sqlite:///env.sqlite"),  # then $AHDATH_DB
    ("", {ENV_VAR: "env.sqlite"}, "sqlite:///env.sqlite"),  # an empty --db is no --db
    ("  ", {ENV_VAR: " env.sqlite "}, "sqlite:///env.sqlite"),
    (None, {ENV_VAR: "postgresql://db.example/events"}, "postgresql+psycopg://db.example/events"),
])
def test_db_resolve_url_precedence(value: str | None, environ: dict[str, str], expected: str) -> None:
    db = resolve_url(value, environ=environ)
    assert db.url == expected
    assert not db.is_default


@pytest.mark.parametrize("environ", [{}, {ENV_VAR: ""}, {ENV_VAR: "   "}])
def test_db_resolve_url_default_file_in_user_data_dir(environ: dict[str, str], data_home: Path) -> None:
    db = resolve_url(None, environ=environ)
    assert db.is_default
    assert db.path == data_home / "ahdath" / "ahdath.sqlite"
    assert db.url == f"sqlite:///{data_home / 'ahdath' / 'ahdath.sqlite'}"
    assert db.backend == "sqlite"


def test_db_resolve_url_reads_process_environment_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "from-env.sqlite")
    assert resolve_url().path == Path("from-env.sqlite")
    assert resolve_url(environ={}).is_default


@pytest.mark.parametrize(("raw", "path"), [
    ("events.sqlite", Path("events.sqlite")),
    ("data/events.sqlite", Path("data/events.sqlite")),
    ("/srv/ahdath/events.sqlite", Path("/srv/ahdath/events.sqlite")),
    ("~/events.sqlite", Path("~/events.sqlite").expanduser()),
])
def test_db_resolve_url_bare_path_is_sqlite_file(raw: str, path: Path) -> None:
    db = resolve_url(raw, environ={})
    assert (db.url, db.path, db.backend) == (f"sqlite:///{path}", path, "sqlite")


@pytest.mark.parametrize(("raw", "url", "path"), [
    ("sqlite:///events.sqlite", "sqlite:///events.sqlite", Path("events.sqlite")),
    ("sqlite:////srv/events.sqlite", "sqlite:////srv/events.sqlite", Path("/srv/events.sqlite")),
    ("SQLite:///events.sqlite", "sqlite:///events.sqlite", Path("events.sqlite")),
    ("sqlite:///events.sqlite?timeout=5", "sqlite:///events.sqlite?timeout=5", Path("events.sqlite")),
])
def test_db_resolve_url_sqlite_urls(raw: str, url: str, path: Path) -> None:
    db = resolve_url(raw, environ={})
    assert (db.url, db.path) == (url, path)


@pytest.mark.parametrize(("raw", "expected"), [
    ("postgres://u:pw@db.example:5432/events", "postgresql+psycopg://u:pw@db.example:5432/events"),
    ("postgresql://u:pw@db.example/events", "postgresql+psycopg://u:pw@db.example/events"),
    ("PostgreSQL://db.example/events", "postgresql+psycopg://db.example/events"),
    ("postgresql+psycopg://db.example/events", "postgresql+psycopg://db.example/events"),
])
def test_db_resolve_url_postgres_uses_psycopg3(raw: str, expected: str) -> None:
    db = resolve_url(raw, environ={})
    assert (db.url, db.backend, db.path) == (expected, "postgresql", None)


@pytest.mark.parametrize("raw", ["sqlite://", "sqlite:///:memory:", ":memory:",
                                 "sqlite:///file:events?mode=memory&uri=true"])
def test_db_resolve_url_refuses_in_memory_sqlite(raw: str) -> None:
    with pytest.raises(StoreUnavailableError, match="in-memory") as info:
        resolve_url(raw, environ={})
    assert info.value.code == "E601"


@pytest.mark.parametrize("raw", ["mysql://u@db.example/events", "mongodb://db.example", "http://x.example/db"])
def test_db_resolve_url_refuses_unsupported_scheme(raw: str) -> None:
    with pytest.raises(StoreUnavailableError, match="unsupported database") as info:
        resolve_url(raw, environ={})
    assert raw.split(":")[0] in str(info.value)


def test_db_resolve_url_env_value_is_checked_too() -> None:
    with pytest.raises(StoreUnavailableError):
        resolve_url(None, environ={ENV_VAR: "sqlite:///:memory:"})


@pytest.mark.parametrize("raw", ["postgresql://ahdath:s3cret-pw@db.example:5432/events",
                                 "postgres://ahdath:s3cret-pw@db.example/events"])
def test_db_display_hides_password(raw: str) -> None:
    shown = resolve_url(raw, environ={}).display()
    assert "s3cret-pw" not in shown
    assert "ahdath" in shown and "db.example" in shown


def test_db_display_sqlite_is_the_file() -> None:
    assert resolve_url("sqlite:////srv/events.sqlite", environ={}).display() == "/srv/events.sqlite"


def _sqlite(tmp_path: Path, name: str = "store.sqlite") -> DatabaseURL:
    return resolve_url(f"sqlite:///{tmp_path / name}", environ={})


def test_db_make_engine_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(_sqlite(tmp_path / "new" / "folder"))  # a missing folder is made
    try:
        with engine.connect() as conn:
            pragma = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                      for name in ("journal_mode", "foreign_keys", "busy_timeout")}
    finally:
        engine.dispose()
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": SQLITE_BUSY_MS}
    assert (tmp_path / "new" / "folder" / "store.sqlite").is_file()


def test_db_make_engine_folder_that_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(StoreUnavailableError, match="cannot create the database folder"):
        make_engine(resolve_url(str(tmp_path / "a-file" / "store.sqlite"), environ={}))


def _write_lock_free(path: Path) -> bool:
    """Whether another connection can take SQLite's write lock right now."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_db_sqlite_transactions_take_write_lock_at_start_and_reads_do_not(tmp_path: Path) -> None:
    db = _sqlite(tmp_path)
    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            conn.commit()
        assert db.path is not None and _write_lock_free(db.path)
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM t").scalar()
            # a read-then-write transaction holds the lock from its first statement on
            assert not _write_lock_free(db.path)
        assert _write_lock_free(db.path)
        with read_connection(engine) as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
            assert _write_lock_free(db.path)  # a reader never holds up a writer
    finally:
        engine.dispose()
