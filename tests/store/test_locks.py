"""The store's write lock: a writer kept waiting gives up after the lock timeout with E605, one line
naming the database and the holder (PostgreSQL: its backend pid and application name; SQLite: its
process, where /proc/locks tells), and a SIGTERM ends the wait at once (SQLite and PostgreSQL)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from ahdath.errors import StoreLockTimeoutError, UsageError
from ahdath.store import Store, resolve_url
from ahdath.store.locks import DEFAULT_SECONDS, ENV_VAR, resolve_timeout

from factory import article, event

AHDATH = [sys.executable, "-m", "ahdath"]
SLACK = 3.0  # seconds a give-up may come after the timeout on a loaded machine
HOLDER = """\
import os, sys, time
from ahdath.store import Store, resolve_url
with Store.open(sys.argv[1], application="ahdath holder") as store, store.transaction() as conn:
    backend = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() if store.db.backend == "postgresql" else 0
    print(os.getpid(), backend, flush=True)
    sys.stdin.read()  # holds the lock until the test closes stdin
"""


def _postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


@pytest.fixture
def holder(db_url: str, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Another process in the middle of a write transaction, and the pid a message must name."""
    Store.open(db_url).close()  # the schema first, so that nobody waits on a migration
    script = tmp_path / "holder.py"
    script.write_text(HOLDER)
    proc = subprocess.Popen([sys.executable, str(script), db_url], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdin is not None
    pid, backend = proc.stdout.readline().split()
    try:
        yield proc, backend if _postgres(db_url) else pid
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)


def _one_line(text: str, db_url: str, holder_pid: str) -> None:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, text
    shown = resolve_url(db_url).display()  # the database as messages name it
    assert f"{shown}: [E605] " in lines[0] and "not free after" in lines[0], text
    assert f"pid {holder_pid}" in lines[0], text


def test_locks_second_writer_gets_e605_naming_the_holder(db_url: str) -> None:
    with Store.open(db_url, application="ahdath holder") as first, Store.open(db_url, lock_timeout=0.5) as second:
        with first.transaction() as conn:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() if _postgres(db_url) else os.getpid()
            started = time.monotonic()
            with pytest.raises(StoreLockTimeoutError) as info:
                second.add_reports([(article("waits"), [event(1)])])
            waited = time.monotonic() - started
        assert 0.5 <= waited < 0.5 + SLACK
        text = str(info.value)
        assert "\n" not in text and text.startswith(f"{second.db.display()}: [E605] ")
        assert "not free after 0.5 s" in text and f"pid {pid}" in text, text
        if _postgres(db_url):
            assert f"'ahdath holder (pid {os.getpid()})'" in text and "idle in transaction" in text, text
        # the holder done, the same writer goes ahead, and nothing of its failed try was kept
        [outcome] = second.add_reports([(article("waits"), [event(1)])])
        assert outcome.status == "new" and outcome.events_new == 1


def test_locks_cli_ingest_gives_up_with_one_line(db_url: str, holder: tuple, tmp_path: Path) -> None:
    _proc, holder_pid = holder
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "w1", "published": "2024-03-12", "text": "قتل خمسة مدنيين في غارة جوية على مدينة سراقب"}\n',
                    encoding="utf-8")
    started = time.monotonic()
    run = subprocess.run([*AHDATH, "ingest", "-q", "--lock-timeout", "0.5", "--db", db_url, str(feed)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    _one_line(run.stderr, db_url, holder_pid)
    assert "--lock-timeout" in run.stderr and ENV_VAR in run.stderr
    assert time.monotonic() - started < 60  # the default timeout would have waited 60 s more


def test_locks_environment_sets_the_timeout(db_url: str, holder: tuple, tmp_path: Path) -> None:
    _proc, holder_pid = holder
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "w2", "published": "2024-03-12", "text": "قتل ستة مدنيين في غارة جوية على مدينة أريحا"}\n',
                    encoding="utf-8")
    run = subprocess.run([*AHDATH, "ingest", "-q", "--db", db_url, str(feed)], capture_output=True, text=True,
                         timeout=120, env={**os.environ, ENV_VAR: "0.5"})
    assert run.returncode == 1, run.stderr
    _one_line(run.stderr, db_url, holder_pid)
    assert "not free after 0.5 s" in run.stderr


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_locks_signal_ends_a_wait_at_once(db_url: str, holder: tuple, tmp_path: Path, how: signal.Signals) -> None:
    """SQLite waits for its lock inside one C call; the wait goes in slices, so a signal is acted on
    at once rather than when the 60 s run out (PostgreSQL: the driver cancels the statement)."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "w3", "published": "2024-03-12", "text": "قتل أربعة مدنيين في غارة جوية على مدينة نوى"}\n',
                    encoding="utf-8")
    proc = subprocess.Popen([*AHDATH, "ingest", "-q", "--db", db_url, str(feed)], stderr=subprocess.PIPE, text=True)
    _wait_until_waiting(proc, db_url)
    started = time.monotonic()
    proc.send_signal(how)
    _out, err = proc.communicate(timeout=60)
    assert time.monotonic() - started < SLACK, err
    assert proc.returncode == 128 + how, err
    assert err.strip().splitlines() == [
        f"ahdath: ingest stopped by {how.name} after 0 reports: the batch in flight was rolled back and nothing "
        "of it stored; run the same command again to finish"], err


def _wait_until_waiting(proc: subprocess.Popen[str], db_url: str) -> None:
    """Until ``proc`` waits for the write lock: on PostgreSQL a session waits for the advisory lock;
    on SQLite (whose waits show nowhere) a second after it has opened the store's files, by which
    time its one report is extracted and its BEGIN IMMEDIATE is waiting."""
    deadline = time.monotonic() + 120
    if _postgres(db_url):
        import psycopg

        from pgserver import libpq_url

        with psycopg.connect(libpq_url(db_url), autocommit=True) as admin:
            while not admin.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                                    ).fetchone()[0]:  # type: ignore[index]
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        return
    shm = f"{make_url(db_url).database}-shm"
    while not any(os.path.realpath(f"/proc/{proc.pid}/fd/{fd}") == os.path.realpath(shm)
                  for fd in _fds(proc.pid)):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(1.0)


def _fds(pid: int) -> list[str]:
    try:
        return os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return []


@pytest.mark.parametrize(("given", "environ", "expected"), [
    (None, {}, DEFAULT_SECONDS),
    (None, {ENV_VAR: " 2.5 "}, 2.5),
    (7.0, {ENV_VAR: "2.5"}, 7.0),  # the option wins
    (None, {ENV_VAR: ""}, DEFAULT_SECONDS),
])
def test_locks_timeout_resolution(given: float | None, environ: dict[str, str], expected: float) -> None:
    assert resolve_timeout(given, environ=environ) == expected


@pytest.mark.parametrize("bad", ["soon", "0", "-1", "inf", "nan"])
def test_locks_timeout_refuses_a_bad_environment_value(bad: str) -> None:
    with pytest.raises(UsageError) as info:
        resolve_timeout(None, environ={ENV_VAR: bad})
    assert str(info.value).startswith(f"{ENV_VAR}: [E500] ") and repr(bad) in str(info.value)


def test_locks_migration_wait_is_bounded_and_names_the_holder(new_postgres_db: object) -> None:
    """A process stuck mid-migration holds the migration lock: a second first-open gives up with
    E605 naming it, not waiting for ever."""
    import psycopg

    url = new_postgres_db()  # type: ignore[operator]
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as stuck:
        pid = stuck.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
        stuck.execute("SELECT pg_advisory_lock(%s)", (0x6168646D,))
        started = time.monotonic()
        with pytest.raises(StoreLockTimeoutError) as info:
            Store.open(url, lock_timeout=0.5)
        assert time.monotonic() - started < 0.5 + SLACK
    text = str(info.value)
    assert "\n" not in text and "[E605]" in text and f"pid {pid}" in text, text
    Store.open(url).close()  # the lock released, the store opens (and migrates)


@pytest.mark.parametrize("argv", [["edit", "SYR1", "fatalities=3"], ["delete", "SYR1", "--reason", "not one"],
                                  ["db", "upgrade"]], ids=["edit", "delete", "db-upgrade"])
def test_locks_review_and_db_commands_take_the_lock_timeout(db_url: str, holder: tuple, argv: list[str]) -> None:
    """Every writing command gives up after ``--lock-timeout`` with one line naming the holder."""
    _proc, holder_pid = holder
    started = time.monotonic()
    run = subprocess.run([*AHDATH, *argv, "--db", db_url, "--lock-timeout", "0.5"], capture_output=True, text=True,
                         timeout=120)
    if argv[0] == "db":
        # the schema is current: an upgrade has nothing to wait for and must not wait
        assert run.returncode == 0, run.stderr
        return
    assert time.monotonic() - started < 0.5 + SLACK + 5  # a fresh process: its start-up too
    assert run.returncode == 1, run.stderr
    _one_line(run.stderr, db_url, holder_pid)
