"""Who is asking: signed session cookies, API tokens, CSRF tokens and the login rate limit.

- A session is a cookie holding the user's name, its expiry and a random nonce, signed with
  HMAC-SHA256 under the store's ``server_secret`` (kept in the database, so every server process on
  one store, and a restarted one, accepts it). HttpOnly, SameSite=Strict, Secure over https. The
  user is looked up again on every request, so a disabled user is out at once.
- Scripts send ``Authorization: Bearer TOKEN`` (``ahdath user token``); a header that is present but
  wrong is refused (401), never read as anonymous.
- A write made with a session cookie must carry ``X-CSRF-Token`` (or the form field ``csrf``): an
  HMAC of the browser's client cookie and the session nonce, which ``/api/me`` gives to the page. A
  site that is not ours cannot read it; SameSite=Strict already keeps the cookie off its requests.
- Failed logins are counted per name and per client address over a sliding window; past the limit
  the login answers 429 with Retry-After, whatever the password (argon2 is not even run).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

import orjson

SESSION_COOKIE = "ahdath_session"
CLIENT_COOKIE = "ahdath_client"
CSRF_HEADER = "x-csrf-token"
EDIT_ROLES = ("coder", "admin")


@dataclass(frozen=True, slots=True)
class Session:
    name: str
    expires: float
    nonce: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, *parts: str) -> str:
    return hmac.new(secret, "\x00".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()


def sign_session(secret: bytes, name: str, ttl: float, *, now: float | None = None) -> tuple[str, Session]:
    session = Session(name, (time.time() if now is None else now) + ttl, secrets.token_urlsafe(16))
    payload = _b64(orjson.dumps({"u": session.name, "e": session.expires, "n": session.nonce}))
    return f"{payload}.{_mac(secret, 'session', payload)}", session


def read_session(secret: bytes, cookie: str, *, now: float | None = None) -> Session | None | bool:
    """The session a cookie holds; ``None`` when it is not ours (bad signature, garbage), ``False``
    when it is ours but expired (the client is told so rather than treated as a stranger)."""
    payload, _, mac = cookie.partition(".")
    if not payload or not hmac.compare_digest(mac.encode(), _mac(secret, "session", payload).encode()):
        return None
    try:
        data = orjson.loads(_unb64(payload))
        session = Session(str(data["u"]), float(data["e"]), str(data["n"]))
    except (ValueError, KeyError, TypeError):
        return None
    if session.expires <= (time.time() if now is None else now):
        return False
    return session


def csrf_token(secret: bytes, client: str, session: Session | None) -> str:
    """Bound to the browser (client cookie) and to the login (session nonce): a new login, or a
    new browser, has a new token."""
    return _mac(secret, "csrf", client, session.nonce if session else "")


def csrf_ok(secret: bytes, client: str, session: Session | None, given: str | None) -> bool:
    return bool(given) and bool(client) and hmac.compare_digest(
        str(given).encode(), csrf_token(secret, client, session).encode())


def new_client_id() -> str:
    return secrets.token_urlsafe(16)


def bearer(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer`` header; "" when the header is there but malformed."""
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else ""


class LoginLimiter:
    """Failed login attempts per name and per client address within a sliding window. Kept on the
    app (one per server process), guarded by a lock: logins are checked in worker threads."""

    def __init__(self, per_name: int, per_address: int, window: float, *, max_keys: int = 100_000) -> None:
        self.per_name, self.per_address, self.window, self.max_keys = per_name, per_address, window, max_keys
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _keys(self, name: str, address: str) -> list[tuple[str, int]]:
        return [("n:" + name.strip().casefold(), self.per_name), ("a:" + address, self.per_address)]

    def retry_after(self, name: str, address: str, *, now: float | None = None) -> float:
        """Seconds until a login of ``name`` from ``address`` may be tried again (0: now)."""
        now = time.monotonic() if now is None else now
        wait = 0.0
        with self._lock:
            for key, limit in self._keys(name, address):
                times = self._failures.get(key)
                if not times:
                    continue
                while times and times[0] <= now - self.window:
                    times.popleft()
                if len(times) >= limit:
                    wait = max(wait, times[0] + self.window - now)
        return wait

    def failed(self, name: str, address: str, *, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._failures) >= self.max_keys:
                # a flood of made-up names must not grow memory without end: drop what has aged out
                self._failures = {k: v for k, v in self._failures.items() if v and v[-1] > now - self.window}
            for key, limit in self._keys(name, address):
                times = self._failures.setdefault(key, deque(maxlen=limit))
                times.append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(name, "")[0][0], None)


def client_address(scope: dict[str, Any]) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class ClientCookie:
    """Gives every browser a random client id cookie (the CSRF token's anchor) on its first request."""

    def __init__(self, app: Any, *, max_age: int = 400 * 86400) -> None:
        self.app, self.max_age = app, max_age

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        existing = _cookie(scope, CLIENT_COOKIE)
        client = existing if existing and 16 <= len(existing) <= 64 and existing.isascii() else new_client_id()
        scope.setdefault("state", {})["client_id"] = client

        async def send_with_cookie(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and client != existing:
                secure = "; Secure" if scope.get("scheme") == "https" else ""
                cookie = (f"{CLIENT_COOKIE}={client}; Path=/; Max-Age={self.max_age}; HttpOnly; "
                          f"SameSite=Strict{secure}")
                message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie.encode())]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _cookie(scope: dict[str, Any], name: str) -> str | None:
    from http.cookies import SimpleCookie

    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed Cookie header is no cookie
                continue
            if name in jar:
                return jar[name].value
    return None
