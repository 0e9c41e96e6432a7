"""The PostgreSQL test harness is real: a server that answers, fresh databases, nothing left behind."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from pgserver import (
    ENV_URL,
    PgServerError,
    find_binaries,
    postgres_required,
    running_server,
    sqlalchemy_url,
    with_database,
)


def _alive(pid: int) -> bool:
    # a finished postmaster can linger as a zombie where PID 1 does not reap, so read its state
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    state = next((line.split()[1] for line in status.splitlines() if line.startswith("State:")), "")
    return state not in ("Z", "X")


def _table_names(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        return sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_pgserver_runs_real_postgres(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            version = conn.execute(sa.text("select version()")).scalar_one()
            version_num = int(conn.execute(sa.text("show server_version_num")).scalar_one())
            database = conn.execute(sa.text("select current_database()")).scalar_one()
        assert engine.dialect.name == "postgresql"
        assert engine.dialect.driver == "psycopg"
    finally:
        engine.dispose()
    assert "PostgreSQL" in version
    # drop_database relies on DROP DATABASE ... WITH (FORCE)
    assert version_num >= 130000
    assert database == sa.make_url(postgres_url).database


def test_pgserver_databases_are_isolated(new_postgres_db: Callable[[], str], postgres_url: str) -> None:
    first, second = new_postgres_db(), new_postgres_db()
    assert sa.make_url(first).database != sa.make_url(second).database
    engine = sa.create_engine(first)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("create table only_in_first (id integer primary key)"))
    finally:
        engine.dispose()
    assert _table_names(first) == ["only_in_first"]
    assert "only_in_first" not in _table_names(second)
    assert "only_in_first" not in _table_names(postgres_url)


def test_pgserver_db_url_starts_empty(db_url: str) -> None:
    assert _table_names(db_url) == []


def test_pgserver_db_url_writes_and_reads(db_url: str, request: pytest.FixtureRequest) -> None:
    backend = request.node.callspec.params["db_url"]
    metadata = sa.MetaData()
    notes = sa.Table(
        "notes",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("record", sa.JSON),
    )
    engine = sa.create_engine(db_url)
    try:
        assert engine.dialect.name == backend
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(notes.insert(), [{"text": "قصف على ريف إدلب", "record": {"fatalities": 3}}])
        with engine.connect() as conn:
            rows = conn.execute(sa.select(notes.c.text, notes.c.record)).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [("قصف على ريف إدلب", {"fatalities": 3})]


def test_pgserver_stops_and_cleans_up(monkeypatch: pytest.MonkeyPatch) -> None:
    # a second, private server: the session's own one is still needed by other tests
    monkeypatch.delenv(ENV_URL, raising=False)
    try:
        with running_server() as server:
            assert server.started and server.data_dir is not None
            base = server.data_dir.parent
            pid = int((server.data_dir / "postmaster.pid").read_text().split()[0])
            assert _alive(pid)
            assert _table_names(server.url) == []
    except PgServerError as err:
        if postgres_required():
            pytest.fail(f"PostgreSQL unavailable: {err}", pytrace=False)
        pytest.skip(f"PostgreSQL unavailable: {err}")
    assert not _alive(pid)
    assert not base.exists()


def test_pgserver_find_binaries_prefers_newest_complete_version(tmp_path: Path) -> None:
    complete = ("initdb", "pg_ctl", "postgres")
    for version, tools in [("9.6", complete), ("10", complete), ("15", complete),
                           ("16", ("initdb", "postgres")), ("common", ())]:
        bin_dir = tmp_path / version / "bin"
        bin_dir.mkdir(parents=True)
        for tool in tools:
            (bin_dir / tool).write_text("#!/bin/sh\n")
            (bin_dir / tool).chmod(0o755)
    found = find_binaries(tmp_path)
    assert found is not None
    assert found.version == "15"
    assert (found.initdb, found.pg_ctl, found.postgres) == tuple(tmp_path / "15" / "bin" / tool for tool in complete)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h:5/d", "postgresql+psycopg://u@h:5/d"),
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///x.sqlite", "sqlite:///x.sqlite"),
    ],
)
def test_pgserver_sqlalchemy_url_uses_psycopg(given: str, expected: str) -> None:
    assert sqlalchemy_url(given) == expected


def test_pgserver_with_database_keeps_the_server() -> None:
    url = with_database("postgresql+psycopg://postgres:s%40cret@127.0.0.1:5433/ahdath_test", "t_1")
    assert url == "postgresql+psycopg://postgres:s%40cret@127.0.0.1:5433/t_1"
