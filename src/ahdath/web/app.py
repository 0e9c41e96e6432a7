"""The ASGI app: ``create_app(WebSettings) -> FastAPI``.

Layers, outermost first: ``Guard`` (security headers, body limit), ``ClientCookie`` (the CSRF
anchor), then FastAPI with the JSON API (``api``, ``actions``), the pages (``pages``, web_ui's) and
the static files. Every error a client can cause is a 4xx ``{"error": {"code", "message"}}``.
"""
from __future__ import annotations

import contextlib
import html
import importlib.util
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ahdath import __version__
from ahdath.errors import (
    AhdathError,
    EventNotFoundError,
    GazetteerError,
    InputError,
    InputTooLargeError,
    StoreError,
    UsageError,
)
from ahdath.web.auth import ClientCookie
from ahdath.web.context import WebContext
from ahdath.web.security import Guard
from ahdath.web.settings import WebSettings

_STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 413: "too_large",
                 415: "unsupported_media_type", 422: "invalid", 429: "rate_limited", 503: "unavailable"}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def ahdath_status(exc: AhdathError) -> int:
    if isinstance(exc, EventNotFoundError):
        return 404
    if isinstance(exc, InputTooLargeError):
        return 413
    if isinstance(exc, (InputError, GazetteerError)):
        return 422
    if isinstance(exc, UsageError):
        return 400
    if isinstance(exc, StoreError):
        return 503  # the database failed or is busy: nothing the client did
    return 400


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        if isinstance(detail, dict) and "code" in detail:
            code, message = str(detail["code"]), str(detail.get("message", ""))
        else:
            code, message = _STATUS_CODES.get(exc.status_code, "error"), str(detail)
        return error_response(exc.status_code, code, message, dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
            problems.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
        return error_response(422, "invalid", "; ".join(problems) or "invalid request")

    @app.exception_handler(AhdathError)
    async def ours(_request: Request, exc: AhdathError) -> JSONResponse:
        return error_response(ahdath_status(exc), exc.code, " ".join(exc.message.split()))


def _plotly_js() -> Path | None:
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "package_data" / "plotly.min.js"
    return path if path.is_file() else None


def create_app(settings: WebSettings, *, store: Any = None) -> FastAPI:
    """The app over the store ``settings.db_url`` names (opened for writing, never created: a
    missing store is E606). ``store``: an open ``Store`` to use instead (the caller closes it)."""
    from ahdath.store import Store

    owned = store is None
    if store is None:
        store = Store.open(settings.db_url, access="write", lock_timeout=settings.lock_timeout,
                           application="ahdath serve")
    ctx = WebContext(settings, store)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        ctx.warm()
        yield
        ctx.settle()
        if owned:
            store.close()

    app = FastAPI(title="ahdath", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Review ahdath's event store: browse, map, check the evidence, correct.")
    app.state.ctx = ctx
    _install_errors(app)

    from ahdath.web import actions, api, export

    app.include_router(api.router)
    app.include_router(export.router)
    app.include_router(actions.router)
    _mount_pages(app)

    plotly = _plotly_js()

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        if plotly is None:
            raise StarletteHTTPException(404, "plotly is not installed (pip install 'ahdath[web]')")
        return FileResponse(plotly, media_type="text/javascript",
                            headers={"cache-control": "public, max-age=86400"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(api_index(app.openapi()))

    app.add_middleware(ClientCookie)
    app.add_middleware(Guard, settings=settings)
    return app


def _mount_pages(app: FastAPI) -> None:
    """The pages (``web.pages``) and their static files."""
    from fastapi.staticfiles import StaticFiles

    from ahdath.web import pages

    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")


def api_index(schema: dict[str, Any]) -> str:
    """The API's reference as a plain page: Swagger UI would load its script from a CDN and run
    inline script, which the CSP forbids. The machine-readable document is /openapi.json."""
    rows = []
    for path, methods in sorted(schema.get("paths", {}).items()):
        for method, op in methods.items():
            params = ", ".join(p["name"] for p in op.get("parameters", []))
            rows.append(f"<tr><td>{html.escape(method.upper())}</td><td><code>{html.escape(path)}</code></td>"
                        f"<td>{html.escape(op.get('summary', ''))}</td><td>{html.escape(params)}</td></tr>")
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>ahdath API</title></head><body>"
            f"<h1>ahdath API {html.escape(str(schema.get('info', {}).get('version', '')))}</h1>"
            "<p>OpenAPI document: <a href='/openapi.json'>/openapi.json</a>. Errors are "
            "<code>{\"error\": {\"code\", \"message\"}}</code>. See docs/web.md.</p>"
            "<table><thead><tr><th>Method</th><th>Path</th><th>What</th><th>Parameters</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></body></html>")
