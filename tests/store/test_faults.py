"""Store faults: a read-only database, a full disk, a corrupt SQLite file, the PostgreSQL connection
lost mid-ingest. Each gives one line naming the database; no batch is left half-written; the next run
completes with exactly the data of one clean run (the dumps compared)."""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, select

from ahdath.errors import StoreError
from ahdath.ingest import read_inputs
from ahdath.pipeline import Options, Pipeline
from ahdath.store import IngestOptions, Store, ingest_articles
from ahdath.store.schema import changes, events, id_counters, mentions, reports, tombstones

from synthetic import write_reports

BATCH = 10


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_options(Options())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> list:
    path = tmp_path_factory.mktemp("faults") / "reports.jsonl"
    write_reports(path, n_days=3, outlets=2)
    return list(read_inputs([str(path)]))


def ingest(url: str, corpus: list, pipeline: Pipeline) -> None:
    with Store.open(url) as store:
        summary = ingest_articles(corpus, store, pipeline, options=IngestOptions(batch_size=BATCH))
    assert not summary.failures


def dump(url: str) -> dict[str, list[tuple]]:
    """The store's content without surrogate keys or clock times (PostgreSQL sequences do not roll back)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rid = {r.id: r.content_hash for r in conn.execute(select(reports.c.id, reports.c.content_hash))}
            eid = {r.id: r.event_id for r in conn.execute(select(events.c.id, events.c.event_id))}
            skip = {"id", "created_at", "updated_at", "extracted_at", "ingested_at", "added_at", "at", "actor"}

            def rows(table: Any, **keys: dict) -> list[tuple]:
                out = []
                for r in conn.execute(select(table)).mappings():
                    out.append(tuple((k, keys[k][v] if k in keys else str(v)) for k, v in r.items() if k not in skip))
                return sorted(out)

            return {"reports": rows(reports), "events": rows(events), "id_counters": rows(id_counters),
                    "mentions": rows(mentions, report_id=rid, event_id=eid), "tombstones": rows(tombstones),
                    "changes": rows(changes)}
    finally:
        engine.dispose()


def whole_batches(url: str) -> None:
    """No partial batch: every stored report has exactly the mentions it says it has events."""
    d = dump(url)
    per_report: dict[str, int] = {}
    for m in d["mentions"]:
        per_report[dict(m)["report_id"]] = per_report.get(dict(m)["report_id"], 0) + 1
    for r in d["reports"]:
        r = dict(r)
        assert per_report.get(r["content_hash"], 0) == int(r["n_events"]), r["article_id"]
    assert len(d["reports"]) % BATCH == 0


def completes(url: str, corpus: list, pipeline: Pipeline, clean: dict) -> None:
    """After a fault: only whole batches were kept, and the next run gives exactly a clean run's data."""
    whole_batches(url)
    ingest(url, corpus, pipeline)
    assert dump(url) == clean


def one_line(err: StoreError, names: str, *words: str) -> None:
    text = str(err)
    assert "\n" not in text and names in text and text.count("[E6") == 1, text
    assert any(w in text for w in words), text


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, corpus: list, pipeline: Pipeline) -> dict:
    url = f"sqlite:///{tmp_path_factory.mktemp('clean')}/clean.sqlite"
    ingest(url, corpus, pipeline)
    return dump(url)


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A small tmpfs at ``where`` (root only); skips the test where it cannot be mounted."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a small tmpfs (the page-limit test covers a full database without it)")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


class _FailAt:
    """Runs ``action`` once, at the ``n``-th batch's write of its reports (mid-ingest: after some
    batches committed; the first write of a batch, so the batch has begun but written nothing)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, n: int, action: Any) -> None:
        self.calls, self.n, self.action = 0, n, action
        original = Store.insert_many

        def insert_many(store: Store, conn: Any, table: Any, rows: Any) -> None:
            if table is reports:
                self.calls += 1
                if self.calls == self.n:
                    self.action(conn)
            original(store, conn, table, rows)

        monkeypatch.setattr(Store, "insert_many", insert_many)


def test_faults_read_only_database(tmp_path: Path, corpus: list, pipeline: Pipeline, clean: dict) -> None:
    db = tmp_path / "ro" / "store.sqlite"
    url = f"sqlite:///{db}"
    db.parent.mkdir()
    ingest(url, corpus[:BATCH * 2], pipeline)
    before = dump(url)
    if os.geteuid() == 0:  # root writes through file modes: a read-only mount instead
        shutil.move(str(db.parent), str(tmp_path / "keep"))
        with tmpfs(db.parent, "4m"):
            for f in (tmp_path / "keep").iterdir():
                shutil.copy(f, db.parent / f.name)
            subprocess.run(["mount", "-o", "remount,ro", str(db.parent)], check=True)
            with pytest.raises(StoreError) as info:
                ingest(url, corpus, pipeline)
            subprocess.run(["mount", "-o", "remount,rw", str(db.parent)], check=True)
            assert dump(url) == before
            ingest(url, corpus, pipeline)
            assert dump(url) == clean
    else:
        for f in db.parent.iterdir():
            f.chmod(0o444)
        db.parent.chmod(0o555)
        try:
            with pytest.raises(StoreError) as info:
                ingest(url, corpus, pipeline)
        finally:
            db.parent.chmod(0o755)
            for f in db.parent.iterdir():
                f.chmod(0o644)
        assert dump(url) == before
        ingest(url, corpus, pipeline)
        assert dump(url) == clean
    one_line(info.value, str(db), "read-only")


def test_faults_full_disk(tmp_path: Path, corpus: list, pipeline: Pipeline, clean: dict) -> None:
    with tmpfs(tmp_path / "small", "1m") as fs:
        url = f"sqlite:///{fs}/store.sqlite"
        ingest(url, corpus[:BATCH], pipeline)
        filler = fs / "filler"
        # leave a little room: a batch or two fits, then the disk is full mid-ingest
        free = shutil.disk_usage(fs).free
        filler.write_bytes(b"\0" * max(0, free - 96 * 1024))
        with pytest.raises(StoreError) as info:
            ingest(url, corpus, pipeline)
        one_line(info.value, str(fs / "store.sqlite"), "disk is full")
        filler.unlink()
        completes(url, corpus, pipeline, clean)


def test_faults_full_database_page_limit(tmp_path: Path, corpus: list, pipeline: Pipeline, clean: dict,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's max_page_count gives the same error as a full disk, without root."""
    url = f"sqlite:///{tmp_path}/store.sqlite"
    ingest(url, corpus[:BATCH], pipeline)
    with Store.open(url) as store:
        pages = store.engine.connect().exec_driver_sql("PRAGMA page_count").scalar_one()
    original = Store.open.__func__  # type: ignore[attr-defined]

    def capped(cls: type[Store], *args: Any, **kwargs: Any) -> Store:
        store = original(cls, *args, **kwargs)
        store.engine.dispose()

        @event.listens_for(store.engine, "connect")
        def _cap(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute(f"PRAGMA max_page_count={pages + 12}")

        return store

    monkeypatch.setattr(Store, "open", classmethod(capped))
    with pytest.raises(StoreError) as info:
        ingest(url, corpus, pipeline)
    one_line(info.value, str(tmp_path / "store.sqlite"), "disk is full")
    monkeypatch.undo()
    completes(url, corpus, pipeline, clean)


def test_faults_corrupt_sqlite_file(tmp_path: Path, corpus: list, pipeline: Pipeline, clean: dict) -> None:
    db = tmp_path / "store.sqlite"
    ingest(f"sqlite:///{db}", corpus[:BATCH], pipeline)
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    data[page:] = b"\xa5" * (len(data) - page)  # every page after the first overwritten
    db.write_bytes(bytes(data))
    for f in tmp_path.glob("store.sqlite-*"):
        f.unlink()
    with pytest.raises(StoreError) as info:
        ingest(f"sqlite:///{db}", corpus, pipeline)
    one_line(info.value, str(db), "corrupt")
    assert db.read_bytes() == bytes(data)  # nothing written into the broken file
    # the file is beyond repair by ahdath: a run into a new one gives exactly a clean run's data
    fresh = f"sqlite:///{tmp_path}/fresh.sqlite"
    ingest(fresh, corpus, pipeline)
    assert dump(fresh) == clean


def _terminate(conn: Any) -> None:
    """End this connection's server process, as a server restart does to every client."""
    import psycopg

    pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    url = conn.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_faults_postgresql_connection_lost_mid_ingest(new_postgres_db: Any, corpus: list, pipeline: Pipeline,
                                                      clean: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    url = new_postgres_db()
    _FailAt(monkeypatch, 3, _terminate)
    with pytest.raises(StoreError) as info:
        ingest(url, corpus, pipeline)
    monkeypatch.undo()
    one_line(info.value, url.split("@")[-1], "connection to the database server was lost")
    assert 0 < len(dump(url)["reports"]) < len(clean["reports"])
    completes(url, corpus, pipeline, clean)


def test_faults_postgresql_restarted_mid_ingest(postgres_server: Any, new_postgres_db: Any, corpus: list,
                                                pipeline: Pipeline, clean: dict,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The server itself stopped (fast shutdown, as a service restart does) and started again
    between two batches' writes: the running ingest fails with one line, the next one completes."""
    if postgres_server.restart is None:
        pytest.skip("AHDATH_TEST_POSTGRES_URL names a server the tests must not restart")
    url = new_postgres_db()
    restarts: list[float] = []

    def restart(_conn: Any) -> None:
        restarts.append(1.0)
        postgres_server.restart()

    _FailAt(monkeypatch, 3, restart)
    with pytest.raises(StoreError) as info:
        ingest(url, corpus, pipeline)
    monkeypatch.undo()
    assert restarts == [1.0]
    one_line(info.value, url.split("@")[-1], "connection to the database server was lost")
    assert 0 < len(dump(url)["reports"]) < len(clean["reports"])
    completes(url, corpus, pipeline, clean)
