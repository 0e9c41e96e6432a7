"""What every response carries and what every request may send: security headers, the CSP, and a
bound on the body, counted as it arrives (a chunked body has no Content-Length to trust).

A pure ASGI middleware rather than Starlette's ``BaseHTTPMiddleware``: that one buffers streamed
responses (the exports) and runs the app in a second task.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.exceptions import HTTPException

from ahdath.web.settings import WebSettings

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def content_security_policy(settings: WebSettings) -> str:
    """The CSP. Scripts come only from this server (no inline script, no eval). Styles allow
    'unsafe-inline' because plotly.js and the MapLibre GL it bundles inject their own CSS as <style>
    elements at run time; MapLibre also runs its workers from blob: URLs and fetches raster tiles
    with fetch(), so the tile host is in connect-src as well as img-src."""
    tiles = f" {settings.tile_origin}" if settings.tile_origin else ""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob:{tiles}",
        f"connect-src 'self'{tiles}",
        "worker-src 'self' blob:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def security_headers(settings: WebSettings) -> list[tuple[bytes, bytes]]:
    return [(k.encode(), v.encode()) for k, v in (
        ("content-security-policy", content_security_policy(settings)),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        # the tile server's usage policy asks for a Referer; the origin alone says nothing private
        ("referrer-policy", "strict-origin-when-cross-origin"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
        ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    )]


def error_body(code: str, message: str) -> bytes:
    return orjson.dumps({"error": {"code": code, "message": message}})


class Guard:
    """Adds the security headers to every response and refuses a body over ``max_body`` bytes: at
    once when its Content-Length says so, else when the bytes read pass the limit."""

    def __init__(self, app: ASGIApp, settings: WebSettings) -> None:
        self.app = app
        self.max_body = settings.max_body
        self.headers = security_headers(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = scope["path"].startswith(("/api/", "/login", "/logout"))

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in {k for k, _ in self.headers}]
                headers.extend(self.headers)
                if private and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        raw = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogatepass")
        if _has_nul(raw) or _has_nul(scope.get("query_string", b"")):
            # no parameter may carry NUL: PostgreSQL refuses it in text, which would be a 500
            await _refuse(send_guarded, 400, "bad_request", "NUL characters are not allowed in the URL")
            return
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                if not value.isdigit():
                    await _refuse(send_guarded, 400, "bad_request", "Content-Length is not a number")
                    return
                if int(value) > self.max_body:
                    await _refuse(send_guarded, 413, "too_large",
                                  f"request body of {int(value)} bytes is over the limit of {self.max_body}")
                    return
        seen = 0

        async def receive_bounded() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    # raised inside the endpoint's body read, so the app answers it as any 413
                    raise HTTPException(413, f"request body is over the limit of {self.max_body} bytes")
            return message

        await self.app(scope, receive_bounded, send_guarded)


def _has_nul(raw: bytes) -> bool:
    return b"\x00" in raw or b"%00" in raw.lower()


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    body = error_body(code, message)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
