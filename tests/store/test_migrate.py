"""Schema migrations, on SQLite and PostgreSQL: new databases, re-runs, a schema from the future, races."""
from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from ahdath.errors import SchemaError
from ahdath.store import Store
from ahdath.store.db import make_engine, resolve_url
from ahdath.store.migrate import current_revision, ensure_current, head_revision, upgrade
from ahdath.store.schema import metadata

FUTURE = "9999_from_a_newer_ahdath"


@pytest.fixture
def engine(db_url: str) -> Iterator[Any]:
    eng = make_engine(resolve_url(db_url, environ={}))
    yield eng
    eng.dispose()


def _tables(engine: Any) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_migrate_new_database_to_head(engine: Any) -> None:
    assert current_revision(engine) is None
    assert upgrade(engine) == (None, head_revision())
    assert current_revision(engine) == head_revision()
    assert _tables(engine) == set(metadata.tables) | {"alembic_version"}


def test_migrate_upgrade_twice_is_a_no_op(engine: Any) -> None:
    assert ensure_current(engine) is True
    assert upgrade(engine) == (head_revision(), head_revision())
    assert ensure_current(engine) is False
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head_revision()]


def test_migrate_schema_matches_metadata(engine: Any) -> None:
    upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        assert compare_metadata(context, metadata) == []


def _stamp_future(engine: Any) -> None:
    with engine.connect() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
        conn.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": FUTURE})
        conn.commit()


def test_migrate_refuses_newer_schema_and_leaves_it(engine: Any, db_url: str) -> None:
    _stamp_future(engine)
    with pytest.raises(SchemaError, match="newer than this ahdath") as info:
        upgrade(engine)
    assert info.value.code == "E602"
    with pytest.raises(SchemaError):
        Store.open(db_url)
    assert current_revision(engine) == FUTURE
    assert _tables(engine) == {"alembic_version"}


def test_migrate_store_open_migrates_an_empty_database(db_url: str, engine: Any) -> None:
    assert _tables(engine) == set()
    with Store.open(db_url):
        pass
    assert current_revision(engine) == head_revision()
    assert set(metadata.tables) <= _tables(engine)


def test_migrate_store_open_without_migrate_leaves_database_alone(db_url: str, engine: Any) -> None:
    with Store.open(db_url, migrate=False):
        pass
    assert current_revision(engine) is None


def _open(url: str) -> None:
    Store.open(url).close()


def test_migrate_first_opens_at_once_in_threads(db_url: str, engine: Any) -> None:
    # alembic keeps its running migration in module globals: two threads must not migrate at once
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def run() -> None:
        barrier.wait()
        try:
            _open(db_url)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "migrations deadlocked"
    assert errors == []
    assert current_revision(engine) == head_revision()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_migrate_first_opens_at_once_in_processes(db_url: str, engine: Any) -> None:
    # two `ahdath ingest` started together on a new database: one creates the tables, the other waits
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_open, args=(db_url,)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    assert current_revision(engine) == head_revision()


def test_migrate_upgrades_an_older_schema_keeping_its_data(engine: Any) -> None:
    upgrade(engine, "0001_initial")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO id_counters (prefix, next_value) VALUES ('SYR', 41)"))
    assert "ix_events_iso_sub_date" not in {i["name"] for i in inspect(engine).get_indexes("events")}
    assert upgrade(engine) == ("0001_initial", head_revision())
    assert "ix_events_iso_sub_date" in {i["name"] for i in inspect(engine).get_indexes("events")}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT next_value FROM id_counters WHERE prefix = 'SYR'")).scalar_one() == 41


def test_migrate_0003_dates_old_undated_events_and_rehashes_reports(engine: Any, db_url: str) -> None:
    """A store written before windows and kin: its undated events get their reports' windows, its
    reports the hash of text and outlet (so the same input is still "unchanged") and sketches."""
    from datetime import datetime, timezone

    from ahdath.store.kin import sketch
    from ahdath.store.repository import content_hash
    from factory import article, event

    upgrade(engine, "0002_event_type_index")
    text_ = ("قصفت المدفعية صباح اليوم قرى في ريف إدلب الجنوبي ما أدى إلى مقتل ثلاثة مدنيين وإصابة آخرين، "
             "بحسب ما أفاد به ناشطون في المنطقة لمراسلنا، وسط حركة نزوح من القرى القريبة من خطوط التماس.")
    old = article("old", text_, url="https://outlet.example/5", source="Outlet", published=None)
    stamp = 1_700_000_000.0  # 2023-11-14 UTC
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO reports (id, article_id, url, content_hash, source, title, published, text, "
                          "extracted_at, extractor_version, n_events) VALUES (1, 'old', :u, 'x', 'Outlet', NULL, "
                          "NULL, :t, :s, '', 1)"), {"u": old.url, "t": text_, "s": stamp})
        conn.execute(text("INSERT INTO events (id, event_id, event_date, n_reports, created_at, updated_at, deleted, "
                          "iso, sub_event_type) VALUES (1, 'SYR1', NULL, 1, :s, :s, :f, 760, 'Attack')"),
                     {"s": stamp, "f": False})
        conn.execute(text("INSERT INTO mentions (report_id, event_id, local_id, record, added_at) "
                          "VALUES (1, 1, 'SYR-1', '{}', :s)"), {"s": stamp})
    upgrade(engine)
    day = datetime.fromtimestamp(stamp, tz=timezone.utc).date()
    with engine.connect() as conn:
        r = conn.execute(text("SELECT content_hash, ingested_at FROM reports")).one()
        e = conn.execute(text("SELECT date_lo, date_hi, date_basis FROM events")).one()
        hashes = conn.execute(text("SELECT hash FROM report_sketches ORDER BY hash")).scalars().all()
    assert r.content_hash == content_hash(old) and r.ingested_at == stamp
    assert (e.date_lo, e.date_hi, e.date_basis) == ("2023-11-11", day.isoformat(), "ingested")
    assert hashes == sketch(text_)
    with Store.open(db_url) as store:
        assert store.add_reports([(old, [event(1, event_date=None, year=None)])])[0].status == "unchanged"


def test_migrate_leaves_no_lock_file_beside_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/store.sqlite"
    engine = make_engine(resolve_url(url, environ={}))
    try:
        upgrade(engine, "0001_initial")
        upgrade(engine)
    finally:
        engine.dispose()
    with Store.open(url):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.sqlite"]


_RACER = """
import sys, time
from pathlib import Path
from ahdath.cli.main import main
url, ready, go = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
ready.touch()
while not go.exists():
    time.sleep(0.005)
sys.exit(main(["db", "upgrade", "--db", url]))
"""


def test_migrate_processes_upgrading_one_new_database_at_once_make_one_schema(db_url: str, engine: Any,
                                                                              tmp_path: Path) -> None:
    # real `ahdath db upgrade` processes, released together once all have started
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", _RACER, db_url, str(tmp_path / f"ready{n}"), str(go)],
                              env=env, stderr=subprocess.PIPE, text=True) for n in range(3)]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready{n}").exists() for n in range(3)) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    errs = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errs
    assert sum("upgraded from empty" in e for e in errs) == 1, errs  # one migrated, the others found it done
    assert sum("is at the newest schema" in e for e in errs) == 2, errs
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head_revision()]
    assert _tables(engine) == set(metadata.tables) | {"alembic_version"}
    folder = resolve_url(db_url, environ={}).path
    if folder is not None:
        # nothing but the database and, while it is open, SQLite's own WAL files: no lock file
        assert {p.name for p in folder.parent.iterdir() if p.name.startswith("store.sqlite")} <= {
            "store.sqlite", "store.sqlite-wal", "store.sqlite-shm"}


def test_migrate_0004_gives_stored_events_the_machine_status(engine: Any, db_url: str) -> None:
    """A 0003 store holding data: its events become ``machine`` events, the review tables appear
    empty, and the data is all still there."""
    upgrade(engine, "0003_dates_and_kin")
    stamp = 1_700_000_000.0
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO reports (id, article_id, url, content_hash, source, title, published, text, "
                          "extracted_at, extractor_version, n_events, ingested_at) VALUES (1, 'r1', NULL, 'h1', "
                          "'Outlet', 'Title', '2024-03-12', 'قُتِلَ طفلٌ في إدلب', :s, '', 1, :s)"), {"s": stamp})
        for n in (1, 2):
            conn.execute(text("INSERT INTO events (id, event_id, event_date, n_reports, created_at, updated_at, "
                              "deleted, iso, sub_event_type, admin1) VALUES (:n, :e, '2024-03-12', 1, :s, :s, :f, "
                              "760, 'Air/drone strike', 'Idleb')"),
                         {"n": n, "e": f"SYR{n}", "s": stamp, "f": n == 2})
        conn.execute(text("INSERT INTO mentions (report_id, event_id, local_id, record, added_at) "
                          "VALUES (1, 1, 'SYR-1', '{}', :s)"), {"s": stamp})
    assert "users" not in _tables(engine)
    assert upgrade(engine) == ("0003_dates_and_kin", head_revision())
    assert {"users", "api_tokens", "dismissed_pairs", "settings"} <= _tables(engine)
    assert {"ix_events_live_date", "ix_events_type_date", "ix_events_admin1", "ix_events_status"} <= {
        i["name"] for i in inspect(engine).get_indexes("events")}
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT event_id, status, status_note, admin1 FROM events ORDER BY id")).all()
        assert conn.execute(text("SELECT count(*) FROM mentions")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM users")).scalar_one() == 0
        # the stored report is searchable: folded like a search (harakat gone, hamza seat folded)
        assert conn.execute(text("SELECT search FROM reports")).scalar_one() == "title قتل طفل في ادلب"
    assert [tuple(r) for r in rows] == [("SYR1", "machine", None, "Idleb"), ("SYR2", "machine", None, "Idleb")]
    with Store.open(db_url) as store, store.transaction() as conn:
        conn.execute(text("INSERT INTO events (id, event_id, n_reports, created_at, updated_at, deleted) "
                          "VALUES (3, 'SYR3', 0, 0, 0, :f)"), {"f": False})
        assert conn.execute(text("SELECT status FROM events WHERE event_id = 'SYR3'")).scalar_one() == "machine"
