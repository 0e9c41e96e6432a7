"""A throwaway, real PostgreSQL server for the test suite.

`running_server()` finds the server binaries (Debian's /usr/lib/postgresql/<ver>/bin,
newest first, then PATH), creates a cluster in a temporary folder, starts it on
127.0.0.1 with trust authentication and durability switched off, creates the
database `ahdath_test`, and yields its SQLAlchemy URL. On exit it stops the server
(`pg_ctl stop -m fast`), reaps it and deletes the folder. Should the test process die
without cleaning up, Linux sends the server SIGINT, so no server outlives its session.
Where AHDATH_TEST_POSTGRES_URL names an existing server, that one is used and nothing
is started or stopped.

PostgreSQL refuses to run as root, so under root (CI containers) initdb and pg_ctl
run as the unprivileged `postgres` system user, which owns the temporary folder.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

ENV_URL = "AHDATH_TEST_POSTGRES_URL"
ENV_REQUIRE = "AHDATH_REQUIRE_POSTGRES"
DEBIAN_ROOT = Path("/usr/lib/postgresql")
SERVER_USER = "postgres"
DATABASE = "ahdath_test"

# A test server loses nothing worth keeping on a crash, so trade durability for speed.
_SERVER_SETTINGS = (
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=100",
)
# Variables that would point libpq tools at some other cluster.
_FOREIGN_ENV = ("PGDATA", "PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE", "PGSERVICE", "PGOPTIONS")
_START_ATTEMPTS = 3
_START_SECONDS = 60
_STOP_SECONDS = 60
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# Unix socket paths are limited to about 107 bytes (sockaddr_un), the socket name included.
_MAX_SOCKET_DIR = 80


class PgServerError(Exception):
    """PostgreSQL could not be found, started or reached; the message says why."""


@dataclass(frozen=True, slots=True)
class PgBinaries:
    initdb: Path
    pg_ctl: Path
    postgres: Path
    version: str  # the folder's version ("15"), or "" when found on PATH


@dataclass(frozen=True, slots=True)
class PgServer:
    url: str  # SQLAlchemy URL of the `ahdath_test` database
    version: str  # server_version as the server reports it
    started: bool  # False when AHDATH_TEST_POSTGRES_URL named an existing server
    startup_seconds: float  # initdb + start + CREATE DATABASE; 0 for an existing server
    data_dir: Path | None
    # stops the server (fast shutdown, as a service restart does) and starts it again on the same
    # port and data; None for an existing server, which the tests must not restart
    restart: Callable[[], None] | None = None


def postgres_required() -> bool:
    """Whether a missing PostgreSQL must fail the tests rather than skip them (CI sets it)."""
    return os.environ.get(ENV_REQUIRE, "").strip() not in ("", "0")


def sqlalchemy_url(url: str) -> str:
    """`postgres://` and `postgresql://` URLs with the psycopg (3) driver SQLAlchemy needs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def libpq_url(url: str) -> str:
    """The libpq form of a SQLAlchemy PostgreSQL URL, for psycopg.connect."""
    parsed = make_url(sqlalchemy_url(url))
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def with_database(url: str, database: str) -> str:
    """The same server URL, pointing at another database."""
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (-1,)


def find_binaries(debian_root: Path = DEBIAN_ROOT) -> PgBinaries | None:
    """initdb and pg_ctl of the newest Debian-installed version, else from PATH."""
    if debian_root.is_dir():
        versions = sorted(
            (entry for entry in debian_root.iterdir() if (entry / "bin" / "initdb").is_file()),
            key=lambda entry: _version_key(entry.name),
            reverse=True,
        )
        for entry in versions:
            tools = [entry / "bin" / name for name in ("initdb", "pg_ctl", "postgres")]
            if all(os.access(tool, os.X_OK) for tool in tools):
                return PgBinaries(*tools, version=entry.name)
    initdb_path, pg_ctl_path = shutil.which("initdb"), shutil.which("pg_ctl")
    if not (initdb_path and pg_ctl_path):
        return None
    # the server binary lives beside pg_ctl's real file, not always on PATH
    beside = Path(pg_ctl_path).resolve().parent / "postgres"
    postgres_path = str(beside) if os.access(beside, os.X_OK) else shutil.which("postgres")
    if not postgres_path:
        return None
    return PgBinaries(Path(initdb_path), Path(pg_ctl_path), Path(postgres_path), version="")


@dataclass(frozen=True, slots=True)
class _Runner:
    """Runs server tools as the user allowed to own a cluster."""

    uid: int | None  # None: run as ourselves
    gid: int | None
    env: dict[str, str]

    def _identity(self) -> dict[str, object]:
        if self.uid is None:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def run(self, args: list[str], *, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                args,
                cwd=cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                **self._identity(),  # type: ignore[arg-type]
            )
        except (OSError, subprocess.SubprocessError) as err:
            raise PgServerError(f"could not run {Path(args[0]).name}: {err}") from err

    def spawn(self, args: list[str], *, cwd: Path, log: Path) -> subprocess.Popen[bytes]:
        try:
            with log.open("ab") as out:
                return subprocess.Popen(
                    args,
                    cwd=cwd,
                    env=self.env,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    preexec_fn=_die_with_parent(),
                    **self._identity(),  # type: ignore[arg-type]
                )
        except (OSError, subprocess.SubprocessError) as err:
            raise PgServerError(f"could not run {Path(args[0]).name}: {err}") from err

    def chown(self, path: Path) -> None:
        if self.uid is not None:
            os.chown(path, self.uid, self.gid if self.gid is not None else -1)


def _die_with_parent() -> Callable[[], None] | None:
    """A preexec hook asking Linux to send the server SIGINT (fast shutdown) when the test
    process dies, so a session killed by `timeout` or SIGKILL leaves no server running."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    parent = os.getpid()

    def hook() -> None:
        # subprocess runs this after switching to the server user: a uid change clears the setting
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGINT, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return hook


def _server_user() -> tuple[int, int]:
    """uid and gid of the `postgres` system user, created when missing (root only)."""
    try:
        entry = pwd.getpwnam(SERVER_USER)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        result = subprocess.run(
            [useradd, "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise PgServerError(
                f"running as root and there is no '{SERVER_USER}' user to run PostgreSQL as; "
                f"useradd failed: {result.stderr.strip()}"
            ) from None
        entry = pwd.getpwnam(SERVER_USER)
    return entry.pw_uid, entry.pw_gid


def _runner() -> _Runner:
    env = {key: value for key, value in os.environ.items() if key not in _FOREIGN_ENV}
    env["LC_ALL"] = "C"
    if os.geteuid() != 0:
        return _Runner(uid=None, gid=None, env=env)
    uid, gid = _server_user()
    env["HOME"] = tempfile.gettempdir()
    env["USER"] = env["LOGNAME"] = SERVER_USER
    return _Runner(uid=uid, gid=gid, env=env)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _make_base_dir() -> Path:
    base = Path(tempfile.mkdtemp(prefix="ahdath-pg-"))
    if len(str(base)) > _MAX_SOCKET_DIR:
        shutil.rmtree(base, ignore_errors=True)
        base = Path(tempfile.mkdtemp(prefix="ahdath-pg-", dir="/tmp"))
    return base


def _log_tail(log: Path, lines: int = 8) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _failure(what: str, result: subprocess.CompletedProcess[str]) -> PgServerError:
    detail = (result.stderr or result.stdout).strip().replace("\n", " | ")
    return PgServerError(f"{what} failed (exit {result.returncode}): {detail}")


def _wait_ready(process: subprocess.Popen[bytes], url: str, deadline: float) -> bool:
    """Poll until the server accepts connections; False when it exits or the deadline passes."""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with psycopg.connect(libpq_url(url), connect_timeout=2):
                return True
        except psycopg.OperationalError:
            time.sleep(0.05)
    return False


def _launch(
    binaries: PgBinaries, runner: _Runner, base: Path, data: Path, log: Path, port: int | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """Start the postmaster on a free port (or on ``port``, for a restart); return it and the port.

    The postmaster is our own child rather than pg_ctl's: pg_ctl would leave it to PID 1,
    which in containers often does not reap it, and a child of ours also gets the
    terminal's Ctrl-C (a fast shutdown) with the test session.
    """
    failures: list[str] = []
    for _ in range(_START_ATTEMPTS):
        # the probe's port can be taken again before the server binds it, hence the retries
        chosen = port if port is not None else _free_port()
        settings = ["listen_addresses=127.0.0.1", *_SERVER_SETTINGS]
        args = [str(binaries.postgres), "-D", str(data), "-p", str(chosen), "-k", str(base)]
        for setting in settings:
            args += ["-c", setting]
        process = runner.spawn(args, cwd=base, log=log)
        url = f"postgresql+psycopg://{SERVER_USER}@127.0.0.1:{chosen}/postgres"
        if _wait_ready(process, url, time.monotonic() + _START_SECONDS):
            return process, chosen
        _halt(process)
        failures.append(_log_tail(log))
    raise PgServerError(f"the PostgreSQL server did not start ({_START_ATTEMPTS} tries); log: {failures[-1]}")


def _halt(process: subprocess.Popen[bytes]) -> None:
    """SIGINT (fast shutdown), then SIGKILL; reap the process either way."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait()


def _stop(binaries: PgBinaries, runner: _Runner, base: Path, data: Path, process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        runner.run(
            [str(binaries.pg_ctl), "stop", "-w", "-t", str(_STOP_SECONDS), "-m", "fast", "-D", str(data)],
            cwd=base,
            timeout=_STOP_SECONDS + 30,
        )
    # whatever pg_ctl achieved, the server must not outlive the session, nor stay a zombie
    _halt(process)


def server_version(url: str) -> str:
    try:
        with psycopg.connect(libpq_url(url), connect_timeout=10) as conn:
            row = conn.execute("select version()").fetchone()
    except psycopg.Error as err:
        raise PgServerError(f"cannot connect to PostgreSQL at {make_url(url)!r}: {err}") from err
    assert row is not None
    return str(row[0])


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """CREATE DATABASE `name` on the server of `server_url` (a copy of the database `template`, when
    given, which nobody may be connected to); return the new database's URL."""
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    try:
        with psycopg.connect(libpq_url(server_url), autocommit=True, connect_timeout=10) as conn:
            conn.execute(statement)
    except psycopg.Error as err:
        raise PgServerError(f"CREATE DATABASE {name} failed: {err}") from err
    return with_database(server_url, name)


def drop_database(server_url: str, name: str) -> None:
    """DROP DATABASE `name`, ending the sessions still connected to it (PostgreSQL >= 13)."""
    with psycopg.connect(libpq_url(server_url), autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def random_database_name() -> str:
    return f"t_{secrets.token_hex(6)}"


@contextlib.contextmanager
def running_server() -> Iterator[PgServer]:
    """A PostgreSQL server for one test session; see the module docstring."""
    existing = os.environ.get(ENV_URL, "").strip()
    if existing:
        url = sqlalchemy_url(existing)
        yield PgServer(url=url, version=server_version(url), started=False, startup_seconds=0.0, data_dir=None)
        return
    binaries = find_binaries()
    if binaries is None:
        raise PgServerError(
            f"no PostgreSQL server binaries (initdb, pg_ctl) under {DEBIAN_ROOT}/*/bin or on PATH; "
            f"install the 'postgresql' package or set {ENV_URL}"
        )
    began = time.perf_counter()
    runner = _runner()
    base = _make_base_dir()
    data, log = base / "data", base / "server.log"
    try:
        runner.chown(base)
        result = runner.run(
            [str(binaries.initdb), "-D", str(data), "-U", SERVER_USER, "--auth=trust"]
            + ["-E", "UTF8", "--locale=C", "--no-sync"],
            cwd=base,
            timeout=180,
        )
        if result.returncode != 0:
            raise _failure("initdb", result)
        process, port = _launch(binaries, runner, base, data, log)
        current = [process]

        def restart() -> None:
            _halt(current[0])
            current[0] = _launch(binaries, runner, base, data, log, port)[0]

        try:
            server_url = f"postgresql+psycopg://{SERVER_USER}@127.0.0.1:{port}/postgres"
            url = create_database(server_url, DATABASE)
            version = server_version(url)
            yield PgServer(
                url=url,
                version=version,
                started=True,
                startup_seconds=time.perf_counter() - began,
                data_dir=data,
                restart=restart,
            )
        finally:
            _stop(binaries, runner, base, data, current[0])
    finally:
        shutil.rmtree(base, ignore_errors=True)
