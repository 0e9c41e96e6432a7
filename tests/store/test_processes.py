"""Processes: an `ingest --jobs 2` killed (SIGKILL) or stopped (SIGTERM) mid-run leaves no extraction
worker behind, and its workers never held the store's connections; the next run then finishes the
job, and the store equals one clean run's (SQLite and PostgreSQL, real processes)."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url


from synthetic import write_reports
from test_faults import dump
from test_ingest import count_reports as _count

AHDATH = [sys.executable, "-m", "ahdath"]
BATCH = 20
GONE_WITHIN = 5.0  # seconds for the workers to be gone once their parent is

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from Linux's /proc")


def _ingest(url: str, path: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*AHDATH, "ingest", "-q", "--jobs", "2", "--batch", str(BATCH), "--db", url,
                             str(path), *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name: [state, ppid, ...], starttime at index 19."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def _children(pid: int) -> dict[int, str]:
    """The live children of ``pid``, each with its start time (so that a reused pid is not taken
    for the same process)."""
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) and fields[1] == str(pid) and fields[0] != "Z":
            out[int(entry)] = fields[19]
    return out


def _alive(pid: int, started: str) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z" and fields[19] == started


def _database_handles(pid: int, url: str) -> list[str]:
    """What ``pid`` holds open of the store: its SQLite files, or TCP sockets to the PostgreSQL server."""
    parsed = make_url(url)
    sockets: set[str] = set()
    if parsed.get_backend_name() == "postgresql":
        port = f"{parsed.port or 5432:04X}"
        for table in ("tcp", "tcp6"):
            try:
                lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
            except OSError:
                continue
            for line in lines:  # "sl local_address rem_address st ... uid timeout inode"
                fields = line.split()
                if fields[2].rsplit(":", 1)[1] == port:
                    sockets.add(f"socket:[{fields[9]}]")
    held = []
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return []
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target in sockets or (parsed.database and target.startswith(str(parsed.database))
                                 and parsed.get_backend_name() == "sqlite"):
            held.append(target)
    return held


def _whole_batches(url: str) -> int:
    """No batch half-stored: whole batches only, and every report with the mentions it counts."""
    d = dump(url)
    per_report: dict[Any, int] = {}
    for m in d["mentions"]:
        per_report[dict(m)["report_id"]] = per_report.get(dict(m)["report_id"], 0) + 1
    for r in map(dict, d["reports"]):
        assert per_report.get(r["content_hash"], 0) == int(r["n_events"]), r["article_id"]
    assert len(d["reports"]) % BATCH == 0
    return len(d["reports"])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """600 reports (30 batches): a run is stopped after its second batch, far from its end, and each
    test extracts the whole corpus about once, so a bigger one only costs time."""
    path = tmp_path_factory.mktemp("procs") / "reports.jsonl"
    return path, write_reports(path, n_days=20, outlets=3)


@pytest.fixture(scope="module")
def clean(corpus: tuple[Path, int], tmp_path_factory: pytest.TempPathFactory) -> dict:
    url = f"sqlite:///{tmp_path_factory.mktemp('clean')}/clean.sqlite"
    proc = _ingest(url, corpus[0])
    _out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    return dump(url)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_processes_ingest_stopped_mid_run_leaves_no_worker(db_url: str, corpus: tuple[Path, int], clean: dict,
                                                           how: signal.Signals) -> None:
    proc = _ingest(db_url, corpus[0])
    workers: dict[int, str] = {}
    deadline = time.monotonic() + 300
    while _count(db_url) < 2 * BATCH or len(workers) < 2:
        assert proc.poll() is None, "ingest finished before it could be stopped: make the corpus bigger"
        assert time.monotonic() < deadline, "ingest stored nothing in 300 s"
        workers = _children(proc.pid)
        time.sleep(0.02)
    assert len(workers) == 2, workers
    # the workers were forked after the parent had read the store: they must hold none of it
    handles = {pid: _database_handles(pid, db_url) for pid in workers}
    assert _database_handles(proc.pid, db_url), "the check of the workers would not see the parent's connections"

    proc.send_signal(how)
    proc.wait(timeout=60)  # not its output yet: a worker left behind would hold its pipes open
    deadline = time.monotonic() + GONE_WITHIN
    while any(_alive(pid, started) for pid, started in workers.items()) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid, started in workers.items() if _alive(pid, started)]
    for pid in left:  # never leave them to the rest of the suite
        os.kill(pid, signal.SIGKILL)
    assert left == [], f"workers left {GONE_WITHIN} s after their parent ended"
    assert handles == {pid: [] for pid in workers}, "workers held the parent's database connections"
    _out, err = proc.communicate(timeout=60)
    if how == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM, err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, err
        assert lines[0].startswith("ahdath: ingest stopped by SIGTERM after ") and "rolled back" in lines[0], err
    else:
        assert proc.returncode == -signal.SIGKILL
    stored = _whole_batches(db_url)
    assert 0 < stored < corpus[1]

    # a later writer is not kept waiting by anything the stopped run left (E605 after 30 s if it were)
    again = _ingest(db_url, corpus[0], "--lock-timeout", "30")
    _out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    assert f"reports: {corpus[1] - stored} new, {stored} unchanged, 0 failed" in err
    assert dump(db_url) == clean


def test_processes_orphaned_worker_watches_its_parent(tmp_path: Path) -> None:
    """The portable guard alone (no Linux parent-death signal): a process running the workers'
    watch on a parent that is then killed exits within a second or so."""
    script = tmp_path / "orphan.py"
    script.write_text(
        "import os, sys, threading, time\n"
        "from ahdath.store.workers import _watch\n"
        "parent = os.getpid()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    threading.Thread(target=_watch, args=(parent,), daemon=True).start()\n"
        "    time.sleep(120)\n"
        "    os._exit(0)\n"
        "print(pid, flush=True)\n"
        "time.sleep(120)\n")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    started = (_stat(child) or [""] * 20)[19]
    time.sleep(0.3)
    assert _alive(child, started)
    parent.kill()
    parent.wait(timeout=30)
    deadline = time.monotonic() + GONE_WITHIN
    while _alive(child, started) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = _alive(child, started)
    if alive:
        os.kill(child, signal.SIGKILL)
    assert not alive, "the orphan outlived its parent"


def test_processes_worker_killed_from_outside_is_one_line(tmp_path: Path, corpus: tuple[Path, int]) -> None:
    """A worker the system kills (out of memory) ends the ingest with one coded line, no traceback; what
    was stored stays whole and the next run completes it."""
    url = f"sqlite:///{tmp_path}/store.sqlite"
    proc = _ingest(url, corpus[0])
    deadline = time.monotonic() + 300
    workers: dict[int, str] = {}
    while _count(url) < BATCH or len(workers) < 2:
        assert proc.poll() is None, "ingest finished before a worker could be killed: make the corpus bigger"
        assert time.monotonic() < deadline, "ingest stored nothing in 300 s"
        workers = _children(proc.pid)
        time.sleep(0.02)
    os.kill(min(workers), signal.SIGKILL)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert "[E700]" in lines[0] and "killed by SIGKILL" in lines[0], err
    stored = _whole_batches(url)
    again = _ingest(url, corpus[0])
    _out, err = again.communicate(timeout=600)
    assert again.returncode == 0 and f"{stored} unchanged" in err, err


def test_processes_stop_silences_the_pools_reset_traceback() -> None:
    # the pool logs a failed reset through a child logger ("sqlalchemy.pool.impl.QueuePool"); a stop
    # that lands in that reset must leave the one line the command prints, not a traceback too
    from ahdath.cli.ingest import Stopped, _stopped_by_signals

    pool = logging.getLogger("sqlalchemy.pool")
    child = logging.getLogger("sqlalchemy.pool.impl.QueuePool")
    level = pool.level
    try:
        assert child.isEnabledFor(logging.ERROR)
        # (signal handlers are the main thread's: elsewhere the SIGTERM would end the test process)
        assert threading.current_thread() is threading.main_thread()
        with pytest.raises(Stopped), _stopped_by_signals() as raised:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # (the handler raises at once; the sleep is never reached in full)
        assert raised == [signal.SIGTERM]
        assert not child.isEnabledFor(logging.ERROR)
    finally:
        pool.setLevel(level)
