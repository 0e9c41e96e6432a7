"""Fixtures of the web API tests: ``site`` (module-scoped, shared by the reading tests) and
``fresh_site`` (a new store and server per test, for the tests that change the store), each a real
uvicorn server on loopback over a seeded store, on SQLite and on the suite's PostgreSQL server. The
store is seeded once per session and backend (``seed_sqlite``, ``seed_postgresql``) and each site gets
its own copy."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pgserver import PgServerError, drop_database
from sqlalchemy.engine import make_url
from webserver import BACKENDS, Seed, Site, start_site


@pytest.fixture(scope="session")
def seed_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Seed:
    return Seed.make(tmp_path_factory.mktemp("seed-sqlite"))


@pytest.fixture(scope="session")
def seed_postgresql(tmp_path_factory: pytest.TempPathFactory, postgres_url: str) -> Iterator[Seed]:
    try:
        seed = Seed.make(tmp_path_factory.mktemp("seed-postgresql"), postgres_url)
    except PgServerError as err:
        pytest.skip(f"PostgreSQL unavailable: {err}")
    yield seed
    seed.drop()  # before the server stops: a server named by AHDATH_TEST_POSTGRES_URL keeps its databases


def _database(request: pytest.FixtureRequest, backend: str, tmp: Path) -> tuple[Seed, str, Callable[[], None]]:
    """A copy of the seeded store on ``backend`` (the seed requested lazily, so that `-k sqlite`
    runs start no PostgreSQL server), its seed, and what drops the copy."""
    seed: Seed = request.getfixturevalue(f"seed_{backend}")
    if seed.server_url is None:
        return seed, seed.copy(tmp), lambda: None
    try:
        url = seed.copy(tmp)
    except PgServerError as err:
        pytest.skip(f"PostgreSQL unavailable: {err}")
    server_url, name = seed.server_url, make_url(url).database
    assert name is not None
    return seed, url, lambda: drop_database(server_url, name)


def _site(request: pytest.FixtureRequest, tmp: Path, **settings: Any) -> Iterator[Site]:
    seed, url, drop = _database(request, request.param, tmp)
    site = start_site(url, tmp, tokens=seed.tokens, **settings)
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
