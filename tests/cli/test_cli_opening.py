"""Which commands may create, migrate or write a store, end to end through ``ahdath.cli.main``: a
mistyped --db, another program's SQLite file, an older schema, a read-only file or folder."""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from mounts import read_only_mount

from ahdath.cli.main import main
from ahdath.store.db import make_engine, resolve_url
from ahdath.store.migrate import current_revision, head_revision, upgrade

STRIKES = Path(__file__).resolve().parents[1] / "store" / "data" / "strikes.jsonl"
NOBODY = 65534

# every command that needs a store and must not make one (the event ids do not exist: the store is
# looked for before the id is)
NEEDS_A_STORE = [
    ["events"], ["show", "SYR1"], ["export"], ["export", "--deleted"], ["export", "-f", "jsonl"],
    ["db", "status"], ["gazetteer", "unresolved"],
    ["edit", "SYR1", "fatalities=1"], ["delete", "SYR1", "--reason", "x"], ["merge", "SYR1", "SYR2"],
    ["split", "SYR1", "r1"], ["reextract", "-q"],
]
CREATES = [["ingest", "-q", str(STRIKES)], ["db", "upgrade"]]


def _ids(argv: list[str]) -> str:
    return " ".join(argv[:2])


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AHDATH_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(argv)
    return rc, out.getvalue(), err.getvalue()


def run_as_nobody(argv: list[str]) -> tuple[int, str, str]:
    """``run`` in a forked child that has dropped root for the `nobody` user, for whom file modes
    count. The modules the command needs must be imported already (the child may not read root's
    Python): the tests run each command as root first."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        try:
            os.close(read)
            os.setgroups([])
            os.setresgid(NOBODY, NOBODY, NOBODY)
            os.setresuid(NOBODY, NOBODY, NOBODY)
            payload = list(run(argv))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            payload = [-1, "", f"{type(exc).__name__}: {exc}"]
        with os.fdopen(write, "w") as fh:
            fh.write(json.dumps(payload))
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    rc, out, err = json.loads(data)
    return rc, out, err


def one_error_line(err: str, code: str, name: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith(f"ahdath: {name}: [{code}] "), err
    return lines[0]


@pytest.mark.parametrize("argv", NEEDS_A_STORE, ids=_ids)
@pytest.mark.parametrize("where", ["typo.sqlite", "no/such/folder/typo.sqlite"])
def test_cli_opening_mistyped_db_is_an_error_and_creates_nothing(tmp_path: Path, argv: list[str],
                                                                 where: str) -> None:
    db = tmp_path / "work" / where
    (tmp_path / "work").mkdir()
    rc, _out, err = run([*argv, "--db", str(db)])
    assert rc == 1
    line = one_error_line(err, "E606", str(db))
    assert "no database there (check --db)" in line
    assert list((tmp_path / "work").iterdir()) == []


@pytest.mark.parametrize("argv", [["events"], ["db", "status"]], ids=_ids)
def test_cli_opening_default_database_is_not_made_by_reading(tmp_path: Path, argv: list[str]) -> None:
    rc, _out, err = run(argv)
    assert rc == 1 and "[E606]" in err and "run `ahdath ingest` first" in err
    assert not (tmp_path / "data").exists()


def _foreign(path: Path) -> bytes:
    """Another program's SQLite file (a rollback journal, as most programs keep)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers VALUES (1, 'مكتبة الحي')")
    conn.commit()
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize("argv", NEEDS_A_STORE + CREATES, ids=_ids)
def test_cli_opening_foreign_sqlite_file_refused_byte_for_byte(tmp_path: Path, argv: list[str]) -> None:
    db = tmp_path / "work" / "shop.sqlite"
    db.parent.mkdir()
    before = _foreign(db)
    rc, _out, err = run([*argv, "--db", str(db)])
    assert rc == 1
    line = one_error_line(err, "E607", str(db))
    assert "not ahdath's (customers)" in line and "`ahdath db upgrade --adopt`" in line
    assert db.read_bytes() == before
    assert [p.name for p in db.parent.iterdir()] == ["shop.sqlite"]  # no -wal, -shm or lock file


def test_cli_opening_db_upgrade_adopt_then_ingest(tmp_path: Path) -> None:
    db = tmp_path / "shop.sqlite"
    _foreign(db)
    rc, _out, err = run(["db", "upgrade", "--adopt", "--db", str(db)])
    assert rc == 0 and "upgraded from empty" in err
    assert run(["ingest", "-q", str(STRIKES), "--db", str(db)])[0] == 0
    rc, out, _err = run(["export", "-f", "jsonl", "--db", str(db)])
    assert rc == 0 and len(out.splitlines()) >= 2
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT name FROM customers").fetchall() == [("مكتبة الحي",)]
    finally:
        conn.close()


def test_cli_opening_read_of_an_older_schema_asks_for_db_upgrade(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    engine = make_engine(resolve_url(str(db), environ={}))
    try:
        upgrade(engine, "0001_initial")
    finally:
        engine.dispose()
    rc, _out, err = run(["events", "--db", str(db)])
    assert rc == 1
    line = one_error_line(err, "E602", str(db))
    assert "older than this ahdath's" in line and "`ahdath db upgrade`" in line
    rc, out, err = run(["db", "status", "--db", str(db)])
    assert rc == 0 and "schema     0001_initial" in out and "`ahdath db upgrade` brings it up to date" in err
    engine = make_engine(resolve_url(str(db), environ={}))
    try:
        assert current_revision(engine) == "0001_initial"  # reading changed nothing
        assert run(["db", "upgrade", "--db", str(db)])[0] == 0
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
    assert run(["events", "--db", str(db)])[0] == 0


# -- read-only stores ----------------------------------------------------------------------------

def _read_commands(db: Path, event_id: str) -> list[list[str]]:
    return [["events", "--db", str(db)], ["show", event_id, "--db", str(db)],
            ["show", event_id, "--json", "--db", str(db)], ["export", "--db", str(db)],
            ["export", "-f", "jsonl", "--db", str(db)], ["export", "--deleted", "--db", str(db)],
            ["db", "status", "--db", str(db)], ["gazetteer", "unresolved", "--db", str(db)]]


@contextlib.contextmanager
def _shared_folder() -> Iterator[Path]:
    """A folder the `nobody` user can reach (pytest's own tmp folders are root's alone)."""
    base = Path(tempfile.mkdtemp(prefix="ahdath-opening-"))
    try:
        base.chmod(0o755)
        yield base
    finally:
        for p in (base, *base.rglob("*")):
            with contextlib.suppress(OSError):
                p.chmod(0o755 if p.is_dir() else 0o644)
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def _read_only(folder: Path, how: str) -> Iterator[None]:
    if how == "mount":  # root writes through file modes: a read-only mount stops it
        with read_only_mount(folder, folder.with_name("keep")):
            yield
        return
    for f in folder.iterdir():
        f.chmod(0o444)
    # a read-only file in a folder the reader may write, or a folder nobody but its owner may write
    folder.chmod(0o777 if how == "chmod-file" else 0o555)
    try:
        yield
    finally:
        folder.chmod(0o755)
        for f in folder.iterdir():
            f.chmod(0o644)


@pytest.mark.parametrize("how", ["mount", "chmod-folder", "chmod-file"])
def test_cli_opening_read_only_store_is_readable(how: str) -> None:
    with _shared_folder() as base:
        folder = base / "store"
        folder.mkdir()
        db = folder / "events.sqlite"
        assert run(["ingest", "-q", str(STRIKES), "--db", str(db)])[0] == 0
        rc, out, _err = run(["export", "-f", "jsonl", "--db", str(db)])
        first, second = (json.loads(line)["event_id"] for line in out.splitlines()[:2])
        assert run(["delete", second, "--reason", "a test tombstone", "--db", str(db)])[0] == 0
        commands = _read_commands(db, first)
        expected = [run(argv) for argv in commands]  # also imports what the commands need
        assert all(rc == 0 for rc, _out, _err in expected), expected
        before = {p.name: p.read_bytes() for p in folder.iterdir()}
        as_user = run if how == "mount" or os.geteuid() != 0 else run_as_nobody
        with _read_only(folder, how):
            for argv, (rc, out, err) in zip(commands, expected):
                assert as_user(argv) == (rc, out, err), argv
            after = {p.name: p.read_bytes() for p in folder.iterdir()}
            if how == "chmod-file":
                # SQLite's read-only connection makes the -wal and -shm files a WAL reader needs where
                # the folder lets it, and cannot delete them: empty, they change nothing
                assert after.pop("events.sqlite-wal", b"") == b""
                after.pop("events.sqlite-shm", None)
            assert after == before
            rc, _out, err = as_user(["edit", first, "fatalities=9", "--db", str(db)])
            assert rc == 1 and "read-only" in err and len(err.splitlines()) == 1, err  # writes still fail
            assert {p.name: p.read_bytes() for p in folder.iterdir()}["events.sqlite"] == before["events.sqlite"]
