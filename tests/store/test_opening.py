"""Opening a store (``ahdath.store.opening``), on SQLite and PostgreSQL: reading never creates, migrates
or writes; another program's database is refused untouched unless adopted; read-only SQLite files
and folders are readable."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from ahdath.errors import ForeignDatabaseError, NoSuchStoreError, SchemaError, StoreError, StoreUnavailableError
from ahdath.store import Store, iter_events
from ahdath.store.db import make_engine, resolve_url
from ahdath.store.migrate import current_revision, head_revision, upgrade
from ahdath.store.opening import ACCESS, sqlite_read_uri
from ahdath.store.schema import metadata

from mounts import read_only_mount
from factory import article, event

OURS = set(metadata.tables) | {"alembic_version"}


def _folder(url: str) -> Path | None:
    db = resolve_url(url, environ={})
    return None if db.path is None else db.path.parent


def snapshot(url: str) -> object:
    """Everything a store opening could change: the folder's files and their bytes (SQLite), or the
    tables with their rows (PostgreSQL)."""
    folder = _folder(url)
    if folder is not None:
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else None
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = sorted(inspect(conn).get_table_names())
            return {n: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{n}"')))) for n in names}
    finally:
        engine.dispose()


def run_sql(url: str, *statements: str) -> None:
    """Plain SQL through a plain engine (no WAL switch): how another program would make its file."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def make_empty(url: str) -> None:
    """A database that exists and holds nothing: an empty SQLite file, the new PostgreSQL database."""
    folder = _folder(url)
    if folder is not None:
        resolve_url(url, environ={}).path.touch()  # type: ignore[union-attr]


FOREIGN = ("CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(40))",
           "INSERT INTO customers VALUES (1, 'مكتبة الحي')")


def make_store(url: str) -> None:
    """A store with two events (two towns, so that they are not one event)."""
    with Store.open(url) as store:
        store.add_reports([(article(f"r{i}", source="Outlet A"), [event(i, town=town)])
                           for i, town in enumerate(("maarrat", "saraqib"), 1)])


@pytest.mark.parametrize("access", ["read", "write"])
def test_opening_missing_sqlite_file_is_no_such_store_and_creates_nothing(tmp_path: Path, access: str) -> None:
    db = tmp_path / "no" / "such" / "folder" / "typo.sqlite"
    with pytest.raises(NoSuchStoreError) as info:
        Store.open(f"sqlite:///{db}", access=access)  # type: ignore[arg-type]
    assert info.value.code == "E606" and info.value.source == str(db)
    assert "no database there (check --db)" in info.value.message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("access", ["read", "write"])
def test_opening_database_without_tables_is_no_such_store(db_url: str, access: str) -> None:
    make_empty(db_url)
    before = snapshot(db_url)
    with pytest.raises(NoSuchStoreError, match="holds no tables") as info:
        Store.open(db_url, access=access)  # type: ignore[arg-type]
    assert info.value.code == "E606" and info.value.source == resolve_url(db_url, environ={}).display()
    assert snapshot(db_url) == before


def test_opening_create_makes_a_store_in_a_database_without_tables(db_url: str) -> None:
    make_empty(db_url)
    with Store.open(db_url, access="create"):
        pass
    with Store.open(db_url, access="read") as store:
        assert current_revision(store.engine) == head_revision()


@pytest.mark.parametrize("access", ACCESS)
@pytest.mark.parametrize("version_table", [False, True], ids=["no-version-table", "another-alembic-history"])
def test_opening_foreign_database_refused_and_left_byte_for_byte(db_url: str, access: str,
                                                                 version_table: bool) -> None:
    statements = FOREIGN
    if version_table:  # another program that keeps its schema with Alembic too
        statements += ("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
                       "INSERT INTO alembic_version VALUES ('ae1027a6acf')")
    run_sql(db_url, *statements)
    before = snapshot(db_url)
    with pytest.raises(ForeignDatabaseError) as info:
        Store.open(db_url, access=access)  # type: ignore[arg-type]
    err = info.value
    assert err.code == "E607" and err.source == resolve_url(db_url, environ={}).display()
    assert "not ahdath's (" in err.message and "customers" in err.message
    assert "`ahdath db upgrade --adopt`" in err.message and "\n" not in str(err)
    # no tables, no WAL switch, no -wal/-shm or lock file beside it: the same bytes
    assert snapshot(db_url) == before


def test_opening_adopt_adds_ahdaths_tables_beside_the_foreign_ones(db_url: str) -> None:
    run_sql(db_url, *FOREIGN)
    with pytest.raises(ForeignDatabaseError):
        Store.open(db_url, access="read", adopt=True)  # a reader never adopts
    with Store.open(db_url, access="create", adopt=True):
        pass
    engine = create_engine(db_url)
    try:
        assert set(inspect(engine).get_table_names()) == OURS | {"customers"}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM customers")).scalars().all() == ["مكتبة الحي"]
    finally:
        engine.dispose()
    make_store(db_url)  # adopted: an ordinary store from now on
    with Store.open(db_url, access="read") as store:
        assert len(list(iter_events(store.engine))) == 2


def test_opening_adopt_refuses_a_database_with_tables_named_as_ahdaths(db_url: str) -> None:
    run_sql(db_url, "CREATE TABLE events (id INTEGER PRIMARY KEY, title VARCHAR(80))",
            "INSERT INTO events VALUES (7, 'معرض الكتاب')")
    before = snapshot(db_url)
    with pytest.raises(ForeignDatabaseError, match=r"cannot be adopted: .*\(events\)"):
        Store.open(db_url, access="create", adopt=True)
    assert snapshot(db_url) == before


def test_opening_read_does_not_migrate_an_older_schema(db_url: str) -> None:
    engine = make_engine(resolve_url(db_url, environ={}))
    try:
        upgrade(engine, "0001_initial")
    finally:
        engine.dispose()
    before = snapshot(db_url)
    with pytest.raises(SchemaError) as info:
        Store.open(db_url, access="read")
    assert info.value.code == "E602" and "older than this ahdath's" in info.value.message
    assert "`ahdath db upgrade`" in info.value.message
    assert info.value.source == resolve_url(db_url, environ={}).display()
    assert snapshot(db_url) == before
    with Store.open(db_url, access="write") as store:  # a writer brings it up to date itself
        assert current_revision(store.engine) == head_revision()


def test_opening_read_refuses_a_newer_schema(db_url: str) -> None:
    make_store(db_url)
    run_sql(db_url, "UPDATE alembic_version SET version_num = '9999_from_a_newer_ahdath'")
    with pytest.raises(SchemaError, match="newer than this ahdath"):
        Store.open(db_url, access="read")


def test_opening_read_engine_cannot_write(db_url: str) -> None:
    make_store(db_url)
    before = snapshot(db_url)
    with Store.open(db_url, access="read") as store:
        assert [e["event_id"] for e in iter_events(store.engine)]
        with pytest.raises(StoreError, match="read-only"):
            store.add_reports([(article("r9", source="Outlet B"), [event(9, town="tafas")])])
    assert snapshot(db_url) == before


def test_opening_read_leaves_the_sqlite_folder_as_it_was(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/store.sqlite"
    make_store(url)
    before = snapshot(url)
    for _ in range(2):
        with Store.open(url, access="read") as store:
            assert len(list(iter_events(store.engine))) == 2
    assert snapshot(url) == before  # no -wal, -shm or lock file left, the same bytes


# -- read-only files and folders -------------------------------------------------------------------

def test_opening_read_only_mount_is_readable(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    url = f"sqlite:///{folder}/store.sqlite"
    make_store(url)
    with Store.open(url, access="read") as store:
        expected = list(iter_events(store.engine))
    with read_only_mount(folder, tmp_path / "keep"):
        assert sqlite_read_uri(folder / "store.sqlite")[0].endswith("?mode=ro&immutable=1")
        with Store.open(url, access="read") as store:
            assert list(iter_events(store.engine)) == expected
        with pytest.raises(StoreError, match="read-only"):
            make_store(url)
        assert sorted(p.name for p in folder.iterdir()) == ["store.sqlite"]


def _crash_after_commit(url: str) -> None:
    """A writer that commits and dies without a checkpoint: its changes stay in the -wal file."""
    code = ("import os, sys\n"
            "from ahdath.store import Store\n"
            "sys.path.insert(0, sys.argv[2])\n"
            "from factory import article, event\n"
            "store = Store.open(sys.argv[1])\n"
            "store.add_reports([(article('late', source='Outlet C'), [event(7, town='tafas')])])\n"
            "os._exit(0)\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run([sys.executable, "-c", code, url, str(Path(__file__).parent)], check=True, env=env)


def test_opening_read_only_mount_with_unsaved_wal_and_its_index_is_read_whole(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    url = f"sqlite:///{folder}/store.sqlite"
    make_store(url)
    _crash_after_commit(url)
    assert (folder / "store.sqlite-wal").stat().st_size > 0 and (folder / "store.sqlite-shm").exists()
    with read_only_mount(folder, tmp_path / "keep"):
        assert sqlite_read_uri(folder / "store.sqlite")[0].endswith("?mode=ro")
        with Store.open(url, access="read") as store:
            assert len(list(iter_events(store.engine))) == 3  # the last event is in the -wal file


def test_opening_read_only_mount_with_unsaved_wal_is_refused_not_misread(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "store.sqlite"
    url = f"sqlite:///{db}"
    make_store(url)
    _crash_after_commit(url)
    assert (folder / "store.sqlite-wal").stat().st_size > 0
    (folder / "store.sqlite-shm").unlink()
    with read_only_mount(folder, tmp_path / "keep"):
        # immutable=1 would read the file without the -wal and miss the last event: refused instead
        with pytest.raises(StoreUnavailableError, match="store.sqlite-wal") as info:
            Store.open(url, access="read")
        assert info.value.source == str(db) and "\n" not in str(info.value)
    # where the folder is writable, all three events are read
    with Store.open(f"sqlite:///{tmp_path}/keep/store.sqlite", access="read") as store:
        assert len(list(iter_events(store.engine))) == 3


# -- the commands, on both backends ----------------------------------------------------------------

def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from ahdath.cli.main import main

    capsys.readouterr()
    rc = main(argv)
    return rc, capsys.readouterr().err


@pytest.mark.parametrize("argv", [["events"], ["export"], ["show", "SYR1"], ["db", "status"],
                                  ["edit", "SYR1", "fatalities=2"]], ids=lambda a: " ".join(a[:2]))
def test_opening_cli_database_without_a_store_is_e606(db_url: str, argv: list[str],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    make_empty(db_url)
    before = snapshot(db_url)
    rc, err = _cli([*argv, "--db", db_url], capsys)
    shown = resolve_url(db_url, environ={}).display()
    assert rc == 1 and err.startswith(f"ahdath: {shown}: [E606] ") and len(err.splitlines()) == 1, err
    assert snapshot(db_url) == before


def test_opening_cli_foreign_database_refused_until_adopted(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run_sql(db_url, *FOREIGN)
    before = snapshot(db_url)
    shown = resolve_url(db_url, environ={}).display()
    for argv in (["events"], ["db", "status"], ["db", "upgrade"]):
        rc, err = _cli([*argv, "--db", db_url], capsys)
        assert rc == 1 and err.startswith(f"ahdath: {shown}: [E607] ") and "--adopt" in err, err
    assert snapshot(db_url) == before
    assert _cli(["db", "upgrade", "--adopt", "--db", db_url], capsys) == (
        0, f"ahdath: {shown} upgraded from empty to {head_revision()}\n")
    assert _cli(["events", "--db", db_url], capsys)[0] == 0


def test_opening_cli_postgresql_database_that_does_not_exist_is_e606(postgres_url: str,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from pgserver import with_database

    url = with_database(postgres_url, "no_such_database_here")
    rc, err = _cli(["events", "--db", url], capsys)
    assert rc == 1 and "[E606] no such database on the server" in err and len(err.splitlines()) == 1, err
