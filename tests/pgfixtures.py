"""PostgreSQL fixtures of the whole suite (a plugin of tests/conftest.py, so one server serves every folder):
every `db_url` test runs on SQLite and on a real PostgreSQL.

The PostgreSQL server starts once per session, on first use (see tests/pgserver.py), and
each test gets a fresh, empty database on it. Where no server can be started the
postgresql cases are skipped with the reason, unless AHDATH_REQUIRE_POSTGRES=1 (CI),
which turns that skip into a failure.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NoReturn
from pathlib import Path

import pytest

from pgserver import (
    ENV_REQUIRE,
    PgServer,
    PgServerError,
    create_database,
    drop_database,
    postgres_required,
    random_database_name,
    running_server,
)

BACKENDS = ("sqlite", "postgresql")
_SERVER_KEY = pytest.StashKey[PgServer]()
_WORKER_LINES_KEY = pytest.StashKey[list[str]]()  # pytest-xdist: the workers' server lines
_WORKER_LINE = "ahdath_postgres_server"


def _unavailable(reason: str) -> NoReturn:
    message = f"PostgreSQL unavailable: {reason}"
    if postgres_required():
        pytest.fail(f"{message} ({ENV_REQUIRE} is set)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> Iterator[PgServer]:
    """The session's PostgreSQL server, started on first use; a failure is cached by pytest,
    so the remaining postgresql cases skip (or fail) without trying again."""
    try:
        with running_server() as server:
            request.config.stash[_SERVER_KEY] = server
            yield server
    except PgServerError as err:
        _unavailable(str(err))


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PgServer) -> str:
    """SQLAlchemy URL of the session's `ahdath_test` database (shared by the session's tests)."""
    return postgres_server.url


@pytest.fixture
def new_postgres_db(postgres_url: str) -> Iterator[Callable[[], str]]:
    """Makes fresh, empty databases on the session's server; drops them after the test."""
    created: list[str] = []

    def make() -> str:
        name = random_database_name()
        url = create_database(postgres_url, name)
        created.append(name)
        return url

    yield make
    for name in created:
        drop_database(postgres_url, name)


@pytest.fixture(params=BACKENDS, ids=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store database: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store.sqlite"
    # requested lazily so that `-k sqlite` runs never start a server
    make: Callable[[], str] = request.getfixturevalue("new_postgres_db")
    try:
        return make()
    except PgServerError as err:
        _unavailable(str(err))


@pytest.fixture(scope="module", params=BACKENDS, ids=BACKENDS)
def module_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Like ``db_url``, but one database for all the tests of a module that take it: for tests that
    only read what the module's fixture stored (a store seeded per test costs a database and the
    seeding per test, and on PostgreSQL the migration too)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('module-store')}/store.sqlite"
        return
    postgres_url: str = request.getfixturevalue("postgres_url")
    name = random_database_name()
    try:
        url = create_database(postgres_url, name)
    except PgServerError as err:
        _unavailable(str(err))
    yield url
    drop_database(postgres_url, name)


def _server_line(server: PgServer) -> str:
    if server.started:
        how = f"started in {server.startup_seconds:.2f} s"
    else:
        how = "given by AHDATH_TEST_POSTGRES_URL"
    return f"PostgreSQL test server: {server.version.split(',')[0]}, {how}"


def pytest_sessionfinish(session: pytest.Session) -> None:
    # a pytest-xdist worker: its server's line goes to the controller, which prints the summary
    workeroutput = getattr(session.config, "workeroutput", None)
    server = session.config.stash.get(_SERVER_KEY, None)
    if workeroutput is not None and server is not None:
        workeroutput[_WORKER_LINE] = _server_line(server)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    """pytest-xdist's controller: note the line of each worker that started a server."""
    line = getattr(node, "workeroutput", {}).get(_WORKER_LINE)
    if line:
        node.config.stash.setdefault(_WORKER_LINES_KEY, []).append(line)  # type: ignore[attr-defined]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    server = config.stash.get(_SERVER_KEY, None)
    lines = [_server_line(server)] if server is not None else []
    workers = config.stash.get(_WORKER_LINES_KEY, [])
    if workers:
        lines.append(f"{workers[0]} (one per worker, {len(workers)} workers)")
    for line in lines:
        terminalreporter.write_line(line)
