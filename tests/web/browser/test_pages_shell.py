"""The HTML shells as served (no browser needed): every page answers HTML with no inline script, no
inline handler and no style attribute, so the CSP holds without exceptions for them; the config
block carries the settings; an id that cannot be an event is a 404 page; the outlines are served."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import httpx
import pytest

from pagekit import Served

@pytest.fixture
def served(served_readonly: Served) -> Served:
    return served_readonly  # these tests only read


PAGES = ["/", "/events/SYR1", "/queue", "/merge", "/places/new?name=%3Cb%3Ex%3C/b%3E", "/login"]


class Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts: list[str] = []
        self.handlers: list[str] = []
        self.styles: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self._in_script: dict[str, str | None] | None = None
        self.config = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for name, _ in attrs:
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}")
            if name == "style":
                self.styles.append(tag)
        if tag == "script":
            self.scripts.append(a)
            self._in_script = a

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is None or not data.strip():
            return
        if self._in_script.get("type") == "application/json":
            self.config += data
        else:
            self.inline_scripts.append(data[:60])


@pytest.mark.parametrize("path", PAGES)
def test_pages_shell_has_no_inline_script_or_style(served: Served, path: str) -> None:
    r = httpx.get(served.url + path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    audit = Audit()
    audit.feed(r.text)
    assert audit.inline_scripts == [] and audit.handlers == [] and audit.styles == []
    assert all(s.get("src", "").startswith(("/static/", "/vendor/")) for s in audit.scripts if s.get("src"))
    config = json.loads(audit.config)
    assert config["tile_url"] == served.tiles
    assert "Air/drone strike" in config["event_types"]["Explosions/Remote violence"]
    assert "Civilians (Syria)" in config["actors"]
    # nothing from the query string is written into the page: the scripts read it themselves
    assert "<b>x</b>" not in r.text


@pytest.mark.parametrize("bad", ["SYR1%3Cscript%3E", "x" * 80, "SYR%201"])
def test_pages_shell_bad_event_id_is_a_404_page(served: Served, bad: str) -> None:
    r = httpx.get(f"{served.url}/events/{bad}")
    assert r.status_code == 404
    assert "<script>" not in r.text.split("</head>")[1]
    assert re.search(r"is not an event id", r.text)


def test_pages_shell_serves_the_outlines(served: Served) -> None:
    r = httpx.get(served.url + "/geo/outlines.geojson")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/geo+json")
    assert {f["properties"]["kind"] for f in r.json()["features"]} == {"coast", "country", "admin1"}


@pytest.mark.parametrize("asset", ["/static/app.css", "/static/common.js", "/static/overview.js", "/vendor/plotly.min.js"])
def test_pages_shell_assets_are_served(served: Served, asset: str) -> None:
    r = httpx.get(served.url + asset)
    assert r.status_code == 200 and len(r.content) > 100


def test_pages_run_under_the_csp_without_violations(page) -> None:
    """Each page's scripts, plotly.js and MapLibre included, run under the app's CSP: no violation,
    no script error (the tiles, failing on purpose, excepted)."""
    for path in ["/", "/events/SYR1", "/queue", "/merge", "/places/new", "/login"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(200)
        assert not page.problems.relevant(), (path, page.problems)


def test_pages_shell_templates_and_scripts_are_package_data() -> None:
    """A wheel holds only the package data pyproject names: every template and static file must be
    matched, or an installed (not editable) ahdath serves no pages."""
    import fnmatch
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    globs = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["ahdath"]
    package = root / "src" / "ahdath"
    files = [p.relative_to(package).as_posix() for folder in ("web/templates", "web/static", "data/geo")
             for p in (package / folder).rglob("*") if p.is_file()]
    assert len(files) > 10
    unshipped = [f for f in files if not any(fnmatch.fnmatch(f, g) for g in globs)]
    assert unshipped == []
