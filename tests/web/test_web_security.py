"""What every response carries and what no request may do: security headers and the CSP, JSON
errors for every client error, the body limit (declared or chunked), markup kept as data."""
from __future__ import annotations

import socket

import pytest
from webserver import SCRIPT_REPORT, Site, error_of

from ahdath.errors import UsageError
from ahdath.web.security import content_security_policy
from ahdath.web.settings import OSM_TILES, WebSettings, tile_host


@pytest.mark.parametrize("path", ["/api/me", "/api/events/SYR1", "/docs", "/openapi.json", "/api/nowhere",
                                  "/vendor/plotly.min.js"])
def test_web_security_headers_on_every_response(site: Site, path: str) -> None:
    with site.client() as c:
        r = c.get(path)
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "'unsafe-eval'" not in csp and "frame-ancestors 'none'" in csp
    assert "img-src 'self' data: blob: https://tile.openstreetmap.org" in csp
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    if path.startswith("/api/"):
        assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("method, path, status, code", [
    ("get", "/api/nowhere", 404, "not_found"), ("delete", "/api/me", 405, "method_not_allowed"),
    ("get", "/api/events/SYR999999", 404, "E603"), ("get", "/api/reports/no-such", 404, "not_found"),
    ("get", "/api/events?per_page=100000", 422, "invalid"), ("get", "/api/events?since=yesterday", 422, "invalid"),
    ("get", "/api/events?bbox=1,2,3", 422, "invalid"), ("get", "/api/events?bbox=10,50,20,40", 422, "invalid"),
    ("get", "/api/events?since=2024-05-01&until=2024-04-01", 422, "invalid"),
    ("get", "/api/events?conf_min=2", 422, "invalid"), ("get", "/api/events?sort=drop%20table", 422, "invalid"),
    ("get", "/api/export?format=exe", 422, "invalid"), ("get", "/api/events/" + "9" * 300, 404, "E603"),
])
def test_web_security_client_errors_are_json(site: Site, method: str, path: str, status: int, code: str) -> None:
    with site.client() as c:
        r = c.request(method, path)
    assert r.status_code == status, r.text
    assert error_of(r)["code"] == code


@pytest.mark.parametrize("body", [b"{", b"[]", b'{"text": 5}', b'{"text": "\xd8\xa3", "extra": 1}', b"\xff\xfe",
                                  b'{"text": "x", "published": "2024-13-45"}'])
def test_web_security_malformed_bodies_are_422(site: Site, body: bytes) -> None:
    with site.client() as c:
        r = c.post("/api/extract", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    error_of(r)


def test_web_security_body_limit_declared(site: Site) -> None:
    with site.client() as c:
        r = c.post("/api/extract", content=b"x" * 2_000_001, headers={"content-type": "application/json"})
    assert r.status_code == 413 and error_of(r)["code"] == "too_large"


def test_web_security_body_limit_chunked(site: Site) -> None:
    """A chunked body has no Content-Length: it is counted as it arrives and cut at the limit."""
    def chunks():
        for _ in range(300):
            yield b"a" * 10_000
    with site.client() as c:
        r = c.post("/api/extract", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and error_of(r)["code"] == "too_large"


def test_web_security_bad_content_length_is_400(site: Site) -> None:
    host, port = site.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"POST /api/extract HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 12abc\r\n\r\n{}")
        reply = s.recv(4096)
    assert reply.startswith(b"HTTP/1.1 400")


def test_web_security_script_in_report_text_comes_back_as_data(site: Site) -> None:
    with site.client() as c:
        report = c.get("/api/reports/x-1")
        assert report.status_code == 200
        assert report.headers["content-type"].startswith("application/json")
        body = report.json()
        assert body["text"] == SCRIPT_REPORT["text"] and "<script>alert('x')</script>" in body["text"]
        assert body["title"] == SCRIPT_REPORT["title"]
        [told] = [e for e in body["events"] if not e["deleted"]] or body["events"][:1]
        detail = c.get(f"/api/events/{told['event_id']}").json()
        assert any(r["text"] == SCRIPT_REPORT["text"] for r in detail["reports"])


def test_web_security_docs_page_runs_no_script(site: Site) -> None:
    with site.client() as c:
        page = c.get("/docs")
        schema = c.get("/openapi.json").json()
    assert page.status_code == 200 and "<script" not in page.text and "/api/events/{event_id}" in page.text
    assert "/api/events" in schema["paths"] and "/api/export" in schema["paths"]


def test_web_security_plotly_is_served_from_the_wheel(site: Site) -> None:
    with site.client() as c:
        r = c.get("/vendor/plotly.min.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert b"plotly.js" in r.content[:200]


@pytest.mark.parametrize("url, origin", [(OSM_TILES, "https://tile.openstreetmap.org"),
                                         ("https://{s}.tiles.example.org:8443/{z}/{x}/{y}.png",
                                          "https://*.tiles.example.org:8443"),
                                         ("", "")])
def test_web_security_tile_origin_in_the_csp(url: str, origin: str) -> None:
    assert tile_host(url) == origin
    csp = content_security_policy(WebSettings(tile_url=url))
    assert f"img-src 'self' data: blob:{' ' + origin if origin else ''};" in csp
    assert f"connect-src 'self'{' ' + origin if origin else ''};" in csp


@pytest.mark.parametrize("url", ["ftp://tiles.example/{z}", "javascript:alert(1)", "https://a b/{z}",
                                 "https://x.example;script-src *", "https://'self'/"])
def test_web_security_tile_url_that_would_bend_the_csp_is_refused(url: str) -> None:
    with pytest.raises(UsageError):
        WebSettings(tile_url=url)


@pytest.mark.parametrize("path", ["/api/events/SYR1%00", "/api/events?q=a%00b", "/api/reports/%00",
                                  "/api/events?actor=%00"])
def test_web_security_nul_in_the_url_is_400(site: Site, path: str) -> None:
    with site.client() as c:
        r = c.get(path)
    assert r.status_code == 400 and error_of(r)["code"] == "bad_request"


@pytest.mark.parametrize("method, path, body", [
    ("patch", "/api/events/SYR1", b'{"values": {"notes": "a\\u0000b"}}'),
    ("patch", "/api/events/SYR1", b'{"values": {"notes": "\\ud800"}}'),
    ("patch", "/api/events/SYR1", b'{"values": {"latitude": NaN}}'),
    ("post", "/api/events/SYR1/flag", b'{"note": "x\\u0000"}'),
    ("post", "/api/merge", b'{"keep": "SYR1\\u0000", "other": "SYR2"}'),
])
def test_web_security_text_a_database_cannot_keep_is_422(site: Site, method: str, path: str, body: bytes) -> None:
    with site.as_user("coder1") as c:
        r = c.request(method, path, content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    error_of(r)


@pytest.mark.parametrize("values", [{"fatalities": 10**12}, {"fatalities": "99999999999"}, {"iso": -(10**10)},
                                    {"confidence": "1e400"}])
def test_web_security_numbers_out_of_the_columns_range_are_400(site: Site, values: dict) -> None:
    with site.as_user("coder1") as c:
        r = c.patch("/api/events/SYR1", json={"values": values})
    assert r.status_code == 400, r.text


def test_web_security_login_with_nul_in_the_name_is_a_failed_login(site: Site) -> None:
    with site.client() as c:
        csrf = c.get("/api/me").json()["csrf"]
        r = c.post("/login", data={"name": "coder1\x00", "password": "whatever-long", "csrf": csrf})
    assert r.status_code == 401 and error_of(r)["code"] == "bad_login"
