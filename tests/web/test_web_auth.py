"""Who may do what, against a real server: anonymous readers, sessions, CSRF, tokens, expiry,
disabled users, the login rate limit, login-to-read."""
from __future__ import annotations

import time
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from webserver import PASSWORD, Seed, Site, error_of, start_site

from ahdath.web.auth import (
    LoginLimiter,
    csrf_ok,
    csrf_token,
    read_session,
    sign_session,
)

SECRET = b"k" * 32
EDITS = [("post", "/api/events/SYR1/accept", {}), ("post", "/api/events/SYR1/flag", {"note": "check"}),
         ("patch", "/api/events/SYR1", {"values": {"fatalities": 6}}), ("post", "/api/merge", {"keep": "SYR1", "other": "SYR2"}),
         ("post", "/api/events/SYR1/split", {"report_ids": ["a-1"]}), ("post", "/api/suggestions/dismiss", {"a": "SYR1", "b": "SYR2"}),
         ("post", "/api/gazetteer", {"name": "تل حديا", "latitude": 36.0, "longitude": 37.0, "admin1": "Aleppo", "source": "test"})]


@pytest.mark.parametrize("method, path, body", EDITS, ids=[p for _m, p, _b in EDITS])
def test_web_auth_anonymous_edit_is_401(site: Site, method: str, path: str, body: dict) -> None:
    with site.client() as c:
        r = c.request(method, path, json=body)
    assert r.status_code == 401
    assert error_of(r)["code"] == "login_required"


@pytest.mark.parametrize("method, path, body", EDITS[:3], ids=[p for _m, p, _b in EDITS[:3]])
def test_web_auth_session_write_without_or_with_wrong_csrf_is_403(site: Site, method: str, path: str,
                                                                  body: dict) -> None:
    c, csrf = site.login("coder1")
    with closing(c):
        for headers in ({}, {"x-csrf-token": "0" * 64}, {"x-csrf-token": csrf[:-1]}):
            r = c.request(method, path, json=body, headers=headers)
            assert r.status_code == 403 and error_of(r)["code"] == "csrf"
        # the token of another browser (another client cookie) is refused too
        other, other_csrf = site.login("coder1")
        with closing(other):
            r = c.request(method, path, json=body, headers={"x-csrf-token": other_csrf})
            assert r.status_code == 403


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer", "Basic abc", "Bearer " + "x" * 600])
def test_web_auth_wrong_token_is_401_even_for_reading(site: Site, header: str) -> None:
    with site.client(headers={"authorization": header}) as c:
        for r in (c.get("/api/events/SYR1"), c.post("/api/events/SYR1/accept", json={})):
            assert r.status_code == 401 and error_of(r)["code"] == "bad_token"
            assert r.headers["www-authenticate"] == "Bearer"


def test_web_auth_me_anonymous_then_logged_in_with_cookie_flags(site: Site) -> None:
    with site.client() as c:
        me = c.get("/api/me").json()
        assert me["user"] is None and me["role"] is None and len(me["csrf"]) == 64
        r = c.post("/login", data={"name": "coder1", "password": PASSWORD, "csrf": me["csrf"]})
        assert r.status_code == 200
        cookie = r.headers["set-cookie"]
        assert "ahdath_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie.replace(
            "SameSite=Strict", "SameSite=strict")
        after = c.get("/api/me").json()
        assert after["user"] == "coder1" and after["role"] == "coder"
        assert after["csrf"] != me["csrf"]  # a login gets a new token
        r = c.post("/logout", headers={"x-csrf-token": after["csrf"]})
        assert r.status_code == 200
        assert c.get("/api/me").json()["user"] is None


def test_web_auth_login_needs_the_csrf_field(site: Site) -> None:
    with site.client() as c:
        c.get("/api/me")
        r = c.post("/login", data={"name": "coder1", "password": PASSWORD})
        assert r.status_code == 403 and error_of(r)["code"] == "csrf"
        r = c.post("/login", data={"name": "coder1", "password": PASSWORD, "csrf": "f" * 64})
        assert r.status_code == 403


def test_web_auth_html_login_redirects_only_within_the_site(site: Site) -> None:
    with site.client(headers={"accept": "text/html"}) as c:
        csrf = c.get("/api/me").json()["csrf"]
        r = c.post("/login", data={"name": "coder1", "password": PASSWORD, "csrf": csrf,
                                   "next": "//evil.example/x"})
        assert r.status_code == 303 and r.headers["location"] == "/"
        r = c.post("/login", data={"name": "coder1", "password": "nope-nope", "csrf": c.get("/api/me").json()["csrf"]})
        assert r.status_code == 303 and r.headers["location"].startswith("/login?error=")


def test_web_auth_token_edits_without_csrf_and_history_names_the_user(fresh_site: Site) -> None:
    with fresh_site.as_user("coder1") as c:
        r = c.patch("/api/events/SYR1", json={"values": {"fatalities": 7}})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["event"]["fatalities"] == 7
        assert [h["user"] for h in body["history"] if h["action"] == "edit"] == ["coder1"]


def test_web_auth_expired_session_is_told_so(tmp_path: Path, xdg: Path, seed_sqlite: Seed) -> None:
    site = start_site(seed_sqlite.copy(tmp_path), tmp_path, tokens=seed_sqlite.tokens, session_ttl=1.0)
    site.url = site.server.url
    try:
        c, csrf = site.login("coder1")
        with closing(c):
            assert c.get("/api/me").json()["user"] == "coder1"
            kept = {k: c.cookies[k] for k in ("ahdath_session", "ahdath_client")}
        time.sleep(1.2)
        # the browser drops the cookie at its Max-Age; one kept (or copied) past it is refused
        with site.client(cookies=kept) as replay:
            assert replay.get("/api/me").json()["user"] is None
            r = replay.post("/api/events/SYR1/accept", json={}, headers={"x-csrf-token": csrf})
            assert r.status_code == 401 and error_of(r)["code"] == "session_expired"
    finally:
        site.server.stop()
        site.store.close()


def test_web_auth_disabled_user_loses_session_and_token_at_once(fresh_site: Site) -> None:
    from ahdath.store.users import disable_user

    c, csrf = fresh_site.login("coder1")
    with closing(c), fresh_site.as_user("coder1") as t:
        assert c.get("/api/me").json()["user"] == "coder1"
        disable_user(fresh_site.store, "coder1")
        assert c.get("/api/me").json()["user"] is None
        assert c.post("/api/events/SYR1/accept", json={}, headers={"x-csrf-token": csrf}).status_code == 401
        assert t.post("/api/events/SYR1/accept", json={}).status_code == 401


def test_web_auth_login_rate_limited_per_name_even_with_the_right_password(fresh_site: Site) -> None:
    with fresh_site.client() as c:
        csrf = c.get("/api/me").json()["csrf"]
        for _ in range(5):
            r = c.post("/login", data={"name": "coder1", "password": "wrong-password", "csrf": csrf})
            assert r.status_code == 401 and error_of(r)["code"] == "bad_login"
        r = c.post("/login", data={"name": "coder1", "password": PASSWORD, "csrf": csrf})
        assert r.status_code == 429 and error_of(r)["code"] == "rate_limited"
        assert int(r.headers["retry-after"]) > 0
        # another name is still let in (the address limit is higher)
        r = c.post("/login", data={"name": "admin1", "password": PASSWORD, "csrf": csrf})
        assert r.status_code == 200


def test_web_auth_login_to_read_refuses_anonymous_readers(tmp_path: Path, xdg: Path,
                                                          seed_sqlite: Seed) -> None:
    site = start_site(seed_sqlite.copy(tmp_path), tmp_path, tokens=seed_sqlite.tokens, public_read=False)
    site.url = site.server.url
    try:
        with site.client() as c:
            for path in ("/api/events/SYR1", "/api/reports/a-1", "/api/export"):
                r = c.get(path)
                assert r.status_code == 401 and error_of(r)["code"] == "login_required", path
            assert c.get("/api/me").status_code == 200  # the login page needs its token
        with site.as_user("coder1") as t:
            assert t.get("/api/events/SYR1").status_code == 200
    finally:
        site.server.stop()
        site.store.close()


# -- the pieces, without a server ------------------------------------------------------------------

@given(name=st.text(min_size=1, max_size=30), flip=st.integers(min_value=0, max_value=200))
def test_web_auth_session_cookie_tampering_is_refused(name: str, flip: int) -> None:
    cookie, session = sign_session(SECRET, name, 60.0, now=1000.0)
    assert read_session(SECRET, cookie, now=1001.0) == session
    assert read_session(b"other" * 8, cookie, now=1001.0) is None
    i = flip % len(cookie)
    tampered = cookie[:i] + ("A" if cookie[i] != "A" else "B") + cookie[i + 1:]
    assert read_session(SECRET, tampered, now=1001.0) in (None, session) and (
        read_session(SECRET, tampered, now=1001.0) is None or tampered.split(".")[0] == cookie.split(".")[0])
    assert read_session(SECRET, cookie, now=1061.0) is False


def test_web_auth_csrf_is_bound_to_client_and_session() -> None:
    _c, s1 = sign_session(SECRET, "a", 60)
    _c, s2 = sign_session(SECRET, "a", 60)
    token = csrf_token(SECRET, "client-one-xxxxxxxx", s1)
    assert csrf_ok(SECRET, "client-one-xxxxxxxx", s1, token)
    assert not csrf_ok(SECRET, "client-two-xxxxxxxx", s1, token)
    assert not csrf_ok(SECRET, "client-one-xxxxxxxx", s2, token)
    assert not csrf_ok(SECRET, "client-one-xxxxxxxx", s1, None)
    assert not csrf_ok(SECRET, "", s1, csrf_token(SECRET, "", s1))


@pytest.mark.parametrize("per_name, per_address, name_fails, other_names, blocked", [
    (3, 10, 3, 0, True), (3, 10, 2, 0, False), (3, 4, 0, 4, True), (3, 4, 0, 3, False)])
def test_web_auth_limiter_counts_per_name_and_address(per_name: int, per_address: int, name_fails: int,
                                                      other_names: int, blocked: bool) -> None:
    lim = LoginLimiter(per_name, per_address, 60.0)
    for _ in range(name_fails):
        lim.failed("Alice", "10.0.0.1", now=0.0)
    for n in range(other_names):
        lim.failed(f"user{n}", "10.0.0.1", now=0.0)
    assert (lim.retry_after("alice", "10.0.0.1", now=1.0) > 0) is blocked
    assert lim.retry_after("alice", "10.0.0.1", now=61.0) == 0  # the window slides past


def test_web_auth_limiter_memory_is_bounded() -> None:
    lim = LoginLimiter(3, 3, 10.0, max_keys=100)
    for n in range(1000):
        lim.failed(f"u{n}", f"10.0.{n}.1", now=float(n * 20))
    assert len(lim._failures) <= 102


def test_web_auth_client_is_httpx(site: Site) -> None:
    assert isinstance(site.client(), httpx.Client)


def test_web_auth_cookies_are_secure_over_https(tmp_path: Path, xdg: Path) -> None:
    """Behind https (here Starlette's in-process client with an https base URL) both cookies carry
    Secure; over plain http on loopback they cannot, or the browser would drop them."""
    from fastapi.testclient import TestClient
    from webserver import seed

    from ahdath.store import Store
    from ahdath.store.users import add_user
    from ahdath.web.app import create_app
    from ahdath.web.settings import WebSettings

    url = f"sqlite:///{tmp_path}/s.sqlite"
    seed(url, tmp_path)
    with Store.open(url, access="write") as store:
        add_user(store, "coder1", "coder", PASSWORD)
    with TestClient(create_app(WebSettings(db_url=url)), base_url="https://testserver") as c:
        me = c.get("/api/me")
        assert "Secure" in me.headers["set-cookie"]
        r = c.post("/login", data={"name": "coder1", "password": PASSWORD, "csrf": me.json()["csrf"]})
        assert r.status_code == 200 and "Secure" in r.headers["set-cookie"]
