"""The HTML pages of ``ahdath serve``: thin shells that the page scripts under ``web/static/`` fill from
the JSON API with ``fetch``.

Nothing from the store is rendered here: report texts and every value a user typed reach the page
only through the API and are put in with ``textContent`` by the scripts, so no template ever holds
them. What the templates do render (the page's own settings: the tile server, the ACLED types, the
known actor names) goes through Jinja2 with autoescaping on, and into one ``application/json`` block
(``tojson`` escapes ``<``, ``>`` and ``&``), which the CSP lets stand since it is data, not script.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import yaml
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from ahdath.lexicon.schema import EVENT_TYPES

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
# event ids as the store gives them (SYR12, IRQ3); anything else is not looked up
_EVENT_ID = re.compile(r"[A-Z]{2,4}-?[0-9A-Za-z]{1,24}")

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class PageConfig:
    """What every page's scripts are told besides what the API says."""

    tile_url: str
    event_types: dict[str, tuple[str, ...]]
    actors: tuple[str, ...]
    countries: tuple[str, ...]
    country_boxes: dict[str, tuple[float, float, float, float]]  # west, south, east, north (data/countries.yaml)

    def as_json(self) -> dict[str, Any]:
        return {"tile_url": self.tile_url, "event_types": {k: list(v) for k, v in self.event_types.items()},
                "actors": list(self.actors), "countries": list(self.countries),
                "country_boxes": {k: list(v) for k, v in self.country_boxes.items()},
                "outlines": "/geo/outlines.geojson"}


def _data_file(*parts: str) -> Path:
    return Path(str(resources.files("ahdath").joinpath("data", *parts)))


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # cached: the templates are the package's, read once per process
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[tuple[str, ...], tuple[str, ...], dict[str, tuple[float, float, float, float]]]:
    """The ACLED actor names of the actors lexicon (``{country}`` filled in for each country ahdath
    codes) and those countries: the edit forms offer them, and a new name is still allowed."""
    from ahdath.extract.record import load_countries  # the one reader of countries.yaml

    table = load_countries()[0]
    countries = tuple(table)
    boxes = {name: c.box for name, c in table.items() if c.box is not None}
    actors_doc = yaml.safe_load(_data_file("lexicon", "ar", "actors.yaml").read_text(encoding="utf-8"))
    names: set[str] = set()
    for entry in actors_doc.get("entries") or ():
        name = entry.get("name")
        if not isinstance(name, str):
            continue
        if "{country}" in name:
            names.update(name.replace("{country}", c) for c in countries)
        else:
            names.add(name)
    return tuple(sorted(names)), countries, boxes


def page_config(request: Request) -> PageConfig:
    # the app keeps its WebSettings on its context (``app.state.ctx``, web.app.create_app)
    settings = getattr(getattr(request.app.state, "ctx", None), "settings", None)
    tile_url = settings.tile_url if settings is not None else OSM_TILES
    actors, countries, boxes = _vocabulary()
    return PageConfig(tile_url, EVENT_TYPES, actors, countries, boxes)


def render(request: Request, template: str, *, title: str, script: str, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    html = _environment().get_template(template).render(
        title=title, script=script, config=page_config(request).as_json(), path=request.url.path, **context)
    return HTMLResponse(html, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    return render(request, "overview.html", title="Overview", script="overview.js")


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> HTMLResponse:
    if not _EVENT_ID.fullmatch(event_id):
        return render(request, "missing.html", title="No such event", script="common.js", status_code=404,
                      what=f"{event_id[:64]!s} is not an event id")
    return render(request, "event.html", title=event_id, script="event.js", event_id=event_id)


@router.get("/queue", response_class=HTMLResponse)
def queue_page(request: Request) -> HTMLResponse:
    return render(request, "queue.html", title="Review queue", script="queue.js")


@router.get("/merge", response_class=HTMLResponse)
def merge_page(request: Request) -> HTMLResponse:
    return render(request, "merge.html", title="Merge and split", script="merge.js")


@router.get("/places/new", response_class=HTMLResponse)
def place_page(request: Request) -> HTMLResponse:
    """Fix the cause: add an unresolved place to the user gazetteer (the form is filled from the query)."""
    return render(request, "place.html", title="Add a place", script="place.js")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return render(request, "login.html", title="Log in", script="login.js")


@router.get("/geo/outlines.geojson")
def outlines() -> Response:
    """The shipped coastlines and borders (``data/geo/``) the map draws under the markers."""
    return FileResponse(_data_file("geo", "outlines.geojson"), media_type="application/geo+json",
                        headers={"cache-control": "public, max-age=86400"})
