"""Headless Chromium (Debian's ``chromium`` driven by Playwright) against a real uvicorn server on
loopback over a store seeded from our own reports (``reports.py``).

The store is built once per session (extraction is the slow part) and copied for each test, so a
test that accepts, edits, merges or splits never changes what the next one sees. The tile server is
a closed loopback port: the map must draw its markers over the shipped outlines without tiles, and
nothing reaches the network. Screenshots go to ``$AHDATH_ARTIFACTS`` (else a pytest temporary
folder). Without chromium the tests are skipped, unless ``AHDATH_REQUIRE_BROWSER=1`` (set by
``.ci/run``), where a missing browser fails them.
"""
from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reports as seed_reports  # noqa: E402

CHROMIUM = os.environ.get("AHDATH_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
CODER = ("coder1", "a long coder password")
ADMIN = ("admin1", "a long admin password")


def _require() -> bool:
    return os.environ.get("AHDATH_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    why = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        why = "the playwright package is not installed (pip install -e '.[test]')"
    if why is None and not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        why = f"no chromium at {CHROMIUM} (apt-get install chromium)"
    if why is not None:
        if _require():
            pytest.fail(f"AHDATH_REQUIRE_BROWSER=1 but {why}")
        pytest.skip(why)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ahdath.cli.main import main
    from ahdath.store import Store
    from ahdath.store.users import add_user

    folder = tmp_path_factory.mktemp("seed")
    db = folder / "seed.db"
    src = seed_reports.write(folder / "reports.jsonl")
    assert main(["ingest", "--db", str(db), str(src)]) == 0
    with Store.open(f"sqlite:///{db}") as store:
        add_user(store, CODER[0], "coder", CODER[1])
        add_user(store, ADMIN[0], "admin", ADMIN[1])
    return db


@pytest.fixture(scope="session")
def dead_tiles() -> str:
    """A tile server nobody runs: a loopback port just found free, so every tile is refused at once."""
    return f"http://127.0.0.1:{_free_port()}/{{z}}/{{x}}/{{y}}.png"


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    env = os.environ.get("AHDATH_ARTIFACTS")
    out = Path(env) / "browser" if env else tmp_path_factory.mktemp("screenshots")
    out.mkdir(parents=True, exist_ok=True)
    return out


@dataclass(frozen=True)
class Served:
    url: str
    db: Path
    tiles: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(seeded_db: Path, dead_tiles: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Served]:
    """A fresh copy of the seeded store behind a real uvicorn on 127.0.0.1, in a thread of this process.
    A test marked ``@pytest.mark.settings(public_read=False)`` gets those WebSettings fields."""
    import uvicorn

    from ahdath.web.app import create_app
    from ahdath.web.settings import WebSettings

    db = tmp_path / "store.db"
    shutil.copy(seeded_db, db)
    marker = request.node.get_closest_marker("settings")
    extra = dict(marker.kwargs) if marker else {}
    extra.setdefault("tile_url", dead_tiles)
    settings = WebSettings(db_url=f"sqlite:///{db}", gazetteer_dir=tmp_path / "gazetteer", **extra)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield Served(f"http://127.0.0.1:{port}", db, settings.tile_url)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class Problems(list[str]):
    """Console errors, page errors and CSP violations a page reported, but for the tiles the tests
    make fail on purpose."""

    def __init__(self, tiles: str) -> None:
        super().__init__()
        self.tiles = tiles.split("{")[0]

    def relevant(self) -> list[str]:
        return [p for p in self if self.tiles not in p and "ERR_CONNECTION_REFUSED" not in p]


@pytest.fixture
def page(chromium: Any, served: Served, artifacts: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1400, "height": 950}, locale="en-GB",
                                   base_url=served.url)
    context.set_default_timeout(10_000)
    pg = context.new_page()
    problems = Problems(served.tiles)
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.problems = problems
    try:
        yield pg
    finally:
        try:
            pg.screenshot(path=str(artifacts / f"{request.node.name}-end.png"), full_page=True)
        finally:
            context.close()


def wait_js(page: Any, expression: str, timeout: float = 10.0) -> Any:
    """Polls a JavaScript expression until it is truthy. Playwright's ``wait_for_function`` evaluates its
    predicate with eval() inside the page, which the app's CSP (no 'unsafe-eval') rightly refuses;
    ``page.evaluate`` goes through the debugger protocol instead."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout
    while True:
        try:
            value = page.evaluate(expression)
        except Error:  # the page is still navigating, or the element is not there yet
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}\nproblems: {getattr(page, 'problems', [])}")
        time.sleep(0.05)


def shot(page: Any, artifacts: Path, name: str) -> Path:
    path = artifacts / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page: Any, who: tuple[str, str] = CODER, then: str = "/") -> None:
    from urllib.parse import quote, urlsplit

    page.goto(f"/login?next={quote(then, safe='')}")
    page.fill("input[name=name]", who[0])
    page.fill("input[name=password]", who[1])
    # the form's csrf field is filled from /api/me once the script has run
    wait_js(page, "document.querySelector('#login-form input[name=csrf]').value.length > 0")
    page.click("#login-form button[type=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path == urlsplit(then).path)
    wait_js(page, "document.getElementById('who').textContent.includes('(')")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "settings(**fields): WebSettings fields for the served app")
