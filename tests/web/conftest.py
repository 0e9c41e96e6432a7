"""Fixtures of the web API tests: ``site`` (module-scoped, shared by the reading tests) and
``fresh_site`` (a new store and server per test, for the tests that change the store), each a real
uvicorn server on loopback over a seeded store, on SQLite and on the suite's PostgreSQL server."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pgserver import PgServerError, create_database, drop_database, random_database_name
from webserver import BACKENDS, Site, start_site


def _database(request: pytest.FixtureRequest, backend: str, tmp: Path) -> tuple[str, Callable[[], None]]:
    if backend == "sqlite":
        return f"sqlite:///{tmp}/store.sqlite", lambda: None
    server_url: str = request.getfixturevalue("postgres_url")
    name = random_database_name()
    try:
        url = create_database(server_url, name)
    except PgServerError as err:
        pytest.skip(f"PostgreSQL unavailable: {err}")
    return url, lambda: drop_database(server_url, name)


def _site(request: pytest.FixtureRequest, tmp: Path, **settings: Any) -> Iterator[Site]:
    url, drop = _database(request, request.param, tmp)
    site = start_site(url, tmp, **settings)
    site.url = site.server.url
    try:
        yield site
    finally:
        site.server.stop()
        site.store.close()
        drop()


@pytest.fixture(scope="module", params=BACKENDS, ids=BACKENDS)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         xdg_module: Path) -> Iterator[Site]:
    yield from _site(request, tmp_path_factory.mktemp("site"))


@pytest.fixture(params=BACKENDS, ids=BACKENDS)
def fresh_site(request: pytest.FixtureRequest, tmp_path: Path, xdg: Path) -> Iterator[Site]:
    yield from _site(request, tmp_path)


@pytest.fixture(scope="module")
def xdg_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The user data folder (default user gazetteer) of the module's servers: a temporary one."""
    mp = pytest.MonkeyPatch()
    path = tmp_path_factory.mktemp("xdg")
    mp.setenv("XDG_DATA_HOME", str(path))
    mp.delenv("AHDATH_DB", raising=False)
    yield path
    mp.undo()


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("AHDATH_DB", raising=False)
    return tmp_path / "xdg"
