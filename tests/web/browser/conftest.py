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

import contextlib
import os
import re
import shutil
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ui_seed  # noqa: E402
from pagekit import ADMIN, CODER, Problems, Served  # noqa: E402

CHROMIUM = os.environ.get("AHDATH_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


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
    src = ui_seed.write(folder / "reports.jsonl")
    assert main(["ingest", "--db", str(db), str(src)]) == 0
    with Store.open(f"sqlite:///{db}") as store:
        add_user(store, CODER[0], "coder", CODER[1])
        add_user(store, ADMIN[0], "admin", ADMIN[1])
    return db


@pytest.fixture(scope="session")
def dead_tiles() -> str:
    """A tile server nobody runs: a loopback port just found free, so every tile is refused at once."""
    return f"http://127.0.0.1:{_free_port()}/{{z}}/{{x}}/{{y}}.png"


def _png(width: int = 256, height: int = 256, rgb: tuple[int, int, int] = (170, 211, 223)) -> bytes:
    """A plain PNG tile, made here (no image library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">2I5B", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture(scope="session")
def live_tiles() -> Iterator[tuple[str, list[str]]]:
    """A tile server on loopback answering every tile with one colour; yields its URL template and the
    paths it was asked for."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    tile = _png()
    asked: list[str] = []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            asked.append(self.path)
            self.send_response(200)
            self.send_header("content-type", "image/png")
            self.send_header("content-length", str(len(tile)))
            self.send_header("access-control-allow-origin", "*")
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png", asked
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    env = os.environ.get("AHDATH_ARTIFACTS")
    out = Path(env) / "browser" if env else tmp_path_factory.mktemp("screenshots")
    out.mkdir(parents=True, exist_ok=True)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _serve(seeded_db: Path, folder: Path, port: int, **fields: Any) -> Iterator[Served]:
    """A copy of the seeded store behind a real uvicorn on 127.0.0.1:port, in a thread of this process."""
    import uvicorn

    from ahdath.web.app import create_app
    from ahdath.web.settings import WebSettings

    db = folder / "store.db"
    shutil.copy(seeded_db, db)
    settings = WebSettings(db_url=f"sqlite:///{db}", gazetteer_dir=folder / "gazetteer", **fields)
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


@pytest.fixture(scope="session")
def site_port() -> int:
    """Every test's server listens on this one port, one server after another: the browser keeps
    one HTTP cache per origin, so plotly.js (4.6 MB) is fetched and compiled once, not per test."""
    return _free_port()


@pytest.fixture
def served(seeded_db: Path, dead_tiles: str, site_port: int, tmp_path: Path,
           request: pytest.FixtureRequest) -> Iterator[Served]:
    """A fresh copy of the seeded store served for this test alone (it may write).
    A test marked ``@pytest.mark.settings(public_read=False)`` gets those WebSettings fields;
    ``tile_url="live"`` stands for the ``live_tiles`` server."""
    marker = request.node.get_closest_marker("settings")
    extra = dict(marker.kwargs) if marker else {}
    extra.setdefault("tile_url", dead_tiles)
    if extra["tile_url"] == "live":
        extra["tile_url"] = request.getfixturevalue("live_tiles")[0]
    with _serve(seeded_db, tmp_path, site_port, **extra) as site:
        yield site


@pytest.fixture(scope="module")
def served_readonly(seeded_db: Path, dead_tiles: str, site_port: int,
                    tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for a module whose tests only read (they override ``served`` with it): a server
    start and a store copy saved per test. It ends with its module, before the next one serves."""
    with _serve(seeded_db, tmp_path_factory.mktemp("readonly"), site_port, tile_url=dead_tiles) as site:
        yield site


@pytest.fixture(scope="session")
def browser_context(chromium: Any, site_port: int) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1400, "height": 950}, locale="en-GB",
                                   base_url=f"http://127.0.0.1:{site_port}")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context: Any, served: Served, artifacts: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A new tab for each test, with no cookie left from the one before (no login, a new CSRF anchor)."""
    browser_context.clear_cookies()
    pg = browser_context.new_page()
    problems = Problems(served.tiles)
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.problems = problems
    try:
        yield pg
    finally:
        try:
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
            pg.screenshot(path=str(artifacts / f"{name}-end.png"), full_page=True)
        finally:
            pg.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "settings(**fields): WebSettings fields for the served app")
