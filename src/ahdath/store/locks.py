"""How long a writer waits for the store's write lock, and who holds it when the wait runs out.

Writers are serialised (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock: see ``db`` and
``repository``), so a writer that never lets go, such as a stopped process or a session left idle
in its transaction, would make every later writer wait forever. The wait is bounded instead:
``--lock-timeout``, else ``$AHDATH_LOCK_TIMEOUT``, else 60 s. When it runs out the command ends
with ``StoreLockTimeoutError`` (E605), one line naming the database and the holder: on PostgreSQL
its backend pid, application name (ahdath sets ``ahdath COMMAND (pid N)``), client address, state
and how long its transaction has been open, from ``pg_locks`` and ``pg_stat_activity``; on SQLite
the process holding the WAL write lock, from ``/proc/locks`` where the system has it.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ahdath.errors import StoreLockTimeoutError, UsageError

ENV_VAR = "AHDATH_LOCK_TIMEOUT"
DEFAULT_SECONDS = 60.0
# Execution option carrying the engine's lock timeout to its write transactions (``make_engine``).
TIMEOUT_OPTION = "ahdath_lock_timeout"
# SQLite's WAL write lock: byte 120 of the -shm file (UNIX_SHM_BASE + WAL_WRITE_LOCK in os_unix.c)
_SQLITE_WRITE_BYTE = "120"
_SQLITE_BUSY = 5


def resolve_timeout(value: float | None = None, *, environ: Mapping[str, str] | None = None) -> float:
    """Seconds a writer waits for the lock: ``value`` (``--lock-timeout``), else ``$AHDATH_LOCK_TIMEOUT``,
    else 60."""
    if value is not None:
        seconds = float(value)
        if not 0 < seconds < float("inf"):
            raise UsageError(f"not a positive number of seconds: {value!r}", source="--lock-timeout")
        return seconds
    raw = ((os.environ if environ is None else environ).get(ENV_VAR) or "").strip()
    if not raw:
        return DEFAULT_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise UsageError(f"not a positive number of seconds: {raw!r}", source=ENV_VAR)
    return seconds


def milliseconds(seconds: float) -> int:
    """A timeout as PostgreSQL and SQLite take it; at least 1 (0 would mean "wait forever")."""
    return max(1, round(seconds * 1000))


def timeout_of(conn: Any) -> float:
    """The lock timeout the connection's engine was made with."""
    return float(conn.get_execution_options().get(TIMEOUT_OPTION, DEFAULT_SECONDS))


def is_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked": the busy timeout ran out."""
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return int(code) & 0xFF == _SQLITE_BUSY
    return type(orig).__module__ == "sqlite3" and "database is locked" in str(orig)


def is_lock_timeout(exc: BaseException) -> bool:
    """A lock wait ran out: PostgreSQL's lock_timeout (SQLSTATE 55P03) or SQLite's busy timeout."""
    orig = getattr(exc, "orig", None) or exc
    return getattr(orig, "sqlstate", None) == "55P03" or is_busy(exc)


def timeout_error(db: Any, engine: Any, seconds: float, pg_key: int) -> StoreLockTimeoutError:
    """E605 for a write that waited ``seconds`` in vain, naming who holds the lock where it can
    be found (``pg_key``: the advisory lock's key)."""
    if db.backend == "postgresql":
        holders = _pg_holders(engine, pg_key)
        advice = (f"if it is stuck, end it (SELECT pg_terminate_backend({holders[0][0]})) or stop its process, "
                  if len(holders) == 1 else "")
    else:
        holders = _sqlite_holders(db.path) if db.path is not None else []
        advice = "if it is stuck, stop that process, " if holders else ""
    who = "; ".join(text for _pid, text in holders) or "another writer (this system cannot tell which)"
    return StoreLockTimeoutError(
        f"the store's write lock was not free after {seconds:g} s: held by {who}; {advice}or wait longer "
        f"(--lock-timeout SECONDS, or {ENV_VAR} for any command); nothing was written", source=db.display())


def _pg_holders(engine: Any, key: int) -> list[tuple[int, str]]:
    """The sessions holding advisory lock ``key`` in this database, described."""
    hi, lo = (key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF
    sql = ("SELECT l.pid, a.application_name, host(a.client_addr), a.client_port, a.state, "
           "extract(epoch FROM clock_timestamp() - a.xact_start) "
           "FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
           "WHERE l.locktype = 'advisory' AND l.granted AND l.pid <> pg_backend_pid() "
           "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
           f"AND l.classid = {hi} AND l.objid = {lo} AND l.objsubid = 1 ORDER BY l.pid")
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(sql).all()
    except Exception:  # noqa: BLE001 - the error to give is the timeout; the details are a bonus
        return []
    return [(int(pid), _pg_holder(int(pid), app, addr, port, state, held))
            for pid, app, addr, port, state, held in rows]


def _pg_holder(pid: int, app: str | None, addr: str | None, port: int | None, state: str | None,
               held: float | None) -> str:
    if state is None:  # another role's session, seen without pg_read_all_stats
        return f"PostgreSQL backend pid {pid} (its details are hidden from this database user)"
    where = f"from {addr}:{port}" if addr else "over a local socket"
    since = f", transaction open for {held:.0f} s" if held is not None else ""
    return f"PostgreSQL backend pid {pid} ({app!r} {where}, {state}{since})" if app else \
        f"PostgreSQL backend pid {pid} (no application name, {where}, {state}{since})"


def _sqlite_holders(path: Path) -> list[tuple[int, str]]:
    """The processes holding the WAL write lock of the SQLite file at ``path``, from Linux's
    ``/proc/locks`` (SQLite locks with ``fcntl``, which the kernel lists with the holder's pid)."""
    try:
        inode = os.stat(f"{path}-shm").st_ino
        table = Path("/proc/locks").read_text()
    except OSError:
        return []
    pids: set[int] = set()
    for line in table.splitlines():
        # "3: POSIX  ADVISORY  WRITE 4242 08:01:1234567 120 120"; a waiter's line has "->" after the number
        parts = line.split()
        if len(parts) < 8 or parts[1] != "POSIX" or parts[3] != "WRITE" or parts[6] != _SQLITE_WRITE_BYTE:
            continue
        if parts[5].rsplit(":", 1)[-1] == str(inode) and parts[4].isdigit():
            pids.add(int(parts[4]))
    return [(pid, f"pid {pid}{_command(pid)}") for pid in sorted(pids)]


def _command(pid: int) -> str:
    """`` (COMMAND LINE)`` of a process, shortened, or "" where it cannot be read."""
    if pid == os.getpid():
        return " (this process)"
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return ""
    argv = [a for a in argv if a]
    if len(argv) > 1 and Path(argv[0]).name.startswith("python"):
        argv = argv[1:]  # the interpreter running a script: the script says more
    if not argv:
        return ""
    text = " ".join([Path(argv[0]).name, *argv[1:]])
    return f" ({text[:77]}...)" if len(text) > 80 else f" ({text})"
