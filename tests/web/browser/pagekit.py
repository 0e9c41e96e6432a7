"""What the browser tests share besides fixtures: the seeded users, the served app's address,
logging in through the page, polling the page without eval, screenshots, and the problems a page
reported. (A module of its own: two folders' ``conftest`` modules cannot both be imported by name.)"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CODER = ("coder1", "a long coder password")
ADMIN = ("admin1", "a long admin password")


@dataclass(frozen=True)
class Served:
    url: str
    db: Path
    tiles: str


class Problems(list[str]):
    """Console errors, page errors and CSP violations a page reported, but for the tiles the tests
    make fail on purpose."""

    def __init__(self, tiles: str) -> None:
        super().__init__()
        self.tiles = tiles.split("{")[0]

    def relevant(self) -> list[str]:
        return [p for p in self if self.tiles not in p and "ERR_CONNECTION_REFUSED" not in p]


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
